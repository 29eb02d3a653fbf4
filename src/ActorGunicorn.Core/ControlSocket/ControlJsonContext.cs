using System.Text.Json.Serialization;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// The reply data's JSON form, generated at compile time: snake_case names as gunicorn's control socket uses, and no
/// reflection, so <c>actorgunicorn ctl</c> (a short-lived process) does not pay for building serializers at start.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ControlStatusData))]
[JsonSerializable(typeof(ControlStatsData))]
[JsonSerializable(typeof(ControlCommandData))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
