using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>An application that fails during a request costs that request, never the worker.</summary>
public sealed class WsgiRequestErrorTests(ProbeFixture probe) : IClassFixture<ProbeFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = probe.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(probe.Server, _linesBefore);

    [Fact]
    public async Task An_exception_in_the_application_is_a_500_with_its_traceback_logged_and_the_same_worker_serves_on()
    {
        string pid = await PidAsync();
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var failed = await http.GetAsync("/raise");

        Assert.Equal(500, failed.Status);
        Assert.Equal("close", failed.Header("connection"));
        await probe.Server.WaitForLineAsync(l => l.Contains("[ERROR] Error handling request /raise", StringComparison.Ordinal));
        await probe.Server.WaitForLineAsync(l => l.Contains("probe_app.py\", line", StringComparison.Ordinal) && l.Contains("in raise_error", StringComparison.Ordinal));
        await probe.Server.WaitForLineAsync(l => l == "RuntimeError: the probe application failed on purpose");
        Assert.Equal(pid, await PidAsync());
    }

    [Fact]
    public async Task System_exit_in_a_request_is_a_500_and_the_worker_process_lives_on()
    {
        string pid = await PidAsync();
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var failed = await http.GetAsync("/exit");

        Assert.Equal(500, failed.Status);
        await probe.Server.WaitForLineAsync(l => l == "SystemExit: 3");
        Assert.Equal(pid, await PidAsync());
        Assert.Equal([probe.WorkerPid], probe.Server.WorkerPids);
    }

    [Fact]
    public async Task An_exception_after_the_first_block_aborts_the_chunked_body_and_the_next_request_succeeds()
    {
        string pid = await PidAsync();
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);
        await http.SendAsync("GET /raise-after-first-block HTTP/1.1\r\nHost: a\r\n\r\n");

        var head = await http.ReadHeadAsync();
        var first = await http.ReadChunkAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal("chunked", head.Header("transfer-encoding"));
        Assert.Equal("the first block", first);
        // No last chunk: the client can tell the body is incomplete.
        await Assert.ThrowsAnyAsync<IOException>(http.ReadChunkAsync);
        await probe.Server.WaitForLineAsync(l => l == "RuntimeError: the body failed after the first block");
        Assert.Equal(pid, await PidAsync());
    }

    private async Task<string> PidAsync()
    {
        var result = await Tools.CurlAsync("--fail", probe.Url("/pid"));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }
}
