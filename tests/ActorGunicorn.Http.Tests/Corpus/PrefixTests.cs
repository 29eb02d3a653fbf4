using System.Buffers;
using Xunit;

namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>Every proper prefix of a valid request is Incomplete and consumes nothing (Kestrel's and h11's test idea).</summary>
public sealed class PrefixTests
{
    public static TheoryData<string> ValidNames => [.. CorpusCase.Names("valid")];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Every_proper_prefix_of_the_first_request_is_incomplete(string name)
    {
        CorpusCase corpusCase = CorpusCase.Load(name);
        byte[] data = corpusCase.Data;
        int start = ProxyHeaderLength(corpusCase, data);
        int headEnd = HeadEnd(corpusCase, data[start..]) + start;

        for (int length = start; length < headEnd; length++)
        {
            var parser = new HttpRequestParser(corpusCase.Options, corpusCase.PeerIsTrustedForwarder);
            var buffer = new ReadOnlySequence<byte>(data, start, length - start);
            HttpParseStatus status = parser.TryParseHead(buffer, new HttpRequestHead(), out SequencePosition consumed, out SequencePosition examined, out _);
            Assert.Equal(HttpParseStatus.Incomplete, status);
            Assert.Equal(buffer.Start, consumed);
            Assert.Equal(buffer.End, examined);
        }

        // The body: a decoder never reports Complete before the last byte of the body has arrived.
        var head = new HttpRequestHead();
        new HttpRequestParser(corpusCase.Options, corpusCase.PeerIsTrustedForwarder)
            .TryParseHead(new ReadOnlySequence<byte>(data, start, data.Length - start), head, out _, out _, out _);
        int bodyEnd = BodyEnd(corpusCase, head, data, headEnd);
        for (int length = headEnd; length < bodyEnd; length++)
        {
            var decoder = new HttpBodyDecoder(corpusCase.Options);
            decoder.Reset(head);
            var buffer = new ReadOnlySequence<byte>(data, headEnd, length - headEnd);
            HttpBodyStatus status;
            while ((status = decoder.Decode(buffer, out _, out SequencePosition consumed, out _, out _)) == HttpBodyStatus.Data)
            {
                buffer = buffer.Slice(consumed);
            }

            Assert.Equal(HttpBodyStatus.NeedMoreData, status);
        }
    }

    private static int ProxyHeaderLength(CorpusCase corpusCase, byte[] data)
    {
        var proxy = new ProxyProtocolParser(corpusCase.Options.ProxyProtocol);
        var full = new ReadOnlySequence<byte>(data);
        if (proxy.TryParse(full, true, out _, out SequencePosition end, out _, out _) != ProxyParseStatus.Complete)
        {
            return 0;
        }

        int length = (int)full.Slice(full.Start, end).Length;
        for (int prefix = 0; prefix < length; prefix++)
        {
            Assert.Equal(ProxyParseStatus.Incomplete, proxy.TryParse(new ReadOnlySequence<byte>(data, 0, prefix), true, out _, out _, out _, out _));
        }

        return length;
    }

    private static int HeadEnd(CorpusCase corpusCase, byte[] data)
    {
        var buffer = new ReadOnlySequence<byte>(data);
        var parser = new HttpRequestParser(corpusCase.Options, corpusCase.PeerIsTrustedForwarder);
        Assert.Equal(HttpParseStatus.Complete, parser.TryParseHead(buffer, new HttpRequestHead(), out SequencePosition consumed, out _, out _));
        return (int)buffer.Slice(buffer.Start, consumed).Length;
    }

    private static int BodyEnd(CorpusCase corpusCase, HttpRequestHead head, byte[] data, int headEnd)
    {
        var decoder = new HttpBodyDecoder(corpusCase.Options);
        decoder.Reset(head);
        var buffer = new ReadOnlySequence<byte>(data, headEnd, data.Length - headEnd);
        while (true)
        {
            HttpBodyStatus status = decoder.Decode(buffer, out _, out SequencePosition consumed, out _, out _);
            buffer = buffer.Slice(consumed);
            if (status != HttpBodyStatus.Data)
            {
                // A body cut short by the case itself (valid/099) ends with the data.
                return data.Length - (int)buffer.Length;
            }
        }
    }
}
