namespace ActorGunicorn.Configuration;

/// <summary>
/// The one declarative table of settings. Each row (a <see cref="SettingDefinition"/>) drives the command-line
/// parser, the HOCON reader behind <see cref="ServerSettings"/>, <c>--help</c>, <c>reference.conf</c> and
/// <c>docs/settings.md</c>. The rows are declared per gunicorn section in the <c>SettingsTable.*.cs</c> files.
/// </summary>
/// <remarks>
/// To add a setting: declare its row in the file of its section, list it in that section's array (which fixes its
/// place in help and docs), then regenerate <c>reference.conf</c> and the docs as the README explains. Tests fail until
/// all three agree.
/// </remarks>
public static partial class SettingsTable
{
    /// <summary>The HOCON block holding every setting: <c>actorgunicorn { … }</c>.</summary>
    public const string HoconRoot = "actorgunicorn";

    // Built on first use rather than by a field initializer: the rows live in other files of this partial class,
    // and C# does not order static initializers across files.
    private static readonly Lazy<IReadOnlyList<SettingDefinition>> AllRows = new(() =>
    [
        .. CommandLineRows,
        .. ConfigFileRows,
        .. ServerSocketRows,
        .. WorkerProcessesRows,
        .. SecurityRows,
        .. DebuggingRows,
        .. ServerMechanicsRows,
        .. HttpParsingRows,
        .. LoggingRows,
        .. ProcessNamingRows,
        .. ServerHooksRows,
        .. SslRows,
        .. Http2Rows,
        .. DirtyArbitersRows,
        .. ControlRows,
        .. ClusterRows,
    ]);

    /// <summary>Every setting, in the order help, <c>reference.conf</c> and the docs list them.</summary>
    public static IReadOnlyList<SettingDefinition> All => AllRows.Value;

    // A whole-number gunicorn setting this server accepts but carries out differently (HTTP/2, dirty arbiters): its
    // flag and key are gunicorn's name, and it cannot be negative.
    private static SettingDefinition<int> AcceptedNumber(string section, string differs, string name, int defaultValue, string summary, string description) => new(SettingKinds.WholeNumber)
    {
        Name = name,
        HoconKey = name.Replace('_', '-'),
        Flags = ["--" + name.Replace('_', '-')],
        Section = section,
        Metavar = "INT",
        Default = defaultValue,
        Rule = SettingRules.NotNegative,
        Differs = differs,
        Summary = summary,
        Description = description,
    };
}
