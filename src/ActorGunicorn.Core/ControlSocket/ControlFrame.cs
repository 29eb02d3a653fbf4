using System.Buffers.Binary;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// The control socket's framing, gunicorn's: each message is a 4-byte big-endian payload length followed by that
/// many bytes of UTF-8 JSON. Sans-IO: the caller buffers bytes and asks whether a whole frame is there.
/// </summary>
public static class ControlFrame
{
    /// <summary>The length prefix's size.</summary>
    public const int HeaderBytes = 4;

    /// <summary>
    /// The largest request payload the server reads. A command is a few dozen bytes; the limit only keeps a broken or
    /// hostile client from making the arbiter buffer a large frame (the prefix could announce 4 GiB).
    /// </summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>The largest reply payload the client reads: gunicorn's <c>MAX_MESSAGE_SIZE</c>, 16 MiB.</summary>
    public const int MaxReplyBytes = 16 * 1024 * 1024;

    /// <summary>Prefixes <paramref name="payload"/> with its length.</summary>
    /// <param name="payload">The JSON bytes.</param>
    /// <returns>The frame as it goes on the wire.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        return frame;
    }

    /// <summary>Looks for one frame at the start of <paramref name="buffered"/>.</summary>
    /// <param name="buffered">The bytes received and not yet consumed.</param>
    /// <param name="maxPayload">The largest payload accepted.</param>
    /// <param name="declaredLength">The payload length the prefix announces, once the prefix is there.</param>
    /// <returns>
    /// <see cref="ControlFrameStatus.Complete"/> when the frame is whole (its payload is
    /// <c>buffered[4..(4 + declaredLength)]</c>), <see cref="ControlFrameStatus.TooLarge"/> as soon as the prefix
    /// announces more than <paramref name="maxPayload"/>, else <see cref="ControlFrameStatus.Incomplete"/>.
    /// </returns>
    public static ControlFrameStatus Decode(ReadOnlySpan<byte> buffered, int maxPayload, out uint declaredLength)
    {
        declaredLength = 0;
        if (buffered.Length < HeaderBytes)
        {
            return ControlFrameStatus.Incomplete;
        }

        declaredLength = BinaryPrimitives.ReadUInt32BigEndian(buffered);
        if (declaredLength > (uint)maxPayload)
        {
            return ControlFrameStatus.TooLarge;
        }

        return buffered.Length - HeaderBytes >= declaredLength ? ControlFrameStatus.Complete : ControlFrameStatus.Incomplete;
    }
}

/// <summary>What <see cref="ControlFrame.Decode"/> found.</summary>
public enum ControlFrameStatus
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>A whole frame is buffered.</summary>
    Complete,

    /// <summary>The prefix announces a payload larger than allowed; the stream cannot be read further.</summary>
    TooLarge,
}
