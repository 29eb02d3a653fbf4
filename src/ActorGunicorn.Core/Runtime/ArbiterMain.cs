using System.Collections;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Application;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket;
using ActorGunicorn.Hooks;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
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
    private const int BindAttempts = 5;

    /// <summary>Runs the command and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // First thing: from now on no signal can kill the process before the arbiter has stopped its workers.
        using var signals = SignalBridge.ForArbiter();

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

        using var logger = ServerLogging.CreateErrorLogger(settings.LogLevel);
        logger.Information("Starting {Server} {Version}", CommandLineHelp.ProgramName, CommandLineHelp.Version);
        using var hooks = ArbiterHooks.TryLoad(loaded, logger);
        if (hooks is null)
        {
            return ExitCodes.UsageError;
        }

        using var pidFile = CreatePidFile(settings, logger);
        if (settings.PidFile is not null && pidFile is null)
        {
            return ExitCodes.Failure;
        }

        if (!hooks.OnStarting())
        {
            return ExitCodes.Failure;
        }

        var listeners = await BindListenersAsync(settings, logger).ConfigureAwait(false);
        if (listeners is null)
        {
            return ExitCodes.Failure;
        }

        try
        {
            foreach (var listener in listeners)
            {
                logger.Information("Listening at: {Address} ({Pid})", listener.Describe(settings.IsTls), Environment.ProcessId);
            }

            logger.Information("Using worker: actor (threads: {Threads})", settings.Threads);
            if (!hooks.WhenReady())
            {
                return ExitCodes.Failure;
            }

            using var loggerFactory = new SerilogLoggerFactory(logger);
            var controlLog = loggerFactory.CreateLogger("actorgunicorn.control");
            if (!ControlServer.TryOpenSocket(settings, startEnvironment, controlLog, out var controlSocket))
            {
                return ExitCodes.Failure;
            }

            using var controlSocketOwner = controlSocket;
            var outcome = new TaskCompletionSource<ArbiterOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var services = new ArbiterServices(new WorkerSpawner(listeners, hooks), loggerFactory.CreateLogger("actorgunicorn.arbiter"))
            {
                ReadConfiguration = generation => Reread(args, startEnvironment, startDirectory, generation),
                ReopenLogFiles = settings.ErrorLog == "-" ? null : () => ServerLogging.RedirectStandardErrorTo(settings.ErrorLog),
                Hooks = hooks,
            };
            var firstGeneration = new WorkerGeneration(1, settings, loaded.RenderForWorker());
            IActorRef arbiter = ActorRefs.Nobody;
            using var host = ActorSystemHost.Build("actorgunicorn", loaded.Config, logger, settings.LogLevel, akka =>
                akka.WithActors((system, registry) =>
                {
                    arbiter = system.ActorOf(Arbiter.Props(firstGeneration, services, outcome), "arbiter");
                    registry.Register<ArbiterActorKey>(arbiter);
                    ControlServer.Start(system, controlSocket, arbiter, controlLog);
                }));
            await host.StartAsync().ConfigureAwait(false);
            signals.Attach(signal => arbiter.Tell(new Arbiter.SignalReceived(signal)));
            var result = await outcome.Task.ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
            hooks.OnExit();
            return result.ExitCode;
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
                if (listener.Address is UnixBindAddress unix)
                {
                    File.Delete(unix.Path);
                }
            }
        }
    }

    /// <summary>
    /// Reads the configuration again for a reload. The application's environment (<c>-e</c>) is applied for the new
    /// workers, which inherit it; listeners, pid file and log files stay as they are.
    /// </summary>
    private static WorkerGeneration Reread(string[] args, Dictionary<string, string?> environment, string directory, int generation)
    {
        var loaded = SettingsLoader.Load(args, environment, directory);
        ApplyEnvironment(loaded.Settings);
        return new WorkerGeneration(generation, loaded.Settings, loaded.RenderForWorker());
    }

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
                ServerLogging.RedirectStandardErrorTo(settings.ErrorLog);
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

    private static PidFile? CreatePidFile(ServerSettings settings, Serilog.ILogger logger)
    {
        if (settings.PidFile is null)
        {
            return null;
        }

        try
        {
            return PidFile.Create(settings.PidFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Error("--pid: cannot write '{Path}': {Message}", settings.PidFile, ex.Message);
            return null;
        }
    }

    /// <summary>Binds every address, retrying an address in use five times a second apart, as gunicorn does.</summary>
    private static async Task<List<Listener>?> BindListenersAsync(ServerSettings settings, Serilog.ILogger logger)
    {
        var listeners = new List<Listener>();
        foreach (var address in settings.Bind)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    listeners.Add(Listener.Bind(address, settings.Backlog));
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < BindAttempts)
                {
                    logger.Error("Connection in use: {Address}", address);
                    logger.Debug("Retrying in 1 second.");
                    await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
                {
                    logger.Error("Can't connect to {Address}: {Message}", address, ex.Message);
                    listeners.ForEach(l => l.Dispose());
                    return null;
                }
            }
        }

        return listeners;
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
