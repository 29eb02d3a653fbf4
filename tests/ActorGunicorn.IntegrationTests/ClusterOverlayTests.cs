using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// <c>ctl --cluster … config</c> on two arbiters joined on loopback: an overlay is checked as a configuration file is,
/// merges into the one in force, can give a key back to each host, and never undoes a <c>scale</c>.
/// </summary>
public sealed class ClusterOverlayTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-overlay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_misspelt_overlay_is_refused_on_the_spot_and_good_ones_merge_unset_and_keep_the_fleets_scale()
    {
        await using var cluster = await ClusterOfArbiters.StartAsync(2);
        await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 2, 1), "two Up hosts", Formation);

        // Refused by the client as a local configuration file would be: one line, exit 1, nothing sent.
        var typo = await cluster.CtlAsync(1, "config", Write("typo.conf", "actorgunicorn { max-requestz = 10 }"));
        Assert.Equal(1, typo.ExitCode);
        Assert.Equal(
            $"actorgunicorn ctl: config: '{Path.Combine(_directory, "typo.conf")}': actorgunicorn.max-requestz is not a setting; did you mean actorgunicorn.max-requests?; nothing was sent",
            typo.StandardError.Trim());
        var outside = await cluster.CtlAsync(1, "config", Write("outside.conf", "workers = 3"));
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("'workers' is outside actorgunicorn { }", outside.StandardError, StringComparison.Ordinal);

        // A scale, then an overlay that does not name workers: the reload it brings keeps the fleet's count.
        Assert.Equal(0, (await cluster.CtlAsync(0, "scale", "2")).ExitCode);
        await cluster.WaitForStatusAsync(h => ClusterOfArbiters.AllServe(h, 2, 2), "two workers on each host", Formation);
        var applied = await cluster.CtlAsync(1, "config", Write("timeout.conf", "actorgunicorn.timeout = 45"));
        output.WriteLine(applied.StandardOutput);
        Assert.True(applied.ExitCode == 0, applied.StandardError);
        Assert.StartsWith("config version 1 accepted by 2 hosts; rolling reload done: 2 hosts", applied.StandardOutput, StringComparison.Ordinal);
        var hosts = await cluster.WaitForStatusAsync(
            h => ClusterOfArbiters.AllServe(h, 2, 2) && h.All(host => host.ConfigVersion == 1),
            "both hosts at config version 1 with two workers", Formation);
        Assert.All(hosts, host => Assert.Equal(2, host.DesiredWorkers));

        // --unset gives a key back to each host's own configuration; a key that is no setting is refused by the
        // fleet with the nearest one named, and nothing moves.
        var unknown = await cluster.CtlAsync(0, "config", "--unset", "timeoutt");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("the overlay was refused, nothing was reloaded: --unset: actorgunicorn.timeoutt is not a setting; did you mean actorgunicorn.timeout?", unknown.StandardError, StringComparison.Ordinal);
        var unset = await cluster.CtlAsync(0, "config", "--unset", "timeout");
        Assert.True(unset.ExitCode == 0, unset.StandardError);
        Assert.StartsWith("config version 2 accepted by 2 hosts", unset.StandardOutput, StringComparison.Ordinal);
        await cluster.WaitForStatusAsync(
            h => ClusterOfArbiters.AllServe(h, 2, 2) && h.All(host => host.ConfigVersion == 2),
            "both hosts at config version 2, still with two workers", Formation);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
