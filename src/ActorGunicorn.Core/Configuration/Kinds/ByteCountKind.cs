using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>A size in bytes: a whole number, optionally with a binary unit (<c>64K</c>, <c>100M</c>, <c>2G</c>).</summary>
internal sealed class ByteCountKind : SettingKind<long>
{
    public override string Description => "size in bytes (a number, or with K, M or G)";

    internal override string? CheckArgument(string argument) =>
        TryParse(argument, out _) ? null : $"invalid size value: '{argument}'";

    internal override bool TryRead(HoconValue value, out long result, [NotNullWhen(false)] out string? problem)
    {
        result = 0;
        if (!HoconValues.TryGetScalar(value, "a size in bytes", out var text, out problem))
        {
            return false;
        }

        if (text is not null && TryParse(text, out result))
        {
            return true;
        }

        problem = $"{HoconValues.Show(text)} is not a size in bytes (a number, or with K, M or G such as 100M)";
        return false;
    }

    internal override string Render(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal override string Display(long value) => Render(value);

    private static bool TryParse(string text, out long bytes)
    {
        var trimmed = text.Trim();
        long unit = trimmed.Length == 0 ? 1 : char.ToUpperInvariant(trimmed[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1,
        };
        var digits = unit == 1 ? trimmed : trimmed[..^1];
        bool parsed = long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long count)
            && Math.Abs(count) <= long.MaxValue / unit;
        bytes = parsed ? count * unit : 0;
        return parsed;
    }
}
