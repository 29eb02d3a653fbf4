using System.Buffers.Binary;
using System.Text;
using ActorGunicorn.Http.Tests.Corpus;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>One input the mutators start from, with the connection settings it was written for.</summary>
internal sealed record FuzzSeed(string Name, byte[] Data, ConnectionSettings Settings)
{
    public override string ToString() => Name;
}

/// <summary>
/// The fuzzer's seeds: every file of gunicorn's request corpus and of the framing cases (Corpus/Framing: the funky
/// chunks and TE.TE smuggling shapes), valid and invalid, with its case's settings, then synthetic inputs for what
/// the corpus has little of: long header sections, many chunks, PROXY v1/v2 headers, pipelined requests. Ordered
/// deterministically, so an input seed names the same input on every machine.
/// </summary>
internal static class FuzzSeeds
{
    private static readonly Lazy<IReadOnlyList<FuzzSeed>> Seeds = new(Load);

    public static IReadOnlyList<FuzzSeed> All => Seeds.Value;

    private static List<FuzzSeed> Load()
    {
        var seeds = new List<FuzzSeed>();
        foreach (string name in CorpusCase.Names("valid").Concat(CorpusCase.Names("invalid")))
        {
            CorpusCase corpusCase = CorpusCase.Load(name);
            seeds.Add(new FuzzSeed(name, corpusCase.Data, ConnectionSettings.For(corpusCase)));
        }

        seeds.AddRange(Synthetic());
        return seeds;
    }

    private static IEnumerable<FuzzSeed> Synthetic()
    {
        var plain = new ConnectionSettings(HttpParserOptions.Default, false, true);
        var trusted = new ConnectionSettings(HttpParserOptions.Default, true, true);

        var longSection = new StringBuilder("GET /many-headers?x=1 HTTP/1.1\r\nHost: example.org\r\n");
        for (int i = 0; i < 150; i++)
        {
            longSection.Append("X-Header-").Append(i).Append(": value number ").Append(i).Append("\r\n");
        }

        yield return Seed("synthetic/long-header-section", longSection.Append("\r\n").ToString(), plain with { Options = new HttpParserOptions { LimitRequestFields = 200 } });

        var manyChunks = new StringBuilder("POST /chunks HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 1; i <= 120; i++)
        {
            int size = 1 + (i % 17);
            manyChunks.Append(size.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            if (i % 5 == 0)
            {
                manyChunks.Append(";ext").Append(i).Append("=\"v\"");
            }

            manyChunks.Append("\r\n").Append(new string((char)('a' + (i % 26)), size)).Append("\r\n");
        }

        yield return Seed("synthetic/many-chunks", manyChunks.Append("0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n").ToString(), plain);

        var proxyV1 = plain with { Options = new HttpParserOptions { ProxyProtocol = ProxyProtocolMode.V1 } };
        var proxyAuto = plain with { Options = new HttpParserOptions { ProxyProtocol = ProxyProtocolMode.Auto } };
        var proxyV2 = plain with { Options = new HttpParserOptions { ProxyProtocol = ProxyProtocolMode.V2 } };
        yield return Seed("synthetic/proxy-v1-tcp4", "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\nHost: example.org\r\n\r\n", proxyV1);
        yield return Seed("synthetic/proxy-v1-tcp6", "PROXY TCP6 2001:db8::1 ::ffff:10.0.0.1 65535 0\r\nPOST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", proxyAuto);

        byte[] request = Encoding.Latin1.GetBytes("GET /v2 HTTP/1.1\r\nHost: example.org\r\n\r\nGET /again HTTP/1.1\r\nConnection: close\r\n\r\n");
        yield return new FuzzSeed("synthetic/proxy-v2-inet", [.. ProxyV2(0x21, 0x11, [192, 0, 2, 1, 198, 51, 100, 7, 0x1F, 0x90, 0x01, 0xBB], withTlv: true), .. request], proxyV2);
        yield return new FuzzSeed(
            "synthetic/proxy-v2-inet6",
            [.. ProxyV2(0x21, 0x21, [.. Enumerable.Range(1, 32).Select(b => (byte)b), 0x00, 0x50, 0x00, 0x51], withTlv: false), .. request],
            proxyAuto);
        yield return new FuzzSeed("synthetic/proxy-v2-local", [.. ProxyV2(0x20, 0x00, [], withTlv: true), .. request], proxyV2);
        yield return new FuzzSeed("synthetic/proxy-v2-unspec", [.. ProxyV2(0x21, 0x01, [], withTlv: false), .. request], proxyAuto);

        yield return Seed(
            "synthetic/pipelined",
            "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
            + "PUT /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nwiki\r\n5;x=y\r\npedia\r\n0\r\nExpires: never\r\n\r\n"
            + "HEAD /four HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /five HTTP/1.1\r\nConnection: close\r\n\r\n",
            plain);
        yield return Seed(
            "synthetic/pipelined-http10",
            "GET /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabcPOST /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n",
            plain);
        yield return Seed(
            "synthetic/expect-continue",
            "POST /upload HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n0123456789",
            plain);
        yield return Seed(
            "synthetic/obs-fold",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: first\r\n  second\r\n\tthird\r\nX-Name : spaced\r\n\r\n",
            plain with { Options = new HttpParserOptions { PermitObsoleteFolding = true, StripHeaderSpaces = true } });
        yield return Seed(
            "synthetic/target-forms",
            "GET http://user@[::1]:8080/p/a?q=1#frag HTTP/1.1\r\n\r\nCONNECT example.org:443 HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\nGET //double/slash?x#y HTTP/1.1\r\nConnection: close\r\n\r\n",
            plain);
        yield return Seed(
            "synthetic/trusted-forwarder",
            "GET /f HTTP/1.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Ssl: on\r\nSCRIPT_NAME: /app\r\nX_Other: dropped\r\n\r\n",
            trusted);
        yield return Seed(
            "synthetic/large-body",
            "PUT /big HTTP/1.1\r\nContent-Length: 20000\r\n\r\n" + new string('z', 20000) + "GET /after HTTP/1.1\r\n\r\n",
            plain);
        yield return Seed(
            "synthetic/unconventional",
            "get /lower HTTP/1.1\r\nHost: a\r\n\r\nM-SEARCH /x HTTP/2.0\r\n\r\n",
            plain with { Options = new HttpParserOptions { PermitUnconventionalHttpMethod = true, PermitUnconventionalHttpVersion = true, CasefoldHttpMethod = true } });
    }

    private static FuzzSeed Seed(string name, string text, ConnectionSettings settings) => new(name, Encoding.Latin1.GetBytes(text), settings);

    private static byte[] ProxyV2(byte versionCommand, byte familyTransport, byte[] addresses, bool withTlv)
    {
        byte[] tlv = withTlv ? [0x04, 0x00, 0x03, (byte)'a', (byte)'b', (byte)'c'] : [];
        byte[] header = new byte[16 + addresses.Length + tlv.Length];
        "\r\n\r\n\0\r\nQUIT\n"u8.CopyTo(header);
        header[12] = versionCommand;
        header[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(addresses.Length + tlv.Length));
        addresses.CopyTo(header, 16);
        tlv.CopyTo(header, 16 + addresses.Length);
        return header;
    }
}
