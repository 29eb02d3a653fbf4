using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActorGunicorn.Http.Tests.Corpus;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>A property an input broke, with what was seen.</summary>
internal sealed record FuzzFinding(string Property, string Message);

/// <summary>What checking one input produced, for the run's statistics.</summary>
internal sealed record FuzzVerdict(FuzzFinding? Finding, int Requests, HttpRejectionReason? Rejection, bool EarlyRefusal, long Allocated, long Scanned);

/// <summary>
/// Drives a fuzz input through a whole connection twice (all at once, and cut into random reads) and checks:
/// <list type="number">
/// <item>no exception escapes: the engine refuses bad input only through its Rejected statuses (any exception, or a
/// broken call contract seen by <see cref="ConnectionDriver"/>, is a finding);</item>
/// <item>no hang: the driver's loop stays within a step budget proportional to the input, and the engine's own
/// search work (its BytesScanned counters) stays proportional to the input;</item>
/// <item>bounded allocation (see <see cref="AllocationBound"/>);</item>
/// <item>chunking invariance: both runs read the same requests (every field the engine decides) and end the same
/// way, except for the one documented early refusal (see <see cref="IsDocumentedEarlyRefusal"/>);</item>
/// <item>accepted requests follow the rules stated in HttpRequestParser.cs and HttpBodyDecoder.cs (see
/// <see cref="WellFormedness"/>).</item>
/// </list>
/// </summary>
internal static class FuzzOracle
{
    /// <summary>
    /// A request whose head was refused while still incomplete, because it exceeded gunicorn's max_buffer_headers,
    /// has this detail (Rejections.SectionTooLarge).
    /// </summary>
    private const string SectionTooLargeDetail = "max buffer headers";

