using System.Diagnostics;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// A network partition: three arbiters on a LAN of network namespaces (one per host), one host's link cut and then
/// restored. Where namespaces cannot be made, the test says so and partitions on loopback instead, by freezing that
/// host's arbiter with SIGSTOP (its heartbeats stop as if its network were cut; its workers keep serving).
/// </summary>
public sealed class ClusterPartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_cut_host_is_reported_unreachable_then_removed_keeps_serving_locally_and_rejoins_when_the_network_heals()
    {
        await using var lan = await NetworkNamespaces.TryCreateAsync(3, output);
        if (lan is null)
        {
            output.WriteLine("NETWORK NAMESPACES UNAVAILABLE (reason above): running the loopback variant, where SIGSTOP of the arbiter stands in for the cut link");
        }

        await using var cluster = await ClusterOfArbiters.StartAsync(3, lan);
        await cluster.WaitForStatusAsync(h => h.Count == 3 && h.All(host => host.MemberStatus == "Up" && host.Healthy), "three Up hosts", Formation);
        var isolated = cluster.Endpoints[2];
        bool IsolatedIsAbsentOrUnwell(IReadOnlyList<FleetHost> hosts) =>
            hosts.SingleOrDefault(host => host.Endpoint == isolated) is not { MemberStatus: "Up", Healthy: true };

        var clock = Stopwatch.StartNew();
        if (lan is not null)
        {
            await lan.CutAsync(3);
        }
        else
        {
            cluster[2].Signal(ServerUnderTest.SigStop);
        }

        await cluster.WaitForStatusAsync(IsolatedIsAbsentOrUnwell, "the cut host reported unreachable", TimeSpan.FromSeconds(30));
        var reported = clock.Elapsed;
        var majority = await cluster.WaitForStatusAsync(
            h => h.Count == 2 && h.All(host => host.Endpoint != isolated && host.MemberStatus == "Up"),
            "the cut host removed and the two others still Up", TimeSpan.FromSeconds(60));
        var removed = clock.Elapsed;
        Assert.Equal(cluster.Endpoints.Take(2).Order(), majority.Select(h => h.Endpoint).Order());

        // Partitioned away from the fleet, the host still answers its own clients.
        if (lan is not null)
        {
            var local = await lan.RunAsync(3, "curl", ["-s", "-m", "5", cluster.HttpUrl(2) + "/"]);
            Assert.Equal("Hello, World!", local.StandardOutput);
        }
        else
        {
            using var client = new HttpClient();
            Assert.Equal("Hello, World!", await client.GetStringAsync(new Uri(cluster.HttpUrl(2) + "/")));
        }

        clock.Restart();
        if (lan is not null)
        {
            await lan.HealAsync(3);
        }
        else
        {
            cluster[2].Signal(ServerUnderTest.SigCont);
        }

        var healed = await cluster.WaitForStatusAsync(
            h => h.Count == 3 && h.All(host => host.MemberStatus == "Up" && host.Healthy), "the healed host Up again", Formation);
        var rejoined = clock.Elapsed;
        Assert.Contains(healed, host => host.Endpoint == isolated);
        Assert.False(cluster[2].HasExited, "the isolated arbiter exited instead of rejoining");
        output.WriteLine($"{(lan is null ? "loopback (SIGSTOP)" : "network namespaces")}: unreachable after {reported.TotalSeconds:0.0} s, " +
            $"removed after {removed.TotalSeconds:0.0} s, rejoined {rejoined.TotalSeconds:0.0} s after the heal");
    }
}
