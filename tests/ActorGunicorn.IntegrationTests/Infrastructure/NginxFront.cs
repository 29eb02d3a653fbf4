using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's nginx, run by a test as a front: its own prefix directory, pid file, logs and temp paths, no daemon, one
/// worker, a site listening on a free 127.0.0.1 port. Disposal stops it (QUIT, then KILL) and deletes the directory.
/// </summary>
internal sealed class NginxFront : IAsyncDisposable
{
    /// <summary>Debian's nginx (build.sh installs nginx-light).</summary>
    public const string Executable = "/usr/sbin/nginx";

    private readonly Process _nginx;
    private readonly string _directory;

    private NginxFront(Process nginx, string directory, int port)
    {
        _nginx = nginx;
        _directory = directory;
        Port = port;
    }

    /// <summary>The port the site listens on, at 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>What nginx wrote to its error log so far (upstream errors it retried on another server, for instance).</summary>
    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : string.Empty;

    /// <summary>The front's address, <c>http://127.0.0.1:PORT</c>.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Starts nginx with the site <paramref name="site"/> makes for a free port (its <c>listen</c> must use that
    /// port on 127.0.0.1), and returns once the port accepts connections.
    /// </summary>
    public static async Task<NginxFront> StartAsync(Func<int, string> site)
    {
        var directory = Directory.CreateTempSubdirectory("actorgunicorn-nginx-").FullName;
        // nginx's workers run as nobody when the test runs as root: they must reach the temp paths in here.
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        int port = FreePorts.Next();
        File.WriteAllText(Path.Combine(directory, "site.conf"), site(port));
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

        Process? nginx = null;
        try
        {
            nginx = Process.Start(new ProcessStartInfo(Executable)
            {
                ArgumentList = { "-p", directory, "-e", Path.Combine(directory, "error.log"), "-c", Path.Combine(directory, "nginx.conf") },
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("nginx did not start");
            await WaitForPortAsync(port, nginx, directory);
            return new NginxFront(nginx, directory, port);
        }
        catch
        {
            nginx?.Kill(entireProcessTree: true);
            nginx?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Starts nginx as a round-robin balancer over <paramref name="backends"/> (HOST:PORT each), the way a fleet of
    /// hosts sits behind one front: a failed or refusing backend is skipped and the request goes to the next.
    /// </summary>
    public static Task<NginxFront> StartRoundRobinAsync(IEnumerable<string> backends)
    {
        // fail_timeout=1s: a backend that failed sits out one second, not nginx's ten, so a host back from a reload
        // or a partition rejoins the rotation quickly.
        var servers = string.Concat(backends.Select(backend => $"    server {backend} max_fails=1 fail_timeout=1s;\n"));
        return StartAsync(port => $$"""
            upstream backends {
            {{servers}}    keepalive 16;
            }

            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://backends;
                    # HTTP/1.1 with an empty Connection header: nginx keeps its upstream connections alive.
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    # A backend that refuses, resets, times out or answers 502/503 (draining) is skipped.
                    proxy_next_upstream error timeout http_502 http_503;
                    # A cut host drops SYNs silently: give up on it after a second instead of nginx's sixty.
                    proxy_connect_timeout 1s;
                }
            }
            """);
    }

    /// <summary>Stops nginx gracefully (QUIT), or kills it if it does not stop, and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        ProcessInfo.Signal(_nginx.Id, ServerUnderTest.SigQuit);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _nginx.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task WaitForPortAsync(int port, Process nginx, string directory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !nginx.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException) when (nginx.HasExited)
            {
                var log = Path.Combine(directory, "error.log");
                throw new InvalidOperationException($"nginx exited with {nginx.ExitCode}: {(File.Exists(log) ? File.ReadAllText(log) : "no error.log")}");
            }
        }
    }
}
