using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// The gunicorn-style Python configuration the server was started with, as far as its hooks need it. Processes that
/// run hooks execute it again; workers learn of it from the configuration the arbiter hands them, where it is a
/// block of its own next to <c>actorgunicorn { }</c>.
/// </summary>
/// <param name="Location"><c>python:MODULE</c> or <c>file:/absolute/path</c>.</param>
/// <param name="Hooks">The hooks it defines, by gunicorn's names (<c>post_fork</c>…).</param>
/// <param name="IgnoredNames">Its other public module-level names but modules, functions included, which are neither settings nor hooks (logged at debug).</param>
public sealed record PythonConfig(string Location, IReadOnlyList<string> Hooks, IReadOnlyList<string> IgnoredNames)
{
    /// <summary>The HOCON block that carries it to the workers.</summary>
    public const string HoconRoot = "actorgunicorn-python-config";

    /// <summary>Whether it defines any of <paramref name="hooks"/>.</summary>
    /// <param name="hooks">Hook names.</param>
    public bool DefinesAny(IEnumerable<string> hooks) => hooks.Any(Hooks.Contains);

    /// <summary>The block for the workers' configuration.</summary>
    internal Config ToHocon() => ConfigurationFactory.ParseString(
        $"{HoconRoot} {{\n  location = {HoconText.Quote(Location)}\n  hooks = {HoconText.QuoteList(Hooks)}\n}}\n");

    /// <summary>The block <see cref="ToHocon"/> wrote, or null when the configuration has none.</summary>
    internal static PythonConfig? Read(Config config)
    {
        if (!config.HasPath(HoconRoot + ".location"))
        {
            return null;
        }

        var hooks = config.GetValue(HoconRoot + ".hooks");
        return new PythonConfig(
            config.GetString(HoconRoot + ".location"),
            hooks is null ? [] : [.. HoconValues.Items(hooks).Select(item => item.GetString())],
            []);
    }
}
