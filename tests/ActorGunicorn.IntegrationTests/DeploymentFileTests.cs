using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The files in config/ work as written.</summary>
public sealed class DeploymentFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-deploy-").FullName;

    [Fact]
    public async Task The_procfile_web_line_serves_on_all_interfaces_at_port()
    {
        var line = File.ReadLines(Path.Combine(Paths.RepositoryRoot, "config", "Procfile")).Single(l => l.StartsWith("web:", StringComparison.Ordinal));
        var words = line["web:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("actorgunicorn", words[0]);
        int port = FreePorts.Next();

        // The platform runs the line from the application's directory with PORT set.
        await using var server = ServerUnderTest.Start(words[1..], new Dictionary<string, string> { ["PORT"] = $"{port}" }, Paths.RepositoryRoot);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: http://0.0.0.0:{port} ", StringComparison.Ordinal));
        var hello = await Tools.CurlAsync($"http://127.0.0.1:{port}/");

        Assert.Equal("Hello, World!", hello.StandardOutput);
        await server.WaitForLineAsync(l => l.Contains("\"GET / HTTP/1.1\" 200 13", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_systemd_units_serve_under_emulated_socket_activation_and_leave_the_socket_to_systemd()
    {
        var socketUnit = UnitFile("actorgunicorn.socket");
        var service = UnitFile("actorgunicorn.service");
        Assert.Equal("notify", service["Type"]);
        Assert.Equal("actorgunicorn.socket", service["Requires"]);
        var execStart = service["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("actorgunicorn", Path.GetFileName(execStart[0]));
        Assert.DoesNotContain(execStart, word => word is "-b" or "--bind");

        // systemd's part, played here: the socket of ListenStream (in a scratch directory) at descriptor 3 with
        // SocketMode, LISTEN_FDS=1 and LISTEN_PID, NOTIFY_SOCKET; then ExecStart with the sample application.
        var socketPath = Path.Combine(_directory, Path.GetFileName(socketUnit["ListenStream"]));
        var notifyPath = Path.Combine(_directory, "notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        string[] args = [.. execStart[1..^1], Paths.HelloWorld];
        await using var server = SocketHandOff.StartUnix(HandOff.Systemd, fd: 3, socketPath, socketUnit["SocketMode"], args, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath });

        var ready = new byte[256];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int received = await notify.ReceiveAsync(ready, SocketFlags.None, cts.Token);
        var hello = await Tools.CurlAsync("--unix-socket", socketPath, "http://localhost/");
        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.StartsWith("READY=1", Encoding.UTF8.GetString(ready, 0, received), StringComparison.Ordinal);
        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(socketPath), "the socket is systemd's: the server must leave it");
        Assert.Equal(Convert.ToInt32(socketUnit["SocketMode"], 8), (int)File.GetUnixFileMode(socketPath));
    }

    [Fact]
    public async Task The_nginx_site_proxies_to_the_unix_socket_and_sets_the_forwarded_headers_itself()
    {
        Assert.True(File.Exists(NginxFront.Executable), $"{NginxFront.Executable} is missing: build.sh installs nginx-light");
        // nginx's workers run as nobody when the test runs as root: they must reach the socket in this directory.
        File.SetUnixFileMode(_directory, (UnixFileMode)Convert.ToInt32("755", 8));
        var socketPath = Path.Combine(_directory, "app.sock");
        await using var server = ServerUnderTest.Start(["-b", $"unix:{socketPath}", $"{Paths.TestApps}:ActorGunicorn.TestApps.RequestEcho"]);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: unix:{socketPath}", StringComparison.Ordinal));

        var site = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "config", "nginx", "actorgunicorn.conf"));
        Assert.Contains("server unix:/run/actorgunicorn.sock ", site, StringComparison.Ordinal);
        Assert.Contains("listen 80;", site, StringComparison.Ordinal);
        await using var nginx = await NginxFront.StartAsync(port => site
            .Replace("server unix:/run/actorgunicorn.sock ", $"server unix:{socketPath} ", StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal));

        // A client's own forwarding headers are replaced, not passed on: it cannot claim https or another address.
        var response = await Tools.CurlAsync("-H", "X-Forwarded-Proto: https", "-H", "X-Forwarded-For: 203.0.113.9", $"{nginx.Url}/through/nginx?x=1");
        using var echo = JsonDocument.Parse(response.StandardOutput);
        var headers = echo.RootElement.GetProperty("headers").EnumerateArray()
            .ToDictionary(h => h[0].GetString()!.ToLowerInvariant(), h => h[1].GetString());

        Assert.Equal("/through/nginx?x=1", echo.RootElement.GetProperty("target").GetString());
        Assert.Equal("http", echo.RootElement.GetProperty("scheme").GetString());
        Assert.Equal("127.0.0.1", headers["x-forwarded-for"]);
        Assert.Equal("http", headers["x-forwarded-proto"]);
        Assert.Equal($"127.0.0.1:{nginx.Port}", headers["host"]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // A unit file's Key=Value lines (comments and section headers aside).
    private static Dictionary<string, string> UnitFile(string name) =>
        File.ReadLines(Path.Combine(Paths.RepositoryRoot, "config", "systemd", name))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());
}
