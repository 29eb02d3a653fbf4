namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>config</c> (<c>-c/--config</c>): the HOCON deployment file. Command line only.</summary>
    public static readonly SettingDefinition<string?> ConfigFile = new(SettingKinds.OptionalText)
    {
        Name = "config",
        Flags = ["-c", "--config"],
        Section = SettingSections.ConfigFile,
        Metavar = "CONFIG",
        Default = null,
        DefaultNote = "`./actorgunicorn.conf` when that file exists in the working directory",
        Summary = "Read settings from this HOCON file.",
        Description = "The HOCON file with deployment settings, in an `actorgunicorn { }` block. A relative path is "
            + "resolved against the working directory. When neither the command line nor ACTORGUNICORN_CMD_ARGS names "
            + "a file, `./actorgunicorn.conf` is read if it exists, as gunicorn reads `./gunicorn.conf.py`; a file "
            + "that is named but missing is an error. The file may hold other blocks too, such as `akka { }` "
            + "overrides, which reach the actor system and the workers unchanged. `include \"other.conf\"` is "
            + "resolved relative to the including file.",
    };

    /// <summary><c>wsgi_app</c>: the application, given as the positional <c>APP</c> argument or as <c>actorgunicorn.app</c>.</summary>
    public static readonly SettingDefinition<string?> App = new(SettingKinds.OptionalText)
    {
        Name = "wsgi_app",
        HoconKey = "app",
        IsPositional = true,
        Section = SettingSections.ConfigFile,
        Metavar = "APP",
        Default = null,
        Summary = "The application to serve.",
        Description = "The application to serve, as the positional APP argument or as this key (gunicorn's "
            + "`wsgi_app`); the argument wins over the file. For a Python WSGI application it is `MODULE:VARIABLE`, "
            + "as in gunicorn.",
    };

    private static SettingDefinition[] ConfigFileRows => [ConfigFile, App];
}
