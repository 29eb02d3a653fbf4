
namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>Facts about other processes, read from /proc.</summary>
internal static class ProcessInfo
{
    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits until the process is gone; false if it is still alive after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        // Not our child, so there is nothing to wait on: look at /proc until it is gone.
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Sends a signal.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392, CA1401 // a test helper: a plain DllImport is enough.
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054, CA5392, CA1401
}
