namespace ActorGunicorn.Configuration;

// gunicorn's ways of loading the application that rest on fork or on PasteDeploy, and its unused upload directory.
public static partial class SettingsTable
{
    /// <summary><c>preload_app</c> (<c>--preload</c>): load the application before the workers start.</summary>
    public static readonly SettingDefinition<bool> PreloadApp = new(SettingKinds.Flag)
    {
        Name = "preload_app",
        HoconKey = "preload-app",
        Flags = ["--preload"],
        Section = SettingSections.ServerMechanics,
        Default = false,
        Differs = "this server does not fork, so workers cannot share the memory an application fills at import: each "
            + "worker imports it itself; an application that fails to import stops the server either way (exit 4, "
            + "gunicorn's \"App failed to load\")",
        Summary = "Load the application before starting the workers.",
        Description = "gunicorn imports the application in the master and forks the workers from it, which saves "
            + "memory and finds import errors before any worker starts.",
    };

    /// <summary><c>paste</c> (<c>--paste</c>, <c>--paster</c>): a PasteDeploy configuration to load the application from.</summary>
    public static readonly SettingDefinition<string?> Paste = new(SettingKinds.OptionalText)
    {
        Name = "paste",
        HoconKey = "paste",
        Flags = ["--paste", "--paster"],
        Section = SettingSections.ServerMechanics,
        Metavar = "STRING",
        Default = null,
        Differs = "PasteDeploy configurations are not read yet: name the WSGI callable as the application "
            + "(MODULE:VARIABLE), for example the one the .ini's `use =` line points to",
        Summary = "Load a PasteDeploy configuration (FILE.ini#section).",
        Description = "The application comes from a PasteDeploy `.ini` file, and so may the server's settings.",
    };

    /// <summary><c>raw_paste_global_conf</c> (<c>--paste-global</c>): PasteDeploy global variables.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> RawPasteGlobalConf = new(SettingKinds.TextList)
    {
        Name = "raw_paste_global_conf",
        HoconKey = "raw-paste-global-conf",
        Flags = ["--paste-global"],
        Section = SettingSections.ServerMechanics,
        Metavar = "CONF",
        Default = [],
        Rule = SettingRules.KeyValuePairs,
        Differs = "PasteDeploy configurations are not read yet",
        Summary = "A PasteDeploy global variable, KEY=VALUE; repeatable.",
        Description = "Global variables for the PasteDeploy configuration, `KEY=VALUE`; the flag may be repeated.",
    };

    /// <summary><c>tmp_upload_dir</c>: gunicorn's upload directory, which nothing reads. HOCON only.</summary>
    public static readonly SettingDefinition<string?> TmpUploadDir = new(SettingKinds.OptionalText)
    {
        Name = "tmp_upload_dir",
        HoconKey = "tmp-upload-dir",
        Section = SettingSections.ServerMechanics,
        Default = null,
        Summary = "Directory for request bodies stored on disk; unused, as in gunicorn.",
        Description = "gunicorn documents a directory for temporary request data but never reads the setting; it is "
            + "accepted here for configuration files written for gunicorn and is unused in the same way.",
    };
}
