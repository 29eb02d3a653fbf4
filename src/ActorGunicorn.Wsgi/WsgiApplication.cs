using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Wsgi;

/// <summary>
/// A WSGI application (PEP 3333) served through the gateway, on one embedded CPython per worker process.
/// </summary>
/// <remarks>
/// A worker runs its actors on threads this application prepares (<see cref="IGatewayThreadHooks"/>): each is
/// primed for Python once, and a request is run inline on the thread that picked it up, with no hand-off. A caller
/// on any other thread is served by the gateway's own Python threads instead.
/// </remarks>
public sealed class WsgiApplication : IGatewayApplication, IGatewayLifecycle, IGatewayThreadHooks, IGatewayStackDumps
{
    [ThreadStatic]
    private static PythonThread? t_python;

    private readonly EmbeddedPython _python;
    private readonly WsgiHandler _handler;
    private readonly RequestThreads _ownThreads;
    private readonly WsgiOptions _options;
    private readonly ILogger _logger;
    private readonly PythonStacks _stacks = new();
    private int _preparedThreads;

    private WsgiApplication(EmbeddedPython python, WsgiHandler handler, WsgiOptions options)
    {
        _python = python;
        _handler = handler;
        _options = options;
        _logger = options.Logger;
        _ownThreads = new RequestThreads(options.Threads, handler, options.ReadAheadLimit, _stacks);
    }

    /// <summary>Finds the interpreter, boots it and imports the application.</summary>
    /// <exception cref="PythonUnavailableException">No usable Python; the message says what to install.</exception>
    /// <exception cref="WsgiAppImportException">The module has no such application, or it is not callable.</exception>
    /// <exception cref="PythonException">The module failed to import; the message is the traceback.</exception>
    public static WsgiApplication Load(WsgiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = PythonInterpreter.ChooseExecutable(
            options.Python, Environment.GetEnvironmentVariable("VIRTUAL_ENV"), Environment.GetEnvironmentVariable("PATH"));
        var python = EmbeddedPython.Acquire(PythonInterpreter.Probe(executable));
        // A failed import is not released: the worker exits at once, and finalising after a half-done import could
        // wait on the threads it started.
        return new WsgiApplication(python, WsgiBoot.LoadHandler(python, options), options);
    }

    /// <summary>
    /// Whether the configuration's <c>pre_request</c>/<c>post_request</c> hooks run inside the gateway, on the request's
    /// own Python thread (they do when <see cref="WsgiOptions.Hooks"/> defines them), so the server must not call them
    /// again.
    /// </summary>
    public bool RunsRequestHooks => _options.Hooks is { } hooks && (hooks.Defines("pre_request") || hooks.Defines("post_request"));

    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        var call = WsgiCall.Rent(request, response);
        var task = call.Task;
        if (t_python is { } python)
        {
            // The GIL stays with this thread until it reports itself idle: the next request is often right behind.
            python.Invoke(call, keepGil: true);
        }
        else
        {
            _ownThreads.Add(call);
        }

        return task;
    }

    /// <inheritdoc />
    public void OnThreadStarted()
    {
        var python = new PythonThread(_handler, _options.ReadAheadLimit, _stacks);
        python.Prime();
        t_python = python;
        Interlocked.Increment(ref _preparedThreads);
    }

    /// <inheritdoc />
    public void OnThreadIdle() => t_python?.ReleaseGil();

    /// <inheritdoc />
    public void OnThreadStopping()
    {
        if (t_python is { } python)
        {
            t_python = null;
            python.Unprime();
            Interlocked.Decrement(ref _preparedThreads);
        }
    }

    /// <inheritdoc />
    /// <remarks>Read without the GIL, as faulthandler does, so a thread holding it in C code is shown too.</remarks>
    public string? DumpStack(int managedThreadId) => _stacks.DumpThread(managedThreadId);

    /// <inheritdoc />
    /// <remarks>faulthandler's <c>dump_traceback(all_threads=True)</c>, without the GIL.</remarks>
    public string? DumpAllStacks() => _stacks.DumpAll();

    /// <inheritdoc />
    public ValueTask StartAsync(GatewayServerInfo server, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Lets the Python threads finish, then finalises the interpreter on its own thread (atexit handlers run). If a
    /// thread still runs Python when the graceful timeout ends, the interpreter is left as it is: finalising under a
    /// running request would end that .NET thread.
    /// </summary>
    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        var threadsDone = Task.Run(_ownThreads.StopAndJoin, CancellationToken.None);
        var timedOut = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(threadsDone, timedOut).ConfigureAwait(false) != threadsDone || Volatile.Read(ref _preparedThreads) > 0)
        {
            WsgiLog.NotFinalized(_logger, "a request was still running in Python");
            return;
        }

        var finalized = _python.ReleaseAsync();
        if (await Task.WhenAny(finalized, timedOut).ConfigureAwait(false) != finalized)
        {
            WsgiLog.NotFinalized(_logger, "finalisation did not end in time (is a non-daemon Python thread running?)");
        }
    }
}
