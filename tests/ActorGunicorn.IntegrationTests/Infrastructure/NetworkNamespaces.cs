using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// A small virtual LAN made of Linux network namespaces, for tests that need several hosts and a network that can be
/// cut (the cluster's partition test). Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's <c>ip</c>.
/// </summary>
/// <remarks>
/// <para>Layout, for a fixture whose id is <c>agns-PID-K</c> (PID is the test process, K counts fixtures in it):</para>
/// <list type="bullet">
/// <item>namespace <c>ID-sw</c> holds the switch: a bridge <c>br0</c> with one port per node (<c>nN</c>) and one for
/// the host (<c>host</c>). The switch lives in its own namespace so the root namespace's bridges stay untouched.</item>
/// <item>namespace <c>ID-nN</c> (N = 1..nodes) is node N: loopback up, and <c>eth0</c> = 10.X.Y.N/24, its cable
/// to the switch port <c>nN</c>. Interface names are per namespace, so they never collide between fixtures.</item>
/// <item>the root namespace gets one veth, named ID itself, with <see cref="HostAddress"/> (10.X.Y.254/24), plugged
/// into the switch: the test process reaches every node directly (HttpClient, curl, nginx, <c>ctl</c>) without
/// entering a namespace. It is the only change to the root namespace, and disposal removes it.</item>
/// </list>
/// <para>The subnet 10.X.Y.0/24 is derived from the pid and K, skipping any the root namespace already routes.</para>
/// <para>A crashed test leaves its namespaces behind, so every fixture first removes the <c>agns-</c> namespaces and
/// links whose owner pid (the name's second part) is no longer alive, killing the processes still inside.</para>
/// </remarks>
internal sealed class NetworkNamespaces : IAsyncDisposable
{
    /// <summary>The prefix of every namespace and root-namespace link a fixture makes.</summary>
    public const string Prefix = "agns-";

    private const string Ip = "ip";
    private const int HostOctet = 254;
    private static int s_fixtures;

    private readonly string _subnet;

    private NetworkNamespaces(string id, string subnet, int nodes)
    {
        Id = id;
        _subnet = subnet;
        Nodes = nodes;
    }

    /// <summary>The fixture's id (<c>agns-PID-K</c>): every name it makes starts with it.</summary>
    public string Id { get; }

    /// <summary>How many nodes the LAN has; they are numbered 1..<see cref="Nodes"/>.</summary>
    public int Nodes { get; }

    /// <summary>The root namespace's address on the LAN (10.X.Y.254): what nodes see as the test process.</summary>
    public string HostAddress => $"{_subnet}.{HostOctet}";

    private string Switch => $"{Id}-sw";

    /// <summary>
    /// Makes the LAN, or returns null and logs why it cannot be made here (not root, no <c>ip</c>, EPERM, no veth or
    /// bridge support). For tests with a fallback, which must then say that they ran it.
    /// </summary>
    public static async Task<NetworkNamespaces?> TryCreateAsync(int nodes, ITestOutputHelper? output = null)
    {
        var (lan, reason) = await BuildAsync(nodes, output);
        if (lan is null)
        {
            output?.WriteLine($"network namespaces cannot be made here: {reason}");
        }

        return lan;
    }

    /// <summary>Makes the LAN, or throws with the reason it cannot be made here (for tests that have no fallback).</summary>
    public static async Task<NetworkNamespaces> CreateAsync(int nodes, ITestOutputHelper? output = null)
    {
        var (lan, reason) = await BuildAsync(nodes, output);
        return lan ?? throw new InvalidOperationException($"network namespaces cannot be made here: {reason}");
    }

    /// <summary>The namespace of node <paramref name="node"/>, for <c>ip netns exec NAME …</c> made elsewhere.</summary>
    public string NamespaceOf(int node) => $"{Id}-n{CheckNode(node)}";

    /// <summary>Node <paramref name="node"/>'s address (10.X.Y.node), reachable from every node and the host.</summary>
    public string AddressOf(int node) => $"{_subnet}.{CheckNode(node)}";

    /// <summary>
    /// A copy of <paramref name="info"/> that runs inside node <paramref name="node"/>: <c>ip netns exec NAME
    /// program args…</c>. <c>ip</c> execs the program, so the process's pid is the program's own and signals reach it.
    /// </summary>
    public ProcessStartInfo Wrap(int node, ProcessStartInfo info)
    {
        var wrapped = new ProcessStartInfo(Ip)
        {
            ArgumentList = { "netns", "exec", NamespaceOf(node), info.FileName },
            WorkingDirectory = info.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = info.RedirectStandardInput,
            RedirectStandardOutput = info.RedirectStandardOutput,
            RedirectStandardError = info.RedirectStandardError,
        };
        foreach (var arg in info.ArgumentList)
        {
            wrapped.ArgumentList.Add(arg);
        }

        wrapped.Environment.Clear();
        foreach (var (key, value) in info.Environment)
        {
            wrapped.Environment[key] = value;
        }

        return wrapped;
    }

