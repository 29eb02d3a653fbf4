using System.Text;
using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>The outcome of <see cref="SettingsLoader.Load"/>: the merged configuration, the settings built from it, and the action asked for.</summary>
public sealed class LoadedConfiguration
{
    internal LoadedConfiguration(Config config, ServerSettings settings, RequestedAction action, string? configFile)
    {
        Config = config;
        Settings = settings;
        Action = action;
        ConfigFile = configFile;
    }

    /// <summary>
    /// Every layer merged, later over earlier: command line, <c>ACTORGUNICORN_CMD_ARGS</c>, the HOCON file,
    /// environment-derived defaults, <c>reference.conf</c>. Blocks other than <c>actorgunicorn</c> from the file
    /// (such as <c>akka { }</c>) are kept, so the actor system can be created from this configuration.
    /// </summary>
    public Config Config { get; }

    /// <summary>The validated settings read from <see cref="Config"/>.</summary>
    public ServerSettings Settings { get; }

    /// <summary>What the command line asked for.</summary>
    public RequestedAction Action { get; }

    /// <summary>The full path of the HOCON file that was read, or null when none was.</summary>
    public string? ConfigFile { get; }

    /// <summary>The gunicorn-style Python configuration that was read (for its hooks), or null when none was.</summary>
    public PythonConfig? PythonConfig { get; init; }

    /// <summary>
    /// The effective <c>actorgunicorn { }</c> block for <c>--print-config</c>: every key of the settings table, in
    /// table order, with its canonical value. The text is valid HOCON and can serve as a configuration file.
    /// </summary>
    /// <returns>The block, ending with a newline.</returns>
    public string RenderEffectiveSettings()
    {
        var text = new StringBuilder(SettingsTable.HoconRoot).Append(" {\n");
        foreach (var setting in SettingsTable.All.Where(setting => setting.HoconKey is not null))
        {
            text.Append("  ").Append(setting.HoconKey).Append(" = ").Append(setting.RenderFrom(Config)).Append('\n');
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>
    /// The whole merged configuration as HOCON, for the arbiter to hand to its worker processes: the
    /// <c>actorgunicorn</c> block with every value (environment-derived defaults included, so workers need not see
    /// the same environment) and every other block the user supplied. Parsed again over <see cref="ReferenceConfig"/>,
    /// it yields settings equal to <see cref="Settings"/>.
    /// </summary>
    /// <returns>The configuration as HOCON text.</returns>
    public string RenderForWorker() => HoconWriter.Render(Config);
}
