using ActorGunicorn.Arbitration;

namespace ActorGunicorn.ControlSocket;

/// <summary>The reply to <c>status</c>: the arbiter and its workers (snake_case in JSON).</summary>
/// <param name="ArbiterPid">The arbiter's process id.</param>
/// <param name="DesiredWorkers">How many workers the arbiter aims for now.</param>
/// <param name="MinWorkers">The floor: <c>--workers</c>, as TTIN, TTOU and <c>ctl add/remove</c> left it.</param>
/// <param name="MaxWorkers">The most workers the load may bring (<c>--max-workers</c>); the floor when the count is fixed.</param>
/// <param name="Workers">Every worker process, oldest first (a worker still being spawned last).</param>
public sealed record ControlStatusData(int ArbiterPid, int DesiredWorkers, int MinWorkers, int MaxWorkers, IReadOnlyList<ControlWorkerData> Workers)
{
    /// <summary>The arbiter's status as the control socket reports it.</summary>
    /// <param name="status">The arbiter's reply to <see cref="Arbiter.GetStatus"/>.</param>
    /// <param name="arbiterPid">The arbiter's process id.</param>
    public static ControlStatusData From(Arbiter.Status status, int arbiterPid)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(arbiterPid, status.DesiredWorkers, status.MinWorkers, status.MaxWorkers, [.. status.Workers.Select(w => new ControlWorkerData(
            w.Pid,
            w.Age,
            w.State,
            w.RequestsServed,
            w.OpenConnections,
            w.RssBytes,
            w.LongestRequestMs,
            (long)w.Uptime.TotalMilliseconds))]);
    }
}

/// <summary>One worker in <see cref="ControlStatusData"/>; the counters are as of its last heartbeat (every second).</summary>
/// <param name="Pid">The process id; 0 while it is being spawned.</param>
/// <param name="Age">gunicorn's age: the spawn counter, lower is older.</param>
/// <param name="State">Booting, Running, Replacing (a replacement is on its way) or Leaving.</param>
/// <param name="Requests">Requests it has answered.</param>
/// <param name="Connections">Client connections it holds open.</param>
/// <param name="RssBytes">Its resident memory; 0 before its first heartbeat.</param>
/// <param name="CurrentRequestMs">How long its longest-running request has run; 0 when it is idle.</param>
/// <param name="UptimeMs">Time since it was spawned.</param>
public sealed record ControlWorkerData(int Pid, int Age, string State, long Requests, int Connections, long RssBytes, long CurrentRequestMs, long UptimeMs);

/// <summary>The reply to <c>stats</c>: the arbiter's counters since it started (snake_case in JSON).</summary>
/// <param name="ArbiterPid">The arbiter's process id.</param>
/// <param name="UptimeMs">Time since the arbiter started.</param>
/// <param name="DesiredWorkers">How many workers it aims for now.</param>
/// <param name="MinWorkers">The floor of the worker count (<see cref="ControlStatusData.MinWorkers"/>).</param>
/// <param name="MaxWorkers">The ceiling of the worker count (<see cref="ControlStatusData.MaxWorkers"/>).</param>
/// <param name="WorkersSpawned">Worker processes started, respawns included.</param>
/// <param name="WorkersLost">Workers that exited without being asked to.</param>
/// <param name="WorkersRecycled">Workers replaced on purpose (max-requests, memory, lifetime).</param>
/// <param name="ScaleUps">Workers added because requests waited (<c>--max-workers</c>).</param>
/// <param name="ScaleDowns">Workers retired because the load had dropped.</param>
/// <param name="Reloads">Reloads, by HUP or by <c>ctl reload</c>.</param>
/// <param name="RequestsServed">Requests answered by the workers running now.</param>
public sealed record ControlStatsData(
    int ArbiterPid,
    long UptimeMs,
    int DesiredWorkers,
    int MinWorkers,
    int MaxWorkers,
    long WorkersSpawned,
    long WorkersLost,
    long WorkersRecycled,
    long ScaleUps,
    long ScaleDowns,
    long Reloads,
    long RequestsServed)
{
    /// <summary>The arbiter's counters as the control socket reports them.</summary>
    /// <param name="stats">The arbiter's reply to <see cref="Arbiter.GetStats"/>.</param>
    /// <param name="arbiterPid">The arbiter's process id.</param>
    public static ControlStatsData From(Arbiter.Stats stats, int arbiterPid)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(arbiterPid, (long)stats.Uptime.TotalMilliseconds, stats.DesiredWorkers, stats.MinWorkers, stats.MaxWorkers,
            stats.WorkersSpawned, stats.WorkersLost, stats.WorkersRecycled, stats.ScaleUps, stats.ScaleDowns, stats.Reloads, stats.RequestsServed);
    }
}

/// <summary>The reply to <c>reload</c>, <c>add</c> and <c>remove</c>.</summary>
/// <param name="Summary">What the arbiter did, in one line (e.g. <c>workers: 1 -> 3</c>).</param>
public sealed record ControlCommandData(string Summary);