    /// <summary>
    /// Starts <paramref name="info"/> inside node <paramref name="node"/>. The caller owns the process object; the
    /// fixture's disposal kills the process if it still runs, as it kills everything inside its namespaces.
    /// </summary>
    public Process Start(int node, ProcessStartInfo info) =>
        Process.Start(Wrap(node, info)) ?? throw new InvalidOperationException($"{info.FileName} did not start in node {node}");

    /// <summary>Runs a command to completion inside node <paramref name="node"/> (a client, such as curl).</summary>
    public Task<ToolResult> RunAsync(int node, string program, IEnumerable<string> args, TimeSpan? timeout = null) =>
        Tools.RunAsync(Ip, ["netns", "exec", NamespaceOf(node), program, .. args], timeout: timeout);

    /// <summary>
    /// Cuts node <paramref name="node"/> off the LAN by taking its switch port down, like pulling its cable at the
    /// switch: the node's <c>eth0</c> loses carrier and frames are dropped in both directions. The node keeps its
    /// address, so its programs notice nothing locally and clients inside it still reach it; the other nodes and the
    /// host still reach each other. New connections across the cut fail (no route to host once ARP gives up, or a
    /// timeout); established ones stall, as over a dead cable.
    /// </summary>
    public async Task CutAsync(int node)
    {
        await IpAsync("-n", Switch, "link", "set", $"n{CheckNode(node)}", "down");
        await WaitForCarrierAsync(node, expected: false);
    }

    /// <summary>Plugs node <paramref name="node"/> back in, and returns once its link carries frames again.</summary>
    public async Task HealAsync(int node)
    {
        await IpAsync("-n", Switch, "link", "set", $"n{CheckNode(node)}", "up");
        await WaitForCarrierAsync(node, expected: true);
    }

