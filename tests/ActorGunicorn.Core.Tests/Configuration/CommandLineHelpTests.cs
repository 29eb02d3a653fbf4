using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class CommandLineHelpTests
{
    private static readonly string Help = CommandLineHelp.Render();

    [Fact]
    public void Help_starts_with_the_usage_line() =>
        Assert.StartsWith("usage: actorgunicorn [OPTIONS] [APP]\n\n", Help, StringComparison.Ordinal);

    [Fact]
    public void Help_groups_options_under_their_sections_in_table_order()
    {
        var headings = Help.Split('\n').Where(line => line.EndsWith(':') && !line.StartsWith(' ')).ToList();
        Assert.Equal(SettingsTable.All.Select(setting => setting.Section + ":").Distinct(), headings);
    }

    [Fact]
    public void Help_lists_every_flag_and_the_positional_argument()
    {
        foreach (var setting in SettingsTable.All)
        {
            foreach (var flag in setting.Flags)
            {
                Assert.Contains(flag, Help, StringComparison.Ordinal);
            }
        }

        Assert.Contains("\n  APP                   The application to serve. [None]\n", Help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_puts_short_invocations_beside_their_text_and_long_ones_above_it_as_argparse_does()
    {
        Assert.Contains("\n  -h, --help            show this help message and exit\n", Help, StringComparison.Ordinal);
        Assert.Contains("\n  -w INT, --workers INT\n                        Number of worker processes. [1]\n", Help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_shows_defaults_in_command_line_terms()
    {
        Assert.Matches(@"\n  -t SECONDS, --timeout SECONDS\n[^-]*\[30\]\n", Help);
        Assert.Matches(@"\n  -b ADDRESS, --bind ADDRESS\n[^-]*\[127\.0\.0\.1:8000\]\n", Help);
    }

    [Fact]
    public void Help_wraps_at_seventy_eight_columns() =>
        Assert.All(Help.Split('\n'), line => Assert.True(line.Length <= 78, $"too long: {line}"));

    [Fact]
    public void The_version_line_has_gunicorns_shape() =>
        Assert.Matches(@"^actorgunicorn \(version \d+\.\d+\.\d+[^+ ]*\)$", CommandLineHelp.VersionText);
}
