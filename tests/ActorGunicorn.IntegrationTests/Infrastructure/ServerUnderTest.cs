using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// The published <c>actorgunicorn</c> executable running as a child of the test, with its stdout and stderr
/// collected line by line. Tests wait for log lines (events), never for fixed delays. Disposal stops the arbiter
/// and makes sure no process it started is left behind. Each server gets a runtime directory of its own
/// (<c>XDG_RUNTIME_DIR</c>), so its default control socket never meets another test's; disposal deletes it.
/// </summary>
internal sealed partial class ServerUnderTest : IAsyncDisposable
{
    public const int SigHup = 1;
    public const int SigUsr1 = 10;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigTtin = 21;
    public const int SigTtou = 22;
    public const int SigCont = 18;
    public const int SigStop = 19;

    // How long an awaited event may take before the test gives up. It only bounds a failing run: a passing one goes on
    // at the event. On a machine shared with builds and CPU-bound jobs a server has taken over 20 s to print its first
    // line, so the bound is generous.
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<string> _errorLines = [];
    private readonly Lock _lock = new();
    private readonly List<int> _workerPids = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerUnderTest(Process process, string runtimeDirectory)
    {
        _process = process;
        RuntimeDirectory = runtimeDirectory;
        process.OutputDataReceived += (_, e) => OnLine(e.Data, standardError: false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, standardError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The arbiter's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the arbiter process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The server's own <c>XDG_RUNTIME_DIR</c>, deleted when the server is disposed.</summary>
    public string RuntimeDirectory { get; }

    /// <summary>Where the server's control socket is unless the test gives <c>--control-socket</c>.</summary>
    public string ControlSocketPath => Path.Combine(RuntimeDirectory, "actorgunicorn.ctl");

    /// <summary>Every line printed so far, stdout and stderr interleaved in arrival order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The lines printed on standard error only.</summary>
    public IReadOnlyList<string> StandardErrorLines
    {
        get
        {
            lock (_lock)
            {
                return [.. _errorLines];
            }
        }
    }

    /// <summary>Every worker pid the log has announced ("Booting worker with pid: N"), in the order announced.</summary>
    public IReadOnlyCollection<int> WorkerPids
    {
        get
        {
            lock (_lock)
            {
                return [.. _workerPids];
            }
        }
    }

    /// <summary>The TCP port of the first listener, from "Listening at: http://HOST:PORT" (https:// with TLS).</summary>
    public int Port { get; private set; }

    /// <summary>Starts the server with <paramref name="args"/> (the tests usually bind 127.0.0.1:0).</summary>
    public static ServerUnderTest Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        StartTool(Paths.Executable, args, environment, workingDirectory);

    /// <summary>Starts a given <c>actorgunicorn</c> executable (for example the one a tool install put on disk).</summary>
    public static ServerUnderTest StartTool(string executable, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("ACTORGUNICORN_CMD_ARGS");
        info.Environment.Remove("PORT");
        info.Environment.Remove("WEB_CONCURRENCY");
        // Tests kill servers and workers with SIGKILL, and a .NET process killed that way leaves its debugger pipes
        // and diagnostics socket in /tmp. The tests use neither.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        // The default control socket is $XDG_RUNTIME_DIR/actorgunicorn.ctl: one directory per server keeps tests that
        // run in parallel from meeting there. A test's own environment may still name another.
        var runtimeDirectory = Directory.CreateTempSubdirectory("actorgunicorn-run-").FullName;
        info.Environment["XDG_RUNTIME_DIR"] = runtimeDirectory;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        try
        {
            return new ServerUnderTest(Process.Start(info) ?? throw new InvalidOperationException("the server did not start"), runtimeDirectory);
        }
        catch
        {
            Directory.Delete(runtimeDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>Runs <c>actorgunicorn ctl --socket CONTROL_SOCKET ARGS</c> against this server.</summary>
    public Task<ToolResult> CtlAsync(params string[] args) =>
        Tools.RunAsync(Paths.Executable, ["ctl", "--socket", ControlSocketPath, .. args]);

    /// <summary>Starts the server and waits until it listens and has announced <paramref name="workers"/> workers.</summary>
    public static async Task<ServerUnderTest> StartListeningAsync(IEnumerable<string> args, int workers = 1, IDictionary<string, string>? environment = null)
    {
        var server = Start(args, environment);
        try
        {
            await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
            await server.WaitForAsync(() => server.WorkerPids.Count >= workers, $"{workers} workers booting");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for a line matching <paramref name="predicate"/> (already printed or still to come).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null, int skip = 0) =>
        WaitForAsync(() => Lines.Where(predicate).Skip(skip).FirstOrDefault(), "a matching log line", timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking whenever a line is printed.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        await WaitForAsync(() => condition() ? "ok" : null, what, timeout);

    /// <summary>Waits for the arbiter to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultWait);
        await _process.WaitForExitAsync(cts.Token);
        await _outputClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>Sends a signal to the arbiter.</summary>
    public void Signal(int signal) => ProcessInfo.Signal(Pid, signal);

    /// <summary>The whole output so far, for assertion messages.</summary>
    public string Output => string.Join('\n', Lines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigTerm);
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

        // No orphans, whatever the test did: any worker still alive is killed.
        foreach (var pid in WorkerPids.Where(ProcessInfo.IsAlive))
        {
            ProcessInfo.Signal(pid, SigKill);
        }

        _process.Dispose();
        if (Directory.Exists(RuntimeDirectory))
        {
            Directory.Delete(RuntimeDirectory, recursive: true);
        }
    }

    private async Task<string> WaitForAsync(Func<string?> probe, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (probe() is string found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Output so far:\n{Output}");
            }
        }
    }

    private void OnLine(string? line, bool standardError)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    _outputClosed.TrySetResult();
                }
            }
            else
            {
                _lines.Add(line);
                if (standardError)
                {
                    _errorLines.Add(line);
                }

                if (BootingWorker().Match(line) is { Success: true } match
                    && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var pid && !_workerPids.Contains(pid))
                {
                    _workerPids.Add(pid);
                }

                if (Port == 0 && ListeningAt().Match(line) is { Success: true } listening)
                {
                    Port = int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    [GeneratedRegex(@"Booting worker with pid: (\d+)")]
    private static partial Regex BootingWorker();

    [GeneratedRegex(@"Listening at: https?://[^ ]*:(\d+) ")]
    private static partial Regex ListeningAt();
}
