using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Configuration;

/// <summary>
/// The server's settings, read once from the <c>actorgunicorn</c> HOCON block and validated. Nothing else reads
/// that block: the arbiter, workers and HTTP engine take their values from here. Two instances are equal when every
/// property is, lists compared item by item.
/// </summary>
public sealed record ServerSettings
{
    private ServerSettings()
    {
    }

    /// <summary>The settings when nothing is configured: the table's defaults, without environment-derived ones.</summary>
    public static ServerSettings Default { get; } = Create(Config.Empty);

    /// <summary>The application to serve (<c>APP</c>, <c>actorgunicorn.app</c>, gunicorn's <c>wsgi_app</c>); null when none is given.</summary>
    public string? App { get; init; }

    /// <summary>The addresses to listen on (<c>bind</c>), never empty.</summary>
    public IReadOnlyList<BindAddress> Bind { get; init; } = [];

    /// <summary>The listen backlog (<c>backlog</c>).</summary>
    public int Backlog { get; init; }

    /// <summary>The number of worker processes (<c>workers</c>), at least 1.</summary>
    public int Workers { get; init; }

    /// <summary>
    /// The most workers load scaling may run (<c>max_workers</c>), with <see cref="Workers"/> as the floor; 0 when the
    /// number of workers is fixed. Never below <see cref="Workers"/> otherwise.
    /// </summary>
    public int MaxWorkers { get; init; }

    /// <summary>With <see cref="MaxWorkers"/>: how long the load must stay low before a worker it added leaves (<c>scale_down_after</c>).</summary>
    public TimeSpan ScaleDownAfter { get; init; }

    /// <summary>Whether the number of workers follows the load (<see cref="MaxWorkers"/> is set).</summary>
    public bool ScalesWithLoad => MaxWorkers > 0;

    /// <summary>gunicorn's worker class (<c>worker_class</c>), one of <see cref="WorkerClasses.Names"/> but asgi.</summary>
    public string WorkerClass { get; init; } = WorkerClasses.Sync;

    /// <summary>
    /// Requests each worker runs at once, at least 1: <c>threads</c>, or for a greenlet worker class its pool size
    /// (see <see cref="WorkerClasses.ThreadsFor"/>).
    /// </summary>
    public int Threads { get; init; }

    /// <summary>Open connections per worker (<c>worker_connections</c>), at least 1.</summary>
    public int WorkerConnections { get; init; }

    /// <summary>Requests before a worker is recycled (<c>max_requests</c>); 0 disables recycling.</summary>
    public int MaxRequests { get; init; }

    /// <summary>The upper bound of the random addition to <see cref="MaxRequests"/> (<c>max_requests_jitter</c>).</summary>
    public int MaxRequestsJitter { get; init; }

    /// <summary>Resident memory above which a worker is recycled (<c>max_worker_memory</c>); 0 disables.</summary>
    public long MaxWorkerMemory { get; init; }

    /// <summary>Age after which a worker is recycled (<c>max_worker_lifetime</c>, plus per-worker jitter); zero disables.</summary>
    public TimeSpan MaxWorkerLifetime { get; init; }

    /// <summary>Whether boot failures are retried with back-off instead of halting (<c>respawn_failed_workers</c>).</summary>
    public bool RespawnFailedWorkers { get; init; }

    /// <summary>Heartbeat silence after which a worker is killed (<c>timeout</c>); zero disables the check.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>The longest a request may run before it gets 504 and its worker is recycled (<c>request_timeout</c>); zero disables.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>Time workers get to finish requests when stopping (<c>graceful_timeout</c>).</summary>
    public TimeSpan GracefulTimeout { get; init; }

    /// <summary>Idle time allowed on a keep-alive connection (<c>keepalive</c>).</summary>
    public TimeSpan KeepAlive { get; init; }

    /// <summary>The request-line limit in bytes as configured (<c>limit_request_line</c>); the HTTP engine normalises it.</summary>
    public int LimitRequestLine { get; init; }

    /// <summary>The header-count limit as configured (<c>limit_request_fields</c>); the HTTP engine normalises it.</summary>
    public int LimitRequestFields { get; init; }