    // RFC 9110 tchar, and gunicorn's unconventional method characters, written out again rather than taken from the engine.
    private static readonly SearchValues<byte> Token = SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);
    private static readonly SearchValues<byte> Unconventional = SearchValues.Create("abcdefghijklmnopqrstuvwxyz#"u8);

    private static readonly HttpResponseHeader[] ResponseHeaders = [new("Content-Type", "text/plain"), new("X-Fuzz", "1")];

    /// <summary>
    /// The most bytes the engine may allocate for one connection, the error page for its rejection included:
    /// 64 KiB plus 128 bytes per input byte. Per connection the engine allocates the parser, decoder and head (with
    /// its 2 KiB arena) and compiles the options; per request, the head's copy of the request line and header section
    /// (an arena that doubles, so at most about twice the head) and the joined value of folded lines: under 25 bytes
    /// per input byte in all. The largest factor is a rejection: its detail quotes the refused bytes as Python's repr
    /// does (up to four characters, \xNN, per byte), and HttpErrorResponse html-escapes that text (up to six
    /// characters, &amp;quot;, per byte) and copies it some ten times on its way to the page's bytes. The worst case,
    /// measured by refusing lines of every byte value and of quote mixtures, is a colon-less header line of '"':
    /// 102.4 bytes per byte; the fuzzer's own worst over 20 million inputs was 102.5. Inputs under 256 bytes stay
    /// under 20 KiB. The bound keeps a quarter above that worst case and still fails anything that grows faster than
    /// the input, such as copying the buffered input again on every read.
    /// </summary>
    public static long AllocationBound(int inputLength) => 64 * 1024 + 128L * inputLength;

    /// <summary>
    /// The most bytes the parser and decoder may look at: every byte is searched a bounded number of times
    /// (the request-line search, the blank-line search and the field parse each cover the head once; a call
    /// without the delimiter re-examines at most 3 bytes), so 4 per input byte plus 8 per engine call is ample;
    /// rescanning from the start on each read would be quadratic.
    /// </summary>
    public static long WorkBound(int inputLength, long engineCalls) => 64 + 4L * inputLength + 8 * engineCalls;

    /// <summary>Every turn of the driver consumes input, changes stage, waits for a read or ends, so 4 turns per byte and per read is ample.</summary>
    public static long StepBudget(int inputLength, int reads) => 16 + 4L * (inputLength + reads);

    public static FuzzVerdict Check(FuzzInput input)
    {
        (List<byte[]> slices, bool segmented, _) = input.Chunking();
        int length = input.Data.Length;
        var responseOutput = new ArrayBufferWriter<byte>(1024);
        var writer = new HttpResponseHeadWriter();
        byte[] date = new byte[HttpDate.Length];
        HttpDate.Format(DateTimeOffset.UnixEpoch, date);
        string? responseProblem = null;

        // Each accepted head is answered, as a server would before parsing the next head into the same object.
        void Answer(HttpRequestHead head)
        {
            responseOutput.ResetWrittenCount();
            HttpResponseHeadError error = writer.TryWrite(
                responseOutput, 200, null, ResponseHeaders, HttpResponseContext.For(head, false), date, out HttpResponseFramingDecision framing, out _);
            if (error != HttpResponseHeadError.None || (framing.KeepAlive && !head.KeepAlive))
            {
                responseProblem ??= $"answering {head.Method} {head.RawTarget}: {error}, keep-alive {framing.KeepAlive} for a request with keep-alive {head.KeepAlive}";
            }
        }

        DriverResult whole, chunked;
        try
        {
            whole = ConnectionDriver.Run(input.Settings, [input.Data], segmented: false, Limits(input, 1, Answer));
            chunked = ConnectionDriver.Run(input.Settings, slices, segmented, Limits(input, slices.Count, Answer));
        }
#pragma warning disable CA1031 // any exception is what this property looks for
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Verdict(new FuzzFinding("no exception", exception.ToString()), null);
        }

        if (responseProblem is not null)
        {
            return Verdict(new FuzzFinding("no exception", responseProblem), whole);
        }

        foreach ((DriverResult result, string run, int reads) in new[] { (whole, "all at once", 1), (chunked, "chunked", slices.Count) })
        {
            if (result.BudgetExhausted)
            {
                return Verdict(new FuzzFinding("no hang", $"{run}: no progress within {StepBudget(length, reads)} steps"), whole);
            }

            if (result.BytesScanned > WorkBound(length, result.EngineCalls))
            {
                return Verdict(new FuzzFinding("no hang", $"{run}: scanned {result.BytesScanned} bytes for {length} bytes in {result.EngineCalls} calls"), whole);
            }
        }

        long errorPageBytes = 0;
        if (whole.Rejection is HttpRejection rejection)
        {
            string? problem = CheckRejection(rejection, out errorPageBytes);
            if (problem is not null)
            {
                return Verdict(new FuzzFinding("no exception", problem), whole);
            }
        }

        long allocated = Math.Max(whole.EngineAllocatedBytes + errorPageBytes, chunked.EngineAllocatedBytes);
        if (allocated > AllocationBound(length))
        {
            return Verdict(new FuzzFinding("bounded allocation", $"allocated {allocated} bytes for {length} input bytes (bound {AllocationBound(length)})"), whole);
        }

        string expected = Outcome(whole);
        string actual = Outcome(chunked);
        bool early = false;
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            early = IsDocumentedEarlyRefusal(whole, chunked);
            if (!early)
            {
                return Verdict(new FuzzFinding("chunking invariance", $"all at once:\n{expected}\nchunked:\n{actual}"), whole);
            }
        }

        string? malformed = WellFormedness(whole, input.Settings);
        return Verdict(malformed is null ? null : new FuzzFinding("well-formed requests", malformed), whole, early, allocated);

        static FuzzVerdict Verdict(FuzzFinding? finding, DriverResult? result, bool earlyRefusal = false, long allocated = 0) => new(
            finding, result?.Requests.Count ?? 0, result?.Rejection?.Reason, earlyRefusal, allocated, result?.BytesScanned ?? 0);
    }

    private static DriveLimits Limits(FuzzInput input, int reads, Action<HttpRequestHead> answer) => new()
    {
        MaxPayloadSlice = input.MaxPayloadSlice,
        StepBudget = StepBudget(input.Data.Length, reads),
        OnRequest = answer,
    };

    /// <summary>
    /// The documented exception to chunking invariance (HttpRequestParser.cs, HttpBodyDecoder.cs, after gunicorn's
    /// max_buffer_headers): while a header or trailer section's blank line has not arrived, the section may not
    /// exceed LimitRequestFields * (LimitRequestFieldSize + 2) + 4 bytes. Read in pieces, a section that is refused
    /// anyway once complete (too many or too large fields, or any other field error) may be refused for its size
    /// first. An accepted section never exceeds that size, so this never turns an accepted request into a refusal.
    /// </summary>
    private static bool IsDocumentedEarlyRefusal(DriverResult whole, DriverResult chunked) =>
        whole.Rejection is not null
        && chunked.Rejection is { Reason: HttpRejectionReason.LimitRequestHeaders, Detail: SectionTooLargeDetail }
        && whole.RejectedIn == chunked.RejectedIn
        && string.Equals(Outcome(whole with { Rejection = null }), Outcome(chunked with { Rejection = null }), StringComparison.Ordinal);

    private static string? CheckRejection(HttpRejection rejection, out long allocated)
    {
        allocated = 0;
        if (rejection.StatusCode != HttpRejection.StatusFor(rejection.Reason) || string.IsNullOrEmpty(rejection.Detail))
        {
            return $"rejection {rejection} has status {rejection.StatusCode}";
        }

        if (!rejection.SendsResponse)
        {
            return rejection.Reason == HttpRejectionReason.NoMoreData ? null : $"{rejection} sends no response";
        }

        var output = new ArrayBufferWriter<byte>(4096);
        long mark = GC.GetAllocatedBytesForCurrentThread();
        HttpErrorResponse.Write(output, rejection);
        allocated = GC.GetAllocatedBytesForCurrentThread() - mark;
        string expectedStart = "HTTP/1.1 " + rejection.StatusCode.ToString(CultureInfo.InvariantCulture) + " ";
        return output.WrittenSpan.StartsWith(Encoding.ASCII.GetBytes(expectedStart)) && output.WrittenSpan.IndexOf("\r\n\r\n"u8) > 0
            ? null
            : $"error response for {rejection} starts {Escape(output.WrittenSpan, 80)}";
    }

    /// <summary>Everything the engine decided for a connection, as text: equal texts mean equal outcomes.</summary>
    public static string Outcome(DriverResult result)
    {
        var text = new StringBuilder();
        if (result.Proxy is ProxyProtocolInfo proxy)
        {
            text.Append(CultureInfo.InvariantCulture, $"proxy {proxy.Protocol} {proxy.SourceAddress}:{proxy.SourcePort} -> {proxy.DestinationAddress}:{proxy.DestinationPort}\n");
        }

        foreach (ParsedRequest r in result.Requests)
        {
            text.Append(CultureInfo.InvariantCulture, $"request {Escape(r.Method)} {Escape(r.Target)} path={Escape(r.Path)} query={Escape(r.Query)} fragment={Escape(r.Fragment)}");
            text.Append(CultureInfo.InvariantCulture, $" HTTP/{r.Major}.{r.Minor} scheme={r.Scheme} framing={r.Framing} length={r.ContentLength}");
            text.Append(CultureInfo.InvariantCulture, $" keep-alive={r.KeepAlive} continue={r.ExpectsContinue} must-close={r.MustClose} truncated={r.Truncated}\n");
            foreach ((string name, string value) in r.RawHeaders)
            {
                text.Append("  header ").Append(Escape(name)).Append(": ").Append(Escape(value)).Append('\n');
            }

            // Bodies are compared whole, through a digest; the start is shown to whoever reads a finding.
            text.Append(CultureInfo.InvariantCulture, $"  body {r.Body.Length} bytes, sha256 {Convert.ToHexString(SHA256.HashData(r.Body))}: ")
                .Append(Escape(r.Body, 128)).Append('\n');
            foreach ((string name, string value) in r.RawTrailers)
            {
                text.Append("  trailer ").Append(Escape(name)).Append(": ").Append(Escape(value)).Append('\n');
            }
        }

        // The detail is not compared: gunicorn's own texts name how many bytes were buffered when it gave up.
        text.Append(result.Rejection is null ? "end" : $"rejected {result.Rejection.Reason} in {result.RejectedIn}");
        return text.ToString();
    }

    /// <summary>
    /// The rules an accepted request must follow (HttpRequestParser.cs and HttpBodyDecoder.cs), checked on what the
    /// engine handed out; null when all hold.
    /// </summary>
    public static string? WellFormedness(DriverResult result, ConnectionSettings settings)
    {
        HttpParserOptions o = settings.Options;
        for (int index = 0; index < result.Requests.Count; index++)
        {
            ParsedRequest r = result.Requests[index];
            bool last = index == result.Requests.Count - 1;
            string? problem = Request(r, o, settings, last);
            if (problem is not null)
            {
                return $"request {index} ({Escape(r.Method)} {Escape(r.Target)}): {problem}";
            }
        }

        return null;
    }

    private static string? Request(ParsedRequest r, HttpParserOptions o, ConnectionSettings settings, bool last)
    {
        byte[] method = Latin1(r.Method);
        if (!IsToken(method))
        {
            return "the method is not a token";
        }

        if (!o.PermitUnconventionalHttpMethod && (method.Length is < 3 or > 20 || method.AsSpan().IndexOfAny(Unconventional) >= 0))
        {
            return "an unconventional method was accepted";
        }

        if (o.CasefoldHttpMethod && method.AsSpan().IndexOfAnyInRange((byte)'a', (byte)'z') >= 0)
        {
            return "the method was not upper-cased";
        }

        byte[] target = Latin1(r.Target);
        if (target.Length == 0 || target.AsSpan().IndexOfAnyInRange((byte)0x00, (byte)0x20) >= 0 || target.AsSpan().Contains((byte)0x7F))
        {
            return "the target is empty or holds a control, a space or DEL";
        }

        bool asterisk = r.Target == "*";
        if (asterisk && r.Method != "OPTIONS")
        {
            return "'*' with a method other than OPTIONS";
        }

        if (r.Method != "CONNECT" && !asterisk && target[0] != (byte)'/' && !r.Target.Contains("://", StringComparison.Ordinal))
        {
            return "an authority-form target without CONNECT";
        }

        if (!r.Target.Contains(r.Path, StringComparison.Ordinal) || !r.Target.Contains(r.Query, StringComparison.Ordinal)
            || !r.Target.Contains(r.Fragment, StringComparison.Ordinal) || r.Path.AsSpan().IndexOfAny('?', '#') >= 0 || r.Query.Contains('#', StringComparison.Ordinal))
        {
            return $"path '{Escape(r.Path)}', query '{Escape(r.Query)}' and fragment '{Escape(r.Fragment)}' do not split the target";
        }

        if (r.Major is < 0 or > 9 || r.Minor is < 0 or > 9 || (r.Major != 1 && !o.PermitUnconventionalHttpVersion))
        {
            return $"version {r.Major}.{r.Minor}";
        }

        if (o.LimitRequestLine > 0 && method.Length + 1 + target.Length + 1 + 8 > o.LimitRequestLine)
        {
            return "the request line is longer than LimitRequestLine";
        }

        string? fields = Fields(r.RawHeaders, o, settings, trailers: false);
        if (fields is not null)
        {
            return fields;
        }

        if (Count(r.RawHeaders, "Host") > 1 || Count(r.RawHeaders, "Content-Type") > 1)
        {
            return "a second Host or Content-Type";
        }

        bool http11 = r.Major > 1 || (r.Major == 1 && r.Minor >= 1);
        List<string> expects = Values(r.RawHeaders, "Expect");
        if (expects.Any(v => !v.Equals("100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            return "an Expect other than 100-continue";
        }

        if (r.ExpectsContinue != (http11 && expects.Count > 0))
        {
            return $"ExpectsContinue is {r.ExpectsContinue}";
        }

        string? framing = Framing(r, http11);
        if (framing is not null)
        {
            return framing;
        }

        string? scheme = Scheme(r, o, settings);
        if (scheme is not null)
        {
            return scheme;
        }

        if (r.Framing != HttpBodyFraming.Chunked && r.RawTrailers.Count > 0)
        {
            return "trailers on a body that is not chunked";
        }

        fields = Fields(r.RawTrailers, o, settings, trailers: true);
        if (fields is not null)
        {
            return "trailer: " + fields;
        }

        if (r.Truncated && (!last || r.Framing != HttpBodyFraming.ContentLength))
        {
            return "a body cut short that is not the last Content-Length body";
        }

        if (r.Framing == HttpBodyFraming.ContentLength && (r.Truncated ? r.Body.Length >= r.ContentLength : r.Body.Length != r.ContentLength))
        {
            return $"a {r.Body.Length}-byte body for Content-Length {r.ContentLength} (truncated {r.Truncated})";
        }

        if (o.LimitRequestBody > 0 && (r.Body.Length > o.LimitRequestBody || r.ContentLength > o.LimitRequestBody))
        {
            return $"a {r.Body.Length}-byte body (Content-Length {r.ContentLength}) above LimitRequestBody {o.LimitRequestBody}";
        }

        if (r.Framing == HttpBodyFraming.None && r.Body.Length != 0)
        {
            return "a body without framing";
        }

        return !last && !r.KeepAlive ? "a request after one that closes the connection" : null;
    }

    private static string? Fields(List<(string Name, string Value)> fields, HttpParserOptions o, ConnectionSettings settings, bool trailers)
    {
        if (fields.Count > o.LimitRequestFields)
        {
            return $"{fields.Count} fields, above LimitRequestFields {o.LimitRequestFields}";
        }

        foreach ((string nameText, string valueText) in fields)
        {
            byte[] name = Latin1(nameText);
            byte[] value = Latin1(valueText);
            if (!IsToken(name))
            {
                return $"field name '{Escape(nameText)}' is not a token";
            }

            // RFC 9110 5.5: no CR, LF, NUL or other control but HTAB, no DEL; stripped of SP/HTAB at both ends.
            if (value.AsSpan().IndexOfAnyInRange((byte)0x00, (byte)0x08) >= 0 || value.AsSpan().IndexOfAnyInRange((byte)0x0A, (byte)0x1F) >= 0
                || value.AsSpan().Contains((byte)0x7F))
            {
                return $"field '{Escape(nameText)}' has a control in its value '{Escape(valueText)}'";
            }

            // Each line's part is stripped. Folded parts are joined with single spaces as gunicorn does
            // (" ".join(parts)), so an empty first or last part leaves a space at that end: never a tab.
            bool foldedEdge(byte b) => o.PermitObsoleteFolding && b == (byte)' ';
            if (value.Length > 0 && ((value[0] is (byte)' ' or (byte)'\t' && !foldedEdge(value[0])) || (value[^1] is (byte)' ' or (byte)'\t' && !foldedEdge(value[^1]))))
            {
                return $"field '{Escape(nameText)}' value '{Escape(valueText)}' is not stripped";
            }

            if (name.Length + 1 + value.Length + 2 > o.LimitRequestFieldSize)
            {
                return $"field '{Escape(nameText)}' is larger than LimitRequestFieldSize {o.LimitRequestFieldSize}";
            }

            bool forwarder = !trailers && settings.PeerIsTrustedForwarder
                && (o.ForwarderHeaders.Contains("*") || o.ForwarderHeaders.Any(f => f.Equals(nameText, StringComparison.OrdinalIgnoreCase)));
            if (nameText.Contains('_', StringComparison.Ordinal) && o.HeaderMap != HeaderMapPolicy.Dangerous && !forwarder)
            {
                return $"underscore name '{Escape(nameText)}' kept with header map {o.HeaderMap}";
            }

            if (trailers && nameText.ToUpperInvariant() is "HOST" or "CONTENT-LENGTH" or "TRANSFER-ENCODING" or "TRAILER" or "AUTHORIZATION" or "TE")
            {
                return $"forbidden trailer '{Escape(nameText)}'";
            }
        }

        return null;
    }

    // Content-Length and Transfer-Encoding never both frame a body; chunked is last and only once, and only on HTTP/1.1;
    // a compression is always followed by chunked; keep-alive follows the rules.
    private static string? Framing(ParsedRequest r, bool http11)
    {
        List<string> lengths = Values(r.RawHeaders, "Content-Length");
        List<string> codings = [.. Values(r.RawHeaders, "Transfer-Encoding").SelectMany(v => v.Split(',')).Select(c => c.Trim(' ', '\t').ToUpperInvariant())];
        int chunkedCount = codings.Count(c => c == "CHUNKED");
        if (codings.Any(c => c is not ("CHUNKED" or "IDENTITY" or "GZIP" or "DEFLATE" or "COMPRESS")))
        {
            return "an unsupported transfer coding was accepted";
        }

        bool compressed = codings.Any(c => c is "GZIP" or "DEFLATE" or "COMPRESS");
        if (codings.Count > 0 && !http11)
        {
            return "Transfer-Encoding on HTTP/1.0 was accepted";
        }

        if (compressed && r.Framing != HttpBodyFraming.Chunked)
        {
            return "a compression without chunked last was accepted";
        }

        switch (r.Framing)
        {
            case HttpBodyFraming.Chunked:
                if (!http11 || lengths.Count != 0 || chunkedCount != 1 || codings[^1] != "CHUNKED")
                {
                    return "chunked framing with HTTP/1.0, a Content-Length, or chunked not once and last";
                }

                break;
            case HttpBodyFraming.ContentLength:
                if (chunkedCount != 0 || lengths.Count != 1 || !lengths[0].All(char.IsAsciiDigit) || lengths[0].Length == 0
                    || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length != r.ContentLength)
                {
                    return $"Content-Length framing ({r.ContentLength}) with fields [{string.Join("|", lengths)}] and codings [{string.Join("|", codings)}]";
                }

                break;
            default:
                if (chunkedCount != 0 || lengths.Count != 0 || r.ContentLength != 0)
                {
                    return "no framing despite Content-Length or chunked";
                }

                break;
        }

        if (r.MustClose != compressed)
        {
            return $"MustClose is {r.MustClose} with codings [{string.Join("|", codings)}]";
        }

        string? connection = Values(r.RawHeaders, "Connection").FirstOrDefault();
        bool keepAlive = !compressed
            && !string.Equals(connection, "close", StringComparison.OrdinalIgnoreCase)
            && (string.Equals(connection, "keep-alive", StringComparison.OrdinalIgnoreCase) || http11);
        return keepAlive == r.KeepAlive ? null : $"KeepAlive is {r.KeepAlive} with Connection '{connection}' on HTTP/{r.Major}.{r.Minor}";
    }

    private static string? Scheme(ParsedRequest r, HttpParserOptions o, ConnectionSettings settings)
    {
        string expected = settings.DefaultScheme;
        if (settings.PeerIsTrustedForwarder)
        {
            foreach ((string name, string value) in r.RawHeaders)
            {
                if (o.SecureSchemeHeaders.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } secure)
                {
                    expected = string.Equals(value, secure.Value, StringComparison.Ordinal) ? "https" : "http";
                }
            }
        }

        return r.Scheme == expected ? null : $"scheme {r.Scheme}, expected {expected}";
    }

    private static int Count(List<(string Name, string Value)> fields, string name) =>
        fields.Count(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static List<string> Values(List<(string Name, string Value)> fields, string name) =>
        [.. fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value)];

    private static bool IsToken(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && value.IndexOfAnyExcept(Token) < 0;

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static string Escape(string text) => Escape(Latin1(text), int.MaxValue);

    /// <summary>Printable ASCII as is, everything else (and '\') as \xNN; longer input is cut with its length noted.</summary>
    public static string Escape(ReadOnlySpan<byte> data, int max)
    {
        var text = new StringBuilder();
        foreach (byte b in data.Length > max ? data[..max] : data)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(b switch { (byte)'\r' => "\\r", (byte)'\n' => "\\n", (byte)'\t' => "\\t", _ => $"\\x{b:x2}" });
            }
        }

        return data.Length > max ? text.Append(CultureInfo.InvariantCulture, $"... ({data.Length} bytes)").ToString() : text.ToString();
    }
}
