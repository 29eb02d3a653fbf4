using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>
/// A list: a repeatable flag on the command line (each occurrence appends), a HOCON array in a file. A single HOCON
/// string is read as a one-element list, as gunicorn accepts <c>bind = "host:port"</c>.
/// </summary>
/// <typeparam name="T">The type of one element.</typeparam>
internal sealed class ListKind<T>(string description, ListKind<T>.ItemParser parseItem, Func<T, string> formatItem)
    : SettingKind<IReadOnlyList<T>>
{
    /// <summary>Reads one element from its text, or explains why it cannot (a phrase naming the text).</summary>
    public delegate bool ItemParser(string text, [NotNullWhen(true)] out T? item, [NotNullWhen(false)] out string? problem);

    public override string Description => description;

    public override bool IsRepeatable => true;

    // The whole list a layer gives replaces the lower layer's list: HOCON never merges arrays.
    internal override string ArgumentsToHocon(IReadOnlyList<string> arguments) => HoconText.QuoteList(arguments);

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out IReadOnlyList<T> result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (value.IsObject())
        {
            problem = $"expected a {description}, found an object";
            return false;
        }

        IEnumerable<HoconValue> elements = HoconValues.IsScalar(value) ? [value] : HoconValues.Items(value);
        var items = new List<T>();
        foreach (var element in elements)
        {
            if (!HoconValues.TryGetScalar(element, $"a {description}", out var text, out problem))
            {
                return false;
            }

            if (text is null)
            {
                problem = $"expected a {description}, found null";
                return false;
            }

            if (!parseItem(text, out var item, out problem))
            {
                return false;
            }

            items.Add(item);
        }

        (result, problem) = (items, null);
        return true;
    }

    internal override string Render(IReadOnlyList<T> value) => HoconText.QuoteList(value.Select(formatItem));

    internal override string Display(IReadOnlyList<T> value) => value.Count == 0 ? "[]" : string.Join(", ", value.Select(formatItem));
}