    /// <summary>
    /// Kills every process inside the fixture's namespaces (started here or not), then deletes the root link and the
    /// namespaces, which takes the bridge and veths inside with them. Throws if anything of the fixture remains.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var namespaces = Enumerable.Range(1, Nodes).Select(NamespaceOf).Append(Switch).ToList();
        await RemoveAsync(Id, namespaces);
        var leftOver = (await ListNamespacesAsync()).Concat(await ListRootLinksAsync()).Where(name => name.StartsWith(Id + "-", StringComparison.Ordinal) || name == Id).ToList();
        if (leftOver.Count > 0)
        {
            throw new InvalidOperationException($"network namespace fixture {Id} left {string.Join(", ", leftOver)} behind");
        }
    }

    /// <summary>The namespace names <c>ip netns list</c> shows.</summary>
    public static async Task<IReadOnlyList<string>> ListNamespacesAsync() =>
        (await IpAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).ToList();

    /// <summary>The link names <c>ip link</c> shows in the root namespace (without a veth's <c>@peer</c> suffix).</summary>
    public static async Task<IReadOnlyList<string>> ListRootLinksAsync() =>
        (await IpAsync("-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0]).ToList();

    private static async Task<(NetworkNamespaces? Lan, string? Reason)> BuildAsync(int nodes, ITestOutputHelper? output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodes, HostOctet - 1);
        try
        {
            await RemoveStaleAsync(output);
            // Interface names have at most 15 bytes: "agns-" + a 7-digit pid + "-" + K fits while K < 100.
            var id = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_fixtures)}";
            var lan = new NetworkNamespaces(id, await FreeSubnetAsync(), nodes);
            try
            {
                await lan.BuildLanAsync();
                output?.WriteLine($"network namespaces {id}: {nodes} nodes on {lan._subnet}.0/24, host {lan.HostAddress}");
                return (lan, null);
            }
            catch
            {
                await lan.DisposeAsync();
                throw;
            }
        }
        catch (IpFailedException ex)
        {
            var user = Environment.UserName;
            return (null, $"{ex.Message} (running as {user}; namespaces need root or CAP_SYS_ADMIN with CAP_NET_ADMIN)");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"{Ip} cannot be run ({ex.Message}): iproute2 is missing");
        }
    }

    private async Task BuildLanAsync()
    {
        await IpAsync("netns", "add", Switch);
        await IpAsync("-n", Switch, "link", "add", "br0", "type", "bridge");
        await IpAsync("-n", Switch, "link", "set", "br0", "up");

        await IpAsync("link", "add", Id, "type", "veth", "peer", "name", "host", "netns", Switch);
        await IpAsync("-n", Switch, "link", "set", "host", "master", "br0", "up");
        await IpAsync("addr", "add", $"{HostAddress}/24", "dev", Id);
        await IpAsync("link", "set", Id, "up");

        for (int node = 1; node <= Nodes; node++)
        {
            var name = NamespaceOf(node);
            await IpAsync("netns", "add", name);
            await IpAsync("-n", name, "link", "set", "lo", "up");
            await IpAsync("-n", Switch, "link", "add", $"n{node}", "type", "veth", "peer", "name", "eth0", "netns", name);
            await IpAsync("-n", Switch, "link", "set", $"n{node}", "master", "br0", "up");
            await IpAsync("-n", name, "addr", "add", $"{AddressOf(node)}/24", "dev", "eth0");
            await IpAsync("-n", name, "link", "set", "eth0", "up");
            await WaitForCarrierAsync(node, expected: true);
        }
    }

    // The bridge has STP off, so a port forwards as soon as it is up; the node's eth0 carrier says when that is.
    private async Task WaitForCarrierAsync(int node, bool expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await IpAsync("-n", NamespaceOf(node), "-o", "link", "show", "eth0")).Contains("LOWER_UP", StringComparison.Ordinal) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"node {node}'s link did not go {(expected ? "up" : "down")}");
            }

            await Task.Delay(20);
        }
    }

    private int CheckNode(int node)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(node, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(node, Nodes);
        return node;
    }

    // 10.X.Y with X in 100..199, starting from a value of the pid and the fixture count so that parallel test
    // processes start far apart, and skipping a subnet the root namespace already routes (its own or another
    // fixture's host link).
    private static async Task<string> FreeSubnetAsync()
    {
        var routes = await IpAsync("-4", "route", "show", "table", "all");
        int start = (Environment.ProcessId * 7) + s_fixtures;
        for (int candidate = start; candidate < start + 25600; candidate++)
        {
            var subnet = $"10.{100 + (candidate / 256 % 100)}.{candidate % 256}";
            if (!routes.Contains(subnet + ".", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("no free 10.X.Y.0/24 subnet for a network namespace fixture");
    }

    // Names are agns-PID-… (namespaces) or agns-PID-K (root links); the owner is gone when PID is not alive.
    private static async Task RemoveStaleAsync(ITestOutputHelper? output)
    {
        var names = (await ListNamespacesAsync()).Concat(await ListRootLinksAsync()).Where(name => name.StartsWith(Prefix, StringComparison.Ordinal));
        foreach (var owner in names.GroupBy(name => name.Split('-')[1]))
        {
            if (int.TryParse(owner.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !ProcessInfo.IsAlive(pid))
            {
                output?.WriteLine($"removing stale network namespaces of dead pid {pid}: {string.Join(", ", owner)}");
                var namespaces = (await ListNamespacesAsync()).Where(owner.Contains).ToList();
                foreach (var link in (await ListRootLinksAsync()).Where(owner.Contains))
                {
                    await RemoveAsync(link, []);
                }

                await RemoveAsync(rootLink: null, namespaces);
            }
        }
    }

    // Kills what runs in the namespaces first: a namespace with processes inside outlives `ip netns del`.
    private static async Task RemoveAsync(string? rootLink, IReadOnlyList<string> namespaces)
    {
        var pids = new List<int>();
        foreach (var name in namespaces)
        {
            var listed = await TryIpAsync("netns", "pids", name);
            pids.AddRange((listed ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(pid => int.Parse(pid, CultureInfo.InvariantCulture)));
        }

        foreach (var pid in pids)
        {
            ProcessInfo.Signal(pid, ServerUnderTest.SigKill);
        }

        foreach (var pid in pids)
        {
            if (!await ProcessInfo.WaitForExitAsync(pid, TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException($"process {pid} in a test network namespace survived SIGKILL");
            }
        }

        // Deleting one end of a veth deletes both; do it explicitly so the root link is gone when this returns
        // (the kernel tears a deleted namespace's devices down asynchronously).
        if (rootLink is not null)
        {
            await TryIpAsync("link", "del", rootLink);
        }

        foreach (var name in namespaces)
        {
            await TryIpAsync("netns", "del", name);
        }
    }

    // For removal, where "already gone" is fine: the leftover check afterwards says if something really stayed.
    private static async Task<string?> TryIpAsync(params string[] args)
    {
        var result = await Tools.RunAsync(Ip, args);
        return result.ExitCode == 0 ? result.StandardOutput : null;
    }

    private static async Task<string> IpAsync(params string[] args)
    {
        var result = await Tools.RunAsync(Ip, args);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new IpFailedException($"`{Ip} {string.Join(' ', args)}` failed with {result.ExitCode}: {result.StandardError.Trim()}");
    }

    private sealed class IpFailedException(string message) : Exception(message);
}
