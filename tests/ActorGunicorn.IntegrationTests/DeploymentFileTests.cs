using System.Net;
using System.Net.Sockets;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The files in config/ work as written.</summary>
public sealed class DeploymentFileTests
{
    [Fact]
    public async Task The_procfile_web_line_serves_on_all_interfaces_at_port()
    {
        var line = File.ReadLines(Path.Combine(Paths.RepositoryRoot, "config", "Procfile")).Single(l => l.StartsWith("web:", StringComparison.Ordinal));
        var words = line["web:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("actorgunicorn", words[0]);
        int port = FreePort();

        // The platform runs the line from the application's directory with PORT set.
        await using var server = ServerUnderTest.Start(words[1..], new Dictionary<string, string> { ["PORT"] = $"{port}" }, Paths.RepositoryRoot);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: http://0.0.0.0:{port} ", StringComparison.Ordinal));
        var hello = await Tools.CurlAsync($"http://127.0.0.1:{port}/");

        Assert.Equal("Hello, World!", hello.StandardOutput);
        await server.WaitForLineAsync(l => l.Contains("\"GET / HTTP/1.1\" 200 13", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
