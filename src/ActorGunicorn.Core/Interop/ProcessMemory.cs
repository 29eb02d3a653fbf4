using System.Globalization;

namespace ActorGunicorn.Interop;

/// <summary>
/// A process's resident set size from <c>/proc/PID/statm</c>: one small read, cheap enough for every heartbeat and
/// every arbiter tick, and readable for a worker that is stuck (the arbiter reads it from outside).
/// </summary>
internal static class ProcessMemory
{
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>The resident set size in bytes, or null when the process is gone or /proc cannot be read.</summary>
    public static long? ResidentBytes(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(pid == Environment.ProcessId ? "/proc/self/statm" : $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/statm");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStatm(text) is long pages ? pages * PageSize : null;
    }

    /// <summary>The resident page count: the second field of statm ("size resident shared text lib data dt").</summary>
    internal static long? ParseStatm(string statm)
    {
        var fields = statm.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages) ? pages : null;
    }
}
