using System.Globalization;
using System.Text.Json;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>One host as <c>ctl --cluster --json status</c> reports it.</summary>
internal sealed record FleetHost(string Address, string MemberStatus, bool Healthy, int ArbiterPid, long ConfigVersion, int DesiredWorkers, IReadOnlyList<FleetWorker> Workers)
{
    /// <summary>The <c>HOST:PORT</c> part of the address.</summary>
    public string Endpoint => Address[(Address.LastIndexOf('@') + 1)..];
}

/// <summary>One worker of a <see cref="FleetHost"/>.</summary>
internal sealed record FleetWorker(int Pid, string State);

/// <summary>
/// Several arbiters started as separate processes, joined as one Akka.Cluster: each has its own HTTP port, its own
/// cluster port, and its own runtime directory (so its own control socket). Every node names all nodes as seeds.
/// On loopback each node binds <c>127.0.0.1:0</c> for HTTP and a free cluster port; on a <see cref="NetworkNamespaces"/>
/// LAN node <c>i</c> runs inside the LAN's node <c>i + 1</c> (<c>ip netns exec</c>) on its own address, port 8000 for
/// HTTP and 2552 for the cluster. Disposal stops every node, so no process is left.
/// </summary>
internal sealed class ClusterOfArbiters : IAsyncDisposable
{
    private const int LanHttpPort = 8000;
    private const int LanClusterPort = 2552;

    private readonly ServerUnderTest?[] _nodes;
    private readonly string[] _hosts;
    private readonly int[] _clusterPorts;
    private readonly string[] _extraArgs;
    private readonly NetworkNamespaces? _lan;

    private ClusterOfArbiters(int size, string[] extraArgs, NetworkNamespaces? lan)
    {
        _nodes = new ServerUnderTest?[size];
        _lan = lan;
        _hosts = [.. Enumerable.Range(0, size).Select(i => lan?.AddressOf(i + 1) ?? "127.0.0.1")];
        _clusterPorts = [.. Enumerable.Range(0, size).Select(_ => lan is null ? FreePorts.Next() : LanClusterPort)];
        _extraArgs = extraArgs;
    }

    /// <summary>The running node <paramref name="index"/>.</summary>
    public ServerUnderTest this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");

    /// <summary>The nodes' cluster endpoints, <c>HOST:PORT</c>.</summary>
    public IReadOnlyList<string> Endpoints => [.. _hosts.Zip(_clusterPorts, (host, port) => $"{host}:{port.ToString(CultureInfo.InvariantCulture)}")];

    /// <summary>Node <paramref name="index"/>'s HTTP address, <c>http://HOST:PORT</c>.</summary>
    public string HttpUrl(int index) => $"http://{_hosts[index]}:{this[index].Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts <paramref name="size"/> arbiters on loopback and waits until each listens.</summary>
    public static Task<ClusterOfArbiters> StartAsync(int size, params string[] extraArgs) => StartAsync(size, lan: null, extraArgs);

