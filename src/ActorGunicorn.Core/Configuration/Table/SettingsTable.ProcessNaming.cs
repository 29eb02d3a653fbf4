namespace ActorGunicorn.Configuration;

// gunicorn's process titles.
public static partial class SettingsTable
{
    private const string NoProcessTitles = "process titles are not set yet: ps and pgrep show the command line "
        + "(`actorgunicorn …` for the arbiter, `actorgunicorn --worker …` for a worker)";

    /// <summary><c>proc_name</c> (<c>-n</c>, <c>--name</c>): the base of the process titles.</summary>
    public static readonly SettingDefinition<string?> ProcName = new(SettingKinds.OptionalText)
    {
        Name = "proc_name",
        HoconKey = "proc-name",
        Flags = ["-n", "--name"],
        Section = SettingSections.ProcessNaming,
        Metavar = "STRING",
        Default = null,
        Differs = NoProcessTitles,
        Summary = "Name in the process titles ps and top show.",
        Description = "A name for the server's processes, as `ps` and `top` show them: `master [NAME]` and "
            + "`worker [NAME]`. Defaults to default-proc-name.",
    };

    /// <summary><c>default_proc_name</c>: the process-title name when proc_name is not set. HOCON only.</summary>
    public static readonly SettingDefinition<string> DefaultProcName = new(SettingKinds.Text)
    {
        Name = "default_proc_name",
        HoconKey = "default-proc-name",
        Section = SettingSections.ProcessNaming,
        Default = "actorgunicorn",
        Differs = NoProcessTitles,
        Summary = "Process-title name when proc_name is not set.",
        Description = "The name process titles use when `proc_name` is not set. gunicorn sets it internally from the "
            + "application; it rarely needs setting.",
    };

    private static SettingDefinition[] ProcessNamingRows => [ProcName, DefaultProcName];
}
