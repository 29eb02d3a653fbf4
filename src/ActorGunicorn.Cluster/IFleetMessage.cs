namespace ActorGunicorn.Cluster;

/// <summary>
/// Marks a message that crosses the network between arbiters, or between <c>actorgunicorn ctl --cluster</c> and the
/// fleet. The marker is bound to <see cref="Serialization.FleetMessageSerializer"/> in HOCON
/// (<c>serialization-bindings</c>), so every such message has a hand-written wire form with a round-trip test.
/// </summary>
public interface IFleetMessage
{
}
