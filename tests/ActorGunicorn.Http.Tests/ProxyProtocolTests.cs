using System.Buffers;
using System.Net;
using Xunit;
using static ActorGunicorn.Http.Tests.ParserHarness;

namespace ActorGunicorn.Http.Tests;

public sealed class ProxyProtocolTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static (ProxyParseStatus Status, ProxyProtocolInfo? Info, HttpRejection? Rejection, long Consumed) Run(
        byte[] data, ProxyProtocolMode mode = ProxyProtocolMode.Auto, bool allowed = true)
    {
        var buffer = new ReadOnlySequence<byte>(data);
        ProxyParseStatus status = new ProxyProtocolParser(mode).TryParse(buffer, allowed, out ProxyProtocolInfo? info, out SequencePosition consumed, out _, out HttpRejection? rejection);
        return (status, info, rejection, buffer.Slice(buffer.Start, consumed).Length);
    }

    private static byte[] V2(byte versionCommand, byte familyTransport, params byte[] payload) =>
        [.. Signature, versionCommand, familyTransport, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    [Fact]
    public void A_v1_line_gives_the_client_and_proxy_addresses()
    {
        var (status, info, _, consumed) = Run(Bytes("PROXY TCP6 2001:db8::1 ::1 65535 0\r\nGET"));
        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(36, consumed);
        Assert.Equal(("TCP6", IPAddress.Parse("2001:db8::1"), 65535, IPAddress.IPv6Loopback, 0), (info!.Protocol, info.SourceAddress, info.SourcePort, info.DestinationAddress, info.DestinationPort));
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.04 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 ::1 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n")]
    [InlineData("PROXY TCP6 [::1] ::1 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n")]
    [InlineData("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n")]
    public void Malformed_v1_lines_are_refused(string line)
    {
        var (status, _, rejection, _) = Run(Bytes(line));
        Assert.Equal(ProxyParseStatus.Rejected, status);
        Assert.Equal(HttpRejectionReason.InvalidProxyLine, rejection!.Reason);
    }

    [Fact]
    public void A_v1_line_longer_than_the_spec_allows_is_refused_even_without_CRLF()
    {
        Assert.Equal(ProxyParseStatus.Incomplete, Run(Bytes("PROXY TCP4 " + new string('1', 95))).Status);
        Assert.Equal(ProxyParseStatus.Rejected, Run(Bytes("PROXY TCP4 " + new string('1', 96))).Status);
    }

    [Fact]
    public void A_v2_header_gives_the_addresses_and_skips_TLVs()
    {
        byte[] data = [.. V2(0x21, 0x11, 10, 0, 0, 1, 192, 168, 0, 1, 0x30, 0x39, 0x01, 0xBB, 0x04, 0x00, 0x01, 0xFF), .. "GET"u8];
        var (status, info, _, consumed) = Run(data);
        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(data.Length - 3, consumed);
        Assert.Equal(("TCP4", IPAddress.Parse("10.0.0.1"), 12345, IPAddress.Parse("192.168.0.1"), 443), (info!.Protocol, info.SourceAddress, info.SourcePort, info.DestinationAddress, info.DestinationPort));
    }

    [Fact]
    public void V2_local_and_unspec_carry_no_addresses()
    {
        Assert.Equal("LOCAL", Run(V2(0x20, 0x00)).Info!.Protocol);
        ProxyProtocolInfo unspec = Run(V2(0x21, 0x01)).Info!;
        Assert.Equal(("UNSPEC", null), (unspec.Protocol, unspec.SourceAddress));
    }

    [Theory]
    [InlineData(0x11, 0x11)] // version 1
    [InlineData(0x22, 0x11)] // command 2
    [InlineData(0x21, 0x12)] // DGRAM
    [InlineData(0x21, 0x31)] // AF_UNIX
    [InlineData(0x21, 0x21)] // INET6 with only 12 address bytes
    public void Malformed_v2_headers_are_refused(byte versionCommand, byte familyTransport)
    {
        var (status, _, rejection, _) = Run(V2(versionCommand, familyTransport, new byte[12]));
        Assert.Equal(ProxyParseStatus.Rejected, status);
        Assert.Equal(HttpRejectionReason.InvalidProxyHeader, rejection!.Reason);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", ProxyProtocolMode.Auto)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyProtocolMode.V2)]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", ProxyProtocolMode.Off)]
    [InlineData("PROXX", ProxyProtocolMode.Auto)]
    public void Input_without_an_accepted_header_is_plain_HTTP(string data, ProxyProtocolMode mode)
    {
        var (status, _, _, consumed) = Run(Bytes(data), mode);
        Assert.Equal((ProxyParseStatus.NotProxy, 0L), (status, consumed));
    }

    [Fact]
    public void V2_in_v1_mode_is_not_a_proxy_header_and_partial_signatures_wait()
    {
        Assert.Equal(ProxyParseStatus.NotProxy, Run(V2(0x20, 0x00), ProxyProtocolMode.V1).Status);
        Assert.Equal(ProxyParseStatus.Incomplete, Run(Signature[..11]).Status);
        Assert.Equal(ProxyParseStatus.Incomplete, Run(Bytes("PROX")).Status);
        Assert.Equal(ProxyParseStatus.Incomplete, Run(V2(0x21, 0x11, new byte[12])[..20]).Status);
    }

    [Fact]
    public void A_peer_outside_proxy_allow_ips_is_forbidden()
    {
        var (status, _, rejection, _) = Run(Bytes("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), allowed: false);
        Assert.Equal(ProxyParseStatus.Rejected, status);
        Assert.Equal((HttpRejectionReason.ForbiddenProxyRequest, 403, "Forbidden"), (rejection!.Reason, rejection.StatusCode, rejection.ReasonPhrase));
        Assert.Equal(ProxyParseStatus.NotProxy, Run(Bytes("GET / HTTP/1.1\r\n\r\n"), allowed: false).Status);
    }
}
