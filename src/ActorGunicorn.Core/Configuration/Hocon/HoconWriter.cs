using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Renders a resolved <see cref="Config"/> tree as HOCON text. Akka's own <c>Config.ToString()</c> output is not
/// valid HOCON (strings are unquoted), and worker processes must parse what the arbiter sends them.
/// </summary>
internal static class HoconWriter
{
    /// <summary>Every top-level key of the configuration, fallbacks included, as HOCON text.</summary>
    public static string Render(Config config)
    {
        var builder = new StringBuilder();
        if (config.Root.IsObject())
        {
            foreach (var (key, value) in config.Root.GetObject().Items)
            {
                WriteMember(builder, key, value, indent: 0);
            }
        }

        return builder.ToString();
    }

    private static void WriteMember(StringBuilder builder, string key, HoconValue value, int indent)
    {
        builder.Append(' ', indent).Append(HoconText.Key(key));
        builder.Append(value.IsObject() ? " " : " = ");
        WriteValue(builder, value, indent);
        builder.Append('\n');
    }

    private static void WriteValue(StringBuilder builder, HoconValue value, int indent)
    {
        if (value.IsObject())
        {
            builder.Append("{\n");
            foreach (var (key, member) in value.GetObject().Items)
            {
                WriteMember(builder, key, member, indent + 2);
            }

            builder.Append(' ', indent).Append('}');
        }
        else if (!HoconValues.IsScalar(value))
        {
            builder.Append('[');
            var first = true;
            foreach (var item in HoconValues.Items(value))
            {
                builder.Append(first ? string.Empty : ", ");
                WriteValue(builder, item, indent);
                first = false;
            }

            builder.Append(']');
        }
        else
        {
            // Akka keeps every scalar as text, so quoting them all loses nothing: numbers, booleans and durations
            // are parsed from the same text whether or not it was quoted.
            builder.Append(HoconText.QuoteOrNull(value.IsEmpty ? null : value.GetString()));
        }
    }
}
