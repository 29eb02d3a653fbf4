using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorGunicorn.Hosting;

/// <summary>
/// Runs ActorGunicorn inside an Akka.Hosting actor system. Every overload funnels into
/// <see cref="WithActorGunicorn(AkkaConfigurationBuilder, ActorGunicornOptions, ActorGunicornSetup)"/>:
/// the options become HOCON in front of the defaults, the setup carries what HOCON cannot, and the server actor is
/// registered under <see cref="ActorGunicornServer"/>. The server starts with the host and stops gracefully when the
/// host stops (<see cref="IHostApplicationLifetime.ApplicationStopping"/>; coordinated shutdown waits for it).
/// </summary>
public static class ActorGunicornHostingExtensions
{
    /// <summary>In-process mode: serves a .NET gateway application inside the host's actor system.</summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="application">The application.</param>
    /// <param name="configure">Sets options; null keeps the defaults (127.0.0.1:8000).</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithActorGunicorn(this AkkaConfigurationBuilder builder, IGatewayApplication application, Action<ActorGunicornOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        return builder.WithActorGunicorn(Configure(configure), new ActorGunicornSetup { Application = application });
    }

    /// <summary>In-process mode: serves a delegate as the application.</summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="application">Called once per request, as <see cref="IGatewayApplication.InvokeAsync"/>.</param>
    /// <param name="configure">Sets options; null keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithActorGunicorn(this AkkaConfigurationBuilder builder, Func<IGatewayRequest, IGatewayResponse, ValueTask> application, Action<ActorGunicornOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        return builder.WithActorGunicorn(new DelegateApplication(application), configure);
    }

    /// <summary>In-process mode: serves each request as a message to an actor (see <see cref="ActorHandler"/>).</summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="handler">The handler: <see cref="ActorHandler.FromProps"/> or <see cref="ActorHandler.Registered{TKey}"/>.</param>
    /// <param name="configure">Sets options; null keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithActorGunicorn(this AkkaConfigurationBuilder builder, ActorHandler handler, Action<ActorGunicornOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.WithActorGunicorn(Configure(configure), new ActorGunicornSetup { Handler = handler });
    }

    /// <summary>Pre-fork mode: the host runs the arbiter, which spawns worker processes serving <paramref name="app"/>.</summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="app">The application, as the command line names it: <c>App.dll</c> or a WSGI <c>module:variable</c>.</param>
    /// <param name="configure">Sets options (workers, the worker executable…); null keeps the defaults.</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithActorGunicorn(this AkkaConfigurationBuilder builder, string app, Action<ActorGunicornOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(app);
        var options = Configure(configure);
        options.App = app;
        return builder.WithActorGunicorn(options, new ActorGunicornSetup());
    }

    /// <summary>
    /// The funnel: renders <paramref name="options"/> in front of the defaults, adds <paramref name="setup"/>, and
    /// starts the server with the actor system. In-process when the setup names an application or handler,
    /// pre-fork when the options name an <see cref="ActorGunicornOptions.App"/>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="options">The server's settings.</param>
    /// <param name="setup">What HOCON cannot hold.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="SettingsException">An option is invalid, or the options and setup name no application or two.</exception>
    public static AkkaConfigurationBuilder WithActorGunicorn(this AkkaConfigurationBuilder builder, ActorGunicornOptions options, ActorGunicornSetup setup)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(setup);
        int named = (setup.Application is null ? 0 : 1) + (setup.Handler is null ? 0 : 1) + (options.App is null ? 0 : 1);
        if (named != 1)
        {
            throw new SettingsException(
                "WithActorGunicorn: name exactly one thing to serve: an application or an actor handler (in-process), or ActorGunicornOptions.App (pre-fork)");
        }

        var preFork = options.App is not null;
        // The options' worker executable is not HOCON: it travels with the rest of what HOCON cannot hold.
        var effective = new ActorGunicornSetup
        {
            Application = setup.Application,
            Handler = setup.Handler,
            WorkerExecutable = setup.WorkerExecutable ?? options.WorkerExecutable,
        };
        builder.AddHocon(options.ToConfig().WithFallback(ShutdownPhase(options)), HoconAddMode.Prepend);
        builder.AddSetup(effective);
        builder.WithActors((system, registry, resolver) => Start(system, registry, resolver, preFork));
        return builder;
    }

    private static ActorGunicornOptions Configure(Action<ActorGunicornOptions>? configure)
    {
        var options = new ActorGunicornOptions();
        configure?.Invoke(options);
        return options;
    }

    // Coordinated shutdown waits for the drain in service-requests-done: give that phase the graceful timeout and
    // some room for the workers' exit (Akka's default is 5 s).
    private static Config ShutdownPhase(ActorGunicornOptions options)
    {
        var graceful = options.GracefulTimeout ?? SettingsTable.GracefulTimeout.Default;
        var seconds = (graceful + StopMargin).TotalSeconds.ToString(CultureInfo.InvariantCulture);
        return ConfigurationFactory.ParseString($"akka.coordinated-shutdown.phases.service-requests-done.timeout = {seconds}s");
    }

    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    private static void Start(ActorSystem system, IActorRegistry registry, Akka.DependencyInjection.IDependencyResolver resolver, bool preFork)
    {
        var setup = system.Settings.Setup.Get<ActorGunicornSetup>().Value;
        var config = system.Settings.Config;
        var settings = ServerSettings.Create(config);
        var loggerFactory = resolver.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var tree = preFork
            ? PreForkComposition.Compose(settings, config, setup, loggerFactory)
            : InProcessComposition.Compose(settings, setup, registry, loggerFactory);
        var server = system.ActorOf(ActorGunicornServer.Props(tree), "actorgunicorn");
        registry.Register<ActorGunicornServer>(server);

        // Stopping begins as soon as the host starts to stop; coordinated shutdown then waits for it to finish.
        resolver.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => server.Tell(ActorGunicornServer.StopServing.Instance));
        var stopTimeout = settings.GracefulTimeout + StopMargin;
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actorgunicorn-stop", async () =>
        {
            await server.Ask<ActorGunicornServer.Stopped>(ActorGunicornServer.StopServing.Instance, stopTimeout).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }
}
