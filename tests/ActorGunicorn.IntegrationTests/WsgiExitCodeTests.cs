using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// gunicorn's exit codes for a WSGI APP: 4 when it names nothing usable (AppImportError), 3 when the worker cannot
/// boot (the module is missing or raises on import), with the reason in the log.
/// </summary>
public sealed class WsgiExitCodeTests
{
    [Fact]
    public async Task A_missing_variable_halts_the_arbiter_with_exit_4_naming_the_attribute()
    {
        var (exitCode, output) = await RunUntilExitAsync("hello:no_such_app");

        Assert.Equal(4, exitCode);
        Assert.Contains("Failed to find attribute 'no_such_app' in 'hello'.", output, StringComparison.Ordinal);
        Assert.Contains("Reason: App failed to load.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello:1+", "Failed to parse '1+' as an attribute name or function call.")]
    [InlineData("hello:BODY", "Application object must be callable.")]
    [InlineData("validated:wrap()", "wrap() missing 1 required positional argument: 'spec'")]
    public async Task An_unusable_app_expression_halts_the_arbiter_with_exit_4(string app, string message)
    {
        var (exitCode, output) = await RunUntilExitAsync(app);

        Assert.Equal(4, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Contains("Reason: App failed to load.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_module_halts_the_arbiter_with_exit_3_and_a_module_not_found_traceback()
    {
        var (exitCode, output) = await RunUntilExitAsync("no_such_module_anywhere");

        Assert.Equal(3, exitCode);
        Assert.Contains("Traceback (most recent call last):", output, StringComparison.Ordinal);
        Assert.Contains("ModuleNotFoundError: No module named 'no_such_module_anywhere'", output, StringComparison.Ordinal);
        Assert.Contains("Reason: Worker failed to boot.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_raising_at_import_halts_the_arbiter_with_exit_3_and_its_traceback()
    {
        var (exitCode, output) = await RunUntilExitAsync("raises_on_import");

        Assert.Equal(3, exitCode);
        Assert.Contains("Traceback (most recent call last):", output, StringComparison.Ordinal);
        Assert.Contains("raises_on_import.py\", line 5, in connect", output, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: the database is unreachable at import time", output, StringComparison.Ordinal);
        Assert.Contains("Reason: Worker failed to boot.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_name_given_as_the_module_gets_gunicorns_did_you_mean_hint()
    {
        var (exitCode, output) = await RunUntilExitAsync("hello.py");

        Assert.Equal(3, exitCode);
        Assert.Contains("Failed to find application, did you mean 'hello:application'?", output, StringComparison.Ordinal);
    }

    // From samples/wsgi (hello.py), with the test modules on the path; never validated: none of these serves.
    private static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string app)
    {
        await using var server = ServerUnderTest.Start(
            ["--python", Wsgi.SystemPython, "--pythonpath", Wsgi.PythonApps, "--chdir", Wsgi.Sample("wsgi"), "-b", "127.0.0.1:0", app]);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (exitCode, server.Output);
    }
}
