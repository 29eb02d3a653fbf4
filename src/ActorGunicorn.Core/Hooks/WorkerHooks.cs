using ActorGunicorn.Application;
using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Interop;
using ActorGunicorn.Wsgi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog.Extensions.Logging;

namespace ActorGunicorn.Hooks;

/// <summary>
/// A worker's server hooks: the .NET class <c>--server-hooks</c> names, then the Python configuration's when it
/// defines worker-side hooks (post_fork, post_worker_init, worker_int, worker_abort, pre_request, post_request,
/// worker_exit). Python hooks run in the worker's embedded interpreter: the WSGI application's, or, for a .NET
/// application, one embedded for them. A worker without hooks does no more than check that there are none.
/// </summary>
/// <remarks>
/// As in gunicorn, an exception from post_fork or post_worker_init fails the worker's boot (exit code 3), one from
/// pre_request fails the request (500), and any other is logged. <see cref="Dispose"/> runs worker_exit: the worker is
/// exiting, whatever the reason, as in gunicorn's <c>finally</c>.
/// </remarks>
internal sealed class WorkerHooks : IDisposable
{
    private readonly LoadedConfiguration _loaded;
    private readonly Serilog.ILogger _logger;
    private readonly int _age;
    private SerilogLoggerFactory? _loggerFactory;
    private HookChain _chain = new([], NullLogger.Instance);
    private HookServer? _server;
    private HookWorker? _worker;
    private bool _disposed;

    /// <summary>Prepares the hooks of the worker of age <paramref name="age"/>; <see cref="Load"/> loads them.</summary>
    public WorkerHooks(LoadedConfiguration loaded, Serilog.ILogger logger, int age)
    {
        _loaded = loaded;
        _logger = logger;
        _age = age;
    }

    /// <summary>The Python hooks, once loaded, for a WSGI application to run pre_request and post_request itself; else null.</summary>
    public PythonHooks? Python { get; private set; }

    /// <summary>Loads the .NET hooks class and the Python configuration's hooks, if the configuration names any.</summary>
    /// <exception cref="ApplicationBootException">They cannot be loaded: the worker fails to boot.</exception>
    public void Load()
    {
        var settings = _loaded.Settings;
        var python = _loaded.PythonConfig is { } config && config.DefinesAny(HookNames.Worker) ? config : null;
        if (settings.ServerHooks is null && python is null)
        {
            return;
        }

        _loggerFactory = new SerilogLoggerFactory(_logger);
        var log = _loggerFactory.CreateLogger("actorgunicorn.hooks");
        var serverLog = new ServerLogAdapter(log);
        var server = _server = new HookServer(Libc.GetParentPid(), settings.Workers, serverLog, () => SettingsSnapshot.From(_loaded.Config));
        var worker = _worker = new HookWorker(Environment.ProcessId, server.Pid, _age, serverLog);
        var hooks = new List<IServerHooks>();
        try
        {
            if (settings.ServerHooks is { } spec)
            {
                hooks.Add(DotNetHooks.Load(spec));
            }

            if (python is not null)
            {
                Python = PythonHooks.Load(new PythonHooksOptions
                {
                    Location = python.Location,
                    Python = settings.Python,
                    SearchPath = PythonConfigFile.SearchPath(settings.PythonPath, Directory.GetCurrentDirectory()),
                    Settings = server.Settings,
                    ServerPid = server.Pid,
                    NumWorkers = server.NumWorkers,
                    Worker = worker,
                    Logger = log,
                });
                log.HooksLoaded(python.Location, Python.Defined);
                hooks.Add(Python);
            }
        }
        catch (Exception ex) when (ex is SettingsException or PythonUnavailableException or PythonException)
        {
            throw new ApplicationBootException("Cannot load the server hooks:", ex);
        }
        finally
        {
            _chain = new HookChain(hooks, log);
        }
    }

    /// <summary>gunicorn's <c>post_fork(server, worker)</c>, before the application loads.</summary>
    /// <exception cref="ApplicationBootException">The hook raised: the worker fails to boot.</exception>
    public void PostFork() => RunBootHook("post_fork", hooks => hooks.PostFork(_server!, _worker!));

    /// <summary>gunicorn's <c>post_worker_init(worker)</c>, after the application has loaded.</summary>
    /// <exception cref="ApplicationBootException">The hook raised: the worker fails to boot.</exception>
    public void PostWorkerInit() => RunBootHook("post_worker_init", hooks => hooks.PostWorkerInit(_worker!));

    /// <summary>gunicorn's <c>worker_int(worker)</c>: the worker was told to stop at once (SIGINT, SIGQUIT, a quick stop).</summary>
    public void WorkerInt() => _chain.Run("worker_int", hooks => hooks.WorkerInt(_worker!));

    /// <summary>gunicorn's <c>worker_abort(worker)</c>: the worker received SIGABRT (the arbiter's timeout). Call it from the SIGABRT handler.</summary>
    public void WorkerAbort() => _chain.Run("worker_abort", hooks => hooks.WorkerAbort(_worker!));

    /// <summary>
    /// The application with pre_request and post_request around each call, or the application itself when no hook
    /// defines them (decided once, here), so a worker without request hooks pays nothing for them. A WSGI application
    /// runs the Python ones in its own shim, on the request's Python thread.
    /// </summary>
    public IGatewayApplication WrapRequests(IGatewayApplication application)
    {
        bool inShim = application is WsgiApplication { RunsRequestHooks: true };
        bool Defines(IServerHooks hooks, string hook, string method) => hooks is PythonHooks python
            ? !inShim && python.Defines(hook)
            : DotNetHooks.Implements(hooks, method);
        var before = _chain.Hooks.Where(hooks => Defines(hooks, "pre_request", nameof(IServerHooks.PreRequest))).ToList();
        var after = _chain.Hooks.Where(hooks => Defines(hooks, "post_request", nameof(IServerHooks.PostRequest))).ToList();
        return before.Count == 0 && after.Count == 0
            ? application
            : new RequestHooksApplication(application, new HookChain(before, _chain.Log), new HookChain(after, _chain.Log), _worker!);
    }

    /// <summary>gunicorn's <c>worker_exit(server, worker)</c>, then the end of the hooks' embedded Python, if they own it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _chain.Run("worker_exit", hooks => hooks.WorkerExit(_server!, _worker!));
        Python?.Dispose();
        _loggerFactory?.Dispose();
    }

    private void RunBootHook(string hook, Action<IServerHooks> call)
    {
        try
        {
            _chain.RunOrThrow(call);
        }
        catch (Exception ex)
        {
            throw new ApplicationBootException($"Exception in {hook} hook:", ex);
        }
    }
}
