using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// Where a WSGI application is mounted, as gunicorn 22+ decides it (wsgi.create): <c>os.environ["SCRIPT_NAME"]</c>,
/// or a <c>SCRIPT_NAME</c> header from a trusted front end (nginx's <c>proxy_set_header SCRIPT_NAME /app</c>); the
/// request's path must start with it, and PATH_INFO is the rest. With the default settings 127.0.0.1 is a trusted front
/// end (forwarded_allow_ips).
/// </summary>
public sealed class ScriptNameTests(ProbeFixture app) : IClassFixture<ProbeFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = app.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(app.Server, _linesBefore);

    [Theory]
    [InlineData("SCRIPT_NAME")]
    [InlineData("script_name")]
    public async Task A_script_name_header_from_a_trusted_peer_becomes_script_name_and_leaves_path_info(string headerName)
    {
        var environ = await app.EnvironAsync($"GET /app/caf%C3%A9?q=1 HTTP/1.1\r\nHost: test\r\n{headerName}: /app\r\n\r\n");

        Assert.Equal("/app", environ.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("/caf\u00c3\u00a9", environ.GetProperty("PATH_INFO").GetString());
        Assert.Equal("/app/caf%C3%A9?q=1", environ.GetProperty("RAW_URI").GetString());
        // gunicorn maps the header as every other one too.
        Assert.Equal("/app", environ.GetProperty("HTTP_SCRIPT_NAME").GetString());
    }

    [Fact]
    public async Task A_script_name_header_spelled_with_a_dash_is_an_ordinary_header()
    {
        var environ = await app.EnvironAsync("GET /app/x HTTP/1.1\r\nHost: test\r\nScript-Name: /app\r\n\r\n");

        Assert.Equal("", environ.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("/app/x", environ.GetProperty("PATH_INFO").GetString());
        Assert.Equal("/app", environ.GetProperty("HTTP_SCRIPT_NAME").GetString());
    }

    [Fact]
    public async Task A_path_outside_the_trusted_script_name_header_gets_gunicorns_500_page_and_the_worker_serves_on()
    {
        var result = await Tools.CurlAsync("--include", "--header", "SCRIPT_NAME: /app", app.Url("/other/page"));

        await AssertConfigurationProblemAsync(app.Server, result, "/other/page", "/app");
        var inside = await Tools.CurlAsync("--header", "SCRIPT_NAME: /app", app.Url("/app/pid"));
        Assert.Equal(Wsgi.Invariant(app.WorkerPid), inside.StandardOutput);
    }

    /// <summary>
    /// gunicorn's ConfigurationProblem: status 500 (its handle_error keeps the "Bad Request" reason phrase there, a
    /// slip; the status is what clients and logs see), the message on its error page, a warning, and the application
    /// is not called.
    /// </summary>
    internal static async Task AssertConfigurationProblemAsync(ServerUnderTest server, ToolResult result, string path, string scriptName)
    {
        Assert.True(result.ExitCode == 0, result.StandardError);
        var response = result.StandardOutput;
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: text/html\r\n", response, StringComparison.Ordinal);
        Assert.Contains(
            $"Configuration problem: Request path &#x27;{path}&#x27; does not start with SCRIPT_NAME &#x27;{scriptName}&#x27;",
            response, StringComparison.Ordinal);
        await server.WaitForLineAsync(l => l.Contains(
            $"[WARNING] Invalid request from ip=127.0.0.1: Configuration problem: Request path '{path}' does not start with SCRIPT_NAME '{scriptName}'",
            StringComparison.Ordinal));
    }
}

/// <summary>SCRIPT_NAME under settings that need a server of their own.</summary>
public sealed class ScriptNameSettingsTests
{
    [Fact]
    public async Task With_script_name_in_the_environment_a_path_outside_it_gets_gunicorns_500_page_and_the_worker_serves_on()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "-e", "SCRIPT_NAME=/app"));

        var outside = await Tools.CurlAsync("--include", $"http://127.0.0.1:{server.Port}/other");
        var inside = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/app/pid");

        await ScriptNameTests.AssertConfigurationProblemAsync(server, outside, "/other", "/app");
        Assert.Equal(Wsgi.Invariant(server.WorkerPids.Single()), inside.StandardOutput);
        Wsgi.AssertValidatorWasSilent(server);
    }

    [Fact]
    public async Task A_script_name_header_from_a_peer_outside_forwarded_allow_ips_is_dropped()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "--forwarded-allow-ips", "10.0.0.1"));

        var result = await Tools.CurlAsync("--fail", "--header", "SCRIPT_NAME: /app", $"http://127.0.0.1:{server.Port}/app/x");
        Assert.True(result.ExitCode == 0, $"{result.StandardError}\n{server.Output}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        var environ = json.RootElement;

        Assert.Equal("", environ.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("/app/x", environ.GetProperty("PATH_INFO").GetString());
        Assert.False(environ.TryGetProperty("HTTP_SCRIPT_NAME", out _));
        Wsgi.AssertValidatorWasSilent(server);
    }
}
