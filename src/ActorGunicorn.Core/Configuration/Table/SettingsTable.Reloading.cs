namespace ActorGunicorn.Configuration;

// gunicorn's development aids: restarting workers on code changes, and tracing.
public static partial class SettingsTable
{
    private const string NoCodeReload = "workers are not restarted when code changes yet; after a change, reload "
        + "them with HUP (`kill -HUP`, or `actorgunicorn ctl reload`), new workers first";

    /// <summary><c>reload</c> (<c>--reload</c>): restart workers when code changes.</summary>
    public static readonly SettingDefinition<bool> Reload = new(SettingKinds.Flag)
    {
        Name = "reload",
        HoconKey = "reload",
        Flags = ["--reload"],
        Section = SettingSections.Debugging,
        Default = false,
        Differs = NoCodeReload,
        Summary = "Restart workers when the application's code changes. For development.",
        Description = "Watch the application's modules and restart the workers when one changes. For development only.",
    };

    /// <summary><c>reload_engine</c> (<c>--reload-engine</c>): how code changes are noticed.</summary>
    public static readonly SettingDefinition<string> ReloadEngine = new(SettingKinds.Choice("auto", "poll", "inotify"))
    {
        Name = "reload_engine",
        HoconKey = "reload-engine",
        Flags = ["--reload-engine"],
        Section = SettingSections.Debugging,
        Metavar = "STRING",
        Default = "auto",
        Differs = NoCodeReload,
        Summary = "How --reload notices changes: auto, poll or inotify.",
        Description = "How `reload` notices changed files: `inotify` events, `poll`ing their times, or `auto` (inotify "
            + "where available).",
    };

    /// <summary><c>reload_extra_files</c> (<c>--reload-extra-file</c>): more files --reload watches.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> ReloadExtraFiles = new(SettingKinds.TextList)
    {
        Name = "reload_extra_files",
        HoconKey = "reload-extra-files",
        Flags = ["--reload-extra-file"],
        Section = SettingSections.Debugging,
        Metavar = "FILES",
        Default = [],
        Differs = NoCodeReload,
        Summary = "Another file (or glob pattern) for --reload to watch; repeatable.",
        Description = "Files, or glob patterns, that `reload` watches besides the application's modules: templates, "
            + "configuration files. The flag may be repeated.",
    };

    /// <summary><c>spew</c> (<c>--spew</c>): trace every executed line.</summary>
    public static readonly SettingDefinition<bool> Spew = new(SettingKinds.Flag)
    {
        Name = "spew",
        HoconKey = "spew",
        Flags = ["--spew"],
        Section = SettingSections.Debugging,
        Default = false,
        Differs = "no line-by-line trace is printed; Python's own `-X` options and `sys.settrace` in the application "
            + "do that job",
        Summary = "Print every line the server executes. Extremely verbose.",
        Description = "gunicorn installs a trace function that prints every Python line it executes.",
    };
}
