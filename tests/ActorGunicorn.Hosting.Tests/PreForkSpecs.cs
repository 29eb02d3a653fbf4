using System.Globalization;
using System.Net;
using Akka.Hosting;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>Pre-fork mode: the host's actor system runs the arbiter, which spawns worker processes.</summary>
[Collection(WorkerProcessSpecs.Name)]
public sealed class PreForkSpecs : ServerSpec
{
    public PreForkSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn(
            Paths.HelloWorld,
            options =>
            {
                LoopbackAnyPort(options);
                options.Workers = 2;
                options.WorkerExecutable = Paths.Executable;
            });

    [Fact]
    public async Task Worker_processes_must_serve_the_app_answer_the_in_flight_request_when_the_host_stops_and_none_must_remain()
    {
        var endPoint = await ServerEndPointAsync();
        Assert.True(await Poll.UntilAsync(() => Workers().Count == 2, TimeSpan.FromSeconds(30)), "two worker processes did not start");
        var workers = Workers();
        using var client = Client(endPoint);

        // A worker that is still booting leaves its connection queued in the shared listener until it accepts.
        var body = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Equal("Hello, World!", body);
        // One second of streaming, in flight in a worker process when the host is told to stop.
        using var inFlight = await client.GetAsync(new Uri("/stream?chunks=5&delay=200", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var rest = inFlight.Content.ReadAsStringAsync();
        await Host.StopAsync();
        Assert.Equal(HttpStatusCode.OK, inFlight.StatusCode);
        Assert.EndsWith("chunk 5 of 5\n", await rest, StringComparison.Ordinal);
        Assert.All(workers, pid => Assert.False(Directory.Exists($"/proc/{pid}") && !IsZombie(pid), $"worker {pid} is still running"));
        Assert.True(Workers().Count == 0, $"worker processes remain: {string.Join(", ", Workers().Select(Describe))}");
        Assert.True(Ports.CanBind(endPoint), $"{endPoint} is still held after the host stopped");
    }

    // This test process's children started as workers.
    private static List<int> Workers() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name is not null && name.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => IsWorkerOfThisProcess(pid) && !IsZombie(pid))];

    private static bool IsWorkerOfThisProcess(int pid)
    {
        try
        {
            var parent = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("PPid:", StringComparison.Ordinal));
            return int.Parse(parent["PPid:".Length..].Trim(), CultureInfo.InvariantCulture) == Environment.ProcessId
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("--actorgunicorn-worker", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{pid} (gone)";
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z', StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