    /// <summary>The header-field size limit in bytes as configured (<c>limit_request_field_size</c>); the HTTP engine normalises it.</summary>
    public int LimitRequestFieldSize { get; init; }

    /// <summary>The largest request body in bytes (<c>limit_request_body</c>); 0 means no limit.</summary>
    public long LimitRequestBody { get; init; }

    /// <summary>Time allowed from a head's first byte to its end (<c>header_timeout</c>); zero disables.</summary>
    public TimeSpan HeaderTimeout { get; init; }

    /// <summary>The longest wait for request body bytes (<c>body_timeout</c>); zero disables.</summary>
    public TimeSpan BodyTimeout { get; init; }

    /// <summary>Connections one untrusted client address may hold per worker (<c>limit_peer_connections</c>), resolved: -1 has become half of worker-connections; 0 means no limit.</summary>
    public int LimitPeerConnections { get; init; }

    /// <summary>The directory to change to before loading the application (<c>chdir</c>); null keeps the current one.</summary>
    public string? Chdir { get; init; }

    /// <summary>Environment variables to set in the arbiter and workers (<c>raw_env</c>), in order, split at the first <c>=</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Directories to put in front of Python's <c>sys.path</c> (<c>pythonpath</c>, split at commas).</summary>
    public IReadOnlyList<string> PythonPath { get; init; } = [];

    /// <summary>Where StatsD metrics go (<c>statsd_host</c>: <c>HOST[:PORT]</c> or <c>unix://PATH</c>); null sends none.</summary>
    public string? StatsdHost { get; init; }

    /// <summary>The prefix of StatsD metric names (<c>statsd_prefix</c>).</summary>
    public string StatsdPrefix { get; init; } = string.Empty;

    /// <summary>DogStatsD tags added to every metric (<c>dogstatsd_tags</c>), comma-separated; empty for none.</summary>
    public string DogstatsdTags { get; init; } = string.Empty;

    /// <summary>Whether WSGI file responses go out with sendfile(2) (<c>sendfile</c>, off with <c>--no-sendfile</c>).</summary>
    public bool SendFile { get; init; } = true;

    /// <summary>Whether a change to the application's code reloads the workers (<c>reload</c>).</summary>
    public bool Reload { get; init; }

    /// <summary>Files or glob patterns <see cref="Reload"/> watches besides the code (<c>reload_extra_files</c>).</summary>
    public IReadOnlyList<string> ReloadExtraFiles { get; init; } = [];

    /// <summary>The Python interpreter for WSGI applications (<c>python</c>); null chooses one as documented.</summary>
    public string? Python { get; init; }

    /// <summary>Front ends whose forwarding headers count (<c>forwarded_allow_ips</c>), comma-separated.</summary>
    public string ForwardedAllowIps { get; init; } = string.Empty;

    /// <summary>Headers and values that mark a trusted front end's request https (<c>secure_scheme_headers</c>).</summary>
    public IReadOnlyDictionary<string, string> SecureSchemeHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Underscore header names a trusted front end may set (<c>forwarder_headers</c>), comma-separated.</summary>
    public string ForwarderHeaders { get; init; } = string.Empty;

    /// <summary>The PROXY protocol mode (<c>proxy_protocol</c>): off, v1, v2 or auto.</summary>
    public string ProxyProtocol { get; init; } = "off";

    /// <summary>Peers allowed to send a PROXY header (<c>proxy_allow_ips</c>), comma-separated.</summary>
    public string ProxyAllowIps { get; init; } = string.Empty;

    /// <summary>Accept obs-fold continuation lines (<c>permit_obsolete_folding</c>).</summary>
    public bool PermitObsoleteFolding { get; init; }

    /// <summary>Strip whitespace before a header's colon (<c>strip_header_spaces</c>).</summary>
    public bool StripHeaderSpaces { get; init; }

    /// <summary>Accept unconventional methods (<c>permit_unconventional_http_method</c>).</summary>
    public bool PermitUnconventionalHttpMethod { get; init; }

    /// <summary>Accept HTTP versions other than 1.0 and 1.1 (<c>permit_unconventional_http_version</c>).</summary>
    public bool PermitUnconventionalHttpVersion { get; init; }

    /// <summary>Upper-case request methods (<c>casefold_http_method</c>).</summary>
    public bool CasefoldHttpMethod { get; init; }

