using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Control;
using ActorGunicorn.Runtime;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// A real worker, started inside this process: <see cref="WorkerMain"/>, the code a worker process runs, on a
/// loopback listener and a control socketpair, bootstrapped the way the arbiter does it. The benchmark then measures
/// the worker's whole request path (acceptor, connection actor, parser, exchange, invoker, application, response)
/// and, because BenchmarkDotNet counts every thread's allocations, the worker's allocations per request.
/// </summary>
/// <remarks>
/// The connection and exchange classes are internal to ActorGunicorn.Core, and the exchange sends through a real
/// <see cref="Socket"/>, so there is no socketless way into that path from outside the assembly. A worker is public
/// (<see cref="WorkerMain.RunAsync"/>), and the loopback round trip adds only the kernel's share, which
/// <see cref="CannedResponder"/> measures alone.
/// </remarks>
internal sealed class InProcessWorker : IDisposable
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _listener;
    private readonly ControlChannel _control;
    private readonly Task<int> _run;
    private readonly Task _heartbeats;

    private InProcessWorker(Socket listener, ControlChannel control, Task<int> run, Task heartbeats)
    {
        _listener = listener;
        _control = control;
        _run = run;
        _heartbeats = heartbeats;
    }

    /// <summary>The loopback port the worker accepts on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts a worker for <paramref name="application"/> and returns once it has announced it is ready.</summary>
    /// <param name="application">The APP argument, as on the command line.</param>
    /// <param name="settings">More command-line settings.</param>
    public static InProcessWorker Start(string application, params string[] settings)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        int listenFd = Posix.Duplicate((int)listener.Handle);
        var (ours, theirs) = Posix.SocketPair();
        var control = new ControlChannel(new Socket(new SafeSocketHandle(ours, ownsHandle: true)));

        // The worker's configuration is what an arbiter started with these arguments would hand it.
        var loaded = SettingsLoader.Load([.. settings, application], new Dictionary<string, string?>(), Environment.CurrentDirectory);
        string[] workerArguments =
        [
            WorkerMain.ModeFlag,
            "--control-fd", theirs.ToString(CultureInfo.InvariantCulture),
            "--listen-fds", listenFd.ToString(CultureInfo.InvariantCulture),
        ];
        var run = Task.Run(() => WorkerMain.RunAsync(workerArguments));
        control.Send(new WorkerBootstrap(Age: 1, MaxRequests: 0, loaded.RenderForWorker()));

        var ready = control.ReceiveAsync();
        if (Task.WhenAny(ready, run, Task.Delay(BootTimeout)).GetAwaiter().GetResult() != ready || ready.Result is not WorkerReady)
        {
            string outcome = run.IsCompleted ? $"it exited with code {run.Result}" : "it did not announce itself";
            control.Dispose();
            listener.Dispose();
            throw new InvalidOperationException($"The in-process worker did not start: {outcome}.");
        }

        // Heartbeats keep coming once a second; reading them keeps the socketpair's buffer from filling.
        var heartbeats = Task.Run(async () =>
        {
            while (await control.ReceiveAsync().ConfigureAwait(false) is not null)
            {
            }
        });
        return new InProcessWorker(listener, control, run, heartbeats);
    }

    /// <summary>Stops the worker at once (as the arbiter's quick stop does) and waits for it to finish.</summary>
    public void Dispose()
    {
        try
        {
            _control.Send(new StopWorker(Graceful: false));
            _run.Wait(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _control.Dispose();
            _listener.Dispose();
            _heartbeats.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
