using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The dotnet tool package (build.cake's Pack target) installs and serves.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _toolPath = Directory.CreateTempSubdirectory("actorgunicorn-tool-").FullName;

    public void Dispose() => Directory.Delete(_toolPath, recursive: true);

    [Fact]
    public async Task The_tool_package_installs_an_actorgunicorn_command_that_serves_with_workers()
    {
        var packages = Path.Combine(Paths.RepositoryRoot, "artifacts", "packages");
        Assert.True(Directory.EnumerateFiles(packages, "ActorGunicorn.*.nupkg").Any(), $"no package in {packages}: run the Pack target first");

        // Same as `dotnet tool install --global`, into a throw-away directory instead of the user's tools.
        var install = await Tools.RunAsync("dotnet", ["tool", "install", "--tool-path", _toolPath, "--add-source", packages, "ActorGunicorn"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(install.ExitCode == 0, install.StandardOutput + install.StandardError);

        await using var server = ServerUnderTest.StartTool(Path.Combine(_toolPath, "actorgunicorn"), ["-w", "2", "-b", "127.0.0.1:0", Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count == 2, "two workers");

        Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }
}
