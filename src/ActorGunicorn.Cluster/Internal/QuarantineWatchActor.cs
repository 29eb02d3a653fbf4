using Akka.Actor;
using Akka.Remote;

namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// Tells the membership when a member of its cluster has quarantined this system. Akka.Cluster does not act on it:
/// a node frozen or cut off until the others removed it can then never talk to them again, and only its own
/// split-brain resolver, if it decides at all, would let it go. The membership rebuilds the system at once instead.
/// </summary>
internal sealed class QuarantineWatchActor : ReceiveActor
{
    public QuarantineWatchActor(Action<Address> quarantinedByMember)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ThisActorSystemQuarantinedEvent>(e =>
        {
            // A quarantine by an old incarnation of some host says nothing about the current cluster.
            if (cluster.State.Members.Any(m => m.Address == e.RemoteAddress))
            {
                quarantinedByMember(e.RemoteAddress);
            }
        });
    }

    public static Props Props(Action<Address> quarantinedByMember) =>
        Akka.Actor.Props.Create(() => new QuarantineWatchActor(quarantinedByMember));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(ThisActorSystemQuarantinedEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
