using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A string that may be HOCON <c>null</c>, gunicorn's <c>None</c>: "not set". Akka's HOCON reads the text
/// <c>null</c> as null even when quoted, so no setting of this kind can hold the literal word.
/// </summary>
internal sealed class OptionalTextKind : SettingKind<string?>
{
    public override string Description => "string, or null for none";

    internal override bool TryRead(HoconValue value, out string? result, [NotNullWhen(false)] out string? problem) =>
        HoconValues.TryGetScalar(value, "a string", out result, out problem);

    internal override string Render(string? value) => HoconText.QuoteOrNull(value);

    internal override string Display(string? value) => value ?? "None";
}
