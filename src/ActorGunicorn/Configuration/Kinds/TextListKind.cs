using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A list of strings: a repeatable flag on the command line (each occurrence appends), a HOCON array in a file.
/// A single HOCON string is read as a one-element list, as gunicorn accepts <c>bind = "host:port"</c>.
/// </summary>
internal sealed class TextListKind : SettingKind<IReadOnlyList<string>>
{
    public override string Description => "list of strings";

    public override bool IsRepeatable => true;

    // The whole list a layer gives replaces the lower layer's list: HOCON never merges arrays.
    internal override string ArgumentsToHocon(IReadOnlyList<string> arguments) => HoconText.QuoteList(arguments);

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out IReadOnlyList<string> result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (value.IsObject())
        {
            problem = "expected a list of strings, found an object";
            return false;
        }

        if (HoconValues.IsScalar(value))
        {
            var single = value.IsEmpty ? null : value.GetString();
            problem = single is null ? "expected a list of strings, found null" : null;
            result = single is null ? null : [single];
            return single is not null;
        }

        var items = new List<string>();
        foreach (var item in HoconValues.Items(value))
        {
            if (!HoconValues.TryGetScalar(item, "a list of strings", out var text, out problem))
            {
                return false;
            }

            if (text is null)
            {
                problem = "expected a list of strings, found null in the list";
                return false;
            }

            items.Add(text);
        }

        (result, problem) = (items, null);
        return true;
    }

    internal override string Render(IReadOnlyList<string> value) => HoconText.QuoteList(value);

    internal override string Display(IReadOnlyList<string> value) => value.Count == 0 ? "[]" : string.Join(", ", value);
}
