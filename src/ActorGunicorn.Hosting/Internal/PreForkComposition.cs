using System.Text;
using Akka.Configuration;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Transport;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// Pre-fork mode: the arbiter actor as a child of the server actor, spawning worker processes of the
/// <c>actorgunicorn</c> executable for the <c>app</c> setting, exactly as the command line does (without its
/// process-wide parts: signals, pid file, control socket and daemon mode stay the host's business).
/// </summary>
internal static class PreForkComposition
{
    /// <summary>The executable's file name, looked for next to the host's assemblies and then on <c>PATH</c>.</summary>
    public const string ExecutableName = "actorgunicorn";

    public static ServedTree Compose(ServerSettings settings, Config config, ActorGunicornSetup setup, ILoggerFactory loggerFactory)
    {
        var executable = FindExecutable(setup.WorkerExecutable);
        // Inheritable only while a worker is started: the host's other child processes must not hold the port.
        var listeners = Listeners.Open(settings);
        var log = loggerFactory.CreateLogger("actorgunicorn.arbiter");
        if (log.IsEnabled(LogLevel.Information))
        {
            foreach (var listener in listeners)
            {
                log.ListeningAt(listener.Describe(settings.IsTls), Environment.ProcessId);
            }
        }

        var outcome = new TaskCompletionSource<ArbiterOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loadBoard = LoadBoards.TryCreate(log);
        var services = new ArbiterServices(new WorkerSpawner(listeners, hooks: null, executable, listenersInheritableOnlyWhileSpawning: true, loadBoard), log)
        {
            ListenerGates = new ListenerGates(listeners, upgradePeerExists: () => false),
            QueuedConnections = () => ListenBacklog.Waiting(listeners),
        };
        var generation = new WorkerGeneration(1, settings, WorkerConfiguration(config));
        return new ServedTree(
            listeners,
            context => context.ActorOf(Arbiter.Props(generation, services, outcome), "arbiter"),
            () => new Arbiter.SignalReceived(ServerSignal.Term),
            outcome.Task.ContinueWith(_ => loadBoard?.Dispose(), TaskScheduler.Default));
    }

    /// <summary>
    /// The settings the workers boot from: every table setting's effective value, as one line each. Only the
    /// server's block: the host's own configuration (its <c>akka</c> settings) is not the workers' business.
    /// </summary>
    public static string WorkerConfiguration(Config config)
    {
        var hocon = new StringBuilder();
        foreach (var setting in SettingsTable.All.Where(setting => setting.HoconPath is not null))
        {
            hocon.Append(setting.HoconPath).Append(" = ").Append(setting.RenderFrom(config)).Append('\n');
        }

        return hocon.ToString();
    }

    private static string FindExecutable(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new SettingsException(
                    $"{nameof(ActorGunicornOptions)}.{nameof(ActorGunicornOptions.WorkerExecutable)}: no executable at '{configured}'");
        }

        var candidates = new[] { Path.Combine(AppContext.BaseDirectory, ExecutableName) }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, ExecutableName)));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new SettingsException(
                $"{nameof(ActorGunicornOptions)}.{nameof(ActorGunicornOptions.WorkerExecutable)}: pre-fork mode needs the "
                + $"'{ExecutableName}' executable, found neither next to the host ({AppContext.BaseDirectory}) nor on PATH; name it with this option");
    }
}
