using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Routing;
using Akka.Util;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// The invokers' router when there is more than one. Akka's SmallestMailboxPool counts only queued messages, so an
/// invoker busy in the application (its message already dequeued, or its mailbox suspended while an asynchronous
/// application runs) looks idle and gets the next request, which then waits behind the busy one while other
/// invokers sit idle: one stuck request would hold up another. Here each invoker's exchanges are counted from the
/// moment they are routed to it until they finish, and the router picks an invoker with none, else the least loaded.
/// </summary>
internal sealed class LeastBusyPool : Pool
{
    public LeastBusyPool(int instances, InvokerLoad load)
        : base(instances, null, DefaultSupervisorStrategy, Dispatchers.DefaultDispatcherId, usePoolDispatcher: false) =>
        Load = load;

    /// <summary>The exchanges each invoker holds.</summary>
    public InvokerLoad Load { get; }

    public override int GetNrOfInstances(ActorSystem system) => NrOfInstances;

    public override Router CreateRouter(ActorSystem system) => new(new LeastBusyRoutingLogic(Load));

    public override ISurrogate ToSurrogate(ActorSystem system) =>
        throw new NotSupportedException("The invoker pool belongs to its worker process and is never sent anywhere.");
}

/// <summary>Picks an idle invoker (scanning from a rotating start, so ties spread), else the least loaded one.</summary>
internal sealed class LeastBusyRoutingLogic(InvokerLoad load) : RoutingLogic
{
    private int _next;

    public override Routee Select(object message, Routee[] routees)
    {
        if (routees.Length == 0)
        {
            return Routee.NoRoutee;
        }

        int start = (Interlocked.Increment(ref _next) & int.MaxValue) % routees.Length;
        Routee best = routees[start];
        StrongBox<int>? bestCount = null;
        int bestLoad = int.MaxValue;
        for (int i = 0; i < routees.Length; i++)
        {
            var routee = routees[(start + i) % routees.Length];
            if (routee is not ActorRefRoutee { Actor: var invoker })
            {
                continue;
            }

            var count = load.For(invoker);
            int current = Volatile.Read(ref count.Value);
            if (current < bestLoad)
            {
                (best, bestCount, bestLoad) = (routee, count, current);
                if (current == 0)
                {
                    break;
                }
            }
        }

        if (bestCount is not null)
        {
            Interlocked.Increment(ref bestCount.Value);
        }

        return best;
    }
}

/// <summary>How many exchanges each invoker holds (routed to it and not finished), shared by router and invokers.</summary>
internal sealed class InvokerLoad
{
    private readonly ConcurrentDictionary<IActorRef, StrongBox<int>> _exchanges = new();

    /// <summary>The counter of one invoker (created on first use, by whichever side comes first).</summary>
    public StrongBox<int> For(IActorRef invoker) => _exchanges.GetOrAdd(invoker, static _ => new StrongBox<int>());
}
