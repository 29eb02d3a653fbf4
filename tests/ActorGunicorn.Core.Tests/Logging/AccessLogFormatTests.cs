using ActorGunicorn.Logging;
using Xunit;

namespace ActorGunicorn.Core.Tests.Logging;

public sealed class AccessLogFormatTests
{
    private sealed class Record : IAccessLogRecord
    {
        public string? RemoteAddress { get; init; } = "127.0.0.1";

        public string? BasicAuthUser { get; init; }

        public DateTimeOffset StartTime { get; init; } = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));

        public TimeSpan Duration { get; init; } = TimeSpan.FromMilliseconds(1234.5678);

        public string Method { get; init; } = "GET";

        public string RawTarget { get; init; } = "/a%20b?x=1";

        public string Path { get; init; } = "/a b";

        public string QueryString { get; init; } = "x=1";

        public string Protocol { get; init; } = "HTTP/1.1";

        public int StatusCode { get; init; } = 200;

        public long BytesSent { get; init; } = 13;

        public Dictionary<string, string> Request { get; } = new(StringComparer.OrdinalIgnoreCase) { ["User-Agent"] = "curl/7.88.1", ["X-Quote"] = "say \"hi\"" };

        public Dictionary<string, string> Response { get; } = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/plain" };

        public string? RequestHeader(string name) => Request.GetValueOrDefault(name);

        public string? ResponseHeader(string name) => Response.GetValueOrDefault(name);
    }

    [Fact]
    public void The_default_format_is_gunicorns_combined_log_line()
    {
        var line = AccessLogFormat.Parse(AccessLogFormat.Default).Render(new Record());

        Assert.Equal("127.0.0.1 - - [24/Nov/2026:10:02:03 +0100] \"GET /a%20b?x=1 HTTP/1.1\" 200 13 \"-\" \"curl/7.88.1\"", line);
    }

    [Theory]
    [InlineData("%(m)s %(U)s %(q)s %(H)s", "GET /a b x=1 HTTP/1.1")]
    [InlineData("%(s)s %(B)s %(b)s", "200 13 13")]
    [InlineData("%(T)s %(M)s %(D)s %(L)s", "1 1234 1234567 1.234568")]
    [InlineData("%({content-type}o)s %({user-agent}i)s %({x-missing}i)s", "text/plain curl/7.88.1 -")]
    [InlineData("%(nope)s 100%% %(u)s", "- 100% alice")]
    [InlineData("%({x-quote}i)s", "say \\\"hi\\\"")]
    public void Atoms_render_as_in_gunicorn(string format, string expected)
    {
        Assert.Equal(expected, AccessLogFormat.Parse(format).Render(new Record { BasicAuthUser = "alice" }));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(304)]
    [InlineData(404)]
    public void An_empty_body_prints_zero_in_both_b_and_capital_b_as_gunicorn_does(int status)
    {
        Assert.Equal($"{status} 0 0", AccessLogFormat.Parse("%(s)s %(B)s %(b)s").Render(new Record { StatusCode = status, BytesSent = 0 }));
    }

    [Fact]
    public void The_pid_atom_names_this_process()
    {
        Assert.Equal($"<{Environment.ProcessId}>", AccessLogFormat.Parse("%(p)s").Render(new Record()));
    }
}
