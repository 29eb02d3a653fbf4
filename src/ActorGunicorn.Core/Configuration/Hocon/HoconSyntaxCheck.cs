using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Catches the syntax errors Akka's lenient HOCON parser lets through. It silently stops at a stray <c>}</c>
/// (dropping the rest of the file), nests everything after an unclosed <c>{</c>, reads an unterminated quoted string
/// to the end of the line, and turns <c>key value</c> without a separator into a key with no value.
/// </summary>
internal static class HoconSyntaxCheck
{
    /// <summary>The first unbalanced bracket or unterminated string in <paramref name="text"/>, as "line N: …", or null.</summary>
    public static string? FindUnbalanced(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c == '#' || (c == '/' && At(text, i, "//")))
            {
                i = EndOfLine(text, i) - 1;
            }
            else if (At(text, i, "\"\"\""))
            {
                var close = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                if (close < 0)
                {
                    return $"line {line}: a \"\"\" string is never closed";
                }

                line += text.AsSpan(i, close - i).Count('\n');
                i = close + 2;
            }
            else if (c == '"')
            {
                i = EndOfQuoted(text, i);
                if (i < 0)
                {
                    return $"line {line}: a quoted string is not closed on its line";
                }
            }
            else if (c is '{' or '[')
            {
                open.Push((c, line));
            }
            else if (c is '}' or ']')
            {
                var expected = c == '}' ? '{' : '[';
                if (!open.TryPop(out var opened))
                {
                    return $"line {line}: '{c}' has no matching '{expected}'";
                }

                if (opened.Bracket != expected)
                {
                    return $"line {line}: '{c}' cannot close the '{opened.Bracket}' opened on line {opened.Line}";
                }
            }
        }

        return open.TryPeek(out var unclosed) ? $"line {unclosed.Line}: '{unclosed.Bracket}' is never closed" : null;
    }

    /// <summary>The path of the first key that has no value (<c>key value</c> without <c>=</c> or <c>{</c>), or null.</summary>
    public static string? FindKeyWithoutValue(HoconValue value, string path = "")
    {
        if (!value.IsObject())
        {
            return null;
        }

        foreach (var (key, member) in value.GetObject().Items)
        {
            var memberPath = path.Length == 0 ? key : path + "." + key;
            // An empty object is also IsEmpty to Akka, but it is a value.
            var found = member.IsEmpty && !member.IsObject() ? memberPath : FindKeyWithoutValue(member, memberPath);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static bool At(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static int EndOfLine(string text, int index)
    {
        var end = text.IndexOf('\n', index);
        return end < 0 ? text.Length : end;
    }

    // The index of the closing quote, or -1 when the line ends first (HOCON strings do not span lines).
    private static int EndOfQuoted(string text, int open)
    {
        for (var i = open + 1; i < text.Length && text[i] != '\n'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }
}
