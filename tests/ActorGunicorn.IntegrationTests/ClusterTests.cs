using System.Diagnostics;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// Three arbiters as separate processes on loopback, joined as one Akka.Cluster, steered with
/// <c>actorgunicorn ctl --cluster</c>. The network-partition variant is built on the network-namespace fixture.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ctl_cluster_status_lists_all_three_hosts_and_the_workers_each_arbiter_started()
    {
        await using var cluster = await ClusterOfArbiters.StartAsync(3, "-w", "2");

        var hosts = await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 2), "three Up hosts with two running workers each", Formation, via: 1);

        Assert.Equal(cluster.Endpoints.Order(), hosts.Select(h => h.Endpoint).Order());
        for (var i = 0; i < 3; i++)
        {
            var host = hosts.Single(h => h.Endpoint == cluster.Endpoints[i]);
            Assert.Equal(cluster[i].WorkerPids.Where(ProcessInfo.IsAlive).Order(), host.Workers.Select(w => w.Pid).Order());
            Assert.Equal(cluster[i].Pid, host.ArbiterPid);
        }

        // The table people read: one line per host, then one per worker with its pid.
        var table = await cluster.CtlAsync(2, "status");
        Assert.Equal(0, table.ExitCode);
        var lines = table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("fleet: 3 hosts, 6 workers, config version 0", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^HOST +ROLE +MEMBER +HEALTH +PID +UPTIME +STATE +REQUESTS +RSS MiB$", lines[1]);
        // Each host's line, then its workers' lines under it, which leave the host's columns blank.
        foreach (var host in hosts)
        {
            int at = Array.FindIndex(lines, line => line.StartsWith(host.Endpoint + " ", StringComparison.Ordinal));
            Assert.True(at > 0 && lines[at].Contains(" Up ", StringComparison.Ordinal), table.StandardOutput);
            Assert.Contains($" {host.ArbiterPid} ", lines[at], StringComparison.Ordinal);
            var workerLines = lines[(at + 1)..(at + 1 + host.Workers.Count)];
            Assert.All(workerLines, line => Assert.StartsWith(new string(' ', host.Endpoint.Length), line, StringComparison.Ordinal));
            Assert.Equal(host.Workers.Select(w => w.Pid).Order(), workerLines.Select(line => int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture)).Order());
        }
    }

    [Fact]
    public async Task A_sigkilled_arbiter_is_reported_within_10_s_and_shows_again_when_it_has_rejoined()
    {
        await using var cluster = await ClusterOfArbiters.StartAsync(3);
        await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 1), "three Up hosts", Formation);
        var victim = cluster.Endpoints[2];

        // Node 0 is the oldest and hosts the coordinator; the youngest is killed, as a host that dies would be.
        cluster[2].Signal(ServerUnderTest.SigKill);
        var clock = Stopwatch.StartNew();
        await cluster.WaitForStatusAsync(
            h => h.SingleOrDefault(host => host.Endpoint == victim) is not { MemberStatus: "Up", Healthy: true },
            "the killed host reported unreachable or removed",
            TimeSpan.FromSeconds(30));
        var reported = clock.Elapsed;
        await cluster.WaitForStatusAsync(h => h.Count == 2 && h.All(host => host.Endpoint != victim), "the killed host removed", TimeSpan.FromSeconds(30));
        var removed = clock.Elapsed;

        output.WriteLine($"killed host reported after {reported.TotalSeconds:0.0} s, removed after {removed.TotalSeconds:0.0} s");
        Assert.True(reported < TimeSpan.FromSeconds(10), $"the killed host was reported after {reported.TotalSeconds:0.0} s");

        await cluster.RestartAsync(2);
        var hosts = await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 1), "the restarted host Up again", Formation);
        Assert.Equal(cluster[2].WorkerPids.Where(ProcessInfo.IsAlive), hosts.Single(h => h.Endpoint == victim).Workers.Select(w => w.Pid));
        Assert.True(removed >= reported);
    }

    [Fact]
    public async Task A_rolling_reload_under_load_behind_nginx_fails_no_request_and_keeps_two_hosts_serving_at_every_moment()
    {
        await using var cluster = await ClusterOfArbiters.StartAsync(3, "-w", "2");
        var before = await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 2), "three Up hosts with two running workers each", Formation);
        var ports = Enumerable.Range(0, 3).Select(i => cluster[i].Port).ToList();
        await using var nginx = await NginxFront.StartAsync(port => RepositorySite(port, ports));

        using var stopSampling = new CancellationTokenSource();
        var sampling = SampleServingHostsAsync(ports, stopSampling.Token);
        // Load in back-to-back wrk runs of 4 s until the rolling reload has answered, then 2 s more: however long
        // the reload takes on a busy machine, it runs under load from start to end.
        var runs = new List<WrkResult>();
        var firstRun = Wrk.RunAsync(nginx.Port, TimeSpan.FromSeconds(4));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var reloading = cluster.CtlAsync(1, "reload");
        runs.Add(await firstRun);
        while (!reloading.IsCompleted)
        {
            runs.Add(await Wrk.RunAsync(nginx.Port, TimeSpan.FromSeconds(4)));
        }

        var reloadTook = clock.Elapsed;
        runs.Add(await Wrk.RunAsync(nginx.Port, TimeSpan.FromSeconds(2)));
        await stopSampling.CancelAsync();
        var servingPerRound = await sampling;
        var reload = await reloading;

        output.WriteLine($"reload: {reload.StandardOutput.Trim()} (within {reloadTook.TotalSeconds:0.0} s)");
        output.WriteLine($"wrk: {runs.Count} runs, {runs.Sum(r => r.Requests)} requests, {runs.Sum(r => r.NonSuccess)} non-2xx, {runs.Sum(r => r.SocketErrors)} socket errors");
        output.WriteLine($"readiness: {servingPerRound.Count} rounds, fewest hosts serving {servingPerRound.DefaultIfEmpty(0).Min()}");
        output.WriteLine($"nginx error log: {nginx.ErrorLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines");
        Assert.True(reload.ExitCode == 0, reload.StandardError);
        Assert.Contains("rolling reload done: 3 hosts", reload.StandardOutput, StringComparison.Ordinal);
        Assert.All(runs, run => Assert.True(run.Requests > 0, run.Output));
        Assert.Equal(0, runs.Sum(r => r.NonSuccess));
        Assert.Equal(0, runs.Sum(r => r.SocketErrors));
        Assert.True(servingPerRound.Count >= 30, $"only {servingPerRound.Count} readiness rounds");
        Assert.All(servingPerRound, serving => Assert.True(serving >= 2, $"a round saw only {serving} hosts serving"));

        // Every host now runs new workers only.
        var after = await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 2), "three hosts serving after the reload", Formation);
        foreach (var host in after)
        {
            var old = before.Single(h => h.Endpoint == host.Endpoint).Workers.Select(w => w.Pid);
            Assert.Empty(host.Workers.Select(w => w.Pid).Intersect(old));
        }
    }

    [Fact]
    public async Task An_arbiter_frozen_until_the_cluster_removed_it_keeps_its_workers_and_rejoins_with_a_new_membership()
    {
        const int SigStop = 19;
        const int SigCont = 18;
        await using var cluster = await ClusterOfArbiters.StartAsync(3);
        await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 1), "three Up hosts", Formation);
        var frozen = cluster.Endpoints[2];
        var workers = cluster[2].WorkerPids.Where(ProcessInfo.IsAlive).ToList();

        // A loopback stand-in for a partition that outlasts the resolver: the others see the node silent, down it and
        // remove it. When it runs again it learns it was removed, and builds a new membership to join with.
        cluster[2].Signal(SigStop);
        try
        {
            await cluster.WaitForStatusAsync(h => h.Count == 2 && h.All(host => host.Endpoint != frozen), "the frozen host removed", TimeSpan.FromSeconds(30));
        }
        finally
        {
            cluster[2].Signal(SigCont);
        }

        IReadOnlyList<FleetHost> hosts;
        try
        {
            hosts = await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 3, 1), "the frozen host Up again", Formation);
            await cluster[2].WaitForLineAsync(l => l.Contains("; it keeps serving and joins again", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine(cluster.Timeline());
        }

        Assert.False(cluster[2].HasExited);
        Assert.Equal(workers, hosts.Single(h => h.Endpoint == frozen).Workers.Select(w => w.Pid));
    }

    [Fact]
    public async Task A_cluster_port_in_use_stops_the_arbiter_with_one_line_naming_the_setting()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", "--cluster-port", $"{port}", "--cluster-seed", $"127.0.0.1:{port}", Paths.HelloWorld]);

        Assert.Equal(1, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(server.Lines, l => l.Contains($"--cluster-host/--cluster-port: cannot listen on 127.0.0.1:{port}: Address already in use", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.All(server.WorkerPids, pid => Assert.False(ProcessInfo.IsAlive(pid), $"worker {pid} outlived its arbiter"));
    }

    [Fact]
    public async Task An_arbiter_that_starts_answers_ctl_status_and_stops_logs_no_warning_about_its_singleton_and_no_error()
    {
        await using var cluster = await ClusterOfArbiters.StartAsync(1);
        await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 1, 1), "one Up host", Formation);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await cluster.CtlAsync(0, "status")).ExitCode);
        }

        cluster[0].Signal(ServerUnderTest.SigTerm);
        Assert.Equal(0, await cluster[0].WaitForExitAsync());

        // Expected events are not warnings: Akka's proxy warned at every start and stop that it had not found the
        // singleton "after 30 seconds", the moment it began to look.
        Assert.DoesNotContain(cluster[0].Lines, l => l.Contains("ClusterSingletonProxy", StringComparison.Ordinal));
        Assert.DoesNotContain(cluster[0].Lines, l => l.Contains("[ERROR]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctl_cluster_status_names_the_seeds_that_have_not_joined_the_arbiters_pid_and_answers_through_a_name_for_its_address()
    {
        var port = FreePorts.Next();
        var absent = $"127.0.0.1:{FreePorts.Next()}";
        var self = $"127.0.0.1:{port}";
        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", "--cluster-port", $"{port}", "--cluster-seed", self, "--cluster-seed", absent, Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Cluster: this arbiter is", StringComparison.Ordinal));

        // The first seed forms the cluster on its own; the table says the other seed is awaited, not that the fleet is one host.
        string? header = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var table = await Tools.RunAsync(Paths.Executable, ["ctl", "--cluster", self, "status"]);
            header = table.StandardOutput.Split('\n')[0];
            if (table.ExitCode == 0 && header.Contains("1 worker", StringComparison.Ordinal) && table.StandardOutput.Contains($" {server.Pid} ", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal($"fleet: 1 host, 1 worker, config version 0; waiting for {absent} to join", header);

        // The node spells itself 127.0.0.1; a name that resolves to it reaches it too (Akka drops what is addressed
        // to another spelling, so the client tries the resolved address next), where it waited 20 s and failed.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var byName = await Tools.RunAsync(Paths.Executable, ["ctl", "--cluster", $"localhost:{port}", "status"]);
        output.WriteLine($"ctl --cluster localhost:{port} answered in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(byName.ExitCode == 0, byName.StandardError);
        Assert.StartsWith("fleet: 1 host, 1 worker", byName.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Lines, l => l.Contains("[ERROR]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctl_cluster_toward_a_port_where_nothing_listens_says_so_instead_of_waiting_for_the_fleet()
    {
        // A port that was free a moment ago: bound, read, released, never listened on.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var result = await Tools.RunAsync(Paths.Executable, ["ctl", "--cluster", $"127.0.0.1:{port}", "status"]);

        Assert.Equal(1, result.ExitCode);
        // Before, the client asked for 20 s and said only that the fleet did not answer.
        Assert.Contains($"cannot reach 127.0.0.1:{port}: nothing listens there (connection refused)", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", result.StandardError, StringComparison.Ordinal);
    }

    // The repository's tested nginx site (config/nginx), its one upstream server replaced by the three hosts: nginx
    // balances them round robin, with the site's own retry and keep-alive rules.
    private static string RepositorySite(int port, IEnumerable<int> hosts)
    {
        var site = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "config", "nginx", "actorgunicorn.conf"));
        const string Upstream = "    server unix:/run/actorgunicorn.sock fail_timeout=0;\n";
        Assert.Contains(Upstream, site, StringComparison.Ordinal);
        Assert.Contains("listen 80;", site, StringComparison.Ordinal);
        return site
            .Replace(Upstream, string.Concat(hosts.Select(h => $"    server 127.0.0.1:{h} fail_timeout=0;\n")), StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
    }

    // Every 100 ms, one request straight to each host (a new connection each time): how many answered 200.
    private static async Task<IReadOnlyList<int>> SampleServingHostsAsync(IReadOnlyList<int> ports, CancellationToken stop)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(2) };
        var rounds = new List<int>();
        while (!stop.IsCancellationRequested)
        {
            var answers = await Task.WhenAll(ports.Select(async port =>
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request, CancellationToken.None);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }));
            rounds.Add(answers.Count(served => served));
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return rounds;
    }
}
