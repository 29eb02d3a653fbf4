using System.Buffers;
using Xunit;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// A request as the driver saw it: the fields gunicorn's harness compares (<see cref="Headers"/> and
/// <see cref="Trailers"/> with upper-cased names, as gunicorn reports them), then the rest of the head as the engine
/// decided it (names as received, framing, keep-alive), which the fuzz harness compares and checks.
/// </summary>
internal sealed record ParsedRequest(
    string Method, string Target, string Path, string Query, string Fragment, int Major, int Minor,
    List<(string Name, string Value)> Headers, byte[] Body, List<(string Name, string Value)> Trailers)
{
    public List<(string Name, string Value)> RawHeaders { get; init; } = [];

    public List<(string Name, string Value)> RawTrailers { get; init; } = [];

    public string Scheme { get; init; } = "http";

    public HttpBodyFraming Framing { get; init; }

    public long ContentLength { get; init; }

    public bool KeepAlive { get; init; }

    public bool ExpectsContinue { get; init; }

    public bool MustClose { get; init; }

    /// <summary>End of input cut this request's Content-Length body short (<see cref="HttpBodyDecoder.IsTruncated"/>).</summary>
    public bool Truncated { get; init; }
}

/// <summary>Where in a connection the engine refused the input.</summary>
internal enum DriverStage
{
    Proxy,
    Head,
    Body,
}

/// <summary>The result of driving one connection: the requests read, and the rejection that ended it, if any.</summary>
internal sealed record DriverResult(List<ParsedRequest> Requests, HttpRejection? Rejection)
{
    /// <summary>The PROXY header read before the first request, if any.</summary>
    public ProxyProtocolInfo? Proxy { get; init; }

    /// <summary>The stage that refused the input (meaningful only with a <see cref="Rejection"/>).</summary>
    public DriverStage RejectedIn { get; init; }

    /// <summary>True when the driver gave up because the engine stopped making progress (see <see cref="DriveLimits.StepBudget"/>).</summary>
    public bool BudgetExhausted { get; init; }

    /// <summary>Turns of the driver's loop: engine calls plus waits for more input.</summary>
    public long Steps { get; init; }

    /// <summary>Engine calls made.</summary>
    public long EngineCalls { get; init; }

    /// <summary>Bytes the engine allocated on this thread, measured around each engine call only (the driver's own bookkeeping is excluded).</summary>
    public long EngineAllocatedBytes { get; init; }

    /// <summary>Bytes looked at by the head parser's and body decoder's searches (their internal work counters).</summary>
    public long BytesScanned { get; init; }
}

/// <summary>Who the peer is, as a listener sees it: everything the engine is configured with for one connection.</summary>
internal sealed record ConnectionSettings(
    HttpParserOptions Options, bool PeerIsTrustedForwarder, bool PeerMayUseProxyProtocol, string DefaultScheme = "http")
{
    public static ConnectionSettings For(CorpusCase corpusCase) =>
        new(corpusCase.Options, corpusCase.PeerIsTrustedForwarder, corpusCase.PeerMayUseProxyProtocol);
}

/// <summary>Knobs of one drive that do not change what the engine is asked, only how it is watched.</summary>
internal sealed class DriveLimits
{
    public static readonly DriveLimits None = new();

    /// <summary>The decoder's <see cref="HttpBodyDecoder.MaxPayloadSliceLength"/>.</summary>
    public int MaxPayloadSlice { get; init; } = int.MaxValue;

    /// <summary>
    /// The most turns of the driver's loop before it declares that the engine stopped making progress. Every turn
    /// consumes input, moves to another stage, waits for the next slice or ends the connection, so a budget
    /// proportional to the input length plus the number of slices is never reached by a working engine.
    /// </summary>
    public long StepBudget { get; init; } = long.MaxValue;

    /// <summary>Called with each completed request's head, before the next head is parsed into it.</summary>
    public Action<HttpRequestHead>? OnRequest { get; init; }
}

