namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>check_config</c> (<c>--check-config</c>): validate and exit. Command line only.</summary>
    public static readonly SettingDefinition<bool> CheckConfig = new(SettingKinds.Flag)
    {
        Name = "check_config",
        Flags = ["--check-config"],
        Section = SettingSections.Debugging,
        Default = false,
        Summary = "Check the configuration and exit.",
        Description = "Loads every layer of configuration, checks it and exits: status 0 when it is valid, 1 when it "
            + "is not. As in gunicorn, the application is loaded too, so that errors in it surface.",
    };

    /// <summary><c>print_config</c> (<c>--print-config</c>): print the effective settings and exit. Command line only.</summary>
    public static readonly SettingDefinition<bool> PrintConfig = new(SettingKinds.Flag)
    {
        Name = "print_config",
        Flags = ["--print-config"],
        Section = SettingSections.Debugging,
        Default = false,
        Summary = "Print the effective settings as HOCON, then check them as --check-config does.",
        Description = "Prints the effective `actorgunicorn { }` block, every key in table order, as HOCON that can "
            + "serve as a configuration file, then checks the configuration as --check-config does.",
    };

    private static SettingDefinition[] DebuggingRows => [Reload, ReloadEngine, ReloadExtraFiles, Spew, CheckConfig, PrintConfig];
}