    /// <summary>What to do with header names containing '_' (<c>header_map</c>): drop, refuse or dangerous.</summary>
    public string HeaderMap { get; init; } = "drop";

    /// <summary>The server certificate (<c>certfile</c>); set, it makes every listener TLS.</summary>
    public string? CertFile { get; init; }

    /// <summary>The certificate's private key (<c>keyfile</c>); null when it is in the certificate file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The CAs client certificates must chain to (<c>ca_certs</c>).</summary>
    public string? CaCerts { get; init; }

    /// <summary>Client certificates: 0 none, 1 optional, 2 required (<c>cert_reqs</c>).</summary>
    public int CertReqs { get; init; }

    /// <summary>Allowed cipher suites by IANA name (<c>ciphers</c>); null keeps the system's.</summary>
    public string? Ciphers { get; init; }

    /// <summary>The oldest TLS version accepted, 1.2 or 1.3 (<c>tls_min_version</c>).</summary>
    public string TlsMinVersion { get; init; } = "1.2";

    /// <summary>Whether the listeners speak TLS.</summary>
    public bool IsTls => CertFile is not null;

    /// <summary>Whether each worker listens on its own SO_REUSEPORT socket per TCP address (<c>reuse_port</c>).</summary>
    public bool ReusePort { get; init; }

    /// <summary>Whether the server detaches and runs in the background (<c>daemon</c>).</summary>
    public bool Daemon { get; init; }

    /// <summary>gunicorn's heartbeat directory (<c>worker_tmp_dir</c>): accepted, unused (heartbeats use the control channel).</summary>
    public string? WorkerTmpDir { get; init; }

    /// <summary>The user workers switch to (<c>user</c>), as given; null means no switch.</summary>
    public string? User { get; init; }

    /// <summary>The group workers switch to (<c>group</c>), as given; null means no switch.</summary>
    public string? Group { get; init; }

    /// <summary>The file mode mask for created files such as Unix sockets (<c>umask</c>).</summary>
    public int Umask { get; init; }

    /// <summary>Whether workers get every supplementary group of <see cref="User"/> (<c>initgroups</c>).</summary>
    public bool Initgroups { get; init; }

    /// <summary>Whether a daemon keeps its standard output and error (<c>enable_stdio_inheritance</c>).</summary>
    public bool EnableStdioInheritance { get; init; }

    /// <summary>The pid file path (<c>pidfile</c>); null writes none.</summary>
    public string? PidFile { get; init; }

    /// <summary>The .NET server hooks class (<c>server_hooks</c>), <c>path.dll</c> or <c>path.dll:Type</c>; null when none.</summary>
    public string? ServerHooks { get; init; }

    /// <summary>The least severe level the error log records (<c>loglevel</c>).</summary>
    public LogLevel LogLevel { get; init; }

    /// <summary>The error log file (<c>errorlog</c>); <c>-</c> means standard error.</summary>
    public string ErrorLog { get; init; } = "-";

    /// <summary>Whether standard output follows standard error into <see cref="ErrorLog"/> when that is a file (<c>capture_output</c>).</summary>
    public bool CaptureOutput { get; init; }

    /// <summary>The access log file (<c>accesslog</c>); null means no access log, <c>-</c> standard output.</summary>
    public string? AccessLog { get; init; }

    /// <summary>The access log line format with gunicorn's <c>%(atom)s</c> placeholders (<c>access_log_format</c>).</summary>
    public string AccessLogFormat { get; init; } = string.Empty;

    /// <summary>The control socket's path as configured (<c>control_socket</c>); null means the default location.</summary>
    public string? ControlSocket { get; init; }

    /// <summary>The control socket's permission bits (<c>control_socket_mode</c>).</summary>
    public int ControlSocketMode { get; init; }

    /// <summary>Whether the server runs without a control socket (<c>control_socket_disable</c>).</summary>
    public bool ControlSocketDisable { get; init; }

    /// <summary>The cluster membership settings (the Cluster section); not clustered unless seeds are given.</summary>
    public ClusterSettings Cluster { get; init; } = new();

