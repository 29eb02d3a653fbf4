using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// What a configuration asks of gunicorn settings that this server accepts but carries out differently
/// (<see cref="SettingDefinition.Differs"/>): one line per setting given such a value, for the arbiter to log as a
/// WARNING at start and at every reload. A gunicorn command line thus never stops at an unknown flag, and never
/// changes behaviour in silence either.
/// </summary>
public static class GunicornParity
{
    /// <summary>The warning lines for <paramref name="config"/>, in table order; empty when it sets none of those values.</summary>
    /// <param name="config">A merged configuration (see <see cref="LoadedConfiguration.Config"/>).</param>
    public static IReadOnlyList<string> Warnings(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. SettingsTable.All
            .Where(setting => setting.DiffersIn(config))
            .Select(setting => $"{setting.Label} = {setting.DisplayFrom(config)} is accepted but differs from gunicorn: {setting.Differs}")];
    }

    /// <summary>
    /// gunicorn names a <c>gunicorn.conf.py</c> may define that are neither a setting of the table nor a hook this
    /// server calls, each with what happens instead. Other names a configuration defines are its own business, as in
    /// gunicorn, which ignores them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> UncarriedPythonNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pre_exec"] = "the hook is not called; a USR2 upgrade starts the new arbiter without it",
        ["ssl_context"] = "the hook is not called: TLS is configured by certfile, keyfile, ca-certs, cert-reqs, ciphers and tls-min-version",
        ["logconfig_dict"] = "the server's own log is written by Serilog, not by Python's logging module, so a dictConfig does not shape it",
        ["on_dirty_starting"] = DirtyHook,
        ["dirty_post_fork"] = DirtyHook,
        ["dirty_worker_init"] = DirtyHook,
        ["dirty_worker_exit"] = DirtyHook,
    };

    private const string DirtyHook = "the hook is not called: no dirty arbiter is started yet";

    /// <summary>The warning lines for names of <see cref="UncarriedPythonNames"/> among those a Python configuration defines.</summary>
    /// <param name="definedNames">The module-level names the configuration defines that are not settings (see <see cref="PythonConfig.IgnoredNames"/>).</param>
    /// <param name="location">The configuration's location, as the lines name it.</param>
    public static IReadOnlyList<string> PythonConfigWarnings(IEnumerable<string> definedNames, string location) =>
        [.. definedNames
            .Where(UncarriedPythonNames.ContainsKey)
            .Select(name => $"{location} defines {name}, which is accepted but differs from gunicorn: {UncarriedPythonNames[name]}")];
}
