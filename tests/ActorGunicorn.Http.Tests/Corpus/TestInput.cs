using System.Buffers;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// A connection's receive buffer as a socket loop keeps it: slices are appended as they arrive, the protocol code
/// consumes from the front. Presented either as one contiguous segment (like a pipe that coalesced the reads) or
/// with one segment per received slice (so matches straddling segment boundaries are exercised).
/// </summary>
internal sealed class TestInput(bool segmented)
{
    private byte[] _contiguous = new byte[256];
    private int _contiguousStart;
    private int _contiguousEnd;

    // Segmented: one linked segment per received slice, kept between calls (as a pipe keeps its segments), so that
    // reading the buffer costs nothing however many slices are pending. Running indexes keep growing, like a pipe's.
    private Segment? _first;
    private Segment? _last;
    private int _firstOffset;
    private long _nextRunningIndex;

    public ReadOnlySequence<byte> Buffer => segmented
        ? _first is null ? ReadOnlySequence<byte>.Empty : new(_first, _firstOffset, _last!, _last!.Memory.Length)
        : new(_contiguous, _contiguousStart, _contiguousEnd - _contiguousStart);

    public void Append(byte[] slice)
    {
        if (segmented)
        {
            if (slice.Length > 0)
            {
                var segment = new Segment(slice, _nextRunningIndex);
                _nextRunningIndex += slice.Length;
                if (_last is null)
                {
                    _first = segment;
                }
                else
                {
                    _last.Next = segment;
                }

                _last = segment;
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
            int left = _first!.Memory.Length - _firstOffset;
            if (count < left)
            {
                _firstOffset += (int)count;
                return;
            }

            count -= left;
            _first = (Segment?)_first.Next;
            _firstOffset = 0;
            if (_first is null)
            {
                _last = null;
            }
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new ReadOnlySequenceSegment<byte>? Next
        {
            get => base.Next;
            set => base.Next = value;
        }
    }
}