    /// <summary>Reads the settings from an actor system's configuration.</summary>
    /// <param name="system">The actor system, created with the configuration <see cref="SettingsLoader"/> produced.</param>
    /// <returns>The validated settings.</returns>
    /// <exception cref="SettingsException">A value is invalid; the message names the setting and the value.</exception>
    public static ServerSettings Create(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Create(system.Settings.Config);
    }

    /// <summary>
    /// Reads the settings from the <c>actorgunicorn</c> block of <paramref name="config"/>. Keys it lacks take the
    /// table's defaults, so the result is the same whether or not <c>reference.conf</c> is a fallback.
    /// </summary>
    /// <param name="config">The merged configuration.</param>
    /// <returns>The validated settings.</returns>
    /// <exception cref="SettingsException">A value is invalid, or a key of the block is no setting; the message names the setting and the value.</exception>
    public static ServerSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        UnknownSettings.Check(config);

        // Every row, including those no property below reads (gunicorn's settings this server accepts and carries
        // out differently): a bad value is an error wherever it was given.
        foreach (var setting in SettingsTable.All.Where(setting => setting.HoconPath is not null))
        {
            setting.Check(config);
        }

        var workerClass = SettingsTable.WorkerClass.Read(config);
        var workerConnections = SettingsTable.WorkerConnections.Read(config);
        var settings = new ServerSettings
        {
            App = SettingsTable.App.Read(config),
            Bind = SettingsTable.Bind.Read(config),
            Backlog = SettingsTable.Backlog.Read(config),
            Workers = SettingsTable.Workers.Read(config),
            MaxWorkers = SettingsTable.MaxWorkers.Read(config),
            ScaleDownAfter = SettingsTable.ScaleDownAfter.Read(config),
            WorkerClass = workerClass,
            Threads = WorkerClasses.ThreadsFor(workerClass, SettingsTable.Threads.Read(config), workerConnections),
            WorkerConnections = workerConnections,
            MaxRequests = SettingsTable.MaxRequests.Read(config),
            MaxRequestsJitter = SettingsTable.MaxRequestsJitter.Read(config),
            MaxWorkerMemory = SettingsTable.MaxWorkerMemory.Read(config),
            MaxWorkerLifetime = SettingsTable.MaxWorkerLifetime.Read(config),
            RespawnFailedWorkers = SettingsTable.RespawnFailedWorkers.Read(config),
            Timeout = SettingsTable.Timeout.Read(config),
            RequestTimeout = SettingsTable.RequestTimeout.Read(config),
            GracefulTimeout = SettingsTable.GracefulTimeout.Read(config),
            KeepAlive = SettingsTable.KeepAlive.Read(config),
            LimitRequestLine = SettingsTable.LimitRequestLine.Read(config),
            LimitRequestFields = SettingsTable.LimitRequestFields.Read(config),
            LimitRequestFieldSize = SettingsTable.LimitRequestFieldSize.Read(config),
            LimitRequestBody = SettingsTable.LimitRequestBody.Read(config),
            HeaderTimeout = SettingsTable.HeaderTimeout.Read(config),
            BodyTimeout = SettingsTable.BodyTimeout.Read(config),
            LimitPeerConnections = SettingsTable.LimitPeerConnections.Read(config) is var peers && peers < 0
                ? Math.Max(1, workerConnections / 2)
                : peers,
            Chdir = SettingsTable.Chdir.Read(config),
            Env = [.. SettingsTable.RawEnv.Read(config).Select(SplitVariable)],
            PythonPath = SplitPythonPath(SettingsTable.PythonPath.Read(config)),
            SendFile = SettingsTable.SendFile.Read(config),
            StatsdHost = SettingsTable.StatsdHost.Read(config),
            StatsdPrefix = SettingsTable.StatsdPrefix.Read(config),
            DogstatsdTags = SettingsTable.DogstatsdTags.Read(config),
            Reload = SettingsTable.Reload.Read(config),
            ReloadExtraFiles = SettingsTable.ReloadExtraFiles.Read(config),
            Python = SettingsTable.Python.Read(config),
            ForwardedAllowIps = SettingsTable.ForwardedAllowIps.Read(config),
            SecureSchemeHeaders = SettingsTable.SecureSchemeHeaders.Read(config),
            ForwarderHeaders = SettingsTable.ForwarderHeaders.Read(config),
            ProxyProtocol = SettingsTable.ProxyProtocol.Read(config),
            ProxyAllowIps = SettingsTable.ProxyAllowIps.Read(config),
            PermitObsoleteFolding = SettingsTable.PermitObsoleteFolding.Read(config),
            StripHeaderSpaces = SettingsTable.StripHeaderSpaces.Read(config),
            PermitUnconventionalHttpMethod = SettingsTable.PermitUnconventionalHttpMethod.Read(config),
            PermitUnconventionalHttpVersion = SettingsTable.PermitUnconventionalHttpVersion.Read(config),
            CasefoldHttpMethod = SettingsTable.CasefoldHttpMethod.Read(config),
            HeaderMap = SettingsTable.HeaderMap.Read(config),
            CertFile = SettingsTable.CertFile.Read(config),
            KeyFile = SettingsTable.KeyFile.Read(config),
            CaCerts = SettingsTable.CaCerts.Read(config),
            CertReqs = SettingsTable.CertReqs.Read(config),
            Ciphers = SettingsTable.Ciphers.Read(config),
            TlsMinVersion = SettingsTable.TlsMinVersion.Read(config),
            PidFile = SettingsTable.PidFile.Read(config),
            ReusePort = SettingsTable.ReusePort.Read(config),
            Daemon = SettingsTable.Daemon.Read(config),
            WorkerTmpDir = SettingsTable.WorkerTmpDir.Read(config),
            User = SettingsTable.User.Read(config),
            Group = SettingsTable.Group.Read(config),
            Umask = SettingsTable.Umask.Read(config),
            Initgroups = SettingsTable.Initgroups.Read(config),
            EnableStdioInheritance = SettingsTable.EnableStdioInheritance.Read(config),
            ServerHooks = SettingsTable.ServerHooks.Read(config),
            LogLevel = ToLogLevel(SettingsTable.LogLevel.Read(config)),
            ErrorLog = SettingsTable.ErrorLog.Read(config),
            CaptureOutput = SettingsTable.CaptureOutput.Read(config),
            AccessLog = SettingsTable.AccessLog.Read(config),
            AccessLogFormat = SettingsTable.AccessLogFormat.Read(config),
            ControlSocket = SettingsTable.ControlSocket.Read(config),
            ControlSocketMode = SettingsTable.ControlSocketMode.Read(config),
            ControlSocketDisable = SettingsTable.ControlSocketDisable.Read(config),
            Cluster = new ClusterSettings
            {
                Seeds = [.. SettingsTable.ClusterSeeds.Read(config).Select(ToEndpoint)],
                Host = SettingsTable.ClusterHost.Read(config),
                Port = SettingsTable.ClusterPort.Read(config),
                Roles = SettingsTable.ClusterRoles.Read(config),
                SplitBrainStrategy = SettingsTable.ClusterSplitBrain.Read(config),
                QuorumSize = SettingsTable.ClusterQuorumSize.Read(config),
                StableAfter = SettingsTable.ClusterStableAfter.Read(config),
                HeartbeatPause = SettingsTable.ClusterHeartbeatPause.Read(config),
            },
        };

