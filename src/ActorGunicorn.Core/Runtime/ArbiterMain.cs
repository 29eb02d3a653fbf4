using System.Collections;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Application;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using ActorGunicorn.Reloading;
using ActorGunicorn.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace ActorGunicorn.Runtime;

/// <summary>
/// The <c>actorgunicorn [OPTIONS] APP</c> command: read the settings, prepare the process (chdir, environment, logs,
/// pidfile), bind the listeners, then run the arbiter actor until it has stopped every worker. gunicorn's
/// <c>Arbiter.setup/start/run</c> in that order.
/// </summary>
public static class ArbiterMain
{
    /// <summary>Runs the command and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, extension: null);

    /// <summary>Runs the command with an extension started beside the arbiter, and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="extension">Started beside the arbiter once it runs (the cluster membership), or null.</param>
    public static async Task<int> RunAsync(string[] args, IArbiterExtension? extension)
    {
        ArgumentNullException.ThrowIfNull(args);
        // First thing: from now on no signal can kill the process before the arbiter has stopped its workers.
        using var signals = SignalBridge.ForArbiter();
        var startup = ArbiterStartup.Capture(args);

        // A reload (HUP) reads the configuration again as it was found at start: same arguments, environment and
        // directory, whatever --chdir did since.
        var startEnvironment = ReadEnvironment();
        var startDirectory = Directory.GetCurrentDirectory();
        LoadedConfiguration loaded;
        try
        {
            loaded = SettingsLoader.Load(args, startEnvironment, startDirectory);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync(CommandLineHelp.Usage).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName}: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (SettingsException ex)
        {
            await Console.Error.WriteLineAsync($"Error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        switch (loaded.Action)
        {
            case RequestedAction.Help:
                Console.Out.Write(CommandLineHelp.Render());
                return ExitCodes.Success;
            case RequestedAction.Version:
                Console.Out.WriteLine(CommandLineHelp.VersionText);
                return ExitCodes.Success;
            case RequestedAction.PrintConfig:
                Console.Out.Write(loaded.RenderEffectiveSettings());
                return CheckApplication(loaded.Settings);
            case RequestedAction.CheckConfig:
                return CheckApplication(loaded.Settings);
        }

        var settings = loaded.Settings;
        if (string.IsNullOrEmpty(settings.App))
        {
            await Console.Error.WriteLineAsync(CommandLineHelp.Usage).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName}: error: No application specified (APP).").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (DaemonSession.ShouldLaunch(settings))
        {
            return await DaemonSession.LaunchAsync(startup, Console.Error).ConfigureAwait(false);
        }

        var daemon = DaemonSession.Begin(settings);
        var inherited = InheritedListeners.Take();
        if (PrepareProcess(settings) is string problem)
        {
            await Console.Error.WriteLineAsync($"Error: {problem}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            // As gunicorn builds its SSL context when it creates the sockets: a bad certificate stops the start.
            ServerTls.Create(settings);
        }
        catch (SettingsException ex)
        {
            await Console.Error.WriteLineAsync($"Error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using var logger = ServerLogging.CreateErrorLogger(settings, out var statsdClient);
        using var statsd = statsdClient;
        logger.Information("Starting {Server} {Version}", CommandLineHelp.ProgramName, CommandLineHelp.Version);
        LogGunicornDifferences(loaded, logger);
        using var hooks = ArbiterHooks.TryLoad(loaded, logger);
        if (hooks is null)
        {
            return ExitCodes.UsageError;
        }

        using var pidFile = CreatePidFile(settings, inherited.UpgradeParentPid != 0, logger);
        if (settings.PidFile is not null && pidFile is null)
        {
            return ExitCodes.Failure;
        }

        if (!hooks.OnStarting())
        {
            return ExitCodes.Failure;
        }

        var listeners = await ArbiterListeners.OpenAsync(settings, inherited.Sources(settings), BindOptionsFor(settings), logger).ConfigureAwait(false);
        if (listeners is null)
        {
            return ExitCodes.Failure;
        }

        BinaryUpgrade? upgrade = null;
        try
        {
            foreach (var listener in listeners.All)
            {
                logger.Information("Listening at: {Address} ({Pid})", listener.Describe(settings.IsTls), Environment.ProcessId);
            }

            logger.Information("Using worker: {WorkerClass} (threads: {Threads})", settings.WorkerClass, settings.Threads);
            if (SystemdActivation.Notify("READY=1\nSTATUS=actorgunicorn arbiter booted") is string notifyProblem)
            {
                logger.Warning("{Problem}", notifyProblem);
            }

            if (!hooks.WhenReady())
            {
                return ExitCodes.Failure;
            }

            daemon?.Ready();
            using var loggerFactory = new SerilogLoggerFactory(logger);
            var controlLog = loggerFactory.CreateLogger("actorgunicorn.control");
            // A USR2 child finds the control socket held by its parent: it serves without one rather than not at all.
            if (!ControlServer.TryOpenSocket(settings, startEnvironment, controlLog, out var controlSocket) && inherited.UpgradeParentPid == 0)
            {
                return ExitCodes.Failure;
            }

            using var controlSocketOwner = controlSocket;
            var outcome = new TaskCompletionSource<ArbiterOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var overlay = new ConfigurationOverlay();
            var arbiterLog = loggerFactory.CreateLogger("actorgunicorn.arbiter");
            upgrade = new BinaryUpgrade(startup, inherited.UpgradeParentPid, listeners, pidFile, settings.PidFile, arbiterLog);
            using var loadBoard = LoadBoards.TryCreate(arbiterLog);
            var services = new ArbiterServices(new WorkerSpawner(listeners.All, hooks, loadBoard: loadBoard), arbiterLog)
            {
                Upgrade = upgrade,
                ReadConfiguration = generation => Reread(args, startEnvironment, startDirectory, overlay, generation, logger),
                ReopenLogFiles = settings.ErrorLog == "-" ? null : () => ServerLogging.RedirectStandardErrorTo(settings.ErrorLog, settings.CaptureOutput),
                Hooks = hooks,
                ListenerGates = listeners.Gates(() => upgrade.PeerExists),
                QueuedConnections = () => ListenBacklog.Waiting(listeners.All),
                Statsd = statsd,
            };
            var firstGeneration = new WorkerGeneration(1, settings, loaded.RenderForWorker());
            IActorRef arbiter = ActorRefs.Nobody;
            using var host = ActorSystemHost.Build(SystemName, loaded.Config, logger, settings.LogLevel, akka =>
                akka.WithActors((system, registry) =>
                {
                    arbiter = system.ActorOf(Arbiter.Props(firstGeneration, services, outcome), "arbiter");
                    registry.Register<ArbiterActorKey>(arbiter);
                    ControlServer.Start(system, controlSocket, arbiter, controlLog);
                }));
            await host.StartAsync().ConfigureAwait(false);
            signals.Attach(signal => arbiter.Tell(new Arbiter.SignalReceived(signal)));
            using var reloader = settings.Reload ? StartCodeReloader(settings, startDirectory, arbiter, logger) : null;
            IAsyncDisposable? running = null;
            try
            {
                running = extension is null ? null : await extension.StartAsync(new ArbiterExtensionContext(settings, loaded.Config, overlay, arbiter, logger)).ConfigureAwait(false);
            }
            catch (ArbiterExtensionException ex)
            {
                // As a --bind that cannot be bound: say why, stop the workers already starting, exit 1.
                logger.Error("{Problem}", ex.Message);
                arbiter.Tell(new Arbiter.SignalReceived(ServerSignal.Quit));
                await outcome.Task.ConfigureAwait(false);
                await host.StopAsync().ConfigureAwait(false);
                hooks.OnExit();
                return ExitCodes.Failure;
            }

            var result = await outcome.Task.ConfigureAwait(false);
            if (running is not null)
            {
                await running.DisposeAsync().ConfigureAwait(false);
            }

            await host.StopAsync().ConfigureAwait(false);
            hooks.OnExit();
            return result.ExitCode;
        }
        finally
        {
            // A USR2 peer still serving on the same Unix sockets keeps their files (gunicorn's stop()).
            listeners.Close(upgradePeerExists: upgrade?.PeerExists ?? inherited.UpgradeParentPid != 0);
        }
    }

    /// <summary>
    /// Reads the configuration again for a reload. The application's environment (<c>-e</c>) is applied for the new
    /// workers, which inherit it; listeners, pid file and log files stay as they are.
    /// </summary>
    private static WorkerGeneration Reread(string[] args, Dictionary<string, string?> environment, string directory, ConfigurationOverlay overlay, int generation, Serilog.ILogger logger)
    {
        var loaded = overlay.ApplyTo(SettingsLoader.Load(args, environment, directory));
        LogGunicornDifferences(loaded, logger);
        ApplyEnvironment(loaded.Settings);
        return new WorkerGeneration(generation, loaded.Settings, loaded.RenderForWorker());
    }

    // --reload: a change to the application's code reloads the workers as HUP does, new ones first.
    private static CodeReloader StartCodeReloader(ServerSettings settings, string startDirectory, IActorRef arbiter, Serilog.ILogger logger) =>
        CodeReloader.Start(
            CodeWatchPlan.For(settings, startDirectory),
            changed =>
            {
                logger.Information("Worker reloading: {File} modified", changed);
                arbiter.Tell(Arbiter.Reload.Instance);
            },
            problem => logger.Warning("{Problem}", problem));

    // One WARNING per gunicorn setting given a value this server carries out differently, at start and at every reload.
    private static void LogGunicornDifferences(LoadedConfiguration loaded, Serilog.ILogger logger)
    {
        foreach (var warning in GunicornParity.Warnings(loaded.Config))
        {
            logger.Warning("{Difference}", warning);
        }
    }

    /// <summary>The arbiter's actor system name; every arbiter of a cluster has the same.</summary>
    public const string SystemName = "actorgunicorn";

    /// <summary>The key under which the arbiter actor is registered in the <see cref="ActorRegistry"/>.</summary>
    public sealed class ArbiterActorKey
    {
        private ArbiterActorKey()
        {
        }
    }

    /// <summary>--check-config: load the application the way a worker would, then exit 0 or 1.</summary>
    private static int CheckApplication(ServerSettings settings)
    {
        if (string.IsNullOrEmpty(settings.App))
        {
            Console.Error.WriteLine("Error: No application specified (APP).");
            return ExitCodes.Failure;
        }

        if ((PrepareProcess(settings) ?? ArbiterHooks.CheckDotNetHooks(settings)) is string problem)
        {
            Console.Error.WriteLine($"Error: {problem}");
            return ExitCodes.Failure;
        }

        try
        {
            var application = ApplicationLoader.Load(settings);
            (application as IDisposable)?.Dispose();
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is ApplicationLoadException or ApplicationBootException)
        {
            Console.Error.WriteLine(ex.InnerException is null ? $"Error: {ex.Message}" : $"Error: {ex.Message}\n{ex.InnerException}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>gunicorn's setup steps that touch the process: chdir, -e variables, --log-file. Null when all went well.</summary>
    private static string? PrepareProcess(ServerSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.Chdir))
        {
            try
            {
                Directory.SetCurrentDirectory(settings.Chdir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"--chdir: cannot change directory to '{settings.Chdir}': {ex.Message}";
            }
        }

        ApplyEnvironment(settings);

        if (settings.ErrorLog != "-")
        {
            try
            {
                ServerLogging.RedirectStandardErrorTo(settings.ErrorLog, settings.CaptureOutput);
            }
            catch (IOException ex)
            {
                return $"--log-file: {ex.Message}";
            }
        }

        return null;
    }

    private static void ApplyEnvironment(ServerSettings settings)
    {
        foreach (var (name, value) in settings.Env)
        {
            // Both copies: .NET's (inherited by workers through Process.Start) and the C library's (read by native
            // code, and by an embedded Python interpreter).
            Environment.SetEnvironmentVariable(name, value);
            Libc.SetEnv(name, value, overwrite: 1);
        }
    }

    // A USR2 child writes PIDFILE.2 while its parent runs, and takes the configured name when promoted.
    private static PidFile? CreatePidFile(ServerSettings settings, bool upgradeChild, Serilog.ILogger logger)
    {
        if (settings.PidFile is null)
        {
            return null;
        }

        var path = UpgradeDecisions.PidFileFor(settings.PidFile, upgradeChild);
        try
        {
            return PidFile.Create(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Error("--pid: cannot write '{Path}': {Message}", path, ex.Message);
            return null;
        }
    }

    // A Unix socket file belongs to the workers' user, so that it can be managed (and removed) as that user.
    private static BindOptions BindOptionsFor(ServerSettings settings)
    {
        var identity = WorkerIdentity.From(settings);
        return new BindOptions(settings.ReusePort, settings.Umask, identity.Uid, identity.Gid);
    }

    private static Dictionary<string, string?> ReadEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string;
        }

        return environment;
    }
}
