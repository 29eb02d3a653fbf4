using System.Reflection;
using System.Text;

namespace ActorGunicorn.Configuration;

/// <summary>
/// The usage line, <c>--help</c> text and <c>--version</c> text, generated from the settings table in argparse's
/// layout: one group per section, each option's help at column 24, wrapped to 78 columns.
/// </summary>
public static class CommandLineHelp
{
    /// <summary>The program name used in usage, version and error lines.</summary>
    public const string ProgramName = "actorgunicorn";

    private const int HelpColumn = 24;
    private const int Width = 78;

    /// <summary>The usage line, printed before argparse-style errors as well as in help.</summary>
    public static string Usage => $"usage: {ProgramName} [OPTIONS] [APP]";

    /// <summary>The last lines of help: how to reach a running server through its control socket.</summary>
    public static string ControlEpilog => $"""
        To control a running server through its control socket (--control-socket), run
          {ProgramName} ctl [--socket PATH] status|stats|reload|add [N]|remove [N]
        (`{ProgramName} ctl --help` explains; to serve a Python module named ctl,
        write ctl:application).

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The <c>--version</c> text, in gunicorn's form: <c>actorgunicorn (version 0.1.0)</c>.</summary>
    public static string VersionText => $"{ProgramName} (version {Version})";

    /// <summary>The release version, e.g. <c>0.1.0</c>.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var assembly = typeof(CommandLineHelp).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";

        // The build appends "+<commit>" to the informational version; the version line shows the release only.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>The full <c>--help</c> text: usage, then every option grouped by section, ending with a newline.</summary>
    /// <returns>The help text.</returns>
    public static string Render()
    {
        var text = new StringBuilder(Usage).Append('\n');
        foreach (var section in SettingsTable.All.GroupBy(setting => setting.Section))
        {
            text.Append('\n').Append(section.Key).Append(":\n");
            foreach (var setting in section)
            {
                AppendOption(text, setting);
            }
        }

        // argparse's epilog: the other command the executable answers.
        return text.Append('\n').Append(ControlEpilog).ToString();
    }

    private static void AppendOption(StringBuilder text, SettingDefinition setting)
    {
        var invocations = setting.Flags.Select(flag => setting.Kind.TakesArgument ? $"{flag} {setting.Metavar}" : flag);
        var invocation = "  " + string.Join(", ", setting.IsPositional ? [setting.Metavar!, .. invocations] : invocations);
        var help = setting.Kind.TakesArgument ? $"{setting.Summary} [{setting.DisplayDefault()}]" : setting.Summary;
        help += setting.BeyondGunicorn ? " (beyond gunicorn)" : setting.Differs is not null ? " (accepted, differs from gunicorn: see docs/settings.md)" : string.Empty;
        var lines = TextWrap.Lines(help, Width - HelpColumn);

        // argparse puts the help beside the invocation when it fits, else on the next line at the help column.
        if (invocation.Length <= HelpColumn - 2)
        {
            text.Append(invocation.PadRight(HelpColumn)).Append(lines[0]).Append('\n');
            lines = lines[1..];
        }
        else
        {
            text.Append(invocation).Append('\n');
        }

        foreach (var line in lines)
        {
            text.Append(' ', HelpColumn).Append(line).Append('\n');
        }
    }
}
