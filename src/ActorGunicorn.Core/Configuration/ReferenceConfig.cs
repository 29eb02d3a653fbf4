using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// The embedded <c>reference.conf</c>: every setting's default in an <c>actorgunicorn { }</c> block, generated from
/// the settings table. It is the lowest configuration layer.
/// </summary>
public static class ReferenceConfig
{
    /// <summary>The logical name of the embedded resource.</summary>
    public const string ResourceName = "ActorGunicorn.reference.conf";

    private static readonly Lazy<Config> Parsed = new(() =>
        ConfigurationFactory.FromResource(ResourceName, typeof(ReferenceConfig).Assembly));

    /// <summary>The parsed reference configuration, to use as the fallback of every other layer.</summary>
    /// <returns>The reference configuration.</returns>
    public static Config Load() => Parsed.Value;
}
