namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// The ways gunicorn's harness (tests/treq.py) splits a request across reads, plus seeded random slicing so that
/// a failure reproduces.
/// </summary>
internal static class Chunkings
{
    public static readonly string[] Names = ["all", "lines", "bytes", "special", "random-1", "random-7", "random-42", "random-1337"];

    public static IEnumerable<byte[]> Split(byte[] data, string chunking) => chunking switch
    {
        "all" => [data],
        "lines" => Lines(data),
        "bytes" => data.Select(b => new[] { b }),
        // One byte, then the rest: guards the request-line length check on input without any CRLF yet (valid/099).
        "special" => data.Length <= 1 ? [data] : [data[..1], data[1..]],
        _ when chunking.StartsWith("random-", StringComparison.Ordinal) => Random(data, int.Parse(chunking["random-".Length..], System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentOutOfRangeException(nameof(chunking)),
    };

    // Split after every LF, so each slice ends with a line end (CRLF or bare LF).
    private static IEnumerable<byte[]> Lines(byte[] data)
    {
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'\n')
            {
                yield return data[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < data.Length)
        {
            yield return data[start..];
        }
    }

    // gunicorn's send_random: slices of 1..round(len/10) bytes.
    private static IEnumerable<byte[]> Random(byte[] data, int seed)
    {
        var random = new Random(seed);
        int max = Math.Max(1, (int)Math.Round(data.Length / 10.0));
        for (int read = 0; read < data.Length;)
        {
            int size = Math.Min(random.Next(1, max + 1), data.Length - read);
            yield return data[read..(read + size)];
            read += size;
        }
    }
}
