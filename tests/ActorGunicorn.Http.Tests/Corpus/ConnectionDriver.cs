using System.Buffers;
using Xunit;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>A request as the driver saw it, with the fields gunicorn's harness compares.</summary>
internal sealed record ParsedRequest(
    string Method, string Target, string Path, string Query, string Fragment, int Major, int Minor,
    List<(string Name, string Value)> Headers, byte[] Body, List<(string Name, string Value)> Trailers);

/// <summary>The result of driving one connection: the requests read, and the rejection that ended it, if any.</summary>
internal sealed record DriverResult(List<ParsedRequest> Requests, HttpRejection? Rejection);

/// <summary>
/// Plays a socket loop over the engine: appends each received slice to the input, runs the PROXY parser (first
/// request only), the head parser and the body decoder, advances past what they consume, and stops after a response
/// whose request does not keep the connection alive, or at end of input. Also checks the Incomplete contract.
/// </summary>
internal static class ConnectionDriver
{
    private enum Stage
    {
        Proxy,
        Head,
        Body,
    }

    public static DriverResult Run(CorpusCase corpusCase, IEnumerable<byte[]> slices, bool segmented, int maxPayloadSlice = int.MaxValue)
    {
        var input = new TestInput(segmented);
        var proxy = new ProxyProtocolParser(corpusCase.Options.ProxyProtocol);
        var parser = new HttpRequestParser(corpusCase.Options, corpusCase.PeerIsTrustedForwarder, "http");
        var head = new HttpRequestHead();
        var decoder = new HttpBodyDecoder(corpusCase.Options) { MaxPayloadSliceLength = maxPayloadSlice };
        var requests = new List<ParsedRequest>();
        var body = new List<byte>();
        Stage stage = corpusCase.Options.ProxyProtocol == ProxyProtocolMode.Off ? Stage.Proxy + 1 : Stage.Proxy;

        foreach (byte[]? slice in slices.Append(null))
        {
            bool endOfInput = slice is null;
            if (slice is not null)
            {
                input.Append(slice);
            }

            while (true)
            {
                ReadOnlySequence<byte> buffer = input.Buffer;
                SequencePosition consumed;
                HttpRejection? rejection;
                if (stage == Stage.Proxy)
                {
                    switch (proxy.TryParse(buffer, corpusCase.PeerMayUseProxyProtocol, out _, out consumed, out _, out rejection))
                    {
                        case ProxyParseStatus.Incomplete:
                            AssertNothingConsumed(buffer, consumed);
                            if (endOfInput)
                            {
                                return Fail(requests, HttpRejectionReason.NoMoreData);
                            }

                            break;
                        case ProxyParseStatus.NotProxy:
                            stage = Stage.Head;
                            continue;
                        case ProxyParseStatus.Complete:
                            input.Consume(buffer, consumed);
                            stage = Stage.Head;
                            continue;
                        default:
                            return new DriverResult(requests, rejection);
                    }
                }
                else if (stage == Stage.Head)
                {
                    if (endOfInput && buffer.IsEmpty)
                    {
                        return new DriverResult(requests, null); // the client closed between requests
                    }

                    switch (parser.TryParseHead(buffer, head, out consumed, out _, out rejection))
                    {
                        case HttpParseStatus.Incomplete:
                            AssertNothingConsumed(buffer, consumed);
                            if (endOfInput)
                            {
                                return Fail(requests, HttpRejectionReason.NoMoreData);
                            }

                            break;
                        case HttpParseStatus.Complete:
                            input.Consume(buffer, consumed);
                            decoder.Reset(head);
                            body.Clear();
                            stage = Stage.Body;
                            continue;
                        default:
                            return new DriverResult(requests, rejection);
                    }
                }
                else
                {
                    switch (decoder.Decode(buffer, out ReadOnlySequence<byte> payload, out consumed, out _, out rejection))
                    {
                        case HttpBodyStatus.Data:
                            Assert.InRange(payload.Length, 1, maxPayloadSlice);
                            body.AddRange(payload.ToArray());
                            input.Consume(buffer, consumed);
                            continue;
                        case HttpBodyStatus.Complete:
                            input.Consume(buffer, consumed);
                            requests.Add(Snapshot(head, [.. body]));
                            if (!head.KeepAlive)
                            {
                                return new DriverResult(requests, null);
                            }

                            stage = Stage.Head;
                            continue;
                        case HttpBodyStatus.NeedMoreData:
                            input.Consume(buffer, consumed);
                            if (endOfInput)
                            {
                                rejection = decoder.OnEndOfInput();
                                if (rejection is null)
                                {
                                    requests.Add(Snapshot(head, [.. body])); // a Content-Length body cut short
                                }

                                return new DriverResult(requests, rejection);
                            }

                            break;
                        default:
                            return new DriverResult(requests, rejection);
                    }
                }

                break;
            }
        }

        throw new InvalidOperationException("unreachable: end of input always ends the loop");
    }

    private static DriverResult Fail(List<ParsedRequest> requests, HttpRejectionReason reason) =>
        new(requests, new HttpRejection(reason, "end of input"));

    private static void AssertNothingConsumed(in ReadOnlySequence<byte> buffer, SequencePosition consumed) =>
        Assert.Equal(0, buffer.Slice(buffer.Start, consumed).Length);

    private static ParsedRequest Snapshot(HttpRequestHead head, byte[] body) => new(
        head.Method, head.RawTarget, head.Path, head.Query, head.Fragment, head.VersionMajor, head.VersionMinor,
        Fields(head.Headers), body, Fields(head.Trailers));

    private static List<(string, string)> Fields(HttpHeaderFields fields)
    {
        var list = new List<(string, string)>();
        foreach (HttpHeaderField field in fields)
        {
            list.Add((field.Name.ToUpperInvariant(), field.Value));
        }

        return list;
    }
}
