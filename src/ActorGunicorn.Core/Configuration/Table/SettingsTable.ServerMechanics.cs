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
        BeyondGunicorn = true,
        Metavar = "PATH",
        Default = null,
        Summary = "The Python interpreter for WSGI applications.",
        Description = "The interpreter whose shared libpython each worker embeds to run a WSGI application; its "
            + "`sys.prefix`, site-packages and virtualenv apply. null takes `$VIRTUAL_ENV/bin/python` when a "
            + "virtualenv is active, else `python3` on PATH. The library is found from the interpreter's sysconfig "
            + "(Debian: `apt-get install libpython3.11`). ActorGunicorn addition; gunicorn runs in its own interpreter.",
    };

    /// <summary><c>reuse_port</c> (<c>--reuse-port</c>): each worker listens on its own SO_REUSEPORT socket.</summary>
    public static readonly SettingDefinition<bool> ReusePort = new(SettingKinds.Flag)
    {
        Name = "reuse_port",
        HoconKey = "reuse-port",
        Flags = ["--reuse-port"],
        Section = SettingSections.ServerMechanics,
        Default = false,
        Summary = "Give each worker its own SO_REUSEPORT listener, so the kernel balances connections.",
        Description = "Sets `SO_REUSEPORT`, and then each worker binds its own listening socket to every TCP address "
            + "(as gunicorn's workers do), so the kernel spreads new connections evenly across workers instead of "
            + "letting whichever worker is awake take a whole burst. The arbiter keeps each address bound, without "
            + "listening, to hold the port. Unix sockets and inherited descriptors (`fd://`, systemd) stay shared.",
    };

    /// <summary><c>daemon</c> (<c>-D/--daemon</c>): detach from the terminal and run in the background.</summary>
    public static readonly SettingDefinition<bool> Daemon = new(SettingKinds.Flag)
    {
        Name = "daemon",
        HoconKey = "daemon",
        Flags = ["-D", "--daemon"],
        Section = SettingSections.ServerMechanics,
        Default = false,
        Summary = "Detach from the terminal and run in the background.",
        Description = "Runs the server in the background, detached from the terminal: the command starts the "
            + "executable again in a new session with standard input, output and error on `/dev/null` (keep output "
            + "and error with --enable-stdio-inheritance, or use --log-file), and exits 0 once that daemon "
            + "listens. Its file mode mask is 022, as gunicorn's. Use --pid to find the daemon later. Under systemd, "
            + "prefer a `Type=notify` service to daemon mode.",
    };

    /// <summary><c>worker_tmp_dir</c> (<c>--worker-tmp-dir</c>): accepted for compatibility; no heartbeat files exist.</summary>
    public static readonly SettingDefinition<string?> WorkerTmpDir = new(SettingKinds.OptionalText)
    {
        Name = "worker_tmp_dir",
        HoconKey = "worker-tmp-dir",
        Flags = ["--worker-tmp-dir"],
        Section = SettingSections.ServerMechanics,
        Metavar = "DIR",
        Default = null,
        Summary = "Accepted for gunicorn compatibility; workers write no heartbeat files.",
        Description = "gunicorn's directory for its workers' heartbeat files. ActorGunicorn accepts it so existing "
            + "command lines and configurations keep working, and ignores it: workers send their heartbeats over "
            + "the control socketpair to the arbiter, so no file is written and no disk-backed file system call "
            + "(the reason gunicorn recommends `/dev/shm`) can stall a heartbeat.",
    };

    /// <summary><c>user</c> (<c>-u/--user</c>): the user workers switch to.</summary>
    public static readonly SettingDefinition<string?> User = new(SettingKinds.OptionalText)
    {
        Name = "user",
        HoconKey = "user",
        Flags = ["-u", "--user"],
        Section = SettingSections.ServerMechanics,
        Metavar = "USER",
        Default = null,
        DefaultNote = "the arbiter's own user: workers do not switch",
        Rule = SettingRules.KnownUser,
        Summary = "Switch worker processes to this user (name or id).",
        Description = "A user name or numeric user id that workers switch to as they boot, before the application is "
            + "loaded (the arbiter must run as root for that). Listeners, log files and the pid file are opened by "
            + "the arbiter first, as its own user; a Unix socket file is given this owner. null keeps the arbiter's "
            + "user.",
    };

    /// <summary><c>group</c> (<c>-g/--group</c>): the group workers switch to.</summary>
    public static readonly SettingDefinition<string?> Group = new(SettingKinds.OptionalText)
    {
        Name = "group",
        HoconKey = "group",
        Flags = ["-g", "--group"],
        Section = SettingSections.ServerMechanics,
        Metavar = "GROUP",
        Default = null,
        DefaultNote = "the --user's primary group, or the arbiter's group without --user",
        Rule = SettingRules.KnownGroup,
        Summary = "Switch worker processes to this group (name or id).",
        Description = "A group name or numeric group id that workers switch to as they boot, before the application "
            + "is loaded. Without --initgroups the workers' supplementary groups are dropped to this one group. A "
            + "Unix socket file is given this group. null takes the --user's primary group (gunicorn keeps the "
            + "arbiter's, which leaves a worker under another user in root's group), or keeps the arbiter's group "
            + "without --user.",
    };

    /// <summary><c>umask</c> (<c>-m/--umask</c>): the file mode mask for the files the server creates.</summary>
    public static readonly SettingDefinition<int> Umask = new(SettingKinds.FileMode)
    {
        Name = "umask",
        HoconKey = "umask",
        Flags = ["-m", "--umask"],
        Section = SettingSections.ServerMechanics,
        Metavar = "INT",
        Default = 0,
        Rule = SettingRules.FileMode,
        Summary = "The file mode mask for Unix socket files (octal: 0o22 or 022).",
        Description = "A bit mask for the mode of the files the server creates; it decides a Unix socket's "
            + "permissions, which are 0777 without the mask's bits (the default 0 lets every local user connect; "
            + "`0o117` gives 0660, owner and group only). Written in decimal, or octal as `0o22` or `022`, or `0x` "
            + "hexadecimal, as gunicorn reads it.",
    };

    /// <summary><c>initgroups</c> (<c>--initgroups</c>): give workers every group of their user.</summary>
    public static readonly SettingDefinition<bool> Initgroups = new(SettingKinds.Flag)
    {
        Name = "initgroups",
        HoconKey = "initgroups",
        Flags = ["--initgroups"],
        Section = SettingSections.ServerMechanics,
        Default = false,
        Summary = "Give workers the supplementary groups of the --user.",
        Description = "With --user, sets each worker's group access list to every group the user is a member of, "
            + "plus --group (initgroups(3)). Without it the list holds only the worker's group.",
    };

    private static SettingDefinition[] ServerMechanicsRows =>
        [
            PreloadApp, SendFile, ReusePort, Chdir, Daemon, RawEnv, PidFile, WorkerTmpDir, User, Group, Umask, Initgroups,
            TmpUploadDir, PythonPath, Python, Paste, RawPasteGlobalConf, Protocol, UwsgiAllowIps, RootPath,
        ];
}
