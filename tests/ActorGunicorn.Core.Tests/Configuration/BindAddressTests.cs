using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8000", "127.0.0.1:8000")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    [InlineData("localhost", "localhost:8000")]
    [InlineData("Example.COM:443", "example.com:443")]
    [InlineData(":9000", "0.0.0.0:9000")]
    [InlineData("tcp://10.0.0.1:81", "10.0.0.1:81")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("[::1]", "[::1]:8000")]
    [InlineData("[0:0:0:0:0:0:0:1]:1", "[::1]:1")]
    [InlineData("[::]:0", "[::]:0")]
    [InlineData("unix:/run/app.sock", "unix:/run/app.sock")]
    [InlineData("unix:///run/app.sock", "unix:/run/app.sock")]
    [InlineData("unix:relative.sock", "unix:relative.sock")]
    [InlineData("fd://3", "fd://3")]
    [InlineData("example.com:65535", "example.com:65535")]
    public void An_address_parses_to_its_canonical_form(string text, string canonical)
    {
        var address = BindAddress.Parse(text);
        Assert.Equal(canonical, address.ToString());
        Assert.Equal(address, BindAddress.Parse(address.ToString()));
    }

    [Fact]
    public void Each_form_parses_to_its_own_type()
    {
        Assert.Equal(new TcpBindAddress("127.0.0.1", 8000), BindAddress.Parse("127.0.0.1"));
        Assert.Equal(new TcpBindAddress("::1", 80), BindAddress.Parse("[::1]:80"));
        Assert.True(((TcpBindAddress)BindAddress.Parse("[::1]:80")).IsIPv6);
        Assert.Equal(new UnixBindAddress("/tmp/s"), BindAddress.Parse("unix:/tmp/s"));
        Assert.Equal(new FileDescriptorBindAddress(3), BindAddress.Parse("fd://3"));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("host:65536", "the port must be a number from 0 to 65535")]
    [InlineData("host:-1", "the port must be a number from 0 to 65535")]
    [InlineData("host:http", "the port must be a number from 0 to 65535")]
    [InlineData("host:", "the port must be a number from 0 to 65535")]
    [InlineData("[::1", "missing ']' after the IPv6 address")]
    [InlineData("[::1]80", "only ':PORT' may follow ']'")]
    [InlineData("[127.0.0.1]:80", "'127.0.0.1' is not an IPv6 address")]
    [InlineData("::1", "write an IPv6 address in brackets, as [::1]:8000")]
    [InlineData("bad host:80", "'bad host' is not a host name or IP address")]
    [InlineData("unix:", "no path after unix:")]
    [InlineData("fd://x", "the file descriptor must be a non-negative number")]
    [InlineData("fd://-1", "the file descriptor must be a non-negative number")]
    public void A_bad_address_is_a_settings_error_naming_bind_and_the_text(string text, string reason)
    {
        var error = Assert.Throws<SettingsException>(() => BindAddress.Parse(text));
        Assert.Equal($"-b/--bind / actorgunicorn.bind: '{text}' is not a valid address: {reason}", error.Message);
        Assert.Equal("bind", error.SettingName);
        Assert.False(BindAddress.TryParse(text, out _));
    }
}
