using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's nginx as a round-robin front balancer, run with the repository's tested site
/// (<c>config/nginx/actorgunicorn.conf</c>) whose single upstream is replaced by the given TCP servers. It runs in a
/// temporary directory of its own; disposal stops it (QUIT, nginx's graceful stop) and deletes the directory.
/// </summary>
internal sealed class NginxFront : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _directory;

    private NginxFront(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The loopback port nginx listens on.</summary>
    public int Port { get; }

    /// <summary>What nginx wrote to its error log (upstream errors it retried on another server, for instance).</summary>
    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : string.Empty;

    /// <summary>Starts nginx in front of <paramref name="upstreamPorts"/> and waits until it accepts connections.</summary>
    public static async Task<NginxFront> StartAsync(IEnumerable<int> upstreamPorts)
    {
        if (!File.Exists(Nginx))
        {
            throw new InvalidOperationException($"{Nginx} is missing: build.sh installs nginx-light");
        }

        var directory = Directory.CreateTempSubdirectory("actorgunicorn-nginx-").FullName;
        var port = FreePort();
        var site = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "config", "nginx", "actorgunicorn.conf"));
        const string Upstream = "    server unix:/run/actorgunicorn.sock fail_timeout=0;\n";
        if (!site.Contains(Upstream, StringComparison.Ordinal) || !site.Contains("listen 80;", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("config/nginx/actorgunicorn.conf no longer has the upstream and listen lines this fixture replaces");
        }

        File.WriteAllText(Path.Combine(directory, "site.conf"), site
            .Replace(Upstream, string.Concat(upstreamPorts.Select(p => $"    server 127.0.0.1:{p} fail_timeout=0;\n")), StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/site.conf;
            }
            """);
        var process = Process.Start(new ProcessStartInfo(Nginx)
        {
            ArgumentList = { "-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", Path.Combine(directory, "nginx.conf") },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nginx did not start");
        var front = new NginxFront(process, directory, port);
        try
        {
            await front.WaitForPortAsync();
            return front;
        }
        catch
        {
            await front.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessInfo.Signal(_process.Id, ServerUnderTest.SigQuit);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
