using System.Text;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Generates <c>reference.conf</c> and <c>docs/settings.md</c> from the settings table. Tests compare the committed
/// files with this output; set <c>UPDATE_GENERATED_DOCS=1</c> when running them to rewrite the files instead.
/// </summary>
public static class SettingsDocumentation
{
    /// <summary>The command that rewrites the generated files, quoted in their headers and in test failures.</summary>
    public const string RegenerateCommand = "UPDATE_GENERATED_DOCS=1 dotnet test tests/ActorGunicorn.Core.Tests";

    private const int CommentWidth = 100;

    /// <summary>The text of <c>src/ActorGunicorn.Core/Configuration/reference.conf</c>.</summary>
    /// <returns>The HOCON text, with a comment above every key giving its meaning, type or unit, and flags.</returns>
    public static string RenderReferenceConf()
    {
        var text = new StringBuilder();
        foreach (var line in ReferenceHeader)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        text.Append('\n').Append(SettingsTable.HoconRoot).Append(" {\n");
        foreach (var section in SettingsTable.All.Where(setting => setting.HoconKey is not null).GroupBy(setting => setting.Section))
        {
            text.Append("\n  ##### ").Append(section.Key).Append('\n');
            foreach (var setting in section)
            {
                text.Append('\n');
                AppendComment(text, setting.Description);
                foreach (var fact in Facts(setting))
                {
                    AppendComment(text, fact);
                }

                text.Append("  ").Append(setting.HoconKey).Append(" = ").Append(setting.RenderDefault()).Append('\n');
            }
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>The text of <c>docs/settings.md</c>: an introduction, then every setting grouped by section.</summary>
    /// <returns>The Markdown text.</returns>
    public static string RenderMarkdown()
    {
        var text = new StringBuilder(MarkdownIntroduction);
        foreach (var setting in SettingsTable.All.Where(setting => setting.EnvironmentDefault is not null))
        {
            var source = setting.EnvironmentDefault!;
            text.Append($"| `{source.Variable}` | Default of [`{setting.Name}`](#{setting.Name}): {source.Explanation}. |\n");
        }

        text.Append($"| `{SettingsLoader.CommandArgumentsVariable}` | Extra arguments, split like a shell line and parsed like the command line, between the file and the real command line. |\n");
        foreach (var section in SettingsTable.All.GroupBy(setting => setting.Section))
        {
            text.Append("\n## ").Append(section.Key).Append('\n');
            foreach (var setting in section)
            {
                text.Append("\n### `").Append(setting.Name).Append("`\n\n");
                text.Append("- **Command line:** ").Append(CommandLineUsage(setting) ?? "none, HOCON only").Append('\n');
                text.Append("- **HOCON key:** ").Append(setting.HoconPath is { } path ? $"`{path}`" : "none, command line only").Append('\n');
                text.Append("- **Value:** ").Append(ValueDescription(setting)).Append('\n');
                text.Append("- **Default:** ").Append(DefaultDescription(setting)).Append('\n');
                text.Append("- **gunicorn:** ").Append(ParityDescription(setting)).Append("\n\n");
                text.Append(setting.Description).Append('\n');
            }
        }

        return text.ToString();
    }

    // Every entry says how the setting stands against gunicorn's of the same name.
    private static string ParityDescription(SettingDefinition setting) =>
        setting.BeyondGunicorn ? "beyond gunicorn (gunicorn has no such setting)"
        : setting.Differs is { } differs ? $"accepted, differs: {differs}."
        : "as gunicorn";

    private static IEnumerable<string> Facts(SettingDefinition setting)
    {
        yield return $"Value: {ValueDescription(setting)}.";
        if (setting.EnvironmentDefault is { } source)
        {
            yield return $"When {source.Variable} is set the default is {source.Explanation.Replace("`", string.Empty, StringComparison.Ordinal)}.";
        }

        if (CommandLineUsage(setting) is { } usage)
        {
            yield return $"Command line: {usage.Replace("`", string.Empty, StringComparison.Ordinal)}.";
        }
    }

    private static string ValueDescription(SettingDefinition setting) =>
        setting.Kind.Description + (setting.RuleDescription is { } rule ? ", " + rule : string.Empty);

    private static string DefaultDescription(SettingDefinition setting)
    {
        var described = $"`{setting.RenderDefault()}`";
        if (setting.EnvironmentDefault is { } source)
        {
            described += $"; {source.Explanation} when {source.Variable} is set";
        }

        return setting.DefaultNote is { } note ? $"{described}; {note}" : described;
    }

    private static string? CommandLineUsage(SettingDefinition setting)
    {
        var forms = setting.Flags.Select(flag => setting.Kind.TakesArgument ? $"`{flag} {setting.Metavar}`" : $"`{flag}`").ToList();
        if (setting.IsPositional)
        {
            forms.Insert(0, $"`{setting.Metavar}` (positional)");
        }

        if (forms.Count == 0)
        {
            return null;
        }

        return string.Join(", ", forms) + (setting.Kind.IsRepeatable ? ", repeatable" : string.Empty);
    }

    private static void AppendComment(StringBuilder text, string paragraph)
    {
        foreach (var line in TextWrap.Lines(paragraph, CommentWidth - "  # ".Length))
        {
            text.Append("  # ").Append(line).Append('\n');
        }
    }

    private static readonly string[] ReferenceHeader =
    [
        "ActorGunicorn reference configuration: every setting of the actorgunicorn block with its default.",
        string.Empty,
        "Generated from the settings table (src/ActorGunicorn.Core/Configuration/Table) by",
        "SettingsDocumentation.RenderReferenceConf(). Do not edit by hand: change the table, then run",
        "  " + RegenerateCommand,
        string.Empty,
        "Layers, later winning: this file, then defaults from PORT and WEB_CONCURRENCY, then the file given with",
        "-c (or ./actorgunicorn.conf), then ACTORGUNICORN_CMD_ARGS, then the command line.",
        "Durations: a bare number is seconds (30, 0.5), as on gunicorn's command line; a unit may follow",
        "(500ms, 30s, 2m, 1h). Unlike Akka's own settings, a bare number never means milliseconds.",
    ];

    private const string MarkdownIntroduction =
        "# Settings\n"
        + "\n"
        + "<!-- Generated from the settings table (src/ActorGunicorn.Core/Configuration/Table) by "
        + "SettingsDocumentation.RenderMarkdown(). Do not edit by hand: change the table, then run `" + RegenerateCommand + "`. -->\n"
        + "\n"
        + "ActorGunicorn takes gunicorn's settings under gunicorn's names, with the same command-line flags. A HOCON file "
        + "holds them in an `actorgunicorn { }` block, where each key is the gunicorn name in kebab-case "
        + "(`limit_request_field_size` becomes `limit-request-field-size`); the application, gunicorn's `wsgi_app`, "
        + "is the key `app`. The defaults live in the embedded `reference.conf`, generated from the same table as "
        + "this page.\n"
        + "\n"
        + "Every gunicorn setting is accepted, so a command line or a `gunicorn.conf.py` written for gunicorn never "
        + "stops at an unknown flag. Each entry below says how the setting stands against gunicorn's: **as gunicorn**; "
        + "**beyond gunicorn**, for this server's own settings; or **accepted, differs**, with what differs. A "
        + "configuration that gives a setting of the last kind a value whose meaning differs gets one WARNING line "
        + "saying so, at start and at every reload. gunicorn's server hooks are Python functions in the configuration "
        + "file, as in gunicorn ([hooks.md](hooks.md)).\n"
        + "\n"
        + "## Where settings come from\n"
        + "\n"
        + "Each layer overrides the ones before it, as in gunicorn:\n"
        + "\n"
        + "1. The defaults in `reference.conf`.\n"
        + "2. Defaults taken from environment variables (below).\n"
        + "3. The HOCON file named by `-c FILE` on the command line, or else in `ACTORGUNICORN_CMD_ARGS`; when neither "
        + "names one, `./actorgunicorn.conf` in the working directory if it exists. A named file that is missing is an "
        + "error. Other blocks in the file, such as `akka { }`, are passed to the actor system and the workers; a key "
        + "of the `actorgunicorn { }` block that is no setting is an error naming it.\n"
        + "4. `ACTORGUNICORN_CMD_ARGS`.\n"
        + "5. The command line.\n"
        + "\n"
        + "A list setting (`-b`, `-e`) collects every occurrence within one layer, and a higher layer's list replaces "
        + "a lower layer's list instead of adding to it. `--print-config` shows the result.\n"
        + "\n"
        + "## Durations\n"
        + "\n"
        + "On the command line durations are plain seconds, as in gunicorn: `--timeout 30`, `--keep-alive 0.5`. In "
        + "HOCON a bare number is seconds too (`timeout = 30`), and a unit may follow: `500ms`, `30s`, `2m`, `1h`, "
        + "`1d` (or `millis`, `seconds`, `minutes`, `hours`, `days`). Akka's own settings read a bare number as "
        + "milliseconds; ActorGunicorn's never do.\n"
        + "\n"
        + "## Environment variables\n"
        + "\n"
        + "| Variable | Effect |\n"
        + "|---|---|\n";
}
