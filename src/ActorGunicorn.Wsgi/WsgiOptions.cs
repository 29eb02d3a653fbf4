using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorGunicorn.Wsgi;

/// <summary>How a worker embeds Python and which WSGI application it serves.</summary>
public sealed record WsgiOptions
{
    /// <summary>The application, as gunicorn takes it: <c>module</c>, <c>module:name</c> or <c>module:factory(args)</c>.</summary>
    public required string App { get; init; }

    /// <summary>The interpreter (<c>--python</c>); null chooses <c>$VIRTUAL_ENV/bin/python</c>, else <c>python3</c> on PATH.</summary>
    public string? Python { get; init; }

    /// <summary>Directories put in front of <c>sys.path</c>, first one first (<c>--pythonpath</c>, then the working directory).</summary>
    public IReadOnlyList<string> SearchPath { get; init; } = [];

    /// <summary>Dedicated Python threads, each running one request at a time (<c>--threads</c>).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Whether several worker processes serve the same listeners (<c>wsgi.multiprocess</c>).</summary>
    public bool MultiProcess { get; init; }

    /// <summary>Whether <c>wsgi.file_wrapper</c> responses of real files go out with sendfile(2) (<c>sendfile</c>); else they are read in blocks.</summary>
    public bool SendFile { get; init; } = true;

    /// <summary><c>SERVER_SOFTWARE</c>, e.g. <c>actorgunicorn/0.1.0</c>.</summary>
    public string ServerSoftware { get; init; } = "actorgunicorn";

    /// <summary>
    /// A request body up to this many bytes (with a Content-Length) is read before the application is called and
    /// handed over as one <c>bytes</c>; larger and chunked bodies are streamed from the socket as the application reads.
    /// </summary>
    public int ReadAheadLimit { get; init; } = 64 * 1024;

    /// <summary>
    /// The configuration's hooks in this process, loaded before the application; when they define
    /// <c>pre_request</c> or <c>post_request</c>, the gateway runs them around each request. Null when there are none.
    /// </summary>
    public PythonHooks? Hooks { get; init; }

    /// <summary>The error log, for the gateway's own warnings (an application taking a server signal, say).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
