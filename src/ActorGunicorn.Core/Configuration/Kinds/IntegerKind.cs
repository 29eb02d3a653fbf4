using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>A whole number (32-bit).</summary>
internal sealed class IntegerKind : SettingKind<int>
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    public override string Description => "integer";

    internal override string? CheckArgument(string argument) =>
        int.TryParse(argument, Style, CultureInfo.InvariantCulture, out _) ? null : $"invalid int value: '{argument}'";

    internal override bool TryRead(HoconValue value, out int result, [NotNullWhen(false)] out string? problem)
    {
        result = 0;
        if (!HoconValues.TryGetScalar(value, "an integer", out var text, out problem))
        {
            return false;
        }

        if (text is not null && int.TryParse(text, Style, CultureInfo.InvariantCulture, out result))
        {
            return true;
        }

        problem = $"{HoconValues.Show(text)} is not an integer";
        return false;
    }

    internal override string Render(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal override string Display(int value) => Render(value);
}
