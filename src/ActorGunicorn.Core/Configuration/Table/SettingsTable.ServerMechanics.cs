namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>chdir</c> (<c>--chdir</c>): the directory to change to before loading the application.</summary>
    public static readonly SettingDefinition<string?> Chdir = new(SettingKinds.OptionalText)
    {
        Name = "chdir",
        HoconKey = "chdir",
        Flags = ["--chdir"],
        Section = SettingSections.ServerMechanics,
        Metavar = "DIR",
        Default = null,
        Summary = "Change to this directory before loading the application.",
        Description = "The directory the server changes to before it loads the application; relative paths in other "
            + "settings are then taken from there. null keeps the directory the server was started in.",
    };

    /// <summary><c>raw_env</c> (<c>-e/--env</c>): environment variables for the arbiter and workers.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> RawEnv = new(SettingKinds.TextList)
    {
        Name = "raw_env",
        HoconKey = "raw-env",
        Flags = ["-e", "--env"],
        Section = SettingSections.ServerMechanics,
        Metavar = "ENV",
        Default = [],
        Rule = SettingRules.KeyValuePairs,
        Summary = "Set an environment variable, KEY=VALUE; repeat for several.",
        Description = "Environment variables to set in the arbiter and every worker, each written `KEY=VALUE` (the "
            + "value may contain further `=`). Repeat -e for several; a list given by a layer replaces the list of "
            + "the layers below it.",
    };

    /// <summary><c>pidfile</c> (<c>-p/--pid</c>): where to write the arbiter's process id.</summary>
    public static readonly SettingDefinition<string?> PidFile = new(SettingKinds.OptionalText)
    {
        Name = "pidfile",
        HoconKey = "pidfile",
        Flags = ["-p", "--pid"],
        Section = SettingSections.ServerMechanics,
        Metavar = "FILE",
        Default = null,
        Summary = "Write the arbiter's process id to this file.",
        Description = "A file the arbiter writes its process id to, for service managers and signal scripts. null "
            + "writes no pid file.",
    };

    /// <summary><c>pythonpath</c> (<c>--pythonpath</c>): directories to put in front of Python's <c>sys.path</c>.</summary>
    public static readonly SettingDefinition<string?> PythonPath = new(SettingKinds.OptionalText)
    {
        Name = "pythonpath",
        HoconKey = "pythonpath",
        Flags = ["--pythonpath"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = null,
        Summary = "Comma-separated directories to add to the Python path.",
        Description = "Directories put in front of `sys.path` before a WSGI application is imported, first one first, "
            + "e.g. `/home/djangoprojects/myproject,/home/python/mylibrary`. The working directory (after --chdir) "
            + "follows them, as in gunicorn.",
    };

    /// <summary><c>python</c> (<c>--python</c>): the Python interpreter whose libpython workers embed.</summary>
    public static readonly SettingDefinition<string?> Python = new(SettingKinds.OptionalText)
    {
        Name = "python",
        HoconKey = "python",
        Flags = ["--python"],
        Section = SettingSections.ServerMechanics,
        Metavar = "PATH",
        Default = null,
        Summary = "The Python interpreter for WSGI applications.",
        Description = "The interpreter whose shared libpython each worker embeds to run a WSGI application; its "
            + "`sys.prefix`, site-packages and virtualenv apply. null takes `$VIRTUAL_ENV/bin/python` when a "
            + "virtualenv is active, else `python3` on PATH. The library is found from the interpreter's sysconfig "
            + "(Debian: `apt-get install libpython3.11`). ActorGunicorn addition; gunicorn runs in its own interpreter.",
    };

    private static SettingDefinition[] ServerMechanicsRows => [Chdir, RawEnv, PidFile, PythonPath, Python];
}
