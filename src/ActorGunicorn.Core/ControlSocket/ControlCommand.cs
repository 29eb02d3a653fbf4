using System.Globalization;

namespace ActorGunicorn.ControlSocket;

/// <summary>The commands the control socket answers.</summary>
public enum ControlVerb
{
    /// <summary>The arbiter's view of each worker.</summary>
    Status,

    /// <summary>The arbiter's counters.</summary>
    Stats,

    /// <summary>Reload the configuration and the application, as SIGHUP does.</summary>
    Reload,

    /// <summary>Run more workers, as SIGTTIN does.</summary>
    Add,

    /// <summary>Run fewer workers, the oldest leaving first, as SIGTTOU does.</summary>
    Remove,
}

/// <summary>One control command, validated.</summary>
/// <param name="Verb">What to do.</param>
/// <param name="Count">How many workers, for <see cref="ControlVerb.Add"/> and <see cref="ControlVerb.Remove"/>; 0 otherwise.</param>
public sealed record ControlCommand(ControlVerb Verb, int Count = 0)
{
    /// <summary>
    /// The most workers one command adds or removes. Each worker is a process with its own runtime (about 100 MB): a
    /// slip of the finger (<c>add 200</c> for <c>add 20</c>) must not exhaust the host's memory in one command.
    /// </summary>
    public const int MaxCount = 100;

    /// <summary>The command list as errors and help show it.</summary>
    public const string Synopsis = "status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, "
        + "show stats, worker add [N], worker remove [N]";

    /// <summary>The command in the words <see cref="TryParse"/> reads, e.g. <c>add 2</c>.</summary>
    public override string ToString() => Verb is ControlVerb.Add or ControlVerb.Remove
        ? $"{Name(Verb)} {Count.ToString(CultureInfo.InvariantCulture)}"
        : Name(Verb);

    /// <summary>The verb as typed: <c>status</c>, <c>add</c>…</summary>
    /// <param name="verb">The verb.</param>
    public static string Name(ControlVerb verb) => verb.ToString().ToLowerInvariant();

    /// <summary>Reads a command from its words, as typed after <c>actorgunicorn ctl</c> or sent in a request.</summary>
    /// <param name="words">The verb, then its argument if any: <c>["add", "2"]</c>.</param>
    /// <param name="command">The command, when the words make one.</param>
    /// <param name="error">Otherwise, what is wrong, in one sentence.</param>
    /// <returns>Whether the words make a command.</returns>
    public static bool TryParse(IReadOnlyList<string> words, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ControlCommand? command, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(words);
        words = FromGunicornSpelling(words);
        command = null;
        if (words.Count == 0)
        {
            error = $"no command given (commands: {Synopsis})";
            return false;
        }

        var verb = words[0].ToLowerInvariant() switch
        {
            "status" => ControlVerb.Status,
            "stats" => ControlVerb.Stats,
            "reload" => ControlVerb.Reload,
            "add" => ControlVerb.Add,
            "remove" => ControlVerb.Remove,
            _ => (ControlVerb?)null,
        };
        if (verb is not { } known)
        {
            error = $"unknown command '{words[0]}' (commands: {Synopsis})";
            return false;
        }

        var arguments = words.Skip(1).ToList();
        if (known is ControlVerb.Status or ControlVerb.Stats or ControlVerb.Reload)
        {
            error = arguments.Count == 0 ? null : $"'{Name(known)}' takes no argument, got '{string.Join(' ', arguments)}'";
            command = error is null ? new ControlCommand(known) : null;
            return error is null;
        }

        if (arguments.Count > 1)
        {
            error = $"'{Name(known)}' takes one number N at most, got '{string.Join(' ', arguments)}'";
            return false;
        }

        if (arguments.Count == 0)
        {
            command = new ControlCommand(known, 1);
            error = null;
            return true;
        }

        if (!int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count is < 1 or > MaxCount)
        {
            error = $"bad N '{arguments[0]}' for '{Name(known)}': a whole number from 1 to {MaxCount}";
            return false;
        }

        command = new ControlCommand(known, count);
        error = null;
        return true;
    }

    // gunicorn 25.1's gunicornc names the same commands in two words; its other commands are not offered here.
    private static IReadOnlyList<string> FromGunicornSpelling(IReadOnlyList<string> words)
    {
        if (words.Count == 2 && Is(words[0], "show"))
        {
            return Is(words[1], "workers") ? ["status"] : Is(words[1], "stats") ? ["stats"] : words;
        }

        return words.Count >= 2 && Is(words[0], "worker") && (Is(words[1], "add") || Is(words[1], "remove")) ? [.. words.Skip(1)] : words;
    }

    private static bool Is(string word, string expected) => string.Equals(word, expected, StringComparison.OrdinalIgnoreCase);
}
