using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>A string that must be present (HOCON <c>null</c> is refused).</summary>
internal sealed class TextKind : SettingKind<string>
{
    public override string Description => "string";

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out string result, [NotNullWhen(false)] out string? problem)
    {
        if (!HoconValues.TryGetScalar(value, "a string", out result, out problem))
        {
            return false;
        }

        problem = result is null ? "expected a string, found null" : null;
        return result is not null;
    }

    internal override string Render(string value) => HoconText.Quote(value);

    internal override string Display(string value) => value;
}
