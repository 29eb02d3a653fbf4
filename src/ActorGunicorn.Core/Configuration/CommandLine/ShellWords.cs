using System.Text;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Splits <c>ACTORGUNICORN_CMD_ARGS</c> into arguments as a POSIX shell would, like Python's <c>shlex.split</c>
/// that gunicorn applies to <c>GUNICORN_CMD_ARGS</c>: whitespace separates words, single quotes keep everything
/// literally, double quotes keep everything but <c>\"</c> and <c>\\</c>, and a backslash outside quotes escapes the
/// next character. Nothing is expanded: no variables, globs or comments.
/// </summary>
internal static class ShellWords
{
    /// <summary>Splits <paramref name="text"/> into words.</summary>
    /// <exception cref="CommandLineException">A quote is not closed or the text ends in a lone backslash.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            // Quotes mark a word even when empty: '' is an empty argument, as in the shell.
            inWord = true;
            switch (c)
            {
                case '\'':
                    i = ReadSingleQuoted(text, i, word);
                    break;
                case '"':
                    i = ReadDoubleQuoted(text, i, word);
                    break;
                case '\\':
                    i++;
                    word.Append(i < text.Length ? text[i] : throw new CommandLineException("No escaped character"));
                    break;
                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static int ReadSingleQuoted(string text, int open, StringBuilder word)
    {
        var close = text.IndexOf('\'', open + 1);
        if (close < 0)
        {
            throw new CommandLineException("No closing quotation");
        }

        word.Append(text, open + 1, close - open - 1);
        return close;
    }

    private static int ReadDoubleQuoted(string text, int open, StringBuilder word)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                return i;
            }

            // Inside double quotes a backslash escapes only a quote or another backslash; elsewhere it is literal.
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
            {
                c = text[++i];
            }

            word.Append(c);
        }

        throw new CommandLineException("No closing quotation");
    }
}
