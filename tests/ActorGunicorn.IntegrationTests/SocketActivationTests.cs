using System.Net.Sockets;
using System.Text;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// Listeners the server did not bind: systemd's socket activation (<c>LISTEN_FDS</c>, <c>LISTEN_PID</c>), descriptors
/// named by <c>--bind fd://N</c>, and readiness sent to <c>NOTIFY_SOCKET</c>.
/// </summary>
public sealed class SocketActivationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-activation-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_tcp_socket_from_systemd_is_served_and_the_variables_are_gone_from_the_workers()
    {
        await using var server = SocketHandOff.StartTcp(HandOff.Systemd, fd: 3, ["-w", "2", Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Listening at: http://127.0.0.1:", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count == 2, "two workers");

        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal("Hello, World!", hello.StandardOutput);
        // The default --bind (127.0.0.1:8000) is not bound: the inherited socket replaces it, as in gunicorn.
        Assert.Single(server.Lines, l => l.Contains("Listening at:", StringComparison.Ordinal));
        foreach (var worker in server.WorkerPids)
        {
            var environment = Encoding.ASCII.GetString(await File.ReadAllBytesAsync($"/proc/{worker}/environ")).Split('\0');
            Assert.DoesNotContain(environment, v => v.StartsWith("LISTEN_FDS=", StringComparison.Ordinal) || v.StartsWith("LISTEN_PID=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_unix_socket_from_systemd_is_served_and_left_in_place_at_exit()
    {
        var path = Path.Combine(_directory, "activated.sock");
        await using var server = SocketHandOff.StartUnix(HandOff.Systemd, fd: 3, path, "660", [Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: unix:{path}", StringComparison.Ordinal));

        var hello = await Tools.CurlAsync("--unix-socket", path, "http://localhost/");
        server.Signal(ServerUnderTest.SigTerm);
        int exitCode = await server.WaitForExitAsync();

        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(path), "a socket systemd created is systemd's to remove");
    }

    [Fact]
    public async Task Listen_fds_meant_for_another_process_are_ignored()
    {
        await using var server = SocketHandOff.StartTcp(HandOff.SystemdForAnotherProcess, fd: 3, ["-b", "127.0.0.1:0", Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Listening at: http://127.0.0.1:", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count == 1, "a worker");

        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        // The server bound its own --bind address; the descriptor it was not meant to have is left alone.
        Assert.Equal("Hello, World!", hello.StandardOutput);
        Assert.Single(server.Lines, l => l.Contains("Listening at:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bind_fd_serves_an_inherited_descriptor()
    {
        await using var server = SocketHandOff.StartTcp(HandOff.Descriptor, fd: 7, ["-b", "fd://7", Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Listening at: http://127.0.0.1:", StringComparison.Ordinal));
        await server.WaitForAsync(() => server.WorkerPids.Count == 1, "a worker");

        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal("Hello, World!", hello.StandardOutput);
    }

    [Fact]
    public async Task Bind_fd_naming_a_descriptor_that_is_not_open_is_an_error()
    {
        await using var server = ServerUnderTest.Start(["-b", "fd://57", Paths.HelloWorld]);

        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains(server.Lines, l => l.Contains("Can't use inherited file descriptor 57", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_arbiter_tells_notify_socket_it_is_ready_once_it_listens()
    {
        var notifyPath = Path.Combine(_directory, "notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", Paths.HelloWorld], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath });

        var buffer = new byte[1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int received = await notify.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        var message = Encoding.UTF8.GetString(buffer, 0, received);

        await server.WaitForLineAsync(l => l.Contains("Listening at:", StringComparison.Ordinal));
        var hello = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.StartsWith("READY=1\n", message, StringComparison.Ordinal);
        Assert.Equal("Hello, World!", hello.StandardOutput);
    }
}
