using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A HOCON layer handed to this arbiter at run time (by the fleet coordinator of a cluster) that every later reload
/// lays over the configuration it reads, with the version the fleet gave it. Written from one actor and read from
/// the reload; the pair is swapped as one reference, so a reader never sees a version with another's text.
/// </summary>
public sealed class ConfigurationOverlay
{
    private State _current = new(0, string.Empty, Config.Empty);

    /// <summary>The version of the overlay in force; 0 while none has been applied.</summary>
    public long Version => Volatile.Read(ref _current).Version;

    /// <summary>The overlay's HOCON text; empty while none has been applied.</summary>
    public string Text => Volatile.Read(ref _current).Text;

    /// <summary>
    /// Checks <paramref name="hocon"/> over <paramref name="baseConfig"/> (the settings must still be valid) and makes
    /// it the overlay for the next reload.
    /// </summary>
    /// <param name="version">The fleet's version of this overlay.</param>
    /// <param name="hocon">The overlay, for example <c>actorgunicorn { workers = 3 }</c>.</param>
    /// <param name="baseConfig">The configuration the overlay will be laid over.</param>
    /// <exception cref="SettingsException">The text is not HOCON, or a setting it gives is invalid; the message names it.</exception>
    public void Apply(long version, string hocon, Config baseConfig)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        ArgumentNullException.ThrowIfNull(baseConfig);
        var overlay = HoconFile.ParseText(hocon, $"the fleet's configuration overlay (version {version})");
        ServerSettings.Create(overlay.WithFallback(baseConfig));
        Volatile.Write(ref _current, new State(version, hocon, overlay));
    }

    /// <summary>Lays the overlay over a freshly read configuration.</summary>
    /// <param name="loaded">The configuration as the settings loader read it.</param>
    /// <returns><paramref name="loaded"/> itself while no overlay is set, else the configuration with the overlay on top.</returns>
    public LoadedConfiguration ApplyTo(LoadedConfiguration loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var current = Volatile.Read(ref _current);
        if (current.Version == 0)
        {
            return loaded;
        }

        var config = current.Config.WithFallback(loaded.Config);
        return new LoadedConfiguration(config, ServerSettings.Create(config), loaded.Action, loaded.ConfigFile)
        {
            PythonConfig = loaded.PythonConfig,
        };
    }

    private sealed record State(long Version, string Text, Config Config);
}
