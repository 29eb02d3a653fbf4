using System.Diagnostics;
using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// A tiny HTTP/1.1 server on Debian's python3 that answers every GET with "NAME PEER_PORT": which backend answered,
/// and from which client port (so a test sees whether a front reused its upstream connection). Threaded, so one
/// kept-alive connection does not block the next one.
/// </summary>
internal sealed class NamedBackend : IAsyncDisposable
{
    private const string Script = """
        import http.server, sys
        name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                body = f"{name} {self.client_address[1]}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer((host, port), Handler)
        print(f"listening {server.server_address[1]}", flush=True)
        server.serve_forever()
        """;

    private readonly Process _process;

    private NamedBackend(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The backend's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>
    /// Starts a backend called <paramref name="name"/> on <paramref name="host"/>:<paramref name="port"/> (0: a free
    /// port) and returns once it listens. <paramref name="start"/> runs it elsewhere, e.g. inside a network namespace.
    /// </summary>
    public static async Task<NamedBackend> StartAsync(string name, string host, int port = 0, Func<ProcessStartInfo, Process>? start = null)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", Script, name, host, port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = start?.Invoke(info) ?? Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException($"backend {name} exited before listening on {host}:{port}");
            return new NamedBackend(process, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the backend (it has no state to lose) and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
