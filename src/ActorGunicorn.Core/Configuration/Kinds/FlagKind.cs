using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A store-true flag on the command line (or store-false, as gunicorn's <c>--no-sendfile</c>); a boolean in HOCON.
/// </summary>
/// <param name="valueWhenGiven">The value the flag stores when it is given.</param>
internal sealed class FlagKind(bool valueWhenGiven = true) : SettingKind<bool>
{
    public override string Description => "boolean";

    public override bool TakesArgument => false;

    internal override string ArgumentsToHocon(IReadOnlyList<string> arguments) => Render(valueWhenGiven);

    internal override bool TryRead(HoconValue value, out bool result, [NotNullWhen(false)] out string? problem)
    {
        result = false;
        if (!HoconValues.TryGetScalar(value, "a boolean", out var text, out problem))
        {
            return false;
        }

        switch (text?.ToUpperInvariant())
        {
            case "TRUE" or "ON" or "YES":
                result = true;
                return true;
            case "FALSE" or "OFF" or "NO":
                return true;
            default:
                problem = $"{HoconValues.Show(text)} is not a boolean (true/false, on/off, yes/no)";
                return false;
        }
    }

    internal override string Render(bool value) => value ? "true" : "false";

    internal override string Display(bool value) => value ? "True" : "False";
}
