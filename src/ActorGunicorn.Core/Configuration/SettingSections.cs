namespace ActorGunicorn.Configuration;

/// <summary>
/// Section names of the settings table. They are gunicorn's, so its documentation maps one to one, and they group
/// <c>--help</c>, <c>reference.conf</c> and <c>docs/settings.md</c>.
/// </summary>
public static class SettingSections
{
    /// <summary>The parser's own options, help and version (argparse's "options" group in gunicorn).</summary>
    public const string CommandLine = "Command Line";

    /// <summary>Where settings come from: the configuration file and the application.</summary>
    public const string ConfigFile = "Config File";

    /// <summary>Listening sockets.</summary>
    public const string ServerSocket = "Server Socket";

    /// <summary>Worker count, concurrency, recycling and timeouts.</summary>
    public const string WorkerProcesses = "Worker Processes";

    /// <summary>Request size limits.</summary>
    public const string Security = "Security";

    /// <summary>Configuration checking.</summary>
    public const string Debugging = "Debugging";

    /// <summary>Process environment: directory, variables, pid file.</summary>
    public const string ServerMechanics = "Server Mechanics";

    /// <summary>Error and access logs.</summary>
    public const string Logging = "Logging";

    /// <summary>Code the server calls at points of its lifecycle.</summary>
    public const string ServerHooks = "Server Hooks";

    /// <summary>TLS on the listeners.</summary>
    public const string Ssl = "SSL";

    /// <summary>Process titles, as <c>ps</c> and <c>top</c> show them.</summary>
    public const string ProcessNaming = "Process Naming";

    /// <summary>HTTP/2 on the listeners.</summary>
    public const string Http2 = "HTTP/2";

    /// <summary>gunicorn 25's separate pool of workers for long-running tasks.</summary>
    public const string DirtyArbiters = "Dirty Arbiters";

    /// <summary>The control socket that <c>actorgunicorn ctl</c> talks to.</summary>
    public const string Control = "Control";

    /// <summary>Multi-host deployment: the arbiters' Akka.Cluster membership.</summary>
    public const string Cluster = "Cluster";
}
