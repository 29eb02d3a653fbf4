using System.Text.Json.Serialization;

namespace ActorGunicorn.Cluster.Ctl;

/// <summary>Source-generated JSON for <c>ctl --cluster --json status</c>, in the control socket's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FleetCoordinator.FleetStatus))]
internal sealed partial class FleetJsonContext : JsonSerializerContext
{
}
