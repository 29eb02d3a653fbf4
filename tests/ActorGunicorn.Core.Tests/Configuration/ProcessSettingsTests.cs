using ActorGunicorn.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>The process-model settings: gunicorn's auto_int umask, user and group names, the flags.</summary>
public sealed class ProcessSettingsTests
{
    private static ServerSettings FromHocon(string block) =>
        ServerSettings.Create(ConfigurationFactory.ParseString("actorgunicorn {\n" + block + "\n}"));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("18", 18)]
    [InlineData("0o22", 18)]
    [InlineData("0O22", 18)]
    [InlineData("022", 18)]
    [InlineData("0x12", 18)]
    [InlineData("0b10010", 18)]
    [InlineData("0o777", 511)]
    [InlineData("00", 0)]
    public void Umask_is_read_as_gunicorns_auto_int(string text, int expected) =>
        Assert.Equal(expected, FromHocon($"umask = \"{text}\"").Umask);

    [Theory]
    [InlineData("08")]
    [InlineData("0o8")]
    [InlineData("0x")]
    [InlineData("abc")]
    [InlineData("")]
    public void A_umask_that_is_no_number_names_the_setting(string text)
    {
        var error = Assert.Throws<SettingsException>(() => FromHocon($"umask = \"{text}\""));
        Assert.Equal("umask", error.SettingName);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_umask_beyond_a_file_mode_is_refused()
    {
        var error = Assert.Throws<SettingsException>(() => FromHocon("umask = \"0o1000\""));
        Assert.StartsWith("-m/--umask / actorgunicorn.umask: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_and_groups_are_names_or_numbers_and_default_to_no_switch()
    {
        var defaults = ServerSettings.Create(Config.Empty);
        var named = FromHocon("user = nobody, group = nogroup, initgroups = true");
        var numbered = FromHocon("user = \"4242\", group = \"4343\"");

        Assert.Null(defaults.User);
        Assert.Null(defaults.Group);
        Assert.Equal(("nobody", "nogroup", true), (named.User, named.Group, named.Initgroups));
        Assert.Equal(("4242", "4343"), (numbered.User, numbered.Group));
    }

    [Theory]
    [InlineData("user", "no-such-user-here", "-u/--user / actorgunicorn.user: No such user: 'no-such-user-here'")]
    [InlineData("group", "no-such-group-here", "-g/--group / actorgunicorn.group: No such group: 'no-such-group-here'")]
    public void An_unknown_user_or_group_is_an_error_naming_the_setting(string key, string value, string message)
    {
        var error = Assert.Throws<SettingsException>(() => FromHocon($"{key} = \"{value}\""));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_gunicorn_flags_reach_their_settings()
    {
        var settings = ServerSettings.Create(CommandLineParser.Parse(
            ["--reuse-port", "-D", "--worker-tmp-dir", "/dev/shm", "-m", "007", "-R", "--initgroups", "app"]).ToLayer());

        Assert.True(settings.ReusePort);
        Assert.True(settings.Daemon);
        Assert.Equal("/dev/shm", settings.WorkerTmpDir);
        Assert.Equal(7, settings.Umask);
        Assert.True(settings.EnableStdioInheritance);
        Assert.True(settings.Initgroups);
    }
}