        // The one rule between two settings: the ceiling of load scaling cannot be below its floor, whichever layer
        // set either (WEB_CONCURRENCY, a file, the command line).
        if (settings.ScalesWithLoad && settings.MaxWorkers < settings.Workers)
        {
            throw new SettingsException(
                SettingsTable.MaxWorkers,
                FormattableString.Invariant($"'{settings.MaxWorkers}' must be at least workers ({settings.Workers}), or 0 to keep the number of workers fixed"));
        }

        return settings;
    }

    /// <summary>Compares every property, lists item by item.</summary>
    /// <param name="other">The settings to compare with.</param>
    /// <returns>Whether the two hold the same values.</returns>
    public bool Equals(ServerSettings? other) =>
        other is not null
        && App == other.App
        && Bind.SequenceEqual(other.Bind)
        && Backlog == other.Backlog
        && Workers == other.Workers
        && MaxWorkers == other.MaxWorkers
        && ScaleDownAfter == other.ScaleDownAfter
        && WorkerClass == other.WorkerClass
        && Threads == other.Threads
        && WorkerConnections == other.WorkerConnections
        && MaxRequests == other.MaxRequests
        && MaxRequestsJitter == other.MaxRequestsJitter
        && MaxWorkerMemory == other.MaxWorkerMemory
        && MaxWorkerLifetime == other.MaxWorkerLifetime
        && RespawnFailedWorkers == other.RespawnFailedWorkers
        && Timeout == other.Timeout
        && RequestTimeout == other.RequestTimeout
        && GracefulTimeout == other.GracefulTimeout
        && KeepAlive == other.KeepAlive
        && LimitRequestLine == other.LimitRequestLine
        && LimitRequestFields == other.LimitRequestFields
        && LimitRequestFieldSize == other.LimitRequestFieldSize
        && LimitRequestBody == other.LimitRequestBody
        && HeaderTimeout == other.HeaderTimeout
        && BodyTimeout == other.BodyTimeout
        && LimitPeerConnections == other.LimitPeerConnections
        && Chdir == other.Chdir
        && Env.SequenceEqual(other.Env)
        && PythonPath.SequenceEqual(other.PythonPath)
        && SendFile == other.SendFile
        && StatsdHost == other.StatsdHost
        && StatsdPrefix == other.StatsdPrefix
        && DogstatsdTags == other.DogstatsdTags
        && Reload == other.Reload
        && ReloadExtraFiles.SequenceEqual(other.ReloadExtraFiles)
        && Python == other.Python
        && ForwardedAllowIps == other.ForwardedAllowIps
        && SecureSchemeHeaders.Count == other.SecureSchemeHeaders.Count
        && SecureSchemeHeaders.All(pair => other.SecureSchemeHeaders.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && ForwarderHeaders == other.ForwarderHeaders
        && ProxyProtocol == other.ProxyProtocol
        && ProxyAllowIps == other.ProxyAllowIps
        && PermitObsoleteFolding == other.PermitObsoleteFolding
        && StripHeaderSpaces == other.StripHeaderSpaces
        && PermitUnconventionalHttpMethod == other.PermitUnconventionalHttpMethod
        && PermitUnconventionalHttpVersion == other.PermitUnconventionalHttpVersion
        && CasefoldHttpMethod == other.CasefoldHttpMethod
        && HeaderMap == other.HeaderMap
        && CertFile == other.CertFile
        && KeyFile == other.KeyFile
        && CaCerts == other.CaCerts
        && CertReqs == other.CertReqs
        && Ciphers == other.Ciphers
        && TlsMinVersion == other.TlsMinVersion
        && PidFile == other.PidFile
        && ReusePort == other.ReusePort
        && Daemon == other.Daemon
        && WorkerTmpDir == other.WorkerTmpDir
        && User == other.User
        && Group == other.Group
        && Umask == other.Umask
        && Initgroups == other.Initgroups
        && EnableStdioInheritance == other.EnableStdioInheritance
        && ServerHooks == other.ServerHooks
        && LogLevel == other.LogLevel
        && ErrorLog == other.ErrorLog
        && CaptureOutput == other.CaptureOutput
        && AccessLog == other.AccessLog
        && AccessLogFormat == other.AccessLogFormat
        && ControlSocket == other.ControlSocket
        && ControlSocketMode == other.ControlSocketMode
        && ControlSocketDisable == other.ControlSocketDisable
        && Cluster == other.Cluster;

    /// <summary>A hash of the scalar properties and list lengths, consistent with <see cref="Equals(ServerSettings?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(App, Bind.Count, Workers, Threads, Timeout, Env.Count, AccessLog, LogLevel);

    // The rule on cluster_seeds has already refused anything that is not HOST:PORT.
    private static ClusterEndpoint ToEndpoint(string seed) =>
        ClusterEndpoint.TryParse(seed, out var endpoint) ? endpoint : throw new InvalidOperationException($"unchecked seed '{seed}'");

    // The rule on raw_env has already refused entries without a key, so the split always succeeds.
    private static KeyValuePair<string, string> SplitVariable(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return new(entry[..equals], entry[(equals + 1)..]);
    }

    // gunicorn: "a comma-separated list of directories"; empty entries mean nothing.
    private static string[] SplitPythonPath(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static LogLevel ToLogLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "info" => LogLevel.Information,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "The loglevel kind admits no such level."),
    };
}
