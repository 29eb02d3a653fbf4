using System.Buffers;

namespace ActorGunicorn.Workers;

/// <summary>
/// A connection's received bytes: one pooled array holding the unconsumed window <c>[start, end)</c> plus free space
/// behind it. It compacts before it grows, so a keep-alive connection keeps one small array however many requests
/// it carries.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    private byte[] _array;
    private int _start;
    private int _end;

    public InputBuffer(int initialSize) => _array = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>The bytes received and not yet consumed.</summary>
    public ReadOnlySequence<byte> Unconsumed => new(_array, _start, _end - _start);

    /// <summary>How many unconsumed bytes there are.</summary>
    public int Length => _end - _start;

    /// <summary>Drops the first <paramref name="count"/> unconsumed bytes.</summary>
    public void Consume(long count)
    {
        _start += checked((int)count);
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Consumes up to <paramref name="position"/>, a position inside <see cref="Unconsumed"/>.</summary>
    public void ConsumeTo(SequencePosition position) => Consume(position.GetInteger() - _start);

    /// <summary>Free space to receive into, at least <paramref name="minimum"/> bytes (compacting or growing first).</summary>
    public Memory<byte> GetFreeSpace(int minimum = 1024)
    {
        if (_array.Length - _end < minimum)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_array, _start, _array, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_array.Length - _end < minimum)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _end + minimum));
                Buffer.BlockCopy(_array, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_array);
                _array = bigger;
            }
        }

        return _array.AsMemory(_end);
    }

    /// <summary>Records <paramref name="count"/> bytes received into the free space.</summary>
    public void Advance(int count) => _end += count;

    /// <inheritdoc />
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
