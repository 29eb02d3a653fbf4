using ActorGunicorn.Cluster.Ctl;
using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Cluster.Tests;

public sealed class ClusterCtlCommandLineTests
{
    [Fact]
    public void Status_reload_scale_and_config_are_read_with_the_contact()
    {
        var status = ClusterCtlCommandLine.Parse(["--cluster", "10.0.0.5:4053", "status"]);
        Assert.Equal((new ClusterEndpoint("10.0.0.5", 4053), false, ClusterVerb.Status, 0, false, (string?)null), (status.Contact, status.Json, status.Verb, status.Count, status.Total, status.File));
        Assert.Equal(ClusterVerb.Reload, ClusterCtlCommandLine.Parse(["reload", "--cluster=127.0.0.1:1"]).Verb);
        Assert.Equal((3, true), ClusterCtlCommandLine.Parse(["--cluster", "h:2", "scale", "--total", "3"]) is var s ? (s.Count, s.Total) : default);
        Assert.Equal("overlay.conf", ClusterCtlCommandLine.Parse(["--cluster", "h:2", "config", "overlay.conf"]).File);
        var unset = ClusterCtlCommandLine.Parse(["--cluster", "h:2", "config", "--unset", "max-requests", "--unset=timeout"]);
        Assert.Equal((ClusterVerb.Config, (string?)null), (unset.Verb, unset.File));
        Assert.Equal(["max-requests", "timeout"], unset.Unset);
        Assert.Equal(["workers"], ClusterCtlCommandLine.Parse(["--cluster", "h:2", "config", "o.conf", "--unset", "workers"]).Unset);
    }

    [Theory]
    [InlineData(new[] { "--cluster", "nohost", "status" }, "'nohost' is not HOST:PORT")]
    [InlineData(new[] { "--cluster", "h:0", "status" }, "is not HOST:PORT")]
    [InlineData(new[] { "--cluster" }, "expected HOST:PORT")]
    [InlineData(new[] { "--cluster", "h:1", "scale", "0" }, "bad N '0' for 'scale'")]
    [InlineData(new[] { "--cluster", "h:1", "scale" }, "'scale' needs N")]
    [InlineData(new[] { "--cluster", "h:1", "config" }, "'config' needs FILE (a HOCON overlay for every host) or --unset KEY")]
    [InlineData(new[] { "--cluster", "h:1", "config", "--unset" }, "argument --unset: expected KEY")]
    [InlineData(new[] { "--cluster", "h:1", "reload", "--unset", "timeout" }, "--unset goes with 'config' only")]
    [InlineData(new[] { "--cluster", "h:1", "add", "2" }, "unknown command 'add'")]
    [InlineData(new[] { "--cluster", "h:1" }, "a command is required")]
    [InlineData(new[] { "--cluster", "h:1", "status", "--bogus" }, "unrecognized arguments: --bogus")]
    public void A_bad_command_line_is_a_one_line_error_naming_the_problem(string[] args, string message)
    {
        Assert.Contains(message, Assert.Throws<CommandLineException>(() => ClusterCtlCommandLine.Parse(args)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_command_line_with_the_cluster_option_goes_to_the_fleet_client()
    {
        Assert.True(ClusterCtlCommandLine.IsRequested(["--cluster", "h:1", "status"]));
        Assert.True(ClusterCtlCommandLine.IsRequested(["status", "--cluster=h:1"]));
        Assert.False(ClusterCtlCommandLine.IsRequested(["--socket", "/run/x.ctl", "status"]));
    }

    [Theory]
    [InlineData("127.0.0.1:4053", "127.0.0.1", 4053)]
    [InlineData("[::1]:80", "::1", 80)]
    [InlineData("node-a.example:65535", "node-a.example", 65535)]
    public void Cluster_endpoints_are_read_as_host_and_port(string text, string host, int port)
    {
        Assert.True(ClusterEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(new ClusterEndpoint(host, port), endpoint);
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("4053")]
    [InlineData(":4053")]
    [InlineData("host:")]
    [InlineData("host:65536")]
    [InlineData("::1:80")]
    [InlineData("a b:1")]
    public void Text_that_is_not_host_and_port_is_no_cluster_endpoint(string text)
    {
        Assert.False(ClusterEndpoint.TryParse(text, out _));
    }
}
