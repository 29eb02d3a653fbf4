using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog.Extensions.Logging;

namespace ActorGunicorn.Hooks;

/// <summary>
/// The arbiter's server hooks: the .NET class <c>--server-hooks</c> names, then the Python configuration's. Python is
/// embedded in the arbiter only when the configuration defines an arbiter-side hook (on_starting, on_reload,
/// when_ready, pre_fork, child_exit, nworkers_changed, on_exit); otherwise the arbiter stays free of it.
/// </summary>
/// <remarks>
/// Each call site is one line. Calls are serialised (worker-process actors spawn in parallel), so a hook never runs
/// concurrently with another, as in gunicorn's single-threaded master. As in gunicorn, an exception from on_starting
/// or when_ready stops the start; any other is logged and the arbiter carries on.
/// </remarks>
internal sealed class ArbiterHooks : IDisposable
{
    private readonly HookChain _chain;
    private readonly HookServer _server;
    private readonly PythonHooks? _python;
    private readonly SerilogLoggerFactory? _loggerFactory;
    private readonly Lock _lock = new();

    private ArbiterHooks(HookChain chain, HookServer server, PythonHooks? python, SerilogLoggerFactory? loggerFactory)
    {
        _chain = chain;
        _server = server;
        _python = python;
        _loggerFactory = loggerFactory;
    }

    /// <summary>No hooks: every call does nothing.</summary>
    public static ArbiterHooks None { get; } = new(
        new HookChain([], NullLogger.Instance),
        new HookServer(Environment.ProcessId, 0, new ServerLogAdapter(NullLogger.Instance), () => new Dictionary<string, object?>()),
        python: null,
        loggerFactory: null);

    /// <summary>Loads the hooks the configuration names. Call it after <c>--chdir</c> has been applied.</summary>
    /// <exception cref="SettingsException">The .NET class cannot be loaded, or the Python configuration's hooks cannot be run here; the message says why.</exception>
    public static ArbiterHooks Load(LoadedConfiguration loaded, Serilog.ILogger logger)
    {
        var settings = loaded.Settings;
        bool python = loaded.PythonConfig?.DefinesAny(HookNames.Arbiter) == true;
        if (settings.ServerHooks is null && !python)
        {
            return None;
        }

        var loggerFactory = new SerilogLoggerFactory(logger);
        var log = loggerFactory.CreateLogger("actorgunicorn.hooks");
        var server = new HookServer(Environment.ProcessId, settings.Workers, new ServerLogAdapter(log), () => SettingsSnapshot.From(loaded.Config));
        var hooks = new List<IServerHooks>();
        if (settings.ServerHooks is { } spec)
        {
            hooks.Add(DotNetHooks.Load(spec));
        }

        PythonHooks? pythonHooks = null;
        if (python)
        {
            pythonHooks = LoadPython(loaded.PythonConfig!, settings, server, log);
            hooks.Add(pythonHooks);
        }

        return new ArbiterHooks(new HookChain(hooks, log), server, pythonHooks, loggerFactory);
    }

    /// <summary>
    /// <see cref="Load"/>, with a failure logged (the message names the setting or the file) and null returned: the
    /// arbiter exits with <see cref="ExitCodes.UsageError"/>. Also notes, at debug level, the Python configuration's
    /// names that are not settings, which gunicorn ignores silently, and warns of gunicorn's own names among them
    /// that this server does not carry out.
    /// </summary>
    public static ArbiterHooks? TryLoad(LoadedConfiguration loaded, Serilog.ILogger logger)
    {
        if (loaded.PythonConfig is { IgnoredNames.Count: > 0 } python)
        {
            logger.Debug("Ignoring names in {Location} that are not settings: {Names}", python.Location, string.Join(", ", python.IgnoredNames));
            foreach (var warning in GunicornParity.PythonConfigWarnings(python.IgnoredNames, python.Location))
            {
                logger.Warning("{Difference}", warning);
            }
        }

        try
        {
            return Load(loaded, logger);
        }
        catch (SettingsException ex)
        {
            logger.Error("{Message}", ex.Message);
            return null;
        }
    }

