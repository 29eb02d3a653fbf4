using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A map of names to values: a HOCON object in a file, such as <c>{ "X-FORWARDED-PROTO" = https }</c>. Like gunicorn's
/// dictionary settings it has no command-line flag. Names compare case-insensitively.
/// </summary>
/// <remarks>
/// HOCON merges an object with the one in the layer below (the defaults), so an object adds names. A list of
/// <c>[name, value]</c> pairs replaces the map instead, as assigning a dict does in gunicorn; a Python configuration's
/// dict arrives in that form.
/// </remarks>
internal sealed class MapKind : SettingKind<IReadOnlyDictionary<string, string>>
{
    public override string Description => "map of names to values";

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, string> result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (!value.IsObject())
        {
            return TryReadPairs(value, out result, out problem);
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

    private bool TryReadPairs(HoconValue value, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, string> result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        problem = $"expected a {Description}, such as {{ \"X-FORWARDED-PROTO\" = https }}, or a list of [name, value] pairs";
        if (HoconValues.IsScalar(value))
        {
            return false;
        }

        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in HoconValues.Items(value))
        {
            var parts = HoconValues.IsScalar(pair) || pair.IsObject() ? [] : HoconValues.Items(pair).ToList();
            if (parts.Count != 2 || !parts.All(HoconValues.IsScalar) || parts.Any(part => part.IsEmpty))
            {
                return false;
            }

            map[parts[0].GetString()] = parts[1].GetString();
        }

        (result, problem) = (map, null);
        return true;
    }

    internal override string Render(IReadOnlyDictionary<string, string> value) =>
        "{ " + string.Join(", ", value.Select(pair => $"{HoconText.Quote(pair.Key)} = {HoconText.Quote(pair.Value)}")) + " }";

    internal override string Display(IReadOnlyDictionary<string, string> value) =>
        string.Join(", ", value.Select(pair => $"{pair.Key}={pair.Value}"));
}
