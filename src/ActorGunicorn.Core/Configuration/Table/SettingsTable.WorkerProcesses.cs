namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>workers</c> (<c>-w/--workers</c>): the number of worker processes.</summary>
    public static readonly SettingDefinition<int> Workers = new(SettingKinds.WholeNumber)
    {
        Name = "workers",
        HoconKey = "workers",
        Flags = ["-w", "--workers"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 1,
        Rule = SettingRules.AtLeast(1),
        EnvironmentDefault = new("WEB_CONCURRENCY", value => value, "`$WEB_CONCURRENCY`"),
        Summary = "Number of worker processes.",
        Description = "How many worker processes serve requests. Two to four per CPU core is a common start; raise it "
            + "while throughput grows and memory allows. Platforms such as Heroku set WEB_CONCURRENCY to suggest a "
            + "value.",
    };

    /// <summary><c>max_workers</c> (<c>--max-workers</c>): the ceiling of load scaling. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<int> MaxWorkers = new(SettingKinds.WholeNumber)
    {
        Name = "max_workers",
        HoconKey = "max-workers",
        Flags = ["--max-workers"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Metavar = "INT",
        Default = 0,
        Rule = SettingRules.NotNegative,
        Summary = "Add workers under load, up to this many; --workers is then the floor. 0: a fixed number.",
        Description = "Above --workers, the number of workers follows the load between the two: the arbiter adds a "
            + "worker when requests wait, that is when every worker's threads were busy (90% of the time or more, "
            + "requests queued inside the worker included) at two ticks in a row, a second apart, or when "
            + "connections waited in a shared listener's accept queue at two ticks in a row. It adds one at a time: "
            + "the next only once the last one serves and its load has been measured. When the load would have "
            + "fitted in one worker fewer at most half busy for --scale-down-after seconds, one worker leaves (the "
            + "oldest, as with TTOU), and so on down to --workers. Each change is one log line saying why and calls "
            + "the nworkers_changed hook. TTIN, TTOU and `ctl add/remove` move the floor and the current count "
            + "together; a reload (HUP) reads both settings again and keeps the current count within them. 0, the "
            + "default, keeps --workers fixed, as in gunicorn; otherwise it must be at least --workers. gunicorn "
            + "has no such setting (uWSGI: its cheaper subsystem, `cheaper` being the floor and `workers` the "
            + "ceiling).",
    };

    /// <summary><c>scale_down_after</c> (<c>--scale-down-after</c>): how long the load must stay low before a worker leaves. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<TimeSpan> ScaleDownAfter = new(SettingKinds.Seconds)
    {
        Name = "scale_down_after",
        HoconKey = "scale-down-after",
        Flags = ["--scale-down-after"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(20),
        Rule = SettingRules.AtLeast(TimeSpan.FromSeconds(1)),
        Summary = "With --max-workers: seconds of low load before one worker the load added leaves.",
        Description = "With --max-workers, how long the load must have fitted in one worker fewer, at most half "
            + "busy, before one of the workers the load added leaves; each further one leaves after another such "
            + "period. The default, 20 s, brings three workers back to one within a minute of the load stopping "
            + "while riding out short lulls; raise it for traffic that comes in bursts with pauses between them, "
            + "lower it to free memory sooner. No effect without --max-workers.",
    };

    /// <summary><c>threads</c> (<c>--threads</c>): request threads per worker.</summary>
    public static readonly SettingDefinition<int> Threads = new(SettingKinds.WholeNumber)
    {
        Name = "threads",
        HoconKey = "threads",
        Flags = ["--threads"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 1,
        Rule = SettingRules.AtLeast(1),
        Summary = "Requests each worker runs at once.",
        Description = "How many requests each worker runs at the same time. More than one helps applications that "
            + "block on I/O; gunicorn switches from its sync to its gthread worker in that case.",
    };

    /// <summary><c>worker_connections</c> (<c>--worker-connections</c>): open connections per worker.</summary>
    public static readonly SettingDefinition<int> WorkerConnections = new(SettingKinds.WholeNumber)
    {
        Name = "worker_connections",
        HoconKey = "worker-connections",
        Flags = ["--worker-connections"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 1000,
        Rule = SettingRules.AtLeast(1),
        Summary = "Open client connections allowed per worker.",
        Description = "How many client connections, idle keep-alive ones included, one worker holds open at once. "
            + "Further connections wait in the listen backlog.",
    };

    /// <summary><c>max_requests</c> (<c>--max-requests</c>): requests before a worker is recycled.</summary>
    public static readonly SettingDefinition<int> MaxRequests = new(SettingKinds.WholeNumber)
    {
        Name = "max_requests",
        HoconKey = "max-requests",
        Flags = ["--max-requests"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 0,
        Rule = SettingRules.NotNegative,
        Summary = "Requests a worker serves before it is replaced; 0 disables.",
        Description = "After serving this many requests a worker is replaced by a fresh one, a simple limit on the "
            + "damage of memory leaks. 0 never restarts workers for this reason.",
    };

    /// <summary><c>max_requests_jitter</c> (<c>--max-requests-jitter</c>): random spread added to max_requests.</summary>
    public static readonly SettingDefinition<int> MaxRequestsJitter = new(SettingKinds.WholeNumber)
    {
        Name = "max_requests_jitter",
        HoconKey = "max-requests-jitter",
        Flags = ["--max-requests-jitter"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 0,
        Rule = SettingRules.NotNegative,
        Summary = "Up to this many extra requests, drawn per worker, on top of --max-requests.",
        Description = "Each worker adds a random number from 0 to this value to max_requests when it starts, so "
            + "workers started together do not all restart together.",
    };

    /// <summary><c>timeout</c> (<c>-t/--timeout</c>): silence after which a worker is killed.</summary>
    public static readonly SettingDefinition<TimeSpan> Timeout = new(SettingKinds.Seconds)
    {
        Name = "timeout",
        HoconKey = "timeout",
        Flags = ["-t", "--timeout"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(30),
        Summary = "Seconds of silence after which a worker is killed; 0 disables.",
        Description = "A worker that sends the arbiter no heartbeat for this long gets SIGABRT: it logs its requests "
            + "in flight and the stacks of its threads (the Python stacks for WSGI) and exits; if it is still alive "
            + "at the arbiter's next tick, it gets SIGKILL. Either way it is replaced. Workers beat every second. "
            + "With one thread per worker a request that runs this long stops the heartbeat, as in gunicorn's sync "
            + "worker; with more threads, use --request-timeout. 0 disables the check. Raise it only for "
            + "applications that legitimately block for longer.",
    };

    /// <summary><c>request_timeout</c> (<c>--request-timeout</c>): the longest a request may run. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<TimeSpan> RequestTimeout = new(SettingKinds.Seconds)
    {
        Name = "request_timeout",
        HoconKey = "request-timeout",
        Flags = ["--request-timeout"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.Zero,
        Summary = "Seconds a request may run before it gets 504 and its worker is replaced; 0 disables.",
        Description = "A request still inside the application after this long is answered 504 Gateway Timeout (or, if "
            + "its response has started, its connection is cut), the stack of its thread is logged (the Python stack "
            + "for WSGI; a .NET application's cannot be read from inside the process, so its request is named "
            + "instead), and its worker is recycled gracefully: a replacement starts, and the old worker's other "
            + "threads keep serving until it is ready. Unlike --timeout, this covers threaded workers, where a stuck "
            + "request does not stop the heartbeat and gunicorn has nothing (gunicorn #2695); it is uWSGI's "
            + "`harakiri`. The stuck thread itself is not interrupted: it ends with its worker.",
    };

    /// <summary><c>graceful_timeout</c> (<c>--graceful-timeout</c>): time to finish requests when stopping.</summary>
    public static readonly SettingDefinition<TimeSpan> GracefulTimeout = new(SettingKinds.Seconds)
    {
        Name = "graceful_timeout",
        HoconKey = "graceful-timeout",
        Flags = ["--graceful-timeout"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(30),
        Summary = "Seconds workers get to finish their requests when stopping.",
        Description = "After a stop or restart request, workers get this long to finish the requests in progress; "
            + "those still running afterwards are killed.",
    };

    /// <summary><c>keepalive</c> (<c>--keep-alive</c>): idle time allowed between requests on one connection.</summary>
    public static readonly SettingDefinition<TimeSpan> KeepAlive = new(SettingKinds.Seconds)
    {
        Name = "keepalive",
        HoconKey = "keepalive",
        Flags = ["--keep-alive"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "SECONDS",
        Default = TimeSpan.FromSeconds(2),
        Summary = "Seconds an idle keep-alive connection stays open.",
        Description = "How long an idle keep-alive connection waits for its next request before it is closed. 1 to "
            + "5 seconds suits clients connecting directly; behind a load balancer that reuses connections, set it "
            + "above the balancer's idle timeout.",
    };

    /// <summary><c>max_worker_memory</c> (<c>--max-worker-memory</c>): recycle a worker above this RSS. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<long> MaxWorkerMemory = new(SettingKinds.ByteCount)
    {
        Name = "max_worker_memory",
        HoconKey = "max-worker-memory",
        Flags = ["--max-worker-memory"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Metavar = "BYTES",
        Default = 0,
        Rule = SettingRules.NotNegativeSize,
        Summary = "Replace a worker whose resident memory exceeds this (K, M, G allowed); 0 disables.",
        Description = "The arbiter reads each worker's resident set size every second; a worker above this size is "
            + "replaced: a fresh worker starts, and once it serves, the old one finishes its requests and exits. A "
            + "bound on leaks that max_requests only approximates. gunicorn has no such setting (uWSGI: "
            + "`reload-on-rss`).",
    };

    /// <summary><c>max_worker_lifetime</c> (<c>--max-worker-lifetime</c>): recycle a worker after this long. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<TimeSpan> MaxWorkerLifetime = new(SettingKinds.Seconds)
    {
        Name = "max_worker_lifetime",
        HoconKey = "max-worker-lifetime",
        Flags = ["--max-worker-lifetime"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Metavar = "SECONDS",
        Default = TimeSpan.Zero,
        Summary = "Replace a worker after it has run this long; 0 disables.",
        Description = "Each worker is replaced after this many seconds plus up to a tenth more, drawn per worker so "
            + "that workers started together are not replaced together. The replacement starts first, as for every "
            + "recycle. gunicorn has no such setting (uWSGI: `max-worker-lifetime`).",
    };

    /// <summary><c>respawn_failed_workers</c> (<c>--respawn-failed-workers</c>): retry boot failures. An ActorGunicorn addition.</summary>
    public static readonly SettingDefinition<bool> RespawnFailedWorkers = new(SettingKinds.Flag)
    {
        Name = "respawn_failed_workers",
        HoconKey = "respawn-failed-workers",
        Flags = ["--respawn-failed-workers"],
        Section = SettingSections.WorkerProcesses,
        BeyondGunicorn = true,
        Default = false,
        Summary = "Retry workers that fail to boot, with back-off, instead of halting.",
        Description = "By default, as in gunicorn, a worker that fails to boot (exit code 3) or cannot load the "
            + "application (exit code 4) stops the whole server with that exit code. With this flag the arbiter "
            + "keeps serving with the workers it has and retries the failed one after 1 s, doubling the pause after "
            + "each further failure up to 30 s; a worker that boots resets the pause.",
    };

    private static SettingDefinition[] WorkerProcessesRows =>
        [
            Workers, MaxWorkers, ScaleDownAfter, WorkerClass, Threads, WorkerConnections, MaxRequests, MaxRequestsJitter,
            MaxWorkerMemory, MaxWorkerLifetime, RespawnFailedWorkers, Timeout, RequestTimeout, GracefulTimeout, KeepAlive,
            AsgiLoop, AsgiLifespan, AsgiDisconnectGracePeriod, HttpParser,
        ];
}
