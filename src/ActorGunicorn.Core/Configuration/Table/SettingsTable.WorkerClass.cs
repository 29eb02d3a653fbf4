namespace ActorGunicorn.Configuration;

// gunicorn's choice of worker and of HTTP parser. This server has one kind of worker and one parser; the settings
// keep gunicorn command lines working and say what each choice becomes here.
public static partial class SettingsTable
{
    /// <summary><c>worker_class</c> (<c>-k</c>, <c>--worker-class</c>): gunicorn's worker type.</summary>
    public static readonly SettingDefinition<string> WorkerClass = new(SettingKinds.Choice(WorkerClasses.Aliases, [.. WorkerClasses.Names]))
    {
        Name = "worker_class",
        HoconKey = "worker-class",
        Flags = ["-k", "--worker-class"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "CLASS",
        Default = WorkerClasses.Sync,
        Rule = new("not asgi yet", value => value == WorkerClasses.Asgi
            ? "'asgi' (and uvicorn's workers) serve ASGI applications, which this server does not run yet; serve the application with uvicorn or hypercorn for now"
            : null),
        DiffersFor = WorkerClasses.RunsAsThreads,
        Differs = $"this server has no greenlets, so gevent, eventlet and tornado run the application on threads: "
            + $"worker-connections of them per worker, at most {WorkerClasses.GreenletThreadCap}; the application runs unchanged",
        Summary = "gunicorn's worker type: sync, gthread, gevent, eventlet or tornado.",
        Description = "gunicorn's worker type, by name (`sync`, `gthread`, `gevent`, `eventlet`, `tornado`, "
            + "`gevent_wsgi`, `gevent_pywsgi`) or by gunicorn's dotted class path. Every worker here is the same "
            + "actor-based worker in front of a pool of application threads: `sync` and `gthread` run `threads` of "
            + "them, as in gunicorn. `asgi` and uvicorn's workers are refused until ASGI is served.",
    };

    /// <summary><c>http_parser</c> (<c>--http-parser</c>): gunicorn's choice of HTTP/1 parser.</summary>
    public static readonly SettingDefinition<string> HttpParser = new(SettingKinds.Choice("auto", "fast", "python"))
    {
        Name = "http_parser",
        HoconKey = "http-parser",
        Flags = ["--http-parser"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "PARSER",
        Default = "auto",
        Differs = "this server has one HTTP/1 parser of its own, in .NET, so there is nothing to choose",
        Summary = "gunicorn's HTTP/1 parser: auto, fast or python.",
        Description = "gunicorn 25 chooses between its C parser (`fast`) and its Python one. Accepted for gunicorn "
            + "command lines; requests are parsed by this server's own parser whatever the value.",
    };
}
