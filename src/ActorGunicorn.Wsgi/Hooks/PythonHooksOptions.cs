using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorGunicorn.Wsgi;

/// <summary>Which configuration to take hooks from, and the process they run in.</summary>
public sealed record PythonHooksOptions
{
    /// <summary>The configuration, as gunicorn's <c>-c</c> names it: <c>python:MODULE</c> or <c>file:PATH</c> (an absolute path).</summary>
    public required string Location { get; init; }

    /// <summary>The interpreter (<c>--python</c>); null chooses <c>$VIRTUAL_ENV/bin/python</c>, else <c>python3</c> on PATH.</summary>
    public string? Python { get; init; }

    /// <summary>Directories put in front of <c>sys.path</c> before the configuration is imported, first one first.</summary>
    public IReadOnlyList<string> SearchPath { get; init; } = [];

    /// <summary>The effective settings by gunicorn's names, for <c>server.cfg</c> and <c>worker.cfg</c> (see <see cref="Gateway.IServerInfo.Settings"/>).</summary>
    public IReadOnlyDictionary<string, object?> Settings { get; init; } = new Dictionary<string, object?>();

    /// <summary>The arbiter's process id (<c>server.pid</c>).</summary>
    public int ServerPid { get; init; }

    /// <summary>The number of workers the arbiter aims for (<c>server.num_workers</c>).</summary>
    public int NumWorkers { get; init; }

    /// <summary>In a worker: this worker (<c>worker</c>, the same object in every hook); null in the arbiter.</summary>
    public Gateway.IWorkerInfo? Worker { get; init; }

    /// <summary>The error log, for <c>server.log</c> and <c>worker.log</c>.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
