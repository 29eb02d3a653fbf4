using System.Buffers;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// A connection's receive buffer as a socket loop keeps it: slices are appended as they arrive, the protocol code
/// consumes from the front. Presented either as one contiguous segment (like a pipe that coalesced the reads) or
/// with one segment per received slice (so matches straddling segment boundaries are exercised).
/// </summary>
internal sealed class TestInput(bool segmented)
{
    private readonly List<byte[]> _slices = [];
    private byte[] _contiguous = new byte[256];
    private int _contiguousStart;
    private int _contiguousEnd;
    private int _firstSliceOffset;

    public ReadOnlySequence<byte> Buffer => segmented ? BuildSegmented() : new(_contiguous, _contiguousStart, _contiguousEnd - _contiguousStart);

    public void Append(byte[] slice)
    {
        if (segmented)
        {
            if (slice.Length > 0)
            {
                _slices.Add(slice);
            }

            return;
        }

        if (_contiguousEnd + slice.Length > _contiguous.Length)
        {
            int length = _contiguousEnd - _contiguousStart;
            byte[] grown = new byte[Math.Max(_contiguous.Length * 2, length + slice.Length)];
            _contiguous.AsSpan(_contiguousStart, length).CopyTo(grown);
            (_contiguous, _contiguousStart, _contiguousEnd) = (grown, 0, length);
        }

        slice.CopyTo(_contiguous, _contiguousEnd);
        _contiguousEnd += slice.Length;
    }

    /// <summary>Drops everything before <paramref name="consumed"/>, a position in the last <see cref="Buffer"/>.</summary>
    public void Consume(in ReadOnlySequence<byte> buffer, SequencePosition consumed)
    {
        long count = buffer.Slice(buffer.Start, consumed).Length;
        if (!segmented)
        {
            _contiguousStart += (int)count;
            return;
        }

        while (count > 0)
        {
            int left = _slices[0].Length - _firstSliceOffset;
            if (count < left)
            {
                _firstSliceOffset += (int)count;
                return;
            }

            count -= left;
            _slices.RemoveAt(0);
            _firstSliceOffset = 0;
        }
    }

    private ReadOnlySequence<byte> BuildSegmented()
    {
        if (_slices.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(_slices[0].AsMemory(_firstSliceOffset), 0);
        Segment last = first;
        for (int i = 1; i < _slices.Count; i++)
        {
            last = last.Append(_slices[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] next)
        {
            var segment = new Segment(next, RunningIndex + Memory.Length);
            Next = segment;
            return segment;
        }
    }
}
