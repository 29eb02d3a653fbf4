using System.Globalization;
using System.Text;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>
/// Byte-level and HTTP-aware mutations of a seed, all drawn from one <see cref="Random"/> so that an input seed
/// reproduces its input exactly. Each mutation appends its name to the log kept with a finding.
/// </summary>
internal static class FuzzMutator
{
    /// <summary>Inputs are cut to this length, so a run of duplications cannot make one input dominate the run.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly byte[] InterestingBytes =
        [(byte)'\r', (byte)'\n', 0x00, (byte)' ', (byte)'\t', (byte)':', (byte)';', .. "0123456789abcdef"u8, 0x80, 0xFF, 0x7F,
         (byte)',', (byte)'_', (byte)'#', (byte)'?', (byte)'/', (byte)'"', (byte)'\\', (byte)'=', (byte)'A', (byte)'F'];

    /// <summary>Replacements for a Content-Length value or a chunk size: edges, signs, overflows, non-digits.</summary>
    private static readonly string[] InterestingNumbers =
    [
        "0", "00", "1", "-1", "+1", "-0", " 1", "1 ", "1,1", "0x10", "1_0", "1.0", "1e3", "5", "10", "0000000000000000000000001",
        "7fffffff", "80000000", "ffffffff", "100000000", "2147483647", "2147483648", "4294967295", "4294967296",
        "7FFFFFFFFFFFFFFF", "8000000000000000", "FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFFF", "10000000000000000",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "99999999999999999999", "\u0661",
    ];

    /// <summary>Line lengths at and next to the limits: small option values, the PROXY v1 maximum, 4094 and 8190.</summary>
    private static readonly int[] InterestingLengths = [0, 1, 2, 3, 4, 5, 16, 17, 40, 41, 105, 106, 107, 108, 200, 4093, 4094, 4095, 8189, 8190, 8191, 8192];

    private static readonly string[] TransferCodings =
    [
        "chunked", "CHUNKED", "Chunked ", "chunked, chunked", "gzip, chunked", "chunked, gzip", "identity", "identity, chunked",
        "chunked, identity", "", ",", "chunked,", ", chunked", "x-custom", "deflate", "compress, chunked", "chunked;q=1", "gzip",
        "chunked\t", "\tchunked", "chunk", "chunkedchunked",
    ];

    private static readonly string[] HeaderLines =
    [
        "Host: example.org", "Host: other", "Content-Type: text/plain", "Expect: 100-continue", "Expect: 100-Continue",
        "Expect: nothing", "Connection: close", "Connection: keep-alive", "Connection: Upgrade", "Transfer-Encoding: chunked",
        "Content-Length: 0", "Content-Length: 5", "Trailer: X-T", "TE: trailers", "Authorization: x", "X-Forwarded-Proto: https",
        "X-Forwarded-Proto: http", "X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl", "SCRIPT_NAME: /s", "PATH_INFO: /p",
        "X_Under: 1", "X-Space : 1", "X-Tab\t: 1", " folded", "\tfolded", "X-Empty:", "X-Ctl: a\u0001b", "X-Del: a\u007fb",
        "X-High: \u00e9\u00ff", ": no-name", "no-colon", "X-Quote: \"a\\\"b\"", "X-Long: " + new string('L', 300),
    ];

    private static readonly string[] Tokens =
    [
        "\r\n", "\r\n\r\n", "\n", "\r", "\n\n", "\r\r", " ", "\t", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.10", "HTTP/0.9",
        "chunked", "Transfer-Encoding", "Content-Length", "0\r\n\r\n", "0\r\n", ";ext=\"v\"", ";", ";a=b;c", "://", "*",
        "OPTIONS", "CONNECT", "HEAD", "GET", "PROXY ", "PROXY TCP4 ", "PROXY TCP6 ", "PROXY UNKNOWN\r\n", "127.0.0.1", "::1",
        "100-continue", "Expect", "Host", "Connection", "close", "keep-alive", "gzip", "identity", ",", "SCRIPT_NAME",
        "X-Forwarded-Proto", "https", "%00", "#", "?", "[", "]", "@", "\r\n\r\n\0\r\nQUIT\n", "\u0021\u0011\u0000\u000c",
    ];

