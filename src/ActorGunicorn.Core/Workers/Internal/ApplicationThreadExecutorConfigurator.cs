using Akka.Configuration;
using Akka.Dispatch;

namespace ActorGunicorn.Workers.Internal;

/// <summary>Named in the dispatcher's <c>executor</c> setting; Akka creates it by reflection.</summary>
internal sealed class ApplicationThreadExecutorConfigurator : ExecutorServiceConfigurator
{
    public ApplicationThreadExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
    }

    public override ExecutorService Produce(string id)
    {
        var threads = Prerequisites.Settings.Setup.Get<ApplicationThreads>();
        return threads.HasValue
            ? threads.Value.CreateExecutor(id)
            : throw new ConfigurationException($"The dispatcher '{id}' runs on application threads, but the actor system has no {nameof(ApplicationThreads)} setup.");
    }
}
