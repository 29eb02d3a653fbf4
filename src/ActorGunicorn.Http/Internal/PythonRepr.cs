using System.Text;

namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Python's <c>repr()</c> of a latin-1 string or of bytes. gunicorn's error texts embed <c>%r</c> of what it refused,
/// so the detail strings (and the error pages built from them) read exactly like gunicorn's.
/// </summary>
internal static class PythonRepr
{
    /// <summary>
    /// The most bytes of refused input an error text quotes. gunicorn quotes all of it, so one 800 KB header line
    /// without a colon (within the default header-section bound) came back as a page of several megabytes; beyond
    /// this length the quote is cut and marked with <c>...</c>. Every corpus case is far shorter.
    /// </summary>
    public const int MaxQuoted = 1024;

    /// <summary><c>repr(data.decode("latin-1"))</c>, of at most <see cref="MaxQuoted"/> bytes.</summary>
    public static string Str(ReadOnlySpan<byte> latin1)
    {
        if (latin1.Length > MaxQuoted)
        {
            return Str(latin1[..MaxQuoted]) + "...";
        }

        char quote = ChooseQuote(latin1);
        var text = new StringBuilder(latin1.Length + 2);
        text.Append(quote);
        foreach (byte b in latin1)
        {
            AppendStrChar(text, (char)b, quote);
        }

        return text.Append(quote).ToString();
    }

    /// <summary><c>repr(data)</c> of a <c>bytes</c> object: <c>b'...'</c>, of at most <see cref="MaxQuoted"/> bytes.</summary>
    public static string Bytes(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxQuoted)
        {
            return Bytes(data[..MaxQuoted]) + "...";
        }

        char quote = ChooseQuote(data);
        var text = new StringBuilder(data.Length + 3);
        text.Append('b').Append(quote);
        foreach (byte b in data)
        {
            char c = (char)b;
            if (c == quote || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (!AppendCommonEscape(text, c))
            {
                if (b is >= 0x20 and < 0x7F)
                {
                    text.Append(c);
                }
                else
                {
                    AppendHex(text, b);
                }
            }
        }

        return text.Append(quote).ToString();
    }

    // Python prefers single quotes and switches to double quotes only when that avoids escaping.
    private static char ChooseQuote(ReadOnlySpan<byte> data) =>
        data.Contains((byte)'\'') && !data.Contains((byte)'"') ? '"' : '\'';

    private static void AppendStrChar(StringBuilder text, char c, char quote)
    {
        if (c == quote || c == '\\')
        {
            text.Append('\\').Append(c);
        }
        else if (!AppendCommonEscape(text, c))
        {
            // str.isprintable(): C0, DEL, C1, NBSP (Zs) and SOFT HYPHEN (Cf) are escaped.
            if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD)
            {
                AppendHex(text, (byte)c);
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private static bool AppendCommonEscape(StringBuilder text, char c)
    {
        string? escape = c switch
        {
            '\t' => "\\t",
            '\n' => "\\n",
            '\r' => "\\r",
            _ => null,
        };
        if (escape is null)
        {
            return false;
        }

        text.Append(escape);
        return true;
    }

    private static void AppendHex(StringBuilder text, byte b)
    {
        const string hex = "0123456789abcdef";
        text.Append("\\x").Append(hex[b >> 4]).Append(hex[b & 0xF]);
    }
}
