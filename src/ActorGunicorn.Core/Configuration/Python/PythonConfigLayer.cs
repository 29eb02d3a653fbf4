using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Turns a Python configuration's answer into the configuration layer a HOCON file would occupy: each module-level
/// name that is a setting (gunicorn's name, the table's <see cref="SettingDefinition.Name"/>) becomes its HOCON key,
/// read and checked by the setting's own rules, so a bad value fails as it would in HOCON, naming the setting.
/// </summary>
/// <remarks>
/// Python values map as gunicorn users write them: strings, numbers, booleans and None as themselves; a list for a
/// list setting (<c>bind</c>, <c>raw_env</c>); a dict for a map (<c>secure_scheme_headers</c>), replacing its default
/// as in gunicorn; and a list for a
/// comma-separated string setting (<c>forwarded_allow_ips = ["10.0.0.1", "10.0.0.2"]</c>), as gunicorn accepts.
/// </remarks>
internal static class PythonConfigLayer
{
    private static readonly Lazy<Dictionary<string, SettingDefinition>> SettingsByName = new(() =>
        SettingsTable.All.Where(setting => setting.HoconKey is not null).ToDictionary(setting => setting.Name, StringComparer.Ordinal));

    /// <summary>The names a Python configuration may set: every setting with a HOCON key.</summary>
    public static IEnumerable<string> SettingNames => SettingsByName.Value.Keys;

    /// <summary>Builds the layer and the record of the configuration's hooks.</summary>
    /// <exception cref="SettingsException">The configuration raised, or a value is invalid; the message names the file and the setting.</exception>
    public static (Config Layer, PythonConfig Config) Build(PythonConfigAnswer answer, PythonConfigLocation location)
    {
        if (answer.Error is { } traceback)
        {
            throw new SettingsException($"cannot read {location.Description}:\n{traceback.TrimEnd()}");
        }

        if (answer.Invalid.OrderBy(pair => pair.Key, StringComparer.Ordinal).FirstOrDefault() is { Key: not null } invalid)
        {
            throw new SettingsException($"{location.Description}: invalid value for {invalid.Key}: {invalid.Value}");
        }

        var text = new StringBuilder(SettingsTable.HoconRoot).Append(" {\n");
        var settings = new List<SettingDefinition>();
        foreach (var (name, value) in answer.Settings)
        {
            if (SettingsByName.Value.TryGetValue(name, out var setting))
            {
                var literal = ToHocon(setting, value)
                    ?? throw new SettingsException($"{location.Description}: invalid value for {name} ({setting.Label}): {value.GetRawText()} nests lists or dicts");
                text.Append("  ").Append(setting.HoconKey).Append(" = ").Append(literal).Append('\n');
                settings.Add(setting);
            }
        }

        var layer = ConfigurationFactory.ParseString(text.Append("}\n").ToString());
        foreach (var setting in settings)
        {
            try
            {
                setting.Check(layer);
            }
            catch (SettingsException error)
            {
                throw new SettingsException(
                    $"{location.Description}: invalid value for {setting.Name} ({setting.Label}): {error.Problem ?? error.Message}", error);
            }
        }

        var config = new PythonConfig(location.Value, answer.Hooks, answer.Ignored);
        return (config.Hooks.Count > 0 ? layer.WithFallback(config.ToHocon()) : layer, config);
    }

    // The value as a HOCON literal, or null when it nests containers no setting takes.
    private static string? ToHocon(SettingDefinition setting, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array when setting.Kind == SettingKinds.Text || setting.Kind == SettingKinds.OptionalText:
                var items = value.EnumerateArray().Select(Scalar).ToList();
                return items.Contains(null) ? null : HoconText.Quote(string.Join(',', items));
            case JsonValueKind.Array:
                var elements = value.EnumerateArray().Select(Scalar).ToList();
                return elements.Contains(null) ? null : "[" + string.Join(", ", elements.Select(e => HoconText.Quote(e!))) + "]";
            case JsonValueKind.Object:
                // As [name, value] pairs, which replace the defaults as assigning a dict does in gunicorn (an object
                // would be merged with them).
                var members = value.EnumerateObject().Select(member => (member.Name, Text: Scalar(member.Value))).ToList();
                return members.Any(member => member.Text is null)
                    ? null
                    : "[" + string.Join(", ", members.Select(member => $"[{HoconText.Quote(member.Name)}, {HoconText.Quote(member.Text!)}]")) + "]";
            case JsonValueKind.Null:
                return "null";
            default:
                return HoconText.Quote(Scalar(value)!);
        }
    }

    // A scalar's text as the setting kinds read it; null for a list or dict.
    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => null,
    };
}
