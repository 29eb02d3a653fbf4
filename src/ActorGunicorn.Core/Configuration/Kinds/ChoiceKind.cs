using System.Diagnostics.CodeAnalysis;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>One word from a fixed list, matched without regard to case and read back in the list's spelling.</summary>
internal sealed class ChoiceKind(IReadOnlyList<string> choices, IReadOnlyDictionary<string, string>? aliases = null) : SettingKind<string>
{
    public IReadOnlyList<string> Choices { get; } = choices;

    public override string Description => "one of " + string.Join(", ", Choices);

    internal override string? CheckArgument(string argument) =>
        Match(argument) is not null ? null
        : $"invalid choice: '{argument}' (choose from {string.Join(", ", Choices.Select(c => $"'{c}'"))})";

    internal override bool TryRead(HoconValue value, [MaybeNullWhen(false)] out string result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (!HoconValues.TryGetScalar(value, Description, out var text, out problem))
        {
            return false;
        }

        result = text is null ? null : Match(text);
        if (result is null)
        {
            problem = $"{HoconValues.Show(text)} is not {Description}";
            return false;
        }

        return true;
    }

    internal override string Render(string value) => HoconText.Quote(value);

    internal override string Display(string value) => value;

    private string? Match(string text) =>
        Choices.FirstOrDefault(choice => string.Equals(choice, text.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? aliases?.FirstOrDefault(alias => string.Equals(alias.Key, text.Trim(), StringComparison.OrdinalIgnoreCase)).Value;
}
