namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>control_socket</c> (<c>--control-socket</c>): the Unix socket <c>actorgunicorn ctl</c> talks to.</summary>
    public static readonly SettingDefinition<string?> ControlSocket = new(SettingKinds.OptionalText)
    {
        Name = "control_socket",
        HoconKey = "control-socket",
        Flags = ["--control-socket"],
        Section = SettingSections.Control,
        Metavar = "PATH",
        Default = null,
        DefaultNote = "`$XDG_RUNTIME_DIR/actorgunicorn.ctl`, else `~/.actorgunicorn/actorgunicorn.ctl`",
        Summary = "The Unix socket `actorgunicorn ctl` talks to.",
        Description = "The path of the Unix socket on which the arbiter answers `actorgunicorn ctl` (status, stats, "
            + "reload, add, remove), as gunicorn 25.1 answers `gunicornc`. null takes gunicorn's default under this "
            + "server's name: `$XDG_RUNTIME_DIR/actorgunicorn.ctl`, else `~/.actorgunicorn/actorgunicorn.ctl` (the "
            + "directory is created, mode 0700). A relative path is taken from the working directory after --chdir. "
            + "Several servers of one user share the default path: a server that finds another running server's "
            + "socket there leaves it alone and runs without one (a warning says so), while a path named explicitly "
            + "that another running server holds stops the start (exit 1). A socket file whose server is gone is "
            + "replaced. Give each server its own path when you run several.",
    };

    /// <summary><c>control_socket_mode</c> (<c>--control-socket-mode</c>): the control socket's permission bits.</summary>
    public static readonly SettingDefinition<int> ControlSocketMode = new(SettingKinds.FileMode)
    {
        Name = "control_socket_mode",
        HoconKey = "control-socket-mode",
        Flags = ["--control-socket-mode"],
        Section = SettingSections.Control,
        Metavar = "MODE",
        Default = Convert.ToInt32("600", 8),
        DefaultNote = "read and write for the server's user only",
        Rule = SettingRules.FileMode,
        Summary = "Permission bits of the control socket (octal: 0600 or 0o600).",
        Description = "The mode of the control socket file, written in octal as gunicorn takes it (`0600`, `0o660`). "
            + "Connecting to a Unix socket needs write permission on it, so the default admits only the server's "
            + "user (and root); 0660 admits its group too. The socket has this mode before it can be reached at its "
            + "path.",
    };

    /// <summary><c>control_socket_disable</c> (<c>--no-control-socket</c>): run without a control socket.</summary>
    public static readonly SettingDefinition<bool> ControlSocketDisable = new(SettingKinds.Flag)
    {
        Name = "control_socket_disable",
        HoconKey = "control-socket-disable",
        Flags = ["--no-control-socket"],
        Section = SettingSections.Control,
        Default = false,
        Summary = "Do not create the control socket.",
        Description = "Run without a control socket, as gunicorn's `--no-control-socket` does: `actorgunicorn ctl` "
            + "cannot reach the server, and signals remain the way to control it.",
    };

    private static SettingDefinition[] ControlRows => [ControlSocket, ControlSocketMode, ControlSocketDisable];
}