    /// <summary>For <c>--check-config</c>: loads the .NET hooks class, if one is named, and returns the problem, or null.</summary>
    public static string? CheckDotNetHooks(ServerSettings settings)
    {
        try
        {
            _ = settings.ServerHooks is { } spec ? DotNetHooks.Load(spec) : null;
            return null;
        }
        catch (SettingsException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>gunicorn's <c>on_starting(server)</c>, before the listeners are bound. False when it raised (logged): the start fails.</summary>
    public bool OnStarting() => Locked(() => _chain.TryRun("on_starting", hooks => hooks.OnStarting(_server)));

    /// <summary>gunicorn's <c>when_ready(server)</c>, before the first worker starts. False when it raised (logged): the start fails.</summary>
    public bool WhenReady() => Locked(() => _chain.TryRun("when_ready", hooks => hooks.WhenReady(_server)));

    /// <summary>gunicorn's <c>pre_fork(server, worker)</c>, before the worker of age <paramref name="age"/> is started.</summary>
    public void PreFork(int age) => Run("pre_fork", hooks => hooks.PreFork(_server, Worker(pid: 0, age)));

    /// <summary>gunicorn's <c>child_exit(server, worker)</c>, after the worker process has exited.</summary>
    public void ChildExit(int pid, int age) => Run("child_exit", hooks => hooks.ChildExit(_server, Worker(pid, age)));

    /// <summary>
    /// gunicorn's <c>nworkers_changed(server, new, old)</c>, when TTIN, TTOU, the control socket or load scaling
    /// (<c>--max-workers</c>) changed the number of workers; nothing when it did not change (TTOU at one worker).
    /// </summary>
    public void NumWorkersChanged(int newValue, int oldValue)
    {
        if (newValue == oldValue)
        {
            return;
        }

        _server.NumWorkers = newValue;
        Run("nworkers_changed", hooks => hooks.NumWorkersChanged(_server, newValue, oldValue));
    }

    /// <summary>gunicorn's <c>on_reload(server)</c>, when SIGHUP reloads the configuration.</summary>
    public void OnReload() => Run("on_reload", hooks => hooks.OnReload(_server));

    /// <summary>gunicorn's <c>on_exit(server)</c>, just before the arbiter exits.</summary>
    public void OnExit() => Run("on_exit", hooks => hooks.OnExit(_server));

    /// <summary>Finalises the embedded Python, if the hooks needed one (its atexit handlers run).</summary>
    public void Dispose()
    {
        _python?.Dispose();
        _loggerFactory?.Dispose();
    }

    private static PythonHooks LoadPython(PythonConfig config, ServerSettings settings, HookServer server, ILogger log)
    {
        try
        {
            var hooks = PythonHooks.Load(new PythonHooksOptions
            {
                Location = config.Location,
                Python = settings.Python,
                SearchPath = PythonConfigFile.SearchPath(settings.PythonPath, Directory.GetCurrentDirectory()),
                Settings = server.Settings,
                ServerPid = server.Pid,
                NumWorkers = server.NumWorkers,
                Logger = log,
            });
            log.HooksLoaded(config.Location, hooks.Defined);
            return hooks;
        }
        catch (Exception ex) when (ex is PythonUnavailableException or PythonException)
        {
            throw new SettingsException($"cannot run the hooks of {config.Location} in the arbiter: {ex.Message.TrimEnd()}", ex);
        }
    }

    private HookWorker Worker(int pid, int age) => new(pid, _server.Pid, age, _server.Log);

    private void Run(string hook, Action<IServerHooks> call) => Locked(() =>
    {
        _chain.Run(hook, call);
        return true;
    });

    private bool Locked(Func<bool> run)
    {
        if (_chain.Hooks.Count == 0)
        {
            return true;
        }

        lock (_lock)
        {
            return run();
        }
    }
}
