namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>-h/--help</c>: print help and exit.</summary>
    public static readonly SettingDefinition<bool> Help = new(SettingKinds.Flag)
    {
        Name = "help",
        Flags = ["-h", "--help"],
        Section = SettingSections.CommandLine,
        Default = false,
        EndsParsing = true,
        Summary = "show this help message and exit",
        Description = "Prints the usage line and every option, grouped by section, then exits with status 0. As with "
            + "argparse, arguments after this flag are not examined, so help is available even when the configuration "
            + "is broken.",
    };

    /// <summary><c>-v/--version</c>: print the version and exit.</summary>
    public static readonly SettingDefinition<bool> Version = new(SettingKinds.Flag)
    {
        Name = "version",
        Flags = ["-v", "--version"],
        Section = SettingSections.CommandLine,
        Default = false,
        EndsParsing = true,
        Summary = "show program's version number and exit",
        Description = "Prints `actorgunicorn (version X.Y.Z)` and exits with status 0. Arguments after this flag are "
            + "not examined.",
    };

    private static SettingDefinition[] CommandLineRows => [Help, Version];
}
