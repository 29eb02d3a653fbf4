namespace ActorGunicorn.Configuration;

// gunicorn's development aids: restarting workers on code changes, and tracing.
public static partial class SettingsTable
{
    /// <summary><c>reload</c> (<c>--reload</c>): restart workers when code changes.</summary>
    public static readonly SettingDefinition<bool> Reload = new(SettingKinds.Flag)
    {
        Name = "reload",
        HoconKey = "reload",
        Flags = ["--reload"],
        Section = SettingSections.Debugging,
        Default = false,
        Summary = "Reload the workers when the application's code changes. For development.",
        Description = "Watch the application's code and reload the workers when it changes, as HUP does: new workers "
            + "first, and if they cannot import the changed code the old ones keep serving and the traceback is in the "
            + "log. gunicorn's workers watch the modules they imported; here the arbiter watches the `.py` files under "
            + "the working directory (after chdir) and the pythonpath directories, skipping hidden directories, "
            + "`__pycache__`, `site-packages` and `node_modules` (for a .NET application, the assemblies beside it), "
            + "plus reload-extra-files. Changes within 0.3 s make one reload. For development only.",
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
        DiffersFor = engine => engine == "poll",
        Differs = "changes are noticed through inotify whatever the engine",
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
        Summary = "Another file (or glob pattern) for --reload to watch; repeatable.",
        Description = "Files, or glob patterns, that `reload` watches besides the application's code: templates, "
            + "configuration files (`templates/**/*.html`, `conf/*.ini`, `settings.toml`), relative to the working "
            + "directory. The flag may be repeated.",
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
