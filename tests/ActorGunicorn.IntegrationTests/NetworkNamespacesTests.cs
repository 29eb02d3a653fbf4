using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// The network-namespace LAN the cluster's partition test runs on. These tests have no fallback: where namespaces
/// cannot be made they fail with the reason (CI runs as root, where they can).
/// </summary>
public sealed class NetworkNamespacesTests(ITestOutputHelper output)
{
    // Each node is its own network stack, so every node's backend can use the same port.
    private const int BackendPort = 8000;

    [Fact]
    public async Task Every_node_reaches_the_others_and_the_test_process_reaches_every_node_directly()
    {
        await using var lan = await NetworkNamespaces.CreateAsync(2, output);
        await using var first = await StartBackendAsync(lan, 1);
        await using var second = await StartBackendAsync(lan, 2);

        Assert.Equal("node1", await GetFromNodeAsync(lan, from: 2, to: 1));
        Assert.Equal("node2", await GetFromNodeAsync(lan, from: 1, to: 2));
        Assert.Equal("node1", await GetFromHostAsync(lan, 1));
        Assert.Equal("node2", await GetFromHostAsync(lan, 2));
    }

    [Fact]
    public async Task A_cut_node_is_unreachable_both_ways_yet_serves_itself_while_the_rest_of_the_lan_works_until_healed()
    {
        await using var lan = await NetworkNamespaces.CreateAsync(3, output);
        await using var first = await StartBackendAsync(lan, 1);
        await using var second = await StartBackendAsync(lan, 2);
        await using var third = await StartBackendAsync(lan, 3);
        // Each pair talks once first, so the cut must also stop peers that already know each other's MAC.
        Assert.Equal("node1", await GetFromNodeAsync(lan, from: 2, to: 1));
        Assert.Equal("node2", await GetFromNodeAsync(lan, from: 1, to: 2));

        await lan.CutAsync(1);
        var across = await Task.WhenAll(
            TryGetFromNodeAsync(lan, from: 2, to: 1),
            TryGetFromNodeAsync(lan, from: 1, to: 2),
            TryGetFromHostAsync(lan, 1));
        var local = await GetFromNodeAsync(lan, from: 1, to: 1);
        var rest = await GetFromNodeAsync(lan, from: 3, to: 2);
        var hostToRest = await GetFromHostAsync(lan, 3);
        await lan.HealAsync(1);
        var healed = await GetFromNodeAsync(lan, from: 2, to: 1);
        var healedBack = await GetFromNodeAsync(lan, from: 1, to: 2);

        Assert.All(across, failure => Assert.Null(failure));
        Assert.Equal("node1", local);
        Assert.Equal("node2", rest);
        Assert.Equal("node3", hostToRest);
        Assert.Equal("node1", healed);
        Assert.Equal("node2", healedBack);
    }

    [Fact]
    public async Task Disposal_kills_every_process_inside_and_removes_every_namespace_and_link_it_made()
    {
        var lan = await NetworkNamespaces.CreateAsync(2, output);
        string id = lan.Id;
        await using var backend = await StartBackendAsync(lan, 1);
        // Started around the fixture (as ServerUnderTest would be), so only `ip netns pids` can find it.
        using var stranger = Process.Start(new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", lan.NamespaceOf(2), "sleep", "600" } })!;
        bool bothRan = ProcessInfo.IsAlive(backend.Pid) && ProcessInfo.IsAlive(stranger.Id);

        await lan.DisposeAsync();

        Assert.True(bothRan, "a process inside the namespaces did not start");
        Assert.False(ProcessInfo.IsAlive(backend.Pid), "the backend started in node 1 survived disposal");
        Assert.True(stranger.WaitForExit(TimeSpan.FromSeconds(5)), "the process started around the fixture in node 2 survived disposal");
        Assert.DoesNotContain(await NetworkNamespaces.ListNamespacesAsync(), name => name.StartsWith(id, StringComparison.Ordinal));
        Assert.DoesNotContain(await NetworkNamespaces.ListRootLinksAsync(), name => name.StartsWith(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_fixture_removes_what_a_dead_test_process_left_and_kills_what_still_runs_there()
    {
        // A crashed test process: its pid is dead, its namespace, root link and a process inside are not.
        using var crashed = Process.Start("true")!;
        await crashed.WaitForExitAsync();
        var staleId = $"{NetworkNamespaces.Prefix}{crashed.Id}-1";
        var staleNamespace = $"{staleId}-n1";
        try
        {
            await RunIpAsync("netns", "add", staleNamespace);
            await RunIpAsync("link", "add", staleId, "type", "veth", "peer", "name", "eth0", "netns", staleNamespace);
            using var orphan = Process.Start(new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", staleNamespace, "sleep", "600" } })!;
            await WaitUntilAsync(async () => (await Tools.RunAsync("ip", ["netns", "pids", staleNamespace])).StandardOutput.Contains($"{orphan.Id}", StringComparison.Ordinal));

            await using (await NetworkNamespaces.CreateAsync(1, output))
            {
                Assert.True(await ProcessInfo.WaitForExitAsync(orphan.Id, TimeSpan.FromSeconds(5)), "the orphan in the stale namespace still runs");
                Assert.DoesNotContain(staleNamespace, await NetworkNamespaces.ListNamespacesAsync());
                Assert.DoesNotContain(staleId, await NetworkNamespaces.ListRootLinksAsync());
            }
        }
        finally
        {
            // Only if the fixture failed to: the names are the dead pid's, so a later fixture would do it too.
            await Tools.RunAsync("ip", ["link", "del", staleId]);
            await Tools.RunAsync("ip", ["netns", "del", staleNamespace]);
        }
    }

    private static Task<NamedBackend> StartBackendAsync(NetworkNamespaces lan, int node) =>
        NamedBackend.StartAsync($"node{node}", lan.AddressOf(node), BackendPort, info => lan.Start(node, info));

    private static async Task<string> GetFromNodeAsync(NetworkNamespaces lan, int from, int to) =>
        await TryGetFromNodeAsync(lan, from, to) ?? throw new InvalidOperationException($"node {from} could not reach node {to}");

    // curl inside node `from`; the backend's name, or null when it cannot connect within two seconds.
    private static async Task<string?> TryGetFromNodeAsync(NetworkNamespaces lan, int from, int to)
    {
        var result = await lan.RunAsync(from, "curl", ["--silent", "--connect-timeout", "2", "--max-time", "5", $"http://{lan.AddressOf(to)}:{BackendPort}/"]);
        return result.ExitCode == 0 ? result.StandardOutput.Split(' ')[0] : null;
    }

    private static async Task<string> GetFromHostAsync(NetworkNamespaces lan, int node) =>
        await TryGetFromHostAsync(lan, node) ?? throw new InvalidOperationException($"the test process could not reach node {node}");

    // A plain socket from the test process (the root namespace), over the host's link into the LAN.
    private static async Task<string?> TryGetFromHostAsync(NetworkNamespaces lan, int node)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(lan.AddressOf(node), BackendPort, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {lan.AddressOf(node)}\r\nConnection: close\r\n\r\n"), cts.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var response = await reader.ReadToEndAsync(cts.Token);
            return response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Split(' ')[0];
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task RunIpAsync(params string[] args)
    {
        var result = await Tools.RunAsync("ip", args);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', args)}: {result.StandardError}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
