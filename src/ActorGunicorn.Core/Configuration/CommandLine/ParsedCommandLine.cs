using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// What one command line (or <c>ACTORGUNICORN_CMD_ARGS</c>) said: for each setting it named, the arguments in the
/// order given (<c>true</c> for store-true flags). Values are only type-checked here; the HOCON reader validates
/// them once every layer is merged.
/// </summary>
internal sealed class ParsedCommandLine(IReadOnlyDictionary<SettingDefinition, IReadOnlyList<string>> arguments)
{
    /// <summary>The arguments per setting named, in order of first appearance.</summary>
    public IReadOnlyDictionary<SettingDefinition, IReadOnlyList<string>> Arguments { get; } = arguments;

    /// <summary>Whether the line named <paramref name="setting"/>.</summary>
    public bool Has(SettingDefinition setting) => Arguments.ContainsKey(setting);

    /// <summary>The last argument given for <paramref name="setting"/> (argparse's <c>store</c>), or null.</summary>
    public string? Last(SettingDefinition setting) => Arguments.TryGetValue(setting, out var values) ? values[^1] : null;

    /// <summary>The settings with a HOCON key as an <c>actorgunicorn { }</c> layer; command-line-only ones are left out.</summary>
    public Config ToLayer() => HoconLayer.From(Arguments);
}