    /// <summary>Starts <paramref name="size"/> arbiters, on <paramref name="lan"/> when given, and waits until each listens.</summary>
    public static async Task<ClusterOfArbiters> StartAsync(int size, NetworkNamespaces? lan, params string[] extraArgs)
    {
        var cluster = new ClusterOfArbiters(size, extraArgs, lan);
        try
        {
            for (var i = 0; i < size; i++)
            {
                cluster.StartNode(i);
            }

            for (var i = 0; i < size; i++)
            {
                await cluster[i].WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts node <paramref name="index"/> again with its ports (after it was killed), and waits until it listens.</summary>
    public async Task RestartAsync(int index)
    {
        if (_nodes[index] is { } old)
        {
            await old.DisposeAsync();
        }

        StartNode(index);
        await this[index].WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));
    }

    /// <summary>Runs <c>actorgunicorn ctl --cluster NODE ARGS</c> through node <paramref name="via"/>.</summary>
    public Task<ToolResult> CtlAsync(int via, params string[] args) =>
        Tools.RunAsync(Paths.Executable, ["ctl", "--cluster", Endpoints[via], .. args], timeout: TimeSpan.FromMinutes(3));

    /// <summary>The fleet's status as JSON, read through node <paramref name="via"/>; null when the fleet did not answer.</summary>
    public async Task<IReadOnlyList<FleetHost>?> StatusAsync(int via = 0)
    {
        var result = await CtlAsync(via, "--json", "status");
        if (result.ExitCode != 0)
        {
            return null;
        }

        using var json = JsonDocument.Parse(result.StandardOutput);
        return [.. json.RootElement.GetProperty("hosts").EnumerateArray().Select(h => new FleetHost(
            h.GetProperty("address").GetString()!,
            h.GetProperty("member_status").GetString()!,
            h.GetProperty("healthy").GetBoolean(),
            h.GetProperty("arbiter_pid").GetInt32(),
            h.GetProperty("config_version").GetInt64(),
            h.GetProperty("desired_workers").GetInt32(),
            [.. h.GetProperty("workers").EnumerateArray().Select(w => new FleetWorker(w.GetProperty("pid").GetInt32(), w.GetProperty("state").GetString()!))]))];
    }

    /// <summary>Whether <paramref name="count"/> hosts are Up and healthy, each with <paramref name="workers"/> running workers.</summary>
    public static bool AllServe(IReadOnlyList<FleetHost> hosts, int count, int workers) =>
        hosts.Count == count && hosts.All(h => h.MemberStatus == "Up" && h.Healthy && h.Workers.Count(w => w.State == "Running") == workers);

    /// <summary>Polls the status until <paramref name="condition"/> holds, and returns that status.</summary>
    public async Task<IReadOnlyList<FleetHost>> WaitForStatusAsync(Func<IReadOnlyList<FleetHost>, bool> condition, string what, TimeSpan timeout, int via = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<FleetHost>? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(via) ?? last;
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Last status: {string.Join("; ", last ?? [])}");
    }

    /// <summary>
    /// Every node's lines about membership and the fleet (the failure detector, the split-brain resolver, the
    /// singleton, the coordinator's decisions), each prefixed with its node: what a failed fault test needs to tell a
    /// slow failover from a lost message.
    /// </summary>
    public string Timeline() => string.Join('\n', _nodes
        .Select((node, index) => (node, index))
        .Where(n => n.node is not null)
        .SelectMany(n => n.node!.Lines
            .Where(l => TimelineMarkers.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase)))
            .Select(l => $"node {n.index.ToString(CultureInfo.InvariantCulture)}: {l}")));

    private static readonly string[] TimelineMarkers = ["Fleet:", "reachable", "SBR", "singleton", "Down", "Cluster", "Leader", "Removed"];

    public async ValueTask DisposeAsync()
    {
        // Stopped together: each leaves the cluster gracefully while the others still run.
        await Task.WhenAll(_nodes.OfType<ServerUnderTest>().Select(node => node.DisposeAsync().AsTask()));
    }

    private void StartNode(int index)
    {
        string[] seeds = [.. Endpoints.SelectMany(e => new[] { "--cluster-seed", e })];
        string[] args =
        [
            "-b", _lan is null ? "127.0.0.1:0" : $"{_hosts[index]}:{LanHttpPort.ToString(CultureInfo.InvariantCulture)}",
            "--cluster-host", _hosts[index],
            "--cluster-port", _clusterPorts[index].ToString(CultureInfo.InvariantCulture),
            .. seeds,
            .. _extraArgs,
            Paths.HelloWorld,
        ];
        // `ip netns exec` execs the arbiter, so the process (and its pid, signals, output) is the arbiter's own.
        _nodes[index] = _lan is null
            ? ServerUnderTest.Start(args)
            : ServerUnderTest.StartTool("ip", ["netns", "exec", _lan.NamespaceOf(index + 1), Paths.Executable, .. args]);
    }
}
