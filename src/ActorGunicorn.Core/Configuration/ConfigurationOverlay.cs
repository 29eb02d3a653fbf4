using System.Text;
using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A HOCON layer handed to this arbiter at run time (by the fleet coordinator of a cluster) that every later reload
/// lays over the configuration it reads, with the version the fleet gave it; and above it the worker count the fleet
/// last scaled this host to, so neither a reload nor a new overlay undoes a <c>scale</c>. Written from one actor and
/// read from the reload; the state is swapped as one reference, so a reader never sees a version with another's text.
/// </summary>
public sealed class ConfigurationOverlay
{
    private State _current = new(0, string.Empty, Config.Empty, PinnedWorkers: null);

    /// <summary>The version of the overlay in force; 0 while none has been applied.</summary>
    public long Version => Volatile.Read(ref _current).Version;

    /// <summary>The overlay's HOCON text; empty while none has been applied.</summary>
    public string Text => Volatile.Read(ref _current).Text;

    /// <summary>The worker count the fleet scaled this host to, kept across reloads; null when it has not scaled it.</summary>
    public int? PinnedWorkers => Volatile.Read(ref _current).PinnedWorkers;

    /// <summary>
    /// Checks an overlay's shape as a configuration file's is checked: valid HOCON, only an <c>actorgunicorn { }</c>
    /// block (an overlay reaches the settings a reload reads, not the running actor system), and only keys that are
    /// settings.
    /// </summary>
    /// <param name="hocon">The overlay's text.</param>
    /// <param name="source">What to call the text in a message, for example "the fleet's configuration overlay".</param>
    /// <returns>The parsed overlay.</returns>
    /// <exception cref="SettingsException">The text breaks one of the rules; the message names the key or line.</exception>
    public static Config Parse(string hocon, string source)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        var overlay = HoconFile.ParseText(hocon, source);
        if (overlay.Root.IsObject()
            && overlay.Root.GetObject().Items.Keys.FirstOrDefault(key => key != SettingsTable.HoconRoot) is { } outside)
        {
            throw new SettingsException($"{source}: '{outside}' is outside {SettingsTable.HoconRoot} {{ }}; an overlay carries only ActorGunicorn's settings");
        }

        UnknownSettings.Check(overlay, source);
        return overlay;
    }

    /// <summary>
    /// The overlay that follows from an update: <paramref name="update"/>'s keys laid over <paramref name="current"/>'s
    /// (an overlay merges, as a later configuration layer does), then the keys in <paramref name="unset"/> removed so
    /// that each host's own configuration decides them again.
    /// </summary>
    /// <param name="current">The overlay in force; empty for none.</param>
    /// <param name="update">The keys to set; may be empty.</param>
    /// <param name="unset">Settings to remove from the overlay, by HOCON key (<c>max-requests</c>).</param>
    /// <returns>The merged overlay: one <c>actorgunicorn { }</c> block, each key on its own line in table order.</returns>
    /// <exception cref="SettingsException">Either text is no valid overlay, a value is invalid, or an unset key is no setting.</exception>
    public static string Merge(string current, string update, IReadOnlyCollection<string> unset)
    {
        ArgumentNullException.ThrowIfNull(unset);
        if (unset.FirstOrDefault(key => !UnknownSettings.IsSetting(key)) is { } unknown)
        {
            throw new SettingsException($"--unset: {UnknownSettings.Describe(unknown)}");
        }

        var merged = Parse(update, "the configuration overlay").WithFallback(Parse(current, "the fleet's current overlay"));
        var text = new StringBuilder(SettingsTable.HoconRoot).Append(" {\n");
        foreach (var setting in SettingsTable.All)
        {
            if (setting.HoconPath is { } path && merged.HasPath(path) && !unset.Contains(setting.HoconKey))
            {
                text.Append("  ").Append(setting.HoconKey).Append(" = ").Append(setting.RenderFrom(merged)).Append('\n');
            }
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>
    /// Checks <paramref name="hocon"/> over <paramref name="baseConfig"/> (the settings must still be valid) and makes
    /// it the overlay for the next reload. An overlay that sets <c>workers</c> itself replaces a pinned count.
    /// </summary>
    /// <param name="version">The fleet's version of this overlay.</param>
    /// <param name="hocon">The whole overlay, for example <c>actorgunicorn { workers = 3 }</c>.</param>
    /// <param name="baseConfig">The configuration the overlay will be laid over.</param>
    /// <exception cref="SettingsException">The text is no valid overlay, or a setting it gives is invalid; the message names it.</exception>
    public void Apply(long version, string hocon, Config baseConfig)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        var overlay = Parse(hocon, $"the fleet's configuration overlay (version {version})");
        var pinned = overlay.HasPath(SettingsTable.Workers.HoconPath!) ? null : PinnedWorkers;
        ServerSettings.Create(Compose(overlay, pinned, baseConfig));
        Volatile.Write(ref _current, new State(version, hocon, overlay, pinned));
    }

    /// <summary>Keeps <paramref name="workers"/> as this host's worker count across later reloads.</summary>
    /// <param name="workers">The count the fleet scaled the host to.</param>
    public void PinWorkers(int workers)
    {
        var current = Volatile.Read(ref _current);
        Volatile.Write(ref _current, current with { PinnedWorkers = workers });
    }

    /// <summary>Lays the overlay, and the pinned worker count, over a freshly read configuration.</summary>
    /// <param name="loaded">The configuration as the settings loader read it.</param>
    /// <returns><paramref name="loaded"/> itself while there is neither, else the configuration with them on top.</returns>
    public LoadedConfiguration ApplyTo(LoadedConfiguration loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var current = Volatile.Read(ref _current);
        if (current.Version == 0 && current.PinnedWorkers is null)
        {
            return loaded;
        }

        var config = Compose(current.Config, current.PinnedWorkers, loaded.Config);
        return new LoadedConfiguration(config, ServerSettings.Create(config), loaded.Action, loaded.ConfigFile)
        {
            PythonConfig = loaded.PythonConfig,
        };
    }

    // The pinned count is the floor (--workers); with --max-workers below it, the ceiling rises with it, as a scale
    // beyond the ceiling already did at run time.
    private static Config Compose(Config overlay, int? pinnedWorkers, Config below)
    {
        var config = overlay.WithFallback(below);
        if (pinnedWorkers is not { } workers)
        {
            return config;
        }

        var maxWorkers = SettingsTable.MaxWorkers.Read(config);
        var pin = $"{SettingsTable.Workers.HoconPath} = {workers}"
            + (maxWorkers > 0 && maxWorkers < workers ? $"\n{SettingsTable.MaxWorkers.HoconPath} = {workers}" : string.Empty);
        return ConfigurationFactory.ParseString(pin).WithFallback(config);
    }

    private sealed record State(long Version, string Text, Config Config, int? PinnedWorkers);
}
