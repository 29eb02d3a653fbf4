using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket;
using ActorGunicorn.Runtime;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class CtlCommandLineTests
{
    private static readonly string[] HelpEntries = ["status", "stats", "reload", "add [N]", "remove [N]", "--socket PATH", "--json"];

    [Theory]
    [InlineData(new[] { "status" }, null, false, ControlVerb.Status, 0)]
    [InlineData(new[] { "--socket", "/tmp/a.ctl", "stats" }, "/tmp/a.ctl", false, ControlVerb.Stats, 0)]
    [InlineData(new[] { "reload", "--socket=/tmp/b.ctl" }, "/tmp/b.ctl", false, ControlVerb.Reload, 0)]
    [InlineData(new[] { "--json", "add" }, null, true, ControlVerb.Add, 1)]
    [InlineData(new[] { "add", "3", "--json" }, null, true, ControlVerb.Add, 3)]
    [InlineData(new[] { "remove", "2" }, null, false, ControlVerb.Remove, 2)]
    [InlineData(new[] { "show", "workers" }, null, false, ControlVerb.Status, 0)]
    [InlineData(new[] { "show", "stats", "--json" }, null, true, ControlVerb.Stats, 0)]
    [InlineData(new[] { "worker", "add", "2" }, null, false, ControlVerb.Add, 2)]
    [InlineData(new[] { "worker", "remove" }, null, false, ControlVerb.Remove, 1)]
    public void Options_may_come_before_or_after_the_command(string[] args, string? socket, bool json, ControlVerb verb, int count) =>
        Assert.Equal(new CtlCommandLine(socket, json, Help: false, new ControlCommand(verb, count)), CtlCommandLine.Parse(args));

    [Theory]
    [InlineData("-h")]
    [InlineData("status --help")]
    [InlineData("--help bogus")]
    public void Help_is_asked_for_wherever_it_appears_and_ends_parsing(string args) =>
        Assert.True(CtlCommandLine.Parse(args.Split(' ')).Help);

    [Theory]
    [InlineData(new string[0], "no command given (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData(new[] { "restart" }, "unknown command 'restart' (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData(new[] { "add", "0" }, "bad N '0' for 'add': a whole number from 1 to 100")]
    [InlineData(new[] { "remove", "-1" }, "bad N '-1' for 'remove': a whole number from 1 to 100")]
    [InlineData(new[] { "status", "now" }, "'status' takes no argument, got 'now'")]
    [InlineData(new[] { "show", "config" }, "unknown command 'show' (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData(new[] { "worker", "add", "0" }, "bad N '0' for 'add': a whole number from 1 to 100")]
    [InlineData(new[] { "--socket" }, "argument --socket: expected one argument")]
    [InlineData(new[] { "--socket", "--json", "status" }, "argument --socket: expected one argument")]
    [InlineData(new[] { "--socket=", "status" }, "argument --socket: expected one argument")]
    [InlineData(new[] { "--verbose", "status" }, "unrecognized arguments: --verbose")]
    public void A_usage_error_says_what_is_wrong_in_argparses_words(string[] args, string message) =>
        Assert.Equal(message, Assert.Throws<CommandLineException>(() => CtlCommandLine.Parse(args)).Message);

    [Fact]
    public void The_help_fits_in_seventy_eight_columns_and_names_every_command()
    {
        Assert.All(CtlCommandLine.HelpText.Split('\n'), line => Assert.True(line.Length <= 78, $"too long: {line}"));
        Assert.All(HelpEntries, word =>
            Assert.Contains("\n  " + word + " ", CtlCommandLine.HelpText, StringComparison.Ordinal));
    }

    [Fact]
    public void The_servers_help_mentions_ctl() =>
        Assert.Contains("actorgunicorn ctl [--socket PATH] status|stats|reload|add [N]|remove [N]", CommandLineHelp.Render(), StringComparison.Ordinal);
}
