using System.Diagnostics.CodeAnalysis;

namespace ActorGunicorn.Configuration;

/// <summary>The kinds a setting in <see cref="SettingsTable"/> can have.</summary>
public static class SettingKinds
{
    /// <summary>A store-true command-line flag, a boolean in HOCON.</summary>
    public static SettingKind<bool> Flag { get; } = new FlagKind();

    /// <summary>A store-false command-line flag (<c>--no-sendfile</c> sets <c>sendfile</c> to false), a boolean in HOCON.</summary>
    public static SettingKind<bool> ClearingFlag { get; } = new FlagKind(valueWhenGiven: false);

    /// <summary>A 32-bit whole number.</summary>
    public static SettingKind<int> WholeNumber { get; } = new IntegerKind();

    /// <summary>A whole number in decimal, or octal (<c>0o22</c>, <c>022</c>), hexadecimal or binary: gunicorn's <c>auto_int</c>.</summary>
    public static SettingKind<int> AutoInteger { get; } = new AutoIntegerKind();

    /// <summary>A size in bytes (64-bit), with an optional K, M or G unit.</summary>
    public static SettingKind<long> ByteCount { get; } = new ByteCountKind();

    /// <summary>A non-negative duration: plain seconds on the command line, seconds or a number with a unit in HOCON.</summary>
    public static SettingKind<TimeSpan> Seconds { get; } = new SecondsKind();

    /// <summary>A string that must be present.</summary>
    public static SettingKind<string> Text { get; } = new TextKind();

    /// <summary>A string that may be HOCON <c>null</c>, meaning "not set".</summary>
    public static SettingKind<string?> OptionalText { get; } = new OptionalTextKind();

    /// <summary>A list of strings; the flag is repeatable and each occurrence appends.</summary>
    public static SettingKind<IReadOnlyList<string>> TextList { get; } = new ListKind<string>("list of strings", AnyText, text => text);

    /// <summary>A list of <see cref="BindAddress"/>es, read back in canonical form; the flag is repeatable.</summary>
    public static SettingKind<IReadOnlyList<BindAddress>> BindAddresses { get; } = new ListKind<BindAddress>(
        "list of addresses", BindAddress.TryParse, address => address.ToString());

    /// <summary>A map of names to values; HOCON only, like gunicorn's dictionary settings.</summary>
    public static SettingKind<IReadOnlyDictionary<string, string>> Map { get; } = new MapKind();

    private static bool AnyText(string text, [NotNullWhen(true)] out string? item, [NotNullWhen(false)] out string? problem)
    {
        (item, problem) = (text, null);
        return true;
    }

    /// <summary>One word from <paramref name="choices"/>, matched without regard to case.</summary>
    /// <param name="choices">The accepted words, in the spelling settings are read back in.</param>
    public static SettingKind<string> Choice(params string[] choices) => new ChoiceKind(choices);

    /// <summary>One word from <paramref name="choices"/>, or an older spelling that <paramref name="aliases"/> maps to one.</summary>
    /// <param name="aliases">Accepted spellings and the choice each stands for (for example <c>true</c> → <c>auto</c>).</param>
    /// <param name="choices">The accepted words, in the spelling settings are read back in.</param>
    public static SettingKind<string> Choice(IReadOnlyDictionary<string, string> aliases, params string[] choices) => new ChoiceKind(choices, aliases);

    /// <summary>Unix permission bits, read as <see cref="AutoInteger"/> and written in octal (<c>"0600"</c>).</summary>
    public static SettingKind<int> FileMode { get; } = new FileModeKind();
}