/// <summary>
/// Plays a socket loop over the engine: appends each received slice to the input, runs the PROXY parser (first
/// request only), the head parser and the body decoder, advances past what they consume, and stops after a response
/// whose request does not keep the connection alive, or at end of input. Also checks the engine's contract on each
/// call: Incomplete consumes nothing, a rejection comes with a reason, a payload slice is within bounds.
/// </summary>
internal static class ConnectionDriver
{
    public static DriverResult Run(CorpusCase corpusCase, IEnumerable<byte[]> slices, bool segmented, int maxPayloadSlice = int.MaxValue) =>
        Run(ConnectionSettings.For(corpusCase), slices, segmented, maxPayloadSlice == int.MaxValue ? DriveLimits.None : new DriveLimits { MaxPayloadSlice = maxPayloadSlice });

    public static DriverResult Run(ConnectionSettings settings, IEnumerable<byte[]> slices, bool segmented, DriveLimits limits)
    {
        long allocated = 0;
        long engineCalls = 0;
        long mark = GC.GetAllocatedBytesForCurrentThread();
        var proxy = new ProxyProtocolParser(settings.Options.ProxyProtocol);
        var parser = new HttpRequestParser(settings.Options, settings.PeerIsTrustedForwarder, settings.DefaultScheme);
        var head = new HttpRequestHead();
        var decoder = new HttpBodyDecoder(settings.Options) { MaxPayloadSliceLength = limits.MaxPayloadSlice };
        allocated += GC.GetAllocatedBytesForCurrentThread() - mark;

        var input = new TestInput(segmented);
        var requests = new List<ParsedRequest>();
        var body = new List<byte>();
        ProxyProtocolInfo? proxyInfo = null;
        DriverStage stage = settings.Options.ProxyProtocol == ProxyProtocolMode.Off ? DriverStage.Head : DriverStage.Proxy;
        long steps = 0;

        DriverResult End(HttpRejection? rejection, bool budgetExhausted = false) => new(requests, rejection)
        {
            Proxy = proxyInfo,
            RejectedIn = stage,
            BudgetExhausted = budgetExhausted,
            Steps = steps,
            EngineCalls = engineCalls,
            EngineAllocatedBytes = allocated,
            BytesScanned = parser.BytesScanned + decoder.BytesScanned,
        };

        void Completed(bool truncated)
        {
            requests.Add(Snapshot(head, [.. body], truncated));
            limits.OnRequest?.Invoke(head);
        }

        foreach (byte[]? slice in slices.Append(null))
        {
            bool endOfInput = slice is null;
            if (slice is not null)
            {
                input.Append(slice);
            }

            while (true)
            {
                if (++steps > limits.StepBudget)
                {
                    return End(null, budgetExhausted: true);
                }

                ReadOnlySequence<byte> buffer = input.Buffer;
                SequencePosition consumed;
                HttpRejection? rejection;
                engineCalls++;
                if (stage == DriverStage.Proxy)
                {
                    mark = GC.GetAllocatedBytesForCurrentThread();
                    ProxyParseStatus status = proxy.TryParse(buffer, settings.PeerMayUseProxyProtocol, out ProxyProtocolInfo? info, out consumed, out _, out rejection);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - mark;
                    switch (status)
                    {
                        case ProxyParseStatus.Incomplete:
                            AssertNothingConsumed(buffer, consumed, rejection);
                            if (endOfInput)
                            {
                                return End(Fail(HttpRejectionReason.NoMoreData));
                            }

                            break;
                        case ProxyParseStatus.NotProxy:
                            AssertNothingConsumed(buffer, consumed, rejection);
                            stage = DriverStage.Head;
                            continue;
                        case ProxyParseStatus.Complete:
                            Assert.Null(rejection);
                            Assert.NotNull(info);
                            proxyInfo = info;
                            input.Consume(buffer, consumed);
                            stage = DriverStage.Head;
                            continue;
                        default:
                            Assert.Equal(ProxyParseStatus.Rejected, status);
                            Assert.NotNull(rejection);
                            return End(rejection);
                    }
                }
                else if (stage == DriverStage.Head)
                {
                    if (endOfInput && buffer.IsEmpty)
                    {
                        return End(null); // the client closed between requests
                    }

                    mark = GC.GetAllocatedBytesForCurrentThread();
                    HttpParseStatus status = parser.TryParseHead(buffer, head, out consumed, out _, out rejection);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - mark;
                    switch (status)
                    {
                        case HttpParseStatus.Incomplete:
                            AssertNothingConsumed(buffer, consumed, rejection);
                            if (endOfInput)
                            {
                                return End(Fail(HttpRejectionReason.NoMoreData));
                            }

                            break;
                        case HttpParseStatus.Complete:
                            Assert.Null(rejection);
                            Assert.InRange(buffer.Slice(buffer.Start, consumed).Length, 1, buffer.Length);
                            input.Consume(buffer, consumed);
                            decoder.Reset(head);
                            body.Clear();
                            stage = DriverStage.Body;
                            continue;
                        default:
                            Assert.Equal(HttpParseStatus.Rejected, status);
                            Assert.NotNull(rejection);
                            return End(rejection);
                    }
                }
                else
                {
                    mark = GC.GetAllocatedBytesForCurrentThread();
                    HttpBodyStatus status = decoder.Decode(buffer, out ReadOnlySequence<byte> payload, out consumed, out _, out rejection);
                    allocated += GC.GetAllocatedBytesForCurrentThread() - mark;
                    switch (status)
                    {
                        case HttpBodyStatus.Data:
                            Assert.Null(rejection);
                            Assert.InRange(payload.Length, 1, limits.MaxPayloadSlice);
                            body.AddRange(payload.ToArray());
                            input.Consume(buffer, consumed);
                            continue;
                        case HttpBodyStatus.Complete:
                            Assert.Null(rejection);
                            input.Consume(buffer, consumed);
                            Completed(truncated: false);
                            if (!head.KeepAlive)
                            {
                                return End(null);
                            }

                            stage = DriverStage.Head;
                            continue;
                        case HttpBodyStatus.NeedMoreData:
                            Assert.Null(rejection);
                            input.Consume(buffer, consumed);
                            if (endOfInput)
                            {
                                mark = GC.GetAllocatedBytesForCurrentThread();
                                rejection = decoder.OnEndOfInput();
                                allocated += GC.GetAllocatedBytesForCurrentThread() - mark;
                                if (rejection is null)
                                {
                                    Assert.True(decoder.IsComplete && decoder.IsTruncated, "a body ended by end of input is a truncated Content-Length body");
                                    Completed(truncated: true); // a Content-Length body cut short
                                }

                                return End(rejection);
                            }

                            break;
                        default:
                            Assert.Equal(HttpBodyStatus.Rejected, status);
                            Assert.NotNull(rejection);
                            return End(rejection);
                    }
                }

                break;
            }
        }

        throw new InvalidOperationException("unreachable: end of input always ends the loop");
    }

