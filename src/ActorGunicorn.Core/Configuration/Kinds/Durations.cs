using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Durations in ActorGunicorn's own settings. On the command line they are plain seconds, as in gunicorn
/// (<c>--timeout 30</c>, <c>--timeout 0.5</c>). In HOCON a bare number is also seconds, and a unit may follow
/// (<c>500ms</c>, <c>30s</c>, <c>2m</c>). Akka's <c>GetTimeSpan</c> is not used: it reads a bare number as
/// milliseconds, which would turn gunicorn's <c>timeout = 30</c> into 30 ms.
/// </summary>
internal static partial class Durations
{
    private static readonly Dictionary<string, long> TicksPerUnit = new(StringComparer.Ordinal)
    {
        [string.Empty] = TimeSpan.TicksPerSecond,
        ["ms"] = TimeSpan.TicksPerMillisecond,
        ["millis"] = TimeSpan.TicksPerMillisecond,
        ["milliseconds"] = TimeSpan.TicksPerMillisecond,
        ["s"] = TimeSpan.TicksPerSecond,
        ["second"] = TimeSpan.TicksPerSecond,
        ["seconds"] = TimeSpan.TicksPerSecond,
        ["m"] = TimeSpan.TicksPerMinute,
        ["minute"] = TimeSpan.TicksPerMinute,
        ["minutes"] = TimeSpan.TicksPerMinute,
        ["h"] = TimeSpan.TicksPerHour,
        ["hour"] = TimeSpan.TicksPerHour,
        ["hours"] = TimeSpan.TicksPerHour,
        ["d"] = TimeSpan.TicksPerDay,
        ["day"] = TimeSpan.TicksPerDay,
        ["days"] = TimeSpan.TicksPerDay,
    };

    /// <summary>The units accepted after a number in HOCON, for documentation.</summary>
    public const string UnitList = "ms, s, m, h, d";

    /// <summary>Parses a command-line duration: a decimal number of seconds, possibly negative (validation rejects that later).</summary>
    public static bool TryParseSeconds(string text, out TimeSpan duration)
    {
        var match = CommandLinePattern().Match(text);
        return TryScale(match.Success ? match.Groups["number"].Value : null, TimeSpan.TicksPerSecond, out duration);
    }

    /// <summary>Parses a HOCON duration: a decimal number with an optional unit; no unit means seconds.</summary>
    public static bool TryParseHocon(string text, out TimeSpan duration)
    {
        var match = HoconPattern().Match(text);
        if (!match.Success || !TicksPerUnit.TryGetValue(match.Groups["unit"].Value, out var ticksPerUnit))
        {
            duration = default;
            return false;
        }

        return TryScale(match.Groups["number"].Value, ticksPerUnit, out duration);
    }

    /// <summary>The canonical HOCON form: whole seconds as <c>30s</c>, whole milliseconds as <c>500ms</c>, else decimal seconds.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{duration.Ticks / TimeSpan.TicksPerSecond}s"
        : duration.Ticks % TimeSpan.TicksPerMillisecond == 0 ? $"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms"
        : FormatSeconds(duration) + "s";

    /// <summary>Decimal seconds without a unit, as the command line takes them (<c>30</c>, <c>0.5</c>).</summary>
    public static string FormatSeconds(TimeSpan duration) =>
        ((decimal)duration.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture);

    private static bool TryScale(string? number, long ticksPerUnit, out TimeSpan duration)
    {
        duration = default;
        if (number is null || !decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var limit = (decimal)TimeSpan.MaxValue.Ticks / ticksPerUnit;
        if (Math.Abs(value) > limit)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(value * ticksPerUnit, MidpointRounding.AwayFromZero));
        return true;
    }

    [GeneratedRegex(@"^\s*(?<number>[+-]?(\d+(\.\d*)?|\.\d+))\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandLinePattern();

    [GeneratedRegex(@"^\s*(?<number>[+-]?(\d+(\.\d*)?|\.\d+))\s*(?<unit>[a-z]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HoconPattern();
}