    /// <summary>Applies one to eight stacked mutations to <paramref name="data"/>.</summary>
    public static byte[] Mutate(byte[] data, Random random, IReadOnlyList<FuzzSeed> seeds, List<string> log)
    {
        int count = 1;
        while (count < 8 && random.Next(2) == 0)
        {
            count++;
        }

        for (int i = 0; i < count; i++)
        {
            data = MutateOnce(data, random, seeds, log);
            if (data.Length > MaxLength)
            {
                data = data[..MaxLength];
                log.Add("cut-to-max");
            }
        }

        return data;
    }

    private static byte[] MutateOnce(byte[] data, Random random, IReadOnlyList<FuzzSeed> seeds, List<string> log)
    {
        int choice = random.Next(21);
        if (data.Length == 0 && choice is < 12 or 19)
        {
            choice = 12; // the byte- and line-level mutations need a byte to work on
        }

        (string name, byte[] result) = choice switch
        {
            0 => ("bit-flip", BitFlip(data, random)),
            1 => ("byte-set", Replace(data, random, (byte)random.Next(256))),
            2 or 3 => ("interesting-byte", Replace(data, random, Pick(random, InterestingBytes))),
            4 => ("delete-range", DeleteRange(data, random)),
            5 => ("duplicate-range", DuplicateRange(data, random)),
            6 => ("truncate", data[..random.Next(data.Length)]),
            7 => ("line-op", LineOp(data, random)),
            8 or 9 => ("change-number", ChangeNumber(data, random)),
            10 => ("flip-name-case", FlipNameCase(data, random)),
            11 => ("line-ending", LineEnding(data, random)),
            12 => ("insert-interesting", Insert(data, random, [.. Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Pick(random, InterestingBytes))])),
            13 => ("insert-random", Insert(data, random, [.. Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))])),
            14 => ("insert-token", Insert(data, random, Latin1(Pick(random, Tokens)))),
            15 => ("splice", Splice(data, random, seeds)),
            16 or 17 => ("framing", Framing(data, random)),
            18 => ("insert-header", InsertLine(data, random, Pick(random, HeaderLines))),
            19 => ("pad-line", PadLine(data, random)),
            _ => ("rechunk", Rechunk(data, random)),
        };

        log.Add(name);
        return result;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] BitFlip(byte[] data, Random random)
    {
        byte[] copy = [.. data];
        int flips = 1 + random.Next(3);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Replace(byte[] data, Random random, byte value)
    {
        byte[] copy = [.. data];
        copy[random.Next(copy.Length)] = value;
        return copy;
    }

    private static byte[] Insert(byte[] data, Random random, byte[] bytes) => InsertAt(data, random.Next(data.Length + 1), bytes);

    private static byte[] InsertAt(byte[] data, int at, ReadOnlySpan<byte> bytes) => [.. data.AsSpan(0, at), .. bytes, .. data.AsSpan(at)];

    private static (int Start, int Length) RandomRange(int length, Random random)
    {
        int start = random.Next(length);
        int max = Math.Min(length - start, random.Next(2) == 0 ? 8 : 256);
        return (start, 1 + random.Next(max));
    }

    private static byte[] DeleteRange(byte[] data, Random random)
    {
        (int start, int length) = RandomRange(data.Length, random);
        return [.. data.AsSpan(0, start), .. data.AsSpan(start + length)];
    }

    // Copies a range and inserts it elsewhere, sometimes many times over (long lines, many fields, many chunks).
    private static byte[] DuplicateRange(byte[] data, Random random)
    {
        (int start, int length) = RandomRange(data.Length, random);
        int times = random.Next(4) == 0 ? 1 + random.Next(64) : 1;
        var copies = new List<byte>(length * times);
        for (int i = 0; i < times; i++)
        {
            copies.AddRange(data.AsSpan(start, length));
        }

        return InsertAt(data, random.Next(data.Length + 1), [.. copies]);
    }

    // Prefix of this input followed by a suffix of another seed, or a piece of another seed inserted.
    private static byte[] Splice(byte[] data, Random random, IReadOnlyList<FuzzSeed> seeds)
    {
        byte[] other = Pick(random, seeds).Data;
        if (other.Length == 0)
        {
            return data;
        }

        if (random.Next(2) == 0)
        {
            return [.. data.AsSpan(0, random.Next(data.Length + 1)), .. other.AsSpan(random.Next(other.Length))];
        }

        (int start, int length) = RandomRange(other.Length, random);
        return InsertAt(data, random.Next(data.Length + 1), other.AsSpan(start, length));
    }

    /// <summary>Line ranges, each ending after its LF (the last one may have none).</summary>
    private static List<(int Start, int Length)> Lines(byte[] data)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'\n')
            {
                lines.Add((start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < data.Length)
        {
            lines.Add((start, data.Length - start));
        }

        return lines;
    }

    private static byte[] LineOp(byte[] data, Random random)
    {
        List<(int Start, int Length)> lines = Lines(data);
        (int start, int length) = lines[random.Next(lines.Count)];
        switch (random.Next(4))
        {
            case 0: // duplicate, sometimes many times: long header sections
                int times = random.Next(3) == 0 ? 1 + random.Next(200) : 1;
                var copies = new List<byte>();
                for (int i = 0; i < times; i++)
                {
                    copies.AddRange(data.AsSpan(start, length));
                }

                return InsertAt(data, start, [.. copies]);
            case 1:
                return [.. data.AsSpan(0, start), .. data.AsSpan(start + length)];
            case 2: // cut the line short, keeping its line end
                int keep = random.Next(length);
                int ending = data[start + length - 1] == (byte)'\n' ? (length >= 2 && data[start + length - 2] == (byte)'\r' ? 2 : 1) : 0;
                return [.. data.AsSpan(0, start + Math.Min(keep, length - ending)), .. data.AsSpan(start + length - ending)];
            default: // swap with another line
                (int otherStart, int otherLength) = lines[random.Next(lines.Count)];
                if (otherStart == start)
                {
                    return data;
                }

                ((int aStart, int aLength), (int bStart, int bLength)) = otherStart < start
                    ? ((otherStart, otherLength), (start, length))
                    : ((start, length), (otherStart, otherLength));
                return
                [
                    .. data.AsSpan(0, aStart), .. data.AsSpan(bStart, bLength), .. data.AsSpan(aStart + aLength, bStart - aStart - aLength),
                    .. data.AsSpan(aStart, aLength), .. data.AsSpan(bStart + bLength),
                ];
        }
    }

    /// <summary>
    /// Brings one line (its line end excluded) to an interesting length: cut, or padded at its end with its last
    /// byte (an extension or a value grows), at its start with '0' (a chunk size keeps its value), or in the middle
    /// with the byte found there.
    /// </summary>
    private static byte[] PadLine(byte[] data, Random random)
    {
        List<(int Start, int Length)> lines = Lines(data);
        (int start, int length) = lines[random.Next(lines.Count)];
        int ending = data[start + length - 1] == (byte)'\n' ? (length >= 2 && data[start + length - 2] == (byte)'\r' ? 2 : 1) : 0;
        int content = length - ending;
        int target = Pick(random, InterestingLengths);
        if (target <= content)
        {
            return [.. data.AsSpan(0, start + target), .. data.AsSpan(start + content)];
        }

        (int at, byte filler) = random.Next(3) switch
        {
            0 when content > 0 => (start + content, data[start + content - 1]),
            1 => (start, (byte)'0'),
            _ when content > 0 => (start + random.Next(content), data[start + random.Next(content)]),
            _ => (start, (byte)'a'),
        };
        byte[] padding = new byte[target - content];
        padding.AsSpan().Fill(filler);
        return InsertAt(data, at, padding);
    }

    // CRLF -> LF, CRLF -> CR, LF -> CRLF, or CRLF -> CRCRLF at one line end.
    private static byte[] LineEnding(byte[] data, Random random)
    {
        int lf = NthIndexOf(data, (byte)'\n', random);
        if (lf < 0)
        {
            return Insert(data, random, "\r\n"u8.ToArray());
        }

        bool crlf = lf > 0 && data[lf - 1] == (byte)'\r';
        return random.Next(4) switch
        {
            0 when crlf => [.. data.AsSpan(0, lf - 1), .. data.AsSpan(lf)],
            1 when crlf => [.. data.AsSpan(0, lf), .. data.AsSpan(lf + 1)],
            2 => InsertAt(data, lf, "\r"u8),
            _ => InsertAt(data, lf + 1, "\r\n"u8),
        };
    }

    private static int NthIndexOf(byte[] data, byte value, Random random)
    {
        int count = data.AsSpan().Count(value);
        if (count == 0)
        {
            return -1;
        }

        int n = random.Next(count);
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == value && n-- == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Replaces a number-like run (hex digits at the start of a line or after ':', ' ', '\t', ending the line or
    /// followed by ';', ' ', ',') with an interesting number, an off-by-one or a random size: Content-Length values,
    /// chunk sizes, ports.
    /// </summary>
    private static byte[] ChangeNumber(byte[] data, Random random)
    {
        var runs = new List<(int Start, int Length)>();
        for (int i = 0; i < data.Length;)
        {
            if (!char.IsAsciiHexDigit((char)data[i]) || (i > 0 && data[i - 1] is not ((byte)'\n' or (byte)':' or (byte)' ' or (byte)'\t')))
            {
                i++;
                continue;
            }

            int end = i;
            while (end < data.Length && char.IsAsciiHexDigit((char)data[end]))
            {
                end++;
            }

            if (end == data.Length || data[end] is (byte)'\r' or (byte)'\n' or (byte)';' or (byte)' ' or (byte)',' or (byte)'\t' or (byte)'.')
            {
                runs.Add((i, end - i));
            }

            i = end;
        }

        string replacement = random.Next(3) switch
        {
            0 => Pick(random, InterestingNumbers),
            1 => random.Next(data.Length + 2).ToString(CultureInfo.InvariantCulture),
            _ => random.Next(data.Length + 2).ToString("x", CultureInfo.InvariantCulture),
        };
        if (runs.Count == 0)
        {
            return Insert(data, random, Latin1(replacement));
        }

        (int start, int length) = Pick(random, runs);
        if (random.Next(4) == 0 && long.TryParse(data.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            replacement = (n + random.Next(-1, 2)).ToString(CultureInfo.InvariantCulture);
        }

        return [.. data.AsSpan(0, start), .. Latin1(replacement), .. data.AsSpan(start + length)];
    }

    // Toggles the case of some letters of a field name (or of the method, for the first line).
    private static byte[] FlipNameCase(byte[] data, Random random)
    {
        List<(int Start, int Length)> lines = Lines(data);
        (int start, int length) = lines[random.Next(lines.Count)];
        int nameEnd = data.AsSpan(start, length).IndexOfAny((byte)':', (byte)' ');
        if (nameEnd <= 0)
        {
            return data;
        }

        byte[] copy = [.. data];
        for (int i = start; i < start + nameEnd; i++)
        {
            if (char.IsAsciiLetter((char)copy[i]) && random.Next(2) == 0)
            {
                copy[i] ^= 0x20;
            }
        }

        return copy;
    }

    /// <summary>Where the request line ends (after its LF), or the input length.</summary>
    private static int AfterFirstLine(byte[] data)
    {
        int lf = data.AsSpan().IndexOf((byte)'\n');
        return lf < 0 ? data.Length : lf + 1;
    }

    private static byte[] InsertLine(byte[] data, Random random, string line)
    {
        // Mostly right after the request line; sometimes after any line (a later request's head, a trailer section).
        int at = random.Next(3) == 0 ? NthLineStart(data, random) : AfterFirstLine(data);
        return InsertAt(data, at, Latin1(line + "\r\n"));
    }

    private static int NthLineStart(byte[] data, Random random)
    {
        int lf = NthIndexOf(data, (byte)'\n', random);
        return lf < 0 ? data.Length : lf + 1;
    }

    /// <summary>Adds, removes or rewrites Content-Length and Transfer-Encoding fields of the first head.</summary>
    private static byte[] Framing(byte[] data, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                return InsertAt(data, AfterFirstLine(data), Latin1("Transfer-Encoding: " + Pick(random, TransferCodings) + "\r\n"));
            case 1:
                string length = random.Next(2) == 0 ? Pick(random, InterestingNumbers) : random.Next(data.Length + 1).ToString(CultureInfo.InvariantCulture);
                return InsertAt(data, AfterFirstLine(data), Latin1("Content-Length: " + length + "\r\n"));
            default:
                // Remove (case 2) or rewrite (case 3) one framing field of the header section.
                bool remove = random.Next(2) == 0;
                foreach ((int start, int lineLength) in Lines(data).Skip(1).OrderBy(_ => random.Next()))
                {
                    ReadOnlySpan<byte> line = data.AsSpan(start, lineLength);
                    bool te = line.Length >= 18 && Ascii.EqualsIgnoreCase(line[..18], "transfer-encoding:"u8);
                    bool cl = line.Length >= 15 && Ascii.EqualsIgnoreCase(line[..15], "content-length:"u8);
                    if (!te && !cl)
                    {
                        continue;
                    }

                    if (remove)
                    {
                        return [.. data.AsSpan(0, start), .. data.AsSpan(start + lineLength)];
                    }

                    int colon = line.IndexOf((byte)':');
                    int lineEnd = line.EndsWith("\r\n"u8) ? lineLength - 2 : line.EndsWith("\n"u8) ? lineLength - 1 : lineLength;
                    string value = te ? Pick(random, TransferCodings) : Pick(random, InterestingNumbers);
                    return [.. data.AsSpan(0, start + colon + 1), .. Latin1(" " + value), .. data.AsSpan(start + lineEnd)];
                }

                return data;
        }
    }

    /// <summary>
    /// Re-frames the first request's body as chunked (random chunk sizes, upper or lower case hex, some extensions,
    /// sometimes trailers), dropping its Content-Length fields: a way to reach the chunked decoder from any seed.
    /// </summary>
    private static byte[] Rechunk(byte[] data, Random random)
    {
        int headEnd = data.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return data;
        }

        var head = new List<byte>();
        foreach ((int start, int length) in Lines(data[..(headEnd + 2)]))
        {
            ReadOnlySpan<byte> line = data.AsSpan(start, length);
            if (!(line.Length >= 15 && Ascii.EqualsIgnoreCase(line[..15], "content-length:"u8)))
            {
                head.AddRange(line);
            }
        }

        head.AddRange("Transfer-Encoding: chunked\r\n\r\n"u8);
        byte[] body = data[(headEnd + 4)..];
        int bodyLength = random.Next(body.Length + 1);
        var chunked = new StringBuilder();
        for (int at = 0; at < bodyLength;)
        {
            int size = Math.Min(bodyLength - at, 1 + random.Next(random.Next(2) == 0 ? 8 : 512));
            chunked.Append(size.ToString(random.Next(2) == 0 ? "x" : "X", CultureInfo.InvariantCulture));
            if (random.Next(6) == 0)
            {
                chunked.Append(random.Next(2) == 0 ? ";name=value" : " ;quoted=\"a;b\"");
            }

            chunked.Append("\r\n").Append(Encoding.Latin1.GetString(body, at, size)).Append("\r\n");
            at += size;
        }

        chunked.Append("0\r\n");
        if (random.Next(3) == 0)
        {
            chunked.Append("X-Trailer: value\r\n");
        }

        chunked.Append("\r\n");
        return [.. head, .. Latin1(chunked.ToString()), .. body.AsSpan(bodyLength)];
    }
}
