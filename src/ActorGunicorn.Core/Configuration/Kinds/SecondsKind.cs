using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A non-negative duration: plain seconds on the command line, seconds or a number with a unit in HOCON
/// (see <see cref="Durations"/>).
/// </summary>
internal sealed class SecondsKind : SettingKind<TimeSpan>
{
    public override string Description => $"duration: seconds, or a number with a unit ({Durations.UnitList})";

    // argparse names the Python type in its complaint; a float is what gunicorn users pass here.
    internal override string? CheckArgument(string argument) =>
        Durations.TryParseSeconds(argument, out _) ? null : $"invalid float value: '{argument}'";

    internal override bool TryRead(HoconValue value, out TimeSpan result, [NotNullWhen(false)] out string? problem)
    {
        result = default;
        if (!HoconValues.TryGetScalar(value, "a duration", out var text, out problem))
        {
            return false;
        }

        if (text is null || !Durations.TryParseHocon(text, out result))
        {
            problem = $"{HoconValues.Show(text)} is not a duration (seconds, or a number with a unit such as 500ms, 30s, 2m)";
            return false;
        }

        if (result < TimeSpan.Zero)
        {
            problem = $"{HoconValues.Show(text)} must not be negative";
            return false;
        }

        return true;
    }

    internal override string Render(TimeSpan value) => Durations.Format(value);

    internal override string Display(TimeSpan value) => Durations.FormatSeconds(value);
}