    private static HttpRejection Fail(HttpRejectionReason reason) => new(reason, "end of input");

    private static void AssertNothingConsumed(in ReadOnlySequence<byte> buffer, SequencePosition consumed, HttpRejection? rejection)
    {
        Assert.Equal(0, buffer.Slice(buffer.Start, consumed).Length);
        Assert.Null(rejection);
    }

    private static ParsedRequest Snapshot(HttpRequestHead head, byte[] body, bool truncated) => new(
        head.Method, head.RawTarget, head.Path, head.Query, head.Fragment, head.VersionMajor, head.VersionMinor,
        Fields(head.Headers, upper: true), body, Fields(head.Trailers, upper: true))
    {
        RawHeaders = Fields(head.Headers, upper: false),
        RawTrailers = Fields(head.Trailers, upper: false),
        Scheme = head.Scheme,
        Framing = head.BodyFraming,
        ContentLength = head.ContentLength,
        KeepAlive = head.KeepAlive,
        ExpectsContinue = head.ExpectsContinue,
        MustClose = head.MustClose,
        Truncated = truncated,
    };

    private static List<(string, string)> Fields(HttpHeaderFields fields, bool upper)
    {
        var list = new List<(string, string)>();
        foreach (HttpHeaderField field in fields)
        {
            list.Add((upper ? field.Name.ToUpperInvariant() : field.Name, field.Value));
        }

        return list;
    }
}
