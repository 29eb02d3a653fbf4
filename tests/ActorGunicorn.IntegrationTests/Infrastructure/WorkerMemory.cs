using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// A worker's resident memory around an operation: the peak (VmHWM) is reset first, so the peak read afterwards is
/// the operation's own, not the boot's or an earlier test's.
/// </summary>
internal sealed class WorkerMemory
{
    private readonly int _pid;

    private WorkerMemory(int pid, long residentBefore, long readCallsBefore)
    {
        _pid = pid;
        ResidentBefore = residentBefore;
        ReadCallsBefore = readCallsBefore;
    }

    /// <summary>VmRSS in bytes when the measurement started.</summary>
    public long ResidentBefore { get; }

    private long ReadCallsBefore { get; }

    /// <summary>Resets the worker's peak to its current size and reads where it stands.</summary>
    public static WorkerMemory Start(int pid)
    {
        // "5" resets the peak resident set size (VmHWM) to the current one (proc(5), Linux 4.0+).
        File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        return new WorkerMemory(pid, Status(pid, "VmRSS"), Io(pid, "syscr"));
    }

    /// <summary>How far the peak (VmHWM) rose above the resident size at the start.</summary>
    public long PeakGrowth => Status(_pid, "VmHWM") - ResidentBefore;

    /// <summary>
    /// read-like system calls since the start (/proc/PID/io <c>syscr</c>): sendfile(2) counts once per call, a file
    /// copied through Python once per block.
    /// </summary>
    public long ReadCalls => Io(_pid, "syscr") - ReadCallsBefore;

    private static long Status(int pid, string field) =>
        long.Parse(Field(File.ReadAllLines($"/proc/{pid}/status"), field).Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;

    private static long Io(int pid, string field) =>
        long.Parse(Field(File.ReadAllLines($"/proc/{pid}/io"), field).Trim(), CultureInfo.InvariantCulture);

    private static string Field(string[] lines, string name) =>
        lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];
}
