using System.Buffers;

namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Finds a short delimiter (CRLF, CRLFCRLF) in a possibly multi-segment buffer, including matches that straddle
/// segment boundaries, using the vectorised span search inside each segment.
/// </summary>
internal static class SequenceSearch
{
    /// <summary>The longest delimiter searched for.</summary>
    private const int MaxDelimiter = 4;

    /// <summary>
    /// Offset (from the start of <paramref name="buffer"/>) of the first <paramref name="delimiter"/> that starts at or
    /// after <paramref name="start"/>, or -1. <paramref name="scanned"/> grows by the number of bytes looked at.
    /// </summary>
    public static long IndexOf(in ReadOnlySequence<byte> buffer, long start, ReadOnlySpan<byte> delimiter, ref long scanned)
    {
        long found;
        if (buffer.IsSingleSegment)
        {
            int index = buffer.FirstSpan[(int)start..].IndexOf(delimiter);
            found = index < 0 ? -1 : start + index;
        }
        else
        {
            found = IndexOfMultiSegment(buffer.Slice(start), delimiter);
            found = found < 0 ? -1 : start + found;
        }

        scanned += found < 0 ? buffer.Length - start : found + delimiter.Length - start;
        return found;
    }

    private static long IndexOfMultiSegment(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> delimiter)
    {
        // 'window' holds the last (delimiter.Length - 1) bytes seen before the current segment, followed by the
        // first bytes of the current segment, so that matches crossing a boundary are found.
        Span<byte> window = stackalloc byte[MaxDelimiter * 2];
        int keep = delimiter.Length - 1;
        int carry = 0;
        long carryStart = 0;
        long segmentStart = 0;
        foreach (ReadOnlyMemory<byte> memory in buffer)
        {
            ReadOnlySpan<byte> span = memory.Span;
            if (span.IsEmpty)
            {
                continue;
            }

            int take = Math.Min(keep, span.Length);
            if (carry > 0)
            {
                span[..take].CopyTo(window[carry..]);
                int inWindow = window[..(carry + take)].IndexOf(delimiter);
                if (inWindow >= 0 && inWindow < carry)
                {
                    return carryStart + inWindow;
                }
            }

            int inSegment = span.IndexOf(delimiter);
            if (inSegment >= 0)
            {
                return segmentStart + inSegment;
            }

            if (span.Length >= keep)
            {
                span[^keep..].CopyTo(window);
                carry = keep;
                carryStart = segmentStart + span.Length - keep;
            }
            else
            {
                if (carry == 0)
                {
                    span.CopyTo(window);
                    carryStart = segmentStart;
                }

                int total = carry + span.Length;
                int drop = Math.Max(0, total - keep);
                window[drop..total].CopyTo(window);
                carry = total - drop;
                carryStart += drop;
            }

            segmentStart += span.Length;
        }

        return -1;
    }
}
