using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// gunicorn's <c>--reload</c>: saving the application's code replaces the workers, new ones first; a save that breaks
/// the import leaves the old workers serving, with the traceback in the log, so development survives a typo.
/// </summary>
public sealed class CodeReloadTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-reload-").FullName;

    public CodeReloadTests() => WriteApp("v1");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string AppFile => Path.Combine(_directory, "versioned_app.py");

    [Fact]
    public async Task Saving_the_code_reloads_the_workers_and_a_broken_save_keeps_the_old_ones_serving()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["--python", Wsgi.SystemPython, "--chdir", _directory, "--reload", "-w", "2", "-b", "127.0.0.1:0", "versioned_app:application"], workers: 2);
        Assert.Equal("v1", await GetAsync(server));
        Assert.DoesNotContain(server.Lines, l => l.Contains("[WARNING]", StringComparison.Ordinal));

        var first = server.WorkerPids.ToList();
        WriteApp("v2");
        await server.WaitForLineAsync(l => l.Contains($"Worker reloading: {AppFile} modified", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 2 serves", StringComparison.Ordinal), Patience);
        await WaitForExitAsync(first, server);
        Assert.Equal("v2", await GetAsync(server));

        var second = server.WorkerPids.Except(first).ToList();
        Save("def application(environ, start_response)\n    return []\n");
        await server.WaitForLineAsync(l => l.Contains("Reload to generation 3 abandoned", StringComparison.Ordinal), Patience);
        Assert.Contains(server.Lines, l => l.Contains("SyntaxError", StringComparison.Ordinal));
        Assert.All(second, pid => Assert.True(ProcessInfo.IsAlive(pid), $"worker {pid} of the working code died\n{server.Output}"));
        Assert.Equal("v2", await GetAsync(server));

        WriteApp("v3");
        await server.WaitForLineAsync(l => l.Contains("Reload complete: generation 4 serves", StringComparison.Ordinal), Patience);
        await WaitForExitAsync(second, server);
        Assert.Equal("v3", await GetAsync(server));
        Assert.False(server.HasExited, server.Output);
    }

    private void WriteApp(string version) => Save($$"""
        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"{{version}}"]
        """);

    // As editors save: a new file renamed over the old, so the watcher never sees the file half written (a truncated
    // file read by a slow reload would be one more, failed, generation).
    private void Save(string text)
    {
        var temporary = AppFile + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, AppFile, overwrite: true);
    }

    private static async Task<string> GetAsync(ServerUnderTest server) =>
        (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput;

    // A replaced worker finishes what it holds and exits; until then it may still take a new connection.
    private static async Task WaitForExitAsync(IEnumerable<int> workers, ServerUnderTest server)
    {
        foreach (var pid in workers)
        {
            Assert.True(await ProcessInfo.WaitForExitAsync(pid, Patience), $"replaced worker {pid} still runs\n{server.Output}");
        }
    }
}
