using System.Buffers;
using System.Buffers.Text;

namespace ActorGunicorn.Http;

/// <summary>Writes chunked transfer-coding framing (RFC 9112 7.1) around response body bytes, as gunicorn's <c>util.write</c>.</summary>
public static class ChunkedEncoder
{
    /// <summary>Writes <c>%X\r\n</c>: the size line of a chunk of <paramref name="length"/> bytes (positive).</summary>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long length)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Span<byte> span = output.GetSpan(18);
        Utf8Formatter.TryFormat(length, span, out int written, new StandardFormat('X'));
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    /// <summary>Writes the CRLF that closes a chunk's data.</summary>
    public static void WriteChunkTrailer(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("\r\n"u8);
    }

    /// <summary>Writes <c>0\r\n\r\n</c>: the last chunk and an empty trailer section.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("0\r\n\r\n"u8);
    }

    /// <summary>
    /// Writes <paramref name="data"/> as one chunk. Writes nothing for empty data: an empty chunk would end the body.
    /// </summary>
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        WriteChunkHeader(output, data.Length);
        output.Write(data);
        WriteChunkTrailer(output);
    }
}
