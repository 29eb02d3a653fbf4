using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>Waits on workers through the HTTP they serve (the HelloWorld sample's <c>/pid</c> names the worker).</summary>
internal static class Serving
{
    /// <summary>Waits until a worker beyond the first <paramref name="known"/> has announced itself; returns its pid.</summary>
    public static async Task<int> WaitForNewWorkerAsync(ServerUnderTest server, int known)
    {
        await server.WaitForAsync(() => server.WorkerPids.Count > known, "a new worker");
        return server.WorkerPids.Last();
    }

    /// <summary>Waits until every announced worker has answered at least once, so all are up before the test acts.</summary>
    public static async Task EveryWorkerServesAsync(ServerUnderTest server)
    {
        foreach (var pid in server.WorkerPids)
        {
            await WaitUntilServedByAsync(server, pid);
        }
    }

    /// <summary>Fresh connections until the given worker answers one: proof that it accepts and serves.</summary>
    public static async Task WaitUntilServedByAsync(ServerUnderTest server, int pid)
    {
        var expected = pid.ToString(CultureInfo.InvariantCulture);
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            using var http = await RawHttp.ConnectAsync(server.Port);
            if ((await http.GetAsync("/pid")).Body == expected)
            {
                return;
            }
        }

        throw new TimeoutException($"worker {pid} never answered\n{server.Output}");
    }

    /// <summary>The pid of the worker that answers a fresh connection.</summary>
    public static async Task<int> ServedByAsync(int port)
    {
        using var http = await RawHttp.ConnectAsync(port);
        return int.Parse((await http.GetAsync("/pid")).Body, CultureInfo.InvariantCulture);
    }
}
