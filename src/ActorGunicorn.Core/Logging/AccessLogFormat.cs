using System.Globalization;
using System.Text;

namespace ActorGunicorn.Logging;

/// <summary>
/// Gunicorn's access log format (<c>--access-logformat</c>), parsed once: literal text and <c>%(atom)s</c> fields.
/// The atoms are gunicorn's: h l u t r m U q H s B b f a T M D L p, plus <c>{name}i</c> (request header),
/// <c>{name}o</c> (response header) and <c>{name}e</c> (environment variable). An unknown atom renders <c>-</c>, and
/// double quotes inside values are escaped, both as in gunicorn.
/// </summary>
internal sealed class AccessLogFormat
{
    private readonly Segment[] _segments;

    private AccessLogFormat(Segment[] segments) => _segments = segments;

    /// <summary>Gunicorn's default, the Apache combined format.</summary>
    public const string Default = "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    /// <summary>Parses a format string; anything that is not a <c>%(…)s</c> field is kept literally.</summary>
    public static AccessLogFormat Parse(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] == '%' && i + 1 < format.Length && format[i + 1] == '%')
            {
                literal.Append('%');
                i++;
            }
            else if (format[i] == '%' && i + 1 < format.Length && format[i + 1] == '(' && TryReadField(format, i, out var atom, out int end))
            {
                FlushLiteral(segments, literal);
                segments.Add(new Segment(null, atom));
                i = end;
            }
            else
            {
                literal.Append(format[i]);
            }
        }

        FlushLiteral(segments, literal);
        return new AccessLogFormat([.. segments]);
    }

    /// <summary>Renders one log line (without the newline).</summary>
    public string Render(IAccessLogRecord record)
    {
        var line = new StringBuilder(128);
        foreach (var segment in _segments)
        {
            if (segment.Literal is not null)
            {
                line.Append(segment.Literal);
            }
            else
            {
                AppendEscaped(line, Atom(segment.Atom!, record));
            }
        }

        return line.ToString();
    }

    private static string Atom(string atom, IAccessLogRecord r)
    {
        if (atom.Length > 2 && atom[0] == '{')
        {
            int close = atom.LastIndexOf('}');
            if (close > 1 && close == atom.Length - 2)
            {
                var name = atom[1..close];
                return atom[^1] switch
                {
                    'i' => r.RequestHeader(name) ?? "-",
                    'o' => r.ResponseHeader(name) ?? "-",
                    'e' => Environment.GetEnvironmentVariable(name) ?? "-",
                    _ => "-",
                };
            }
        }

        var duration = r.Duration;
        return atom switch
        {
            "h" => r.RemoteAddress ?? "-",
            "l" => "-",
            "u" => r.BasicAuthUser ?? "-",
            "t" => r.StartTime.ToString("'['dd/MMM/yyyy:HH:mm:ss ", CultureInfo.InvariantCulture) + FormatOffset(r.StartTime.Offset) + "]",
            "r" => $"{r.Method} {r.RawTarget} {r.Protocol}",
            "m" => r.Method,
            "U" => r.Path,
            "q" => r.QueryString,
            "H" => r.Protocol,
            "s" => r.StatusCode.ToString(CultureInfo.InvariantCulture),
            // gunicorn's b is "-" only when the response has no byte count at all (resp.sent is None), which a WSGI
            // response never has: an empty body (a redirect, a 304, HEAD) is 0 in both.
            "B" or "b" => r.BytesSent.ToString(CultureInfo.InvariantCulture),
            "f" => r.RequestHeader("Referer") ?? "-",
            "a" => r.RequestHeader("User-Agent") ?? "-",
            "T" => ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "M" => ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "D" => ((long)(duration.Ticks / 10)).ToString(CultureInfo.InvariantCulture),
            "L" => duration.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture),
            "p" => $"<{Environment.ProcessId}>",
            _ => "-",
        };
    }

    private static string FormatOffset(TimeSpan offset)
    {
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    private static void AppendEscaped(StringBuilder line, string value)
    {
        foreach (char c in value)
        {
            if (c == '"')
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }

    private static bool TryReadField(string format, int percent, out string atom, out int end)
    {
        int close = format.IndexOf(')', percent + 2);
        if (close > percent + 2 && close + 1 < format.Length && format[close + 1] == 's')
        {
            atom = format[(percent + 2)..close];
            end = close + 1;
            return true;
        }

        atom = string.Empty;
        end = percent;
        return false;
    }

    private static void FlushLiteral(List<Segment> segments, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), null));
            literal.Clear();
        }
    }

    private readonly record struct Segment(string? Literal, string? Atom);
}
