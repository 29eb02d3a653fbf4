using Akka.Actor.Setup;
using Akka.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The worker's actors on the application's own threads: for an application that implements
/// <see cref="IGatewayThreadHooks"/> (WSGI), the default dispatcher runs on <c>--threads</c> dedicated threads the
/// application has prepared, and the invoker calls it inline. Carried into the actor system as a <see cref="Setup"/>,
/// because a dispatcher's executor is created by Akka from configuration and can reach nothing else.
/// </summary>
internal sealed class ApplicationThreads : Setup
{
    /// <summary>The HOCON that puts the default dispatcher on these threads.</summary>
    public static readonly Config DispatcherConfig = ConfigurationFactory.ParseString(
        $"akka.actor.default-dispatcher.executor = \"{typeof(ApplicationThreadExecutorConfigurator).FullName}, {typeof(ApplicationThreadExecutorConfigurator).Assembly.GetName().Name}\"");

    private ApplicationThreadExecutor? _executor;

    public ApplicationThreads(IGatewayThreadHooks hooks, int count)
    {
        Hooks = hooks;
        Count = count;
    }

    public IGatewayThreadHooks Hooks { get; }

    public int Count { get; }

    /// <summary>Creates the executor (once: Akka asks when the dispatcher is first used).</summary>
    internal ApplicationThreadExecutor CreateExecutor(string id) =>
        _executor ??= new ApplicationThreadExecutor(id, Count, Hooks);

    /// <summary>
    /// Stops the threads and waits for them, after the actor system has stopped: the application may then release
    /// what its threads held (finalise an interpreter).
    /// </summary>
    public void StopAndJoin(TimeSpan timeout) => _executor?.StopAndJoin(timeout);
}
