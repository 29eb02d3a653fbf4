namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>config</c> (<c>-c/--config</c>): the configuration file, HOCON or gunicorn's Python. Command line only.</summary>
    public static readonly SettingDefinition<string?> ConfigFile = new(SettingKinds.OptionalText)
    {
        Name = "config",
        Flags = ["-c", "--config"],
        Section = SettingSections.ConfigFile,
        Metavar = "CONFIG",
        Default = null,
        DefaultNote = "`./actorgunicorn.conf` when that file exists in the working directory, else `./gunicorn.conf.py` when that one does",
        Summary = "Read settings from this file: HOCON, or Python as gunicorn's (file.py, file:PATH, python:MODULE).",
        Description = "The configuration file. A HOCON file holds deployment settings in an `actorgunicorn { }` block, "
            + "and may hold other blocks too, such as `akka { }` overrides, which reach the actor system and the "
            + "workers unchanged; `include \"other.conf\"` is resolved relative to the including file. A key in the "
            + "`actorgunicorn { }` block that is no setting is an error that names it and the nearest setting "
            + "(`actorgunicorn.max_requests is not a setting; did you mean actorgunicorn.max-requests?`), as an unknown "
            + "flag is; HOCON alone would ignore it and leave the default in force. A Python file "
            + "is read as gunicorn reads `gunicorn.conf.py`: a path ending in `.py`, `file:PATH` (any extension) or "
            + "`python:MODULE` (an importable module, found on --pythonpath and the working directory) is executed, "
            + "every module-level name that is a setting (`workers = 4`, `bind = [\"0.0.0.0:8000\"]`) is taken and "
            + "other names are ignored, and functions named like gunicorn's server hooks (`post_fork`, `when_ready`…) "
            + "become hooks (docs/hooks.md). It is executed by the --python interpreter in a subprocess, so the "
            + "arbiter embeds no Python unless an arbiter-side hook needs it. A relative path is resolved against the "
            + "working directory. When neither the command line nor ACTORGUNICORN_CMD_ARGS names a file, "
            + "`./actorgunicorn.conf` is read if it exists, else `./gunicorn.conf.py` if that exists, as gunicorn "
            + "does; a file that is named but missing is an error.",
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
