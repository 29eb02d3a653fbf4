using System.Globalization;
using System.Text;

namespace ActorGunicorn.Configuration;

/// <summary>Writes HOCON literals that Akka's parser reads back unchanged.</summary>
internal static class HoconText
{
    /// <summary>A double-quoted HOCON string with JSON escapes, so any text survives a round trip.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A quoted string, or the bare word <c>null</c>.</summary>
    public static string QuoteOrNull(string? text) => text is null ? "null" : Quote(text);

    /// <summary>A HOCON array of quoted strings on one line.</summary>
    public static string QuoteList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    /// <summary>
    /// A key as written inside an object. Keys that are plain words stay bare; anything else (dots, slashes, spaces)
    /// is quoted, because a bare dot would split the key into a path.
    /// </summary>
    public static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? key : Quote(key);
}
