using System.Buffers;

namespace ActorGunicorn.Workers;

/// <summary>A growable, pooled <see cref="IBufferWriter{T}"/> that a response is assembled in before it is sent.</summary>
internal sealed class OutputBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _written;

    public OutputBuffer(int initialSize) => _array = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    /// <summary>How many bytes are written.</summary>
    public int WrittenCount => _written;

    /// <summary>Forgets the written bytes, keeping the array.</summary>
    public void Clear() => _written = 0;

    /// <inheritdoc />
    public void Advance(int count) => _written += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_array.Length - _written < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + needed));
            Buffer.BlockCopy(_array, 0, bigger, 0, _written);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
    }
}
