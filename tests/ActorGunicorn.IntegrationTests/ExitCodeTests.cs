using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>gunicorn's exit codes: 4 for an app that cannot be found, 3 for one that fails to boot, 2 for bad usage.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public async Task A_type_missing_from_its_assembly_halts_the_arbiter_with_exit_4()
    {
        var (exitCode, output) = await RunUntilExitAsync($"{Paths.HelloWorld}:HelloWorld.NoSuchApp");

        Assert.Equal(4, exitCode);
        Assert.Contains("Failed to find type 'HelloWorld.NoSuchApp'", output, StringComparison.Ordinal);
        Assert.Contains("Reason: App failed to load.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_that_is_not_a_gateway_application_halts_the_arbiter_with_exit_4()
    {
        var (exitCode, output) = await RunUntilExitAsync($"{Paths.TestApps}:ActorGunicorn.TestApps.NotAnApplication");

        Assert.Equal(4, exitCode);
        Assert.Contains("does not implement ActorGunicorn.Gateway.IGatewayApplication", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assembly_that_cannot_be_loaded_halts_the_arbiter_with_exit_3()
    {
        var notAnAssembly = Path.Combine(Path.GetTempPath(), $"not-an-assembly-{Guid.NewGuid():N}.dll");
        await File.WriteAllTextAsync(notAnAssembly, "this is text, not a .NET assembly");
        try
        {
            var (exitCode, output) = await RunUntilExitAsync(notAnAssembly);

            Assert.Equal(3, exitCode);
            Assert.Contains($"Cannot load '{notAnAssembly}'", output, StringComparison.Ordinal);
            Assert.Contains("Reason: Worker failed to boot.", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notAnAssembly);
        }
    }

    [Theory]
    [InlineData("ThrowsWhileConstructed", "the database is unreachable")]
    [InlineData("ThrowsWhileStarting", "the cache could not be warmed")]
    public async Task An_application_that_throws_while_starting_halts_the_arbiter_with_exit_3(string type, string message)
    {
        var (exitCode, output) = await RunUntilExitAsync($"{Paths.TestApps}:ActorGunicorn.TestApps.{type}");

        Assert.Equal(3, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_boot_failure_never_becomes_a_crash_loop()
    {
        var (_, output) = await RunUntilExitAsync($"{Paths.TestApps}:ActorGunicorn.TestApps.ThrowsWhileConstructed", workers: 3);

        // Three workers boot once each; none is respawned after the first failure halts the arbiter.
        Assert.True(output.Split('\n').Count(l => l.Contains("Booting worker with pid", StringComparison.Ordinal)) <= 3, output);
    }

    [Theory]
    [InlineData("--no-such-flag", "unrecognized arguments: --no-such-flag")]
    [InlineData("--workers=abc", "--workers")]
    [InlineData("--keep-alive", "--keep-alive")]
    [InlineData("--bind=127.0.0.1:99999", "99999")]
    public async Task A_bad_flag_or_value_is_one_readable_line_and_exit_2(string flag, string named)
    {
        var result = await Tools.RunAsync(Paths.Executable, [flag, Paths.HelloWorld]);

        Assert.Equal(2, result.ExitCode);
        var error = result.StandardError.Trim().Split('\n').Last();
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_during_a_request_is_a_500_and_the_next_request_succeeds()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", $"{Paths.TestApps}:ActorGunicorn.TestApps.FailsOnRequest"]);
        using var http = await RawHttp.ConnectAsync(server.Port);

        var failed = await http.GetAsync("/boom");
        var next = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(500, failed.Status);
        Assert.Equal("close", failed.Header("connection"));
        Assert.Equal("ok", next.StandardOutput);
        await server.WaitForLineAsync(l => l.Contains("[ERROR] Error handling request /boom", StringComparison.Ordinal));
        await server.WaitForLineAsync(l => l.Contains("System.InvalidOperationException: boom", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string app, int workers = 1)
    {
        await using var server = ServerUnderTest.Start(["-w", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "127.0.0.1:0", app]);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (exitCode, server.Output);
    }
}
