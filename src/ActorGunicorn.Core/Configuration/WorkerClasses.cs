namespace ActorGunicorn.Configuration;

/// <summary>
/// gunicorn's worker classes (<c>-k</c>/<c>--worker-class</c>) and what each becomes in this server, whose workers are
/// all one kind: an actor system in front of a pool of application threads. The names and dotted paths are those
/// gunicorn's <c>SUPPORTED_WORKERS</c> and the uvicorn packages define, so command lines from Procfiles keep working.
/// </summary>
public static class WorkerClasses
{
    /// <summary>gunicorn's default: one request at a time per worker (threads = 1 unless set).</summary>
    public const string Sync = "sync";

    /// <summary>gunicorn's threaded worker: <c>--threads</c> requests at a time per worker.</summary>
    public const string Gthread = "gthread";

    /// <summary>gunicorn's greenlet worker (gevent).</summary>
    public const string Gevent = "gevent";

    /// <summary>gunicorn's greenlet worker (eventlet; deprecated by gunicorn).</summary>
    public const string Eventlet = "eventlet";

    /// <summary>gunicorn's Tornado worker.</summary>
    public const string Tornado = "tornado";

    /// <summary>gunicorn's ASGI worker, and uvicorn's workers.</summary>
    public const string Asgi = "asgi";

    /// <summary>
    /// Application threads per worker for the greenlet classes: this server has no greenlets, so their thousands of
    /// cheap concurrent requests become this many threads at most (each an OS thread with its own Python thread state).
    /// </summary>
    public const int GreenletThreadCap = 32;

    /// <summary>The class names the setting reads back, in help's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Sync, Gthread, Gevent, Eventlet, Tornado, Asgi];

    /// <summary>Other spellings gunicorn users write, each with the class it stands for.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = BuildAliases();

    /// <summary>Whether <paramref name="workerClass"/> is a greenlet or Tornado class that runs here as threads.</summary>
    /// <param name="workerClass">A class name as the setting reads it back.</param>
    public static bool RunsAsThreads(string workerClass) => workerClass is Gevent or Eventlet or Tornado;

    /// <summary>The application threads each worker runs for <paramref name="workerClass"/>.</summary>
    /// <param name="workerClass">A class name as the setting reads it back.</param>
    /// <param name="threads">The <c>threads</c> setting.</param>
    /// <param name="workerConnections">The <c>worker_connections</c> setting, which sizes gunicorn's greenlet pools.</param>
    /// <returns><paramref name="threads"/>, or for a greenlet class its pool size capped at <see cref="GreenletThreadCap"/>.</returns>
    public static int ThreadsFor(string workerClass, int threads, int workerConnections) =>
        RunsAsThreads(workerClass) ? Math.Clamp(workerConnections, 1, GreenletThreadCap) : threads;

    private static Dictionary<string, string> BuildAliases()
    {
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["gevent_wsgi"] = Gevent,
            ["gevent_pywsgi"] = Gevent,
            ["gunicorn.workers.sync.SyncWorker"] = Sync,
            ["gunicorn.workers.gthread.ThreadWorker"] = Gthread,
            ["gunicorn.workers.ggevent.GeventWorker"] = Gevent,
            ["gunicorn.workers.ggevent.GeventPyWSGIWorker"] = Gevent,
            ["gunicorn.workers.geventlet.EventletWorker"] = Eventlet,
            ["gunicorn.workers.gtornado.TornadoWorker"] = Tornado,
            ["gunicorn.workers.gasgi.ASGIWorker"] = Asgi,
            ["uvicorn.workers.UvicornWorker"] = Asgi,
            ["uvicorn.workers.UvicornH11Worker"] = Asgi,
            ["uvicorn_worker.UvicornWorker"] = Asgi,
            ["uvicorn_worker.UvicornH11Worker"] = Asgi,
        };

        // gunicorn also loads its classes by entry point: egg:gunicorn#gevent.
        foreach (var name in Names.Concat(["gevent_wsgi", "gevent_pywsgi"]))
        {
            aliases["egg:gunicorn#" + name] = aliases.GetValueOrDefault(name, name);
        }

        return aliases;
    }
}
