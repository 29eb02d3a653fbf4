using System.Net;
using Xunit;

namespace ActorGunicorn.Http.Tests;

public sealed class IpAllowListTests
{
    [Theory]
    [InlineData("127.0.0.1,::1", "127.0.0.1", true)]
    [InlineData("127.0.0.1,::1", "::1", true)]
    [InlineData("127.0.0.1,::1", "127.0.0.2", false)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.4.0/22", "192.168.7.255", true)]
    [InlineData("192.168.4.0/22", "192.168.8.0", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData(" 10.0.0.1 ,,", "10.0.0.1", true)]
    [InlineData("*", "203.0.113.9", true)]
    [InlineData("", "127.0.0.1", false)]
    public void Addresses_and_networks_match_like_pythons_ipaddress(string list, string address, bool expected)
    {
        Assert.Equal(expected, IpAllowList.Parse(list).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.168.1.1/24", "192.168.1.1/24")]
    [InlineData("10.0.0.0/33", "10.0.0.0/33")]
    [InlineData("10.0.0.0/", "10.0.0.0/")]
    [InlineData("10.0.0.0/-1", "10.0.0.0/-1")]
    [InlineData("127.1", "127.1")]
    [InlineData("127.000.0.1", "127.000.0.1")]
    [InlineData("localhost", "localhost")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("fe80::1%eth0", "fe80::1%eth0")]
    [InlineData("1.2.3.4, 300.1.1.1", "300.1.1.1")]
    [InlineData("::1/129", "::1/129")]
    [InlineData("10.0.0.1, ,10.0.0.2", "")] // like Python's list: " " is kept, stripped, and refused
    public void Invalid_entries_throw_a_format_exception_naming_them(string list, string offending)
    {
        FormatException error = Assert.Throws<FormatException>(() => IpAllowList.Parse(list));
        Assert.StartsWith("'" + offending + "'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_star_allows_any_peer()
    {
        Assert.True(IpAllowList.Parse("10.0.0.1,*").AllowsAny);
        Assert.False(IpAllowList.Parse("10.0.0.1").AllowsAny);
    }
}
