using System.Text.Json;

namespace ActorGunicorn.Configuration;

/// <summary>What the interpreter answered after executing a Python configuration (see <c>actorgunicorn_hooks.py</c>).</summary>
/// <param name="Settings">Module-level names that are settings, with their values as JSON.</param>
/// <param name="Hooks">The hooks it defines (callables with gunicorn's hook names).</param>
/// <param name="Invalid">Names whose values cannot be used, with the reason.</param>
/// <param name="Ignored">Other public module-level names but modules, functions included, which gunicorn ignores too.</param>
/// <param name="Error">The traceback of the exception that stopped the configuration, or null.</param>
internal sealed record PythonConfigAnswer(
    IReadOnlyDictionary<string, JsonElement> Settings,
    IReadOnlyList<string> Hooks,
    IReadOnlyDictionary<string, string> Invalid,
    IReadOnlyList<string> Ignored,
    string? Error)
{
    /// <summary>Reads the answer's JSON.</summary>
    /// <exception cref="JsonException">It is not the answer's shape.</exception>
    public static PythonConfigAnswer Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            return new PythonConfigAnswer(new Dictionary<string, JsonElement>(), [], new Dictionary<string, string>(), [], error.GetString());
        }

        return new PythonConfigAnswer(
            root.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
            [.. root.GetProperty("hooks").EnumerateArray().Select(Text)],
            root.GetProperty("invalid").EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value), StringComparer.Ordinal),
            [.. root.GetProperty("ignored").EnumerateArray().Select(Text)],
            Error: null);
    }

    private static string Text(JsonElement element) =>
        element.GetString() ?? throw new JsonException("expected a string");
}
