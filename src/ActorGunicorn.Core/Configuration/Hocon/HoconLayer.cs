using System.Text;
using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>Builds a configuration layer from arguments given per setting, as the command line and environment give them.</summary>
internal static class HoconLayer
{
    /// <summary>An <c>actorgunicorn { }</c> block holding each HOCON-keyed setting's arguments.</summary>
    public static Config From(IEnumerable<KeyValuePair<SettingDefinition, IReadOnlyList<string>>> arguments)
    {
        var text = new StringBuilder(SettingsTable.HoconRoot).Append(" {\n");
        foreach (var (setting, values) in arguments)
        {
            if (setting.HoconKey is not null)
            {
                text.Append("  ").Append(setting.HoconKey).Append(" = ").Append(setting.Kind.ArgumentsToHocon(values)).Append('\n');
            }
        }

        return ConfigurationFactory.ParseString(text.Append("}\n").ToString());
    }
}
