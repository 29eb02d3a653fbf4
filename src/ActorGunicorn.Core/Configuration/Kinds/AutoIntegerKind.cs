using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A whole number written as gunicorn's <c>auto_int</c> reads it: decimal, <c>0o</c> octal, <c>0x</c> hexadecimal,
/// <c>0b</c> binary, or a leading <c>0</c> for octal (<c>022</c> is <c>0o22</c>), as file modes are usually written.
/// </summary>
internal sealed class AutoIntegerKind : SettingKind<int>
{
    public override string Description => "integer (decimal, or octal as 0o22 or 022, or 0x hexadecimal)";

    internal override string? CheckArgument(string argument) =>
        TryParse(argument, out _) ? null : $"invalid auto_int value: '{argument}'";

    internal override bool TryRead(HoconValue value, out int result, [NotNullWhen(false)] out string? problem)
    {
        result = 0;
        if (!HoconValues.TryGetScalar(value, "an integer", out var text, out problem))
        {
            return false;
        }

        if (text is not null && TryParse(text, out result))
        {
            return true;
        }

        problem = $"{HoconValues.Show(text)} is not an integer (decimal, 0o octal, 0x hexadecimal, or octal with a leading 0)";
        return false;
    }

    // Decimal, so every layer and the worker's copy of the configuration read it back without a prefix.
    internal override string Render(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal override string Display(int value) => Render(value);

    /// <summary>Parses <paramref name="text"/> as Python's <c>int(text, 0)</c> after gunicorn turns a leading 0 into 0o.</summary>
    internal static bool TryParse(string text, out int value)
    {
        value = 0;
        var trimmed = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        bool negative = trimmed.StartsWith('-');
        var digits = negative || trimmed.StartsWith('+') ? trimmed[1..] : trimmed;
        if (digits.Length == 0)
        {
            return false;
        }

        int radix = 10;
        if (digits.Length > 1 && digits[0] == '0')
        {
            (radix, digits) = char.ToLowerInvariant(digits[1]) switch
            {
                'o' => (8, digits[2..]),
                'x' => (16, digits[2..]),
                'b' => (2, digits[2..]),
                _ => (8, digits[1..]),
            };
        }

        if (digits.Length == 0 || !digits.All(c => DigitValue(c) is >= 0 and var d && d < radix))
        {
            return false;
        }

        try
        {
            long parsed = Convert.ToInt64(digits, radix);
            if (parsed > int.MaxValue)
            {
                return false;
            }

            value = negative ? -(int)parsed : (int)parsed;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static int DigitValue(char c) => "0123456789abcdef".IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
}
