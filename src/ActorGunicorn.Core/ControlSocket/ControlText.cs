using System.Globalization;
using System.Text;

namespace ActorGunicorn.ControlSocket;

/// <summary>How <c>actorgunicorn ctl</c> prints replies for people: a status table, the counters, short durations.</summary>
public static class ControlText
{
    private const double Mebibyte = 1024 * 1024;

    /// <summary>
    /// The status: a header line with the arbiter's pid and the worker counts (with the floor and the ceiling when the
    /// count follows the load or was moved off the floor), then one row per worker: PID, STATE,
    /// AGE (time since spawned), REQUESTS, RSS (MiB), CURRENT (how long its longest-running request has run).
    /// </summary>
    /// <param name="status">The reply to <c>status</c>.</param>
    /// <returns>Lines ending with a newline.</returns>
    public static string Status(ControlStatusData status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder();
        int count = status.Workers.Count;
        text.Append(CultureInfo.InvariantCulture, $"arbiter {status.ArbiterPid}: {count} {(count == 1 ? "worker" : "workers")}, {status.DesiredWorkers} desired");
        if (status.MaxWorkers > status.MinWorkers || status.DesiredWorkers != status.MinWorkers)
        {
            text.Append(CultureInfo.InvariantCulture, $" (min {status.MinWorkers}, max {status.MaxWorkers})");
        }

        text.Append('\n');
        var rows = status.Workers.Select(w => new[]
        {
            w.Pid == 0 ? "-" : w.Pid.ToString(CultureInfo.InvariantCulture),
            w.State,
            w.Pid == 0 ? "-" : Duration(TimeSpan.FromMilliseconds(w.UptimeMs)),
            w.Requests.ToString(CultureInfo.InvariantCulture),
            w.RssBytes == 0 ? "-" : (w.RssBytes / Mebibyte).ToString("0.0", CultureInfo.InvariantCulture),
            RequestTime(w.CurrentRequestMs),
        });
        AppendTable(text, ["PID", "STATE", "AGE", "REQUESTS", "RSS MiB", "CURRENT"], [false, false, false, true, true, false], rows);
        return text.ToString();
    }

    /// <summary>The arbiter's counters, one per line.</summary>
    /// <param name="stats">The reply to <c>stats</c>.</param>
    /// <returns>Lines ending with a newline.</returns>
    public static string Stats(ControlStatsData stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var rows = new (string Name, string Value)[]
        {
            ("arbiter pid", stats.ArbiterPid.ToString(CultureInfo.InvariantCulture)),
            ("uptime", Duration(TimeSpan.FromMilliseconds(stats.UptimeMs))),
            ("workers desired", stats.DesiredWorkers.ToString(CultureInfo.InvariantCulture)),
            ("workers min", stats.MinWorkers.ToString(CultureInfo.InvariantCulture)),
            ("workers max", stats.MaxWorkers.ToString(CultureInfo.InvariantCulture)),
            ("workers spawned", stats.WorkersSpawned.ToString(CultureInfo.InvariantCulture)),
            ("workers lost", stats.WorkersLost.ToString(CultureInfo.InvariantCulture)),
            ("workers recycled", stats.WorkersRecycled.ToString(CultureInfo.InvariantCulture)),
            ("scaled up", stats.ScaleUps.ToString(CultureInfo.InvariantCulture)),
            ("scaled down", stats.ScaleDowns.ToString(CultureInfo.InvariantCulture)),
            ("reloads", stats.Reloads.ToString(CultureInfo.InvariantCulture)),
            ("requests served", stats.RequestsServed.ToString(CultureInfo.InvariantCulture)),
        };
        int width = rows.Max(r => r.Name.Length) + 2;
        return string.Concat(rows.Select(r => r.Name.PadRight(width) + r.Value + "\n"));
    }

    /// <summary>A duration in its two largest units: <c>5s</c>, <c>3m12s</c>, <c>2h04m</c>, <c>3d07h</c>.</summary>
    /// <param name="duration">A non-negative duration; fractions of a second are dropped.</param>
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 60 } => Invariant($"{Math.Max(0, duration.Seconds)}s"),
        { TotalHours: < 1 } => Invariant($"{duration.Minutes}m{duration.Seconds:00}s"),
        { TotalDays: < 1 } => Invariant($"{duration.Hours}h{duration.Minutes:00}m"),
        _ => Invariant($"{(int)duration.TotalDays}d{duration.Hours:00}h"),
    };

    /// <summary>How long a request has run: <c>-</c> for none, <c>340ms</c>, <c>1.2s</c>, then as <see cref="Duration"/>.</summary>
    /// <param name="milliseconds">Milliseconds; 0 when no request runs.</param>
    public static string RequestTime(long milliseconds) => milliseconds switch
    {
        <= 0 => "-",
        < 1000 => Invariant($"{milliseconds}ms"),
        < 60_000 => Invariant($"{Math.Floor(milliseconds / 100.0) / 10:0.0}s"),
        _ => Duration(TimeSpan.FromMilliseconds(milliseconds)),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // Columns two spaces apart, each as wide as its widest cell; numbers align right.
    private static void AppendTable(StringBuilder text, string[] headings, bool[] alignRight, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(headings).ToList();
        var widths = headings.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, column) => alignRight[column] ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }
    }
}
