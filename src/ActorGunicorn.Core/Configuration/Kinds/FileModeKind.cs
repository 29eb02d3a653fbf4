using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Unix permission bits. They are read as gunicorn's <c>auto_int</c> reads them (<c>0600</c> and <c>0o600</c> are
/// octal, so gunicorn's values mean the same here), and written back in octal, as people write modes: the reference
/// and <c>--print-config</c> show <c>"0600"</c>, not 384.
/// </summary>
internal sealed class FileModeKind : SettingKind<int>
{
    public override string Description => "file mode in octal (0600 or 0o600)";

    internal override string? CheckArgument(string argument) =>
        AutoIntegerKind.TryParse(argument, out _) ? null : $"invalid file mode: '{argument}'";

    internal override bool TryRead(HoconValue value, out int result, [NotNullWhen(false)] out string? problem)
    {
        result = 0;
        if (!HoconValues.TryGetScalar(value, "a file mode", out var text, out problem))
        {
            return false;
        }

        if (text is not null && AutoIntegerKind.TryParse(text, out result))
        {
            return true;
        }

        problem = $"{HoconValues.Show(text)} is not a file mode (octal, as 0600 or 0o600)";
        return false;
    }

    // Quoted: the leading zero is what makes the text octal, and it must reach the reader as written.
    internal override string Render(int value) => HoconText.Quote(Display(value));

    internal override string Display(int value) =>
        value < 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(value, 8).PadLeft(4, '0');
}
