using System.Text;
using ActorGunicorn.Wsgi.Hosting;
using Xunit;

namespace ActorGunicorn.Core.Tests.Wsgi;

public sealed class EnvironBlobTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a%20b?x=%20", "/a b")]
    [InlineData("/caf%C3%A9", "/caf\u00c3\u00a9")]
    [InlineData("/50%", "/50%")]
    [InlineData("/%zz%4", "/%zz%4")]
    [InlineData("/p#fragment", "/p")]
    [InlineData("http://example.com/abs/path?q=1", "/abs/path")]
    [InlineData("http://example.com", "")]
    [InlineData("*", "*")]
    [InlineData("///keeping_slashes", "///keeping_slashes")]
    public void PATH_INFO_is_the_percent_decoded_path_read_as_latin_1(string rawTarget, string expected)
    {
        Assert.Equal(expected, Encoding.Latin1.GetString(EnvironBlob.DecodePath(rawTarget)));
    }
}
