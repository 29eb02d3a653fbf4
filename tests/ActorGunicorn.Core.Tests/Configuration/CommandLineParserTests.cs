using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class CommandLineParserTests
{
    // A short store-true flag that does not end parsing, like gunicorn's -D, which the table does not have yet.
    private static readonly SettingDefinition<bool> Daemon = new(SettingKinds.Flag)
    {
        Name = "daemon", Flags = ["-D", "--daemon"], Section = SettingSections.ServerMechanics, Default = false, Summary = "s", Description = "d",
    };

    private static ParsedCommandLine Parse(params string[] args) => CommandLineParser.Parse(args);

    private static string ErrorOf(params string[] args) => Assert.Throws<CommandLineException>(() => Parse(args)).Message;

    [Theory]
    [InlineData("--workers", "3")]
    [InlineData("--workers=3")]
    [InlineData("-w", "3")]
    [InlineData("-w3")]
    [InlineData("-w=3")]
    public void Every_argparse_form_of_a_flag_with_a_value_is_accepted(params string[] args) =>
        Assert.Equal("3", Parse(args).Last(SettingsTable.Workers));

    [Theory]
    [InlineData("--keep", "5")]
    [InlineData("--keep=5")]
    public void An_unambiguous_prefix_of_a_long_flag_is_accepted_as_argparse_allows(params string[] args) =>
        Assert.Equal("5", Parse(args).Last(SettingsTable.KeepAlive));

    [Fact]
    public void A_store_true_flag_takes_no_value() =>
        Assert.True(Parse("--check-config", "app:main").Has(SettingsTable.CheckConfig));

    [Fact]
    public void The_positional_argument_is_the_application_wherever_it_appears()
    {
        Assert.Equal("app:main", Parse("app:main", "-w", "2").Last(SettingsTable.App));
        Assert.Equal("app:main", Parse("-w", "2", "app:main").Last(SettingsTable.App));
    }

    [Fact]
    public void A_repeatable_flag_collects_every_occurrence_in_order() =>
        Assert.Equal(["a:1", "b:2", "c:3"], Parse("-b", "a:1", "--bind", "b:2", "-bc:3").Arguments[SettingsTable.Bind]);

    [Fact]
    public void A_scalar_flag_given_twice_keeps_the_last_value() =>
        Assert.Equal("5", Parse("-w", "2", "--workers", "5").Last(SettingsTable.Workers));

    [Fact]
    public void Double_dash_ends_options_so_a_dash_led_application_name_is_positional() =>
        Assert.Equal("-weird:app", Parse("-w", "2", "--", "-weird:app").Last(SettingsTable.App));

    [Fact]
    public void A_lone_dash_is_a_value_so_logs_can_go_to_stdout() =>
        Assert.Equal("-", Parse("--access-logfile", "-").Last(SettingsTable.AccessLog));

    [Fact]
    public void A_negative_number_is_a_value_and_left_for_validation_to_reject() =>
        Assert.Equal("-1", Parse("--max-requests", "-1").Last(SettingsTable.MaxRequests));

    [Fact]
    public void A_value_may_itself_contain_an_equals_sign()
    {
        Assert.Equal(["A=B=C"], Parse("-e", "A=B=C").Arguments[SettingsTable.RawEnv]);
        Assert.Equal(["A=B"], Parse("--env=A=B").Arguments[SettingsTable.RawEnv]);
        Assert.Equal(["A=B"], Parse("-eA=B").Arguments[SettingsTable.RawEnv]);
    }

    [Fact]
    public void The_field_size_flag_keeps_gunicorns_underscore() =>
        Assert.Equal("100", Parse("--limit-request-field_size", "100").Last(SettingsTable.LimitRequestFieldSize));

    [Fact]
    public void Both_error_log_flags_set_the_same_setting()
    {
        Assert.Equal("a.log", Parse("--error-logfile", "a.log").Last(SettingsTable.ErrorLog));
        Assert.Equal("b.log", Parse("--log-file", "b.log").Last(SettingsTable.ErrorLog));
    }

    [Fact]
    public void Help_stops_parsing_so_later_mistakes_do_not_hide_it() =>
        Assert.True(Parse("-h", "--no-such-flag", "-w", "abc").Has(SettingsTable.Help));

    [Fact]
    public void Help_after_an_unknown_flag_still_wins_as_in_argparse() =>
        Assert.True(Parse("--no-such-flag", "--help").Has(SettingsTable.Help));

    [Fact]
    public void Version_stops_parsing() =>
        Assert.True(Parse("--version", "extra", "more").Has(SettingsTable.Version));

    [Fact]
    public void An_unknown_flag_is_reported_in_argparse_wording() =>
        Assert.Equal("unrecognized arguments: --foo", ErrorOf("--foo", "app:main"));

    [Fact]
    public void Every_unrecognized_argument_is_reported_together() =>
        Assert.Equal("unrecognized arguments: --foo -x", ErrorOf("--foo", "app:main", "-x"));

    [Fact]
    public void A_second_positional_argument_is_unrecognized() =>
        Assert.Equal("unrecognized arguments: other:app", ErrorOf("app:main", "other:app"));

    [Fact]
    public void A_flag_at_the_end_without_its_value_is_reported() =>
        Assert.Equal("argument -w/--workers: expected one argument", ErrorOf("app:main", "-w"));

    [Fact]
    public void A_flag_followed_by_another_flag_is_missing_its_value() =>
        Assert.Equal("argument -b/--bind: expected one argument", ErrorOf("-b", "--workers", "2"));

    [Fact]
    public void A_flag_followed_by_double_dash_is_missing_its_value() =>
        Assert.Equal("argument -c/--config: expected one argument", ErrorOf("-c", "--"));

    [Fact]
    public void A_malformed_integer_is_reported_in_argparse_wording() =>
        Assert.Equal("argument -w/--workers: invalid int value: 'abc'", ErrorOf("-w", "abc"));

    [Fact]
    public void A_duration_with_a_unit_is_not_plain_seconds_on_the_command_line() =>
        Assert.Equal("argument -t/--timeout: invalid float value: '30s'", ErrorOf("--timeout", "30s"));

    [Fact]
    public void A_log_level_outside_the_choices_is_reported_with_the_choices() =>
        Assert.Equal(
            "argument --log-level: invalid choice: 'verbose' (choose from 'debug', 'info', 'warning', 'error', 'critical')",
            ErrorOf("--log-level", "verbose"));

    [Fact]
    public void A_store_true_flag_given_a_value_is_reported() =>
        Assert.Equal("argument --check-config: ignored explicit argument 'yes'", ErrorOf("--check-config=yes"));

    [Fact]
    public void An_ambiguous_prefix_names_the_candidates() =>
        Assert.Equal("ambiguous option: --work could match --workers, --worker-class, --worker-connections, --worker-tmp-dir", ErrorOf("--work", "3"));

    [Fact]
    public void An_exact_flag_wins_over_longer_flags_it_prefixes() =>
        Assert.Equal("x.log", Parse("--log-file", "x.log").Last(SettingsTable.ErrorLog));

    [Fact]
    public void A_cluster_starting_with_help_is_help() =>
        Assert.True(Parse("-hw2").Has(SettingsTable.Help));

    [Fact]
    public void Clustered_short_flags_reach_a_later_flag_with_its_value()
    {
        var parsed = CommandLineParser.Parse(["-Dw2"], [Daemon, SettingsTable.Workers]);

        Assert.True(parsed.Has(Daemon));
        Assert.Equal("2", parsed.Last(SettingsTable.Workers));
    }

    [Theory]
    [InlineData("-Dq", "argument -D/--daemon: ignored explicit argument 'q'")]
    [InlineData("-D=", "argument -D/--daemon: ignored explicit argument ''")]
    public void A_short_flag_without_value_given_one_is_an_ignored_explicit_argument(string arg, string message)
    {
        var error = Assert.Throws<CommandLineException>(() => CommandLineParser.Parse([arg], [Daemon]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_command_line_becomes_a_hocon_layer_of_strings_for_the_one_reader()
    {
        var layer = Parse("app:main", "-w", "4", "-b", "a:1", "-b", "b:2", "--check-config").ToLayer();

        Assert.Equal("app:main", layer.GetString("actorgunicorn.app"));
        Assert.Equal(4, layer.GetInt("actorgunicorn.workers"));
        Assert.Equal(["a:1", "b:2"], layer.GetStringList("actorgunicorn.bind"));
        Assert.False(layer.HasPath("actorgunicorn.check-config"));
    }

    [Fact]
    public void Values_with_quotes_and_backslashes_survive_the_hocon_layer()
    {
        const string format = "%(h)s \"%(r)s\" \\ done";
        Assert.Equal(format, Parse("--access-logformat", format).ToLayer().GetString("actorgunicorn.access-log-format"));
    }
}
