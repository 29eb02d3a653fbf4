using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>Settings reach the running server through every layer: HOCON file, ACTORGUNICORN_CMD_ARGS, command line.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_hocon_file_sets_the_bind_address_workers_and_application()
    {
        var config = Path.Combine(_directory, "server.conf");
        await File.WriteAllTextAsync(config, $$"""
            actorgunicorn {
              bind = ["127.0.0.1:0"]
              workers = 2
              app = "{{Paths.HelloWorld}}"
            }
            """);

        await using var server = await ServerUnderTest.StartListeningAsync(["-c", config], workers: 2);

        Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
        Assert.Equal(2, server.WorkerPids.Count);
    }

    [Fact]
    public async Task The_command_line_overrides_actorgunicorn_cmd_args_which_overrides_the_file()
    {
        var config = Path.Combine(_directory, "server.conf");
        await File.WriteAllTextAsync(config, "actorgunicorn { workers = 3, timeout = 17 }");
        var environment = new Dictionary<string, string> { ["ACTORGUNICORN_CMD_ARGS"] = "--workers 2 --keep-alive 9" };

        var result = await RunAsync(["-c", config, "--keep-alive", "4", "--print-config", Paths.HelloWorld], environment);

        Assert.Equal(0, result.ExitCode);
        // HOCON keys are gunicorn's setting names in kebab-case (keepalive, like gunicorn.conf.py's `keepalive`).
        var lines = result.StandardOutput.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("workers = 2", lines);
        Assert.Contains("timeout = 17s", lines);
        Assert.Contains("keepalive = 4s", lines);
    }

    [Fact]
    public async Task Check_config_exits_0_for_a_loadable_application_and_1_otherwise()
    {
        var good = await RunAsync(["--check-config", Paths.HelloWorld]);
        var bad = await RunAsync(["--check-config", $"{Paths.HelloWorld}:HelloWorld.Missing"]);

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Failed to find type 'HelloWorld.Missing'", bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var result = await RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^actorgunicorn \(version \d+\.\d+\.\d+", result.StandardOutput);
    }

    private static Task<ToolResult> RunAsync(string[] args, Dictionary<string, string>? environment = null) =>
        environment is null
            ? Tools.RunAsync(Paths.Executable, args)
            : Tools.RunAsync("env", [.. environment.Select(kv => $"{kv.Key}={kv.Value}"), Paths.Executable, .. args]);
}
