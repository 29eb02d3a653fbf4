using Xunit;

namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>
/// The specs that start pre-fork worker processes. Those workers are children of this test process, and a spec that
/// checks that none of them remains (after its host stopped) counts the children of this process: another class's
/// workers, started in parallel, were counted too, and failed it about once in seven runs. Specs in this collection
/// run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerProcessSpecs
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Pre-fork worker processes";
}
