using System.Text;
using Akka.Configuration;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Hosting;

/// <summary>
/// The server's settings for <see cref="ActorGunicornHostingExtensions.WithActorGunicorn(Akka.Hosting.AkkaConfigurationBuilder, ActorGunicornOptions, ActorGunicornSetup)"/>.
/// Every property is optional: only those set are rendered, under the settings table's own
/// <c>actorgunicorn { … }</c> keys, in front of the defaults (docs/settings.md lists them). Everything else
/// (TLS, limits, hooks) can be set with HOCON in the host's configuration under the same keys.
/// </summary>
public sealed class ActorGunicornOptions
{
    /// <summary>The addresses to listen on (<c>bind</c>): <c>HOST:PORT</c>, <c>unix:PATH</c>; port 0 picks a free one.</summary>
    public IReadOnlyList<string>? Bind { get; set; }

    /// <summary>The listen backlog (<c>backlog</c>).</summary>
    public int? Backlog { get; set; }

    /// <summary>Pre-fork mode: the application each worker process loads (<c>app</c>): <c>App.dll</c> or a WSGI <c>module:variable</c>.</summary>
    public string? App { get; set; }

    /// <summary>Pre-fork mode: how many worker processes (<c>workers</c>).</summary>
    public int? Workers { get; set; }

    /// <summary>
    /// Pre-fork mode: the most worker processes the load may bring, <see cref="Workers"/> being the floor
    /// (<c>max-workers</c>); unset or 0 keeps the count fixed. In-process mode has no worker processes to add.
    /// </summary>
    public int? MaxWorkers { get; set; }

    /// <summary>Concurrent application calls (<c>threads</c>).</summary>
    public int? Threads { get; set; }

    /// <summary>Open connections per listener (<c>worker-connections</c>).</summary>
    public int? WorkerConnections { get; set; }

    /// <summary>Pre-fork mode: a worker silent this long is killed and replaced (<c>timeout</c>).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>How long a graceful stop lets in-flight requests finish (<c>graceful-timeout</c>).</summary>
    public TimeSpan? GracefulTimeout { get; set; }

    /// <summary>How long an idle keep-alive connection stays open (<c>keep-alive</c>).</summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>A request still running after this long is answered 504 (<c>request-timeout</c>); zero disables.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>The access log file, or <c>-</c> for stdout (<c>accesslog</c>).</summary>
    public string? AccessLog { get; set; }

    /// <summary>Pre-fork mode: the Python interpreter a WSGI worker embeds (<c>python</c>).</summary>
    public string? Python { get; set; }

    /// <summary>Pre-fork mode: directories a WSGI worker imports from, comma-separated (<c>pythonpath</c>).</summary>
    public string? PythonPath { get; set; }

    /// <summary>
    /// Pre-fork mode: the <c>actorgunicorn</c> executable that worker processes run (the host's own executable is
    /// not the server). Null: <c>actorgunicorn</c> next to the host's assemblies, else on <c>PATH</c>.
    /// Not a HOCON setting: it belongs to the embedding, not to the server.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>The HOCON for the properties that were set, one <c>actorgunicorn.KEY = VALUE</c> line each, in declaration order.</summary>
    /// <returns>The text; empty when nothing was set.</returns>
    /// <exception cref="SettingsException">A value is invalid; the message names the setting and the value.</exception>
    public string ToHocon()
    {
        var hocon = new StringBuilder();
        Render(hocon, SettingsTable.Bind, Bind?.Select(address => ParseAddress(address)).ToList());
        Render(hocon, SettingsTable.Backlog, Backlog);
        Render(hocon, SettingsTable.App, App);
        Render(hocon, SettingsTable.Workers, Workers);
        Render(hocon, SettingsTable.MaxWorkers, MaxWorkers);
        Render(hocon, SettingsTable.Threads, Threads);
        Render(hocon, SettingsTable.WorkerConnections, WorkerConnections);
        Render(hocon, SettingsTable.Timeout, Timeout);
        Render(hocon, SettingsTable.GracefulTimeout, GracefulTimeout);
        Render(hocon, SettingsTable.KeepAlive, KeepAlive);
        Render(hocon, SettingsTable.RequestTimeout, RequestTimeout);
        Render(hocon, SettingsTable.AccessLog, AccessLog);
        Render(hocon, SettingsTable.Python, Python);
        Render(hocon, SettingsTable.PythonPath, PythonPath);
        var text = hocon.ToString();
        // Reading the settings back applies each row's own rules, so a bad value fails here, naming its setting.
        ServerSettings.Create(ConfigurationFactory.ParseString(text));
        return text;
    }

    /// <summary>The rendered options as a <see cref="Config"/>.</summary>
    /// <returns>The configuration; empty when nothing was set.</returns>
    public Config ToConfig() => ConfigurationFactory.ParseString(ToHocon());

    private static BindAddress ParseAddress(string address) =>
        BindAddress.TryParse(address, out var parsed, out var problem)
            ? parsed
            : throw new SettingsException(SettingsTable.Bind, problem);

    private static void Render<T>(StringBuilder hocon, SettingDefinition<T> setting, T? value)
    {
        if (value is not null)
        {
            hocon.Append(setting.HoconPath).Append(" = ").Append(setting.Kind.Render(value)).Append('\n');
        }
    }

    private static void Render<T>(StringBuilder hocon, SettingDefinition<T> setting, T? value)
        where T : struct
    {
        if (value is { } set)
        {
            hocon.Append(setting.HoconPath).Append(" = ").Append(setting.Kind.Render(set)).Append('\n');
        }
    }
}
