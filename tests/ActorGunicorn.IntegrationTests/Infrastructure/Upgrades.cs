using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// Helpers for a binary upgrade (USR2) under test: the new arbiter is a child of the old one, writes to the same
/// output (so <see cref="ServerUnderTest"/> keeps collecting its lines after the old one exits), and is not the
/// test's child, so the test stops it itself.
/// </summary>
internal static class Upgrades
{
    public const int SigUsr2 = 12;
    public const int SigWinch = 28;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Sends USR2 to the arbiter and returns the new arbiter's pid, read from <c>PIDFILE.2</c>.</summary>
    public static async Task<int> ReexecAsync(ServerUnderTest server, string pidFile)
    {
        server.Signal(SigUsr2);
        await Files.WaitForAsync(pidFile + ".2", Patience);
        int pid = 0;
        await server.WaitForAsync(() => int.TryParse(TryRead(pidFile + ".2"), NumberStyles.None, CultureInfo.InvariantCulture, out pid), "PIDFILE.2 written");
        return pid;
    }

    /// <summary>Waits until <paramref name="arbiter"/> has <paramref name="count"/> workers that each answered a request.</summary>
    public static async Task<IReadOnlyList<int>> WorkersServingAsync(ServerUnderTest server, int arbiter, int count)
    {
        IReadOnlyList<int> workers = [];
        await server.WaitForAsync(
            () => (workers = [.. server.WorkerPids.Where(pid => ProcessInfo.IsAlive(pid) && ParentOrZero(pid) == arbiter)]).Count >= count,
            $"{count} workers of arbiter {arbiter}",
            Patience);
        foreach (var worker in workers)
        {
            await WaitUntilServedByAsync(server.Port, worker);
        }

        return workers;
    }

    /// <summary>
    /// Fresh connections until <paramref name="worker"/> answers one: proof that it accepts and serves. With
    /// --reuse-port a connection is refused until a worker listens (a booting worker has announced itself before it
    /// binds its socket), so a refusal means "not yet".
    /// </summary>
    public static async Task WaitUntilServedByAsync(int port, int worker)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ServedByAsync(port) == worker)
                {
                    return;
                }
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"worker {worker} never answered on port {port}");
    }

    /// <summary>The pid of the worker that answers a fresh connection.</summary>
    public static async Task<int> ServedByAsync(int port)
    {
        using var http = await RawHttp.ConnectAsync(port);
        return int.Parse((await http.GetAsync("/pid")).Body, CultureInfo.InvariantCulture);
    }

    /// <summary>Stops an arbiter that is not the test's child (TERM, then KILL), and every worker it still has.</summary>
    public static async Task StopAsync(int arbiter)
    {
        if (arbiter == 0 || !ProcessInfo.IsAlive(arbiter))
        {
            return;
        }

        var workers = ProcessStatus.Children(arbiter);
        ProcessInfo.Signal(arbiter, ServerUnderTest.SigTerm);
        if (!await ProcessInfo.WaitForExitAsync(arbiter, TimeSpan.FromSeconds(15)))
        {
            ProcessInfo.Signal(arbiter, ServerUnderTest.SigKill);
        }

        foreach (var worker in workers.Where(ProcessInfo.IsAlive))
        {
            ProcessInfo.Signal(worker, ServerUnderTest.SigKill);
        }
    }

    /// <summary>Checks <paramref name="condition"/> every 20 ms until it holds, for states no log line announces.</summary>
    public static async Task PollUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The number of established TCP connections whose local port is <paramref name="port"/> (from /proc/net/tcp).</summary>
    public static int EstablishedConnections(int port)
    {
        var local = $":{port:X4} ";
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => (fields[1] + " ").EndsWith(local, StringComparison.Ordinal) && fields[3] == "01");
    }

    public static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int ParentOrZero(int pid)
    {
        try
        {
            return ProcessStatus.Parent(pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0;
        }
    }
}
