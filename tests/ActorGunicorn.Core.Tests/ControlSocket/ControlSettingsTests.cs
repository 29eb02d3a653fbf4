using ActorGunicorn.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlSettingsTests
{
    private static ServerSettings FromArguments(params string[] args) =>
        ServerSettings.Create(CommandLineParser.Parse(args).ToLayer());

    [Fact]
    public void By_default_there_is_a_control_socket_at_the_default_path_with_mode_0600()
    {
        var settings = ServerSettings.Default;

        Assert.Equal((null, Convert.ToInt32("600", 8), false), (settings.ControlSocket, settings.ControlSocketMode, settings.ControlSocketDisable));
    }

    [Theory]
    [InlineData("0660", "660")]
    [InlineData("0o640", "640")]
    [InlineData("0", "0")]
    [InlineData("384", "600")]
    public void The_mode_is_read_as_gunicorns_auto_int_does(string argument, string octal) =>
        Assert.Equal(Convert.ToInt32(octal, 8), FromArguments("--control-socket-mode", argument).ControlSocketMode);

    [Theory]
    [InlineData("600", "'600' (0o1130) is not a file mode: write it in octal, as 0600 or 0o600")]
    [InlineData("-1", "'-1' is not a file mode: write it in octal, as 0600 or 0o600")]
    public void A_mode_that_is_no_file_mode_is_refused_with_the_setting_named(string argument, string problem)
    {
        var error = Assert.Throws<SettingsException>(() => FromArguments("--control-socket-mode", argument));

        Assert.Equal($"--control-socket-mode / actorgunicorn.control-socket-mode: {problem}", error.Message);
    }

    [Fact]
    public void A_mode_that_is_no_number_is_a_usage_error() =>
        Assert.Equal(
            "argument --control-socket-mode: invalid file mode: 'rw-------'",
            Assert.Throws<CommandLineException>(() => CommandLineParser.Parse(["--control-socket-mode", "rw-------"])).Message);

    [Theory]
    [InlineData("actorgunicorn.control-socket-mode = 0640")]
    [InlineData("actorgunicorn.control-socket-mode = \"0640\"")]
    [InlineData("actorgunicorn.control-socket-mode = 0o640")]
    public void A_hocon_file_writes_the_mode_in_octal_as_a_bare_or_quoted_word(string hocon) =>
        Assert.Equal(Convert.ToInt32("640", 8), ServerSettings.Create(ConfigurationFactory.ParseString(hocon)).ControlSocketMode);

    [Fact]
    public void The_mode_is_written_back_in_octal() =>
        Assert.Equal("\"0660\"", SettingsTable.ControlSocketMode.RenderFrom(CommandLineParser.Parse(["--control-socket-mode", "0660"]).ToLayer()));

    [Fact]
    public void The_path_and_the_switch_come_from_their_flags()
    {
        var settings = FromArguments("--control-socket", "/run/app.ctl", "--no-control-socket");

        Assert.Equal(("/run/app.ctl", true), (settings.ControlSocket, settings.ControlSocketDisable));
    }
}
