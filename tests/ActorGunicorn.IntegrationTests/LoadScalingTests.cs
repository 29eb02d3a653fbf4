using System.Diagnostics;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// <c>--max-workers</c>: the worker count follows real load on a real server, between <c>--workers</c> and the
/// ceiling, and no request is lost on the way up or down. The times measured are written to the test output.
/// </summary>
public sealed class LoadScalingTests(ITestOutputHelper output) : IDisposable
{
    // The nworkers_changed hook, so the test sees the arbiter call it for every change the load makes.
    private const string HookConfig = """
        def nworkers_changed(server, new, old):
            server.log.info("hook: nworkers_changed new=%s old=%s", new, old)
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-scaling-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task With_one_to_three_workers_the_count_rises_under_load_and_falls_back_to_one_after_it_without_a_failed_request()
    {
        var config = Path.Combine(_directory, "gunicorn.conf.py");
        await File.WriteAllTextAsync(config, HookConfig);
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, "-c", config, "-w", "1", "--max-workers", "3"), workers: 1);
        int first = server.WorkerPids.Single();
        await Serving.WaitUntilServedByAsync(server, first);
        await using var probe = PacedProbe.Start(server.Port);

        // Eight clients on workers with one thread each, each request 0.2 s: five requests a second per worker, forty
        // asked for, so requests wait however many of the three workers run.
        await using var load = FreshConnectionClients.Start(server.Port, clients: 8, "/sleep?s=0.2");
        var loadClock = Stopwatch.StartNew();
        await server.WaitForLineAsync(l => l.Contains("Scaling up: 1 -> 2 workers (", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var firstRise = loadClock.Elapsed;
        await server.WaitForLineAsync(l => l.Contains("Scaling up: 2 -> 3 workers (", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var atCeiling = loadClock.Elapsed;
        await server.WaitForAsync(() => server.WorkerPids.Count == 3, "the third worker booting");
        // Full load on three workers for a while longer (at fifteen answers a second, about five seconds): no fourth.
        await load.WaitForAnsweredAsync(75, TimeSpan.FromSeconds(60));
        var outcome = await load.StopAsync();
        var fallClock = Stopwatch.StartNew();

        await server.WaitForLineAsync(l => l.Contains("Scaling down: 3 -> 2 workers (", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var firstFall = fallClock.Elapsed;
        await server.WaitForLineAsync(l => l.Contains("Scaling down: 2 -> 1 workers (", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var atFloor = fallClock.Elapsed;
        var pids = server.WorkerPids.ToArray();
        // The oldest leave, as with TTOU: the first worker, then the second.
        bool firstExited = await ProcessInfo.WaitForExitAsync(pids[0], TimeSpan.FromSeconds(30));
        bool secondExited = await ProcessInfo.WaitForExitAsync(pids[1], TimeSpan.FromSeconds(30));
        var status = await server.CtlAsync("status");
        var stats = await server.CtlAsync("--json", "stats");
        var probes = await probe.StopAsync();

        output.WriteLine($"load: {outcome}; probes: {probes}");
        output.WriteLine($"rise: 1 -> 2 after {firstRise.TotalSeconds:F1} s of load, 2 -> 3 after {atCeiling.TotalSeconds:F1} s");
        output.WriteLine($"fall: 3 -> 2 {firstFall.TotalSeconds:F1} s after the load stopped, 2 -> 1 after {atFloor.TotalSeconds:F1} s");
        output.WriteLine(string.Join('\n', server.Lines.Where(l => l.Contains("Scaling ", StringComparison.Ordinal))));
        Assert.True(outcome.Reset == 0 && outcome.Refused == 0 && outcome.Answered >= 75, outcome.ToString());
        Assert.True(probes.Failed == 0 && probes.Answered > 0, probes.ToString());
        Assert.True(firstRise < TimeSpan.FromSeconds(5), $"the first worker was added {firstRise.TotalSeconds:F1} s into the load\n{server.Output}");
        Assert.True(atFloor < TimeSpan.FromSeconds(60), $"back to one worker {atFloor.TotalSeconds:F1} s after the load\n{server.Output}");
        Assert.Equal(3, pids.Length);
        Assert.DoesNotContain(server.Lines, l => l.Contains("Scaling up: 3 -> ", StringComparison.Ordinal));
        Assert.True(firstExited && secondExited && ProcessInfo.IsAlive(pids[2]), server.Output);
        Assert.StartsWith($"arbiter {server.Pid}: 1 worker, 1 desired (min 1, max 3)\n", status.StandardOutput, StringComparison.Ordinal);
        using var counters = JsonDocument.Parse(stats.StandardOutput);
        Assert.Equal(
            (1, 1, 3, 2L, 2L),
            (Counter(counters, "desired_workers"), Counter(counters, "min_workers"), Counter(counters, "max_workers"), (long)Counter(counters, "scale_ups"), (long)Counter(counters, "scale_downs")));
        Assert.Equal(
            ["new=2 old=1", "new=3 old=2", "new=2 old=3", "new=1 old=2"],
            server.Lines.Where(l => l.Contains("hook: nworkers_changed ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("new=", StringComparison.Ordinal))..]));
    }

    private static int Counter(JsonDocument json, string name) => json.RootElement.GetProperty(name).GetInt32();

    [Fact]
    public async Task A_ceiling_below_the_floor_is_a_settings_error_naming_max_workers_and_its_value_with_exit_code_2()
    {
        await using var server = ServerUnderTest.Start(["-w", "3", "--max-workers", "2", "-b", "127.0.0.1:0", Paths.HelloWorld]);

        int exitCode = await server.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(
            "Error: --max-workers / actorgunicorn.max-workers: '2' must be at least workers (3), or 0 to keep the number of workers fixed",
            server.StandardErrorLines);
    }

    /// <summary>What <see cref="PacedProbe"/> saw.</summary>
    private sealed record ProbeOutcome(int Answered, int Failed, IReadOnlyList<string> Failures)
    {
        public override string ToString() => $"answered {Answered}, failed {Failed}" + (Failures.Count > 0 ? "\n" + string.Join('\n', Failures) : string.Empty);
    }

    /// <summary>
    /// One request on a fresh connection every 100 ms, each outcome counted: a trickle that goes on while workers are
    /// added and retired, light enough (a few milliseconds a second) not to hold the extra workers up.
    /// </summary>
    private sealed class PacedProbe : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _failures = [];
        private readonly Task _running;
        private int _answered;

        private PacedProbe(int port) => _running = Task.Run(() => RunAsync(port));

        public static PacedProbe Start(int port) => new(port);

        public async Task<ProbeOutcome> StopAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(30));
            return new ProbeOutcome(_answered, _failures.Count, [.. _failures]);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
        }

        private async Task RunAsync(int port)
        {
            var clock = Stopwatch.StartNew();
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await pace.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        using var http = await RawHttp.ConnectAsync(port);
                        var response = await http.GetAsync("/pid").WaitAsync(TimeSpan.FromSeconds(10));
                        if (response.Status == 200)
                        {
                            _answered++;
                        }
                        else
                        {
                            _failures.Add($"{clock.Elapsed.TotalSeconds:F1} s: status {response.Status}");
                        }
                    }
                    catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
                    {
                        _failures.Add($"{clock.Elapsed.TotalSeconds:F1} s: {ex.GetType().Name} {ex.Message}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }
}
