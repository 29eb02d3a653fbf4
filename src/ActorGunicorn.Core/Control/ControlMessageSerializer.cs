using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorGunicorn.Control;

/// <summary>
/// The wire form of <see cref="IControlMessage"/>s. A frame is a 4-byte big-endian length, then a 1-byte message
/// type, then the fields in declaration order: integers big-endian, strings as a 4-byte length and UTF-8 bytes.
/// A hand-written format keeps worker boot free of serializer warm-up and makes every byte reviewable.
/// </summary>
public static class ControlMessageSerializer
{
    /// <summary>The largest frame accepted; a bigger length means a corrupt or hostile stream.</summary>
    public const int MaxFrameLength = 16 * 1024 * 1024;

    /// <summary>The size of the length prefix in front of every frame.</summary>
    public const int LengthPrefixSize = 4;

    private enum MessageType : byte
    {
        WorkerBootstrap = 1,
        StopWorker = 2,
        WorkerReady = 3,
        WorkerHeartbeat = 4,
        RecycleRequested = 5,
    }

    /// <summary>Writes one complete frame (length prefix included).</summary>
    /// <param name="message">The message to encode.</param>
    /// <param name="output">Where the frame goes.</param>
    public static void WriteFrame(IControlMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var body = new ArrayBufferWriter<byte>(64);
        WriteBody(message, body);
        var prefix = output.GetSpan(LengthPrefixSize);
        BinaryPrimitives.WriteInt32BigEndian(prefix, body.WrittenCount);
        output.Advance(LengthPrefixSize);
        output.Write(body.WrittenSpan);
    }

    /// <summary>Reads the body length from a frame's prefix.</summary>
    /// <exception cref="InvalidDataException">The length is negative or above <see cref="MaxFrameLength"/>.</exception>
    public static int ReadLength(ReadOnlySpan<byte> prefix)
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length is < 1 or > MaxFrameLength)
        {
            throw new InvalidDataException($"control frame length {length} is out of range");
        }

        return length;
    }

    /// <summary>Decodes a frame body (the bytes after the length prefix).</summary>
    /// <exception cref="InvalidDataException">The body is malformed.</exception>
    public static IControlMessage ReadBody(ReadOnlySpan<byte> body)
    {
        var reader = new FieldReader(body);
        var type = (MessageType)reader.Byte();
        IControlMessage message = type switch
        {
            MessageType.WorkerBootstrap => new WorkerBootstrap(reader.Int32(), reader.Int64(), reader.String()),
            MessageType.StopWorker => new StopWorker(reader.Byte() != 0, reader.Byte() != 0) { GatedListeners = reader.Int32List() },
            MessageType.WorkerReady => new WorkerReady(reader.Int32()),
            MessageType.WorkerHeartbeat => new WorkerHeartbeat(reader.Int64(), reader.Int32(), reader.Int32(), reader.Int64(), reader.Int64(), reader.Int64()),
            MessageType.RecycleRequested => new RecycleRequested(reader.String()),
            _ => throw new InvalidDataException($"unknown control message type {(byte)type}"),
        };
        reader.EnsureConsumed();
        return message;
    }

    private static void WriteBody(IControlMessage message, IBufferWriter<byte> output)
    {
        var writer = new FieldWriter(output);
        switch (message)
        {
            case WorkerBootstrap m:
                writer.Byte((byte)MessageType.WorkerBootstrap);
                writer.Int32(m.Age);
                writer.Int64(m.MaxRequests);
                writer.String(m.ConfigHocon);
                break;
            case StopWorker m:
                writer.Byte((byte)MessageType.StopWorker);
                writer.Byte(m.Graceful ? (byte)1 : (byte)0);
                writer.Byte(m.DrainBacklog ? (byte)1 : (byte)0);
                writer.Int32List(m.GatedListeners);
                break;
            case WorkerReady m:
                writer.Byte((byte)MessageType.WorkerReady);
                writer.Int32(m.ProcessId);
                break;
            case WorkerHeartbeat m:
                writer.Byte((byte)MessageType.WorkerHeartbeat);
                writer.Int64(m.RequestsServed);
                writer.Int32(m.OpenConnections);
                writer.Int32(m.ActiveRequests);
                writer.Int64(m.RssBytes);
                writer.Int64(m.LongestRequestMs);
                writer.Int64(m.RequestTimeMs);
                break;
            case RecycleRequested m:
                writer.Byte((byte)MessageType.RecycleRequested);
                writer.String(m.Reason);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} has no wire form", nameof(message));
        }
    }

    private readonly ref struct FieldWriter(IBufferWriter<byte> output)
    {
        private readonly IBufferWriter<byte> _output = output;

        public void Byte(byte value)
        {
            _output.GetSpan(1)[0] = value;
            _output.Advance(1);
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
            _output.Advance(4);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
            _output.Advance(8);
        }

        public void Int32List(IReadOnlyList<int> values)
        {
            Int32(values.Count);
            foreach (int value in values)
            {
                Int32(value);
            }
        }

        public void String(string value)
        {
            int length = Encoding.UTF8.GetByteCount(value);
            Int32(length);
            Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            _output.Advance(length);
        }
    }

    private ref struct FieldReader(ReadOnlySpan<byte> body)
    {
        private ReadOnlySpan<byte> _rest = body;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public int[] Int32List()
        {
            int count = Int32();
            // Checked against what is left, so a corrupt count cannot ask for a huge array.
            if (count < 0 || count > _rest.Length / 4)
            {
                throw new InvalidDataException($"bad list length {count}");
            }

            var values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Int32();
            }

            return values;
        }

        public string String()
        {
            int length = Int32();
            if (length < 0)
            {
                throw new InvalidDataException($"negative string length {length}");
            }

            return Encoding.UTF8.GetString(Take(length));
        }

        public readonly void EnsureConsumed()
        {
            if (!_rest.IsEmpty)
            {
                throw new InvalidDataException($"{_rest.Length} unexpected trailing bytes in a control frame");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_rest.Length < count)
            {
                throw new InvalidDataException("control frame is truncated");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
