using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly ScratchDirectory directory = new();
    private readonly Dictionary<string, string?> environment = [];

    public void Dispose() => directory.Dispose();

    private LoadedConfiguration Load(params string[] args) => SettingsLoader.Load(args, environment, directory.Path);

    private SettingsException SettingsError(params string[] args) => Assert.Throws<SettingsException>(() => Load(args));

    private CommandLineException CommandLineError(params string[] args) => Assert.Throws<CommandLineException>(() => Load(args));

    [Fact]
    public void With_nothing_configured_the_server_serves_with_the_defaults()
    {
        var loaded = Load();

        Assert.Equal(RequestedAction.Serve, loaded.Action);
        Assert.Equal(ServerSettings.Default, loaded.Settings);
        Assert.Null(loaded.ConfigFile);
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_it()
    {
        environment["WEB_CONCURRENCY"] = "2";
        Assert.Equal(2, Load().Settings.Workers);

        directory.Write("actorgunicorn.conf", "actorgunicorn.workers = 3");
        Assert.Equal(3, Load().Settings.Workers);

        environment[SettingsLoader.CommandArgumentsVariable] = "-w 4";
        Assert.Equal(4, Load().Settings.Workers);

        Assert.Equal(5, Load("-w", "5").Settings.Workers);
    }

    [Fact]
    public void Port_in_the_environment_makes_the_server_listen_on_every_interface()
    {
        environment["PORT"] = "5000";
        Assert.Equal([new TcpBindAddress("0.0.0.0", 5000)], Load().Settings.Bind);
    }

    [Fact]
    public void An_explicit_bind_wins_over_the_port_default()
    {
        environment["PORT"] = "5000";
        Assert.Equal([new TcpBindAddress("127.0.0.1", 9000)], Load("-b", "127.0.0.1:9000").Settings.Bind);
    }

    [Fact]
    public void Empty_environment_defaults_count_as_unset()
    {
        environment["PORT"] = string.Empty;
        environment["WEB_CONCURRENCY"] = " ";
        Assert.Equal(ServerSettings.Default, Load().Settings);
    }

    [Fact]
    public void A_bad_web_concurrency_is_an_error_naming_it_even_when_workers_is_given()
    {
        environment["WEB_CONCURRENCY"] = "lots";
        Assert.Equal(
            "environment variable WEB_CONCURRENCY: 'lots' is not a valid default for -w/--workers / actorgunicorn.workers: 'lots' is not an integer",
            SettingsError("-w", "2").Message);
    }

    [Fact]
    public void A_zero_web_concurrency_breaks_the_workers_rule()
    {
        environment["WEB_CONCURRENCY"] = "0";
        Assert.Contains("WEB_CONCURRENCY: '0'", SettingsError().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_workers_is_checked_against_the_workers_the_layers_give_together()
    {
        directory.Write("actorgunicorn.conf", "actorgunicorn.max-workers = 3");
        environment["WEB_CONCURRENCY"] = "4";

        Assert.Equal(
            "--max-workers / actorgunicorn.max-workers: '3' must be at least workers (4), or 0 to keep the number of workers fixed",
            SettingsError().Message);
        Assert.Equal((2, 3), (Load("-w", "2").Settings.Workers, Load("-w", "2").Settings.MaxWorkers));
    }

    [Fact]
    public void A_bad_port_is_an_error_naming_it()
    {
        environment["PORT"] = "http";
        Assert.StartsWith("environment variable PORT: 'http' is not a valid default for -b/--bind", SettingsError().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_from_a_higher_layer_replaces_the_lower_list_instead_of_adding_to_it()
    {
        directory.Write("actorgunicorn.conf", "actorgunicorn.bind = [\"a:1\", \"b:2\"]");
        Assert.Equal(["a:1", "b:2"], Load().Settings.Bind.Select(address => address.ToString()));

        environment[SettingsLoader.CommandArgumentsVariable] = "-b c:3";
        Assert.Equal(["c:3"], Load().Settings.Bind.Select(address => address.ToString()));

        Assert.Equal(["d:4", "e:5"], Load("-b", "d:4", "--bind", "e:5").Settings.Bind.Select(address => address.ToString()));
    }

    [Fact]
    public void The_default_file_in_the_working_directory_is_read_when_no_file_is_named()
    {
        var path = directory.Write("actorgunicorn.conf", "actorgunicorn.backlog = 10");
        var loaded = Load();

        Assert.Equal(10, loaded.Settings.Backlog);
        Assert.Equal(path, loaded.ConfigFile);
    }

    [Theory]
    [InlineData("actorgunicorn { max-requestz = 10 }", "actorgunicorn.max-requestz is not a setting; did you mean actorgunicorn.max-requests?")]
    [InlineData("actorgunicorn.max_requests = 10", "actorgunicorn.max_requests is not a setting; did you mean actorgunicorn.max-requests?")]
    [InlineData("actorgunicorn.frobnicate = on", "actorgunicorn.frobnicate is not a setting (docs/settings.md lists them)")]
    public void A_key_in_the_block_that_is_no_setting_is_an_error_naming_it_and_the_nearest_setting(string text, string message)
    {
        directory.Write("app.conf", text);

        Assert.Equal(message, SettingsError("-c", "app.conf").Message);
    }

    [Fact]
    public void Blocks_beside_the_settings_block_are_not_checked_against_the_settings()
    {
        directory.Write("app.conf", "akka.loglevel = DEBUG\nactorgunicorn.threads = 3");

        Assert.Equal(3, Load("-c", "app.conf").Settings.Threads);
    }

    [Fact]
    public void A_named_file_replaces_the_default_file_rather_than_adding_to_it()
    {
        directory.Write("actorgunicorn.conf", "actorgunicorn.backlog = 10");
        directory.Write("other.conf", "actorgunicorn.threads = 3");
        var settings = Load("-c", "other.conf").Settings;

        Assert.Equal((2048, 3), (settings.Backlog, settings.Threads));
    }

    [Fact]
    public void The_file_named_on_the_command_line_wins_over_the_one_in_the_environment_arguments()
    {
        directory.Write("cli.conf", "actorgunicorn.threads = 3");
        directory.Write("env.conf", "actorgunicorn.threads = 4");
        environment[SettingsLoader.CommandArgumentsVariable] = "--config env.conf";

        Assert.Equal(4, Load().Settings.Threads);
        Assert.Equal(3, Load("--config=cli.conf").Settings.Threads);
    }

    [Fact]
    public void A_relative_file_is_resolved_against_the_working_directory_and_an_absolute_one_is_used_as_is()
    {
        var path = directory.Write("conf/prod.conf", "actorgunicorn.threads = 3");
        Assert.Equal(path, Load("-c", "conf/prod.conf").ConfigFile);
        Assert.Equal(path, Load("-c", path).ConfigFile);
    }

    [Fact]
    public void A_named_file_that_does_not_exist_is_an_error_naming_it() =>
        Assert.Equal("-c/--config: 'missing.conf' does not exist", SettingsError("-c", "missing.conf").Message);

    [Theory]
    [InlineData("actorgunicorn { workers = 2 } }\nakka.loglevel = DEBUG", "line 1: '}' has no matching '{'")]
    [InlineData("actorgunicorn { workers 2 }", "'actorgunicorn.workers 2' has no value (a '=' or '{' is missing)")]
    [InlineData("actorgunicorn { workers = 2 } ,", "Unknown token at position")]
    [InlineData("actorgunicorn.workers = ${undefined}", "Unresolved substitution: undefined")]
    public void A_hocon_syntax_error_is_an_error_naming_the_file(string text, string problem)
    {
        var path = directory.Write("broken.conf", text);
        var message = SettingsError("-c", "broken.conf").Message;

        Assert.StartsWith($"cannot parse HOCON file '{path}': ", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_in_an_included_file_names_that_file()
    {
        var included = directory.Write("base.conf", "actorgunicorn {");
        directory.Write("prod.conf", "include \"base.conf\"");
        Assert.StartsWith($"cannot parse HOCON file '{included}': line 1", SettingsError("-c", "prod.conf").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_value_in_the_file_names_the_setting()
    {
        directory.Write("actorgunicorn.conf", "actorgunicorn.workers = none");
        Assert.Equal("-w/--workers / actorgunicorn.workers: 'none' is not an integer", SettingsError().Message);
    }

    [Fact]
    public void An_include_is_resolved_beside_the_including_file()
    {
        directory.Write("conf/base.conf", "actorgunicorn.threads = 6");
        directory.Write("conf/prod.conf", "include \"base.conf\"\nactorgunicorn.workers = 3");
        var settings = Load("-c", "conf/prod.conf").Settings;

        Assert.Equal((3, 6), (settings.Workers, settings.Threads));
    }

    [Fact]
    public void A_missing_include_is_an_error_naming_it()
    {
        directory.Write("prod.conf", "include \"gone.conf\"");
        Assert.Contains(Path.Combine(directory.Path, "gone.conf"), SettingsError("-c", "prod.conf").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Akka_overrides_in_the_file_survive_in_the_merged_configuration()
    {
        directory.Write("actorgunicorn.conf", "akka.loglevel = DEBUG\nakka.actor.ask-timeout = 7s\nactorgunicorn.workers = 2");
        var loaded = Load();

        Assert.Equal("DEBUG", loaded.Config.GetString("akka.loglevel"));
        Assert.Equal(TimeSpan.FromSeconds(7), loaded.Config.GetTimeSpan("akka.actor.ask-timeout"));
        Assert.Equal(2, loaded.Settings.Workers);
    }

    [Fact]
    public void The_merged_configuration_keeps_the_reference_defaults_underneath() =>
        Assert.Equal("-", Load().Config.GetString("actorgunicorn.errorlog"));

    [Fact]
    public void The_application_argument_wins_over_the_file()
    {
        directory.Write("actorgunicorn.conf", "actorgunicorn.app = \"from.file:app\"");
        Assert.Equal("from.file:app", Load().Settings.App);
        Assert.Equal("from.cli:app", Load("from.cli:app").Settings.App);
    }

    [Fact]
    public void An_application_in_the_environment_arguments_is_a_layer_like_any_other()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "from.env:app";
        Assert.Equal("from.env:app", Load().Settings.App);
        Assert.Equal("from.cli:app", Load("from.cli:app").Settings.App);
    }

    [Fact]
    public void Environment_arguments_are_split_like_a_shell_line()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "--access-logformat '%(h)s \"%(r)s\"' -e 'GREETING=hello world' --keep-alive 0.5";
        var settings = Load().Settings;

        Assert.Equal("%(h)s \"%(r)s\"", settings.AccessLogFormat);
        Assert.Equal([new("GREETING", "hello world")], settings.Env);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.KeepAlive);
    }

    [Fact]
    public void A_parse_error_in_the_environment_arguments_names_the_variable()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "-w x";
        Assert.Equal("ACTORGUNICORN_CMD_ARGS: argument -w/--workers: invalid int value: 'x'", CommandLineError().Message);
    }

    [Fact]
    public void An_unclosed_quote_in_the_environment_arguments_names_the_variable()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "-e 'A=B";
        Assert.Equal("ACTORGUNICORN_CMD_ARGS: No closing quotation", CommandLineError().Message);
    }

    [Fact]
    public void A_command_line_error_is_reported_before_anything_is_read()
    {
        environment["WEB_CONCURRENCY"] = "bad";
        Assert.Equal("unrecognized arguments: --nope", CommandLineError("--nope").Message);
    }

    [Fact]
    public void A_valid_flag_with_a_value_that_breaks_a_rule_is_a_settings_error() =>
        Assert.Equal("-w/--workers / actorgunicorn.workers: '0' must be at least 1", SettingsError("-w", "0").Message);

    [Fact]
    public void An_environment_entry_without_equals_is_a_settings_error() =>
        Assert.Equal("-e/--env / actorgunicorn.raw-env: 'FOO' is not KEY=VALUE", SettingsError("-e", "FOO").Message);

    [Fact]
    public void Help_is_available_even_when_every_other_source_is_broken()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "--unknown";
        environment["WEB_CONCURRENCY"] = "bad";
        var loaded = Load("-c", "missing.conf", "--help");

        Assert.Equal(RequestedAction.Help, loaded.Action);
        Assert.Equal(ServerSettings.Default, loaded.Settings);
    }

    [Fact]
    public void Version_is_available_even_when_the_file_is_missing() =>
        Assert.Equal(RequestedAction.Version, Load("-c", "missing.conf", "-v").Action);

    [Fact]
    public void Help_in_the_environment_arguments_is_honoured_as_argparse_would()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "--help";
        Assert.Equal(RequestedAction.Help, Load().Action);
    }

    [Fact]
    public void Check_config_asks_to_check_the_loaded_configuration()
    {
        var loaded = Load("--check-config", "-w", "3");

        Assert.Equal(RequestedAction.CheckConfig, loaded.Action);
        Assert.Equal(3, loaded.Settings.Workers);
    }

    [Fact]
    public void Check_config_still_fails_on_an_invalid_configuration() =>
        Assert.Throws<SettingsException>(() => Load("--check-config", "-w", "0"));

    [Fact]
    public void Print_config_wins_over_check_config_because_it_implies_it() =>
        Assert.Equal(RequestedAction.PrintConfig, Load("--check-config", "--print-config").Action);

    [Fact]
    public void Actions_may_come_from_the_environment_arguments()
    {
        environment[SettingsLoader.CommandArgumentsVariable] = "--print-config";
        Assert.Equal(RequestedAction.PrintConfig, Load().Action);
    }
}
