using Akka.Configuration;
using Akka.Hosting;
using Akka.Logger.Serilog;
using ActorGunicorn.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace ActorGunicorn.Runtime;

/// <summary>
/// Builds the generic host that runs a process's actor system through Akka.Hosting, in the arbiter and in every
/// worker. Akka's logs reach Serilog through Akka.Logger.Serilog's logger actor, which writes to Serilog's shared
/// logger: the process's error logger is made that logger here. (Akka.Hosting's own Microsoft.Extensions.Logging lines
/// reach the same logger through Serilog.Extensions.Logging.)
/// The host gets no console lifetime: the process's own signal handling (see <see cref="SignalBridge"/>) decides
/// when to stop, never the host's default Ctrl+C / SIGTERM handler.
/// </summary>
internal static class ActorSystemHost
{
    // Akka settings the server needs whatever the user configures; a user's `akka { }` block still overrides them.
    private static readonly Config ServerAkkaDefaults = ConfigurationFactory.ParseString("""
        akka {
          # stdout is the access log's destination with `--access-logfile -`: keep Akka's own console logger off it.
          stdout-loglevel = OFF
          log-dead-letters-during-shutdown = off
          # The process decides when the actor system ends (after draining), not the runtime's exit hook.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          # Akka's default scheduler wakes at every tick whether or not a timer is due (see TimerQueueScheduler).
          scheduler.implementation = "ActorGunicorn.Runtime.TimerQueueScheduler, ActorGunicorn.Core"
        }
        """);

    public static IHost Build(string systemName, Config config, Serilog.ILogger logger, LogLevel level, Action<AkkaConfigurationBuilder> configureActors)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddSerilog(logger, dispose: false);
        Log.Logger = logger;
        builder.Services.AddAkka(systemName, (akka, _) =>
        {
            akka.AddHocon(config.WithFallback(ServerAkkaDefaults), HoconAddMode.Prepend);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = ServerLogging.ToAkkaLevel(level);
                loggers.ClearLoggers();
                loggers.AddSerilogLogging();
            });
            configureActors(akka);
        });
        return builder.Build();
    }

    /// <summary>A lifetime that neither waits for nor reacts to console signals: the process owns them.</summary>
    private sealed class ProcessOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
