using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A map of names to values: a HOCON object in a file, such as <c>{ "X-FORWARDED-PROTO" = https }</c>. Like gunicorn's
/// dictionary settings it has no command-line flag. Names compare case-insensitively.
/// </summary>
internal sealed class MapKind : SettingKind<IReadOnlyDictionary<string, string>>
{
    public override string Description => "map of names to values";

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, string> result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (!value.IsObject())
        {
            problem = $"expected a {Description}, such as {{ \"X-FORWARDED-PROTO\" = https }}";
            return false;
        }

        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, item) in value.GetObject().Items)
        {
            if (!HoconValues.TryGetScalar(item, "a string", out var text, out problem))
            {
                return false;
            }

            if (text is null)
            {
                problem = $"'{name}' has no value";
                return false;
            }

            map[name] = text;
        }

        (result, problem) = (map, null);
        return true;
    }

    internal override string Render(IReadOnlyDictionary<string, string> value) =>
        "{ " + string.Join(", ", value.Select(pair => $"{HoconText.Quote(pair.Key)} = {HoconText.Quote(pair.Value)}")) + " }";

    internal override string Display(IReadOnlyDictionary<string, string> value) =>
        string.Join(", ", value.Select(pair => $"{pair.Key}={pair.Value}"));
}
