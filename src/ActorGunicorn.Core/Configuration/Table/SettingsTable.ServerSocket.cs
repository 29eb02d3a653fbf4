namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>bind</c> (<c>-b/--bind</c>): the addresses to listen on; see <see cref="BindAddress"/>.</summary>
    public static readonly SettingDefinition<IReadOnlyList<BindAddress>> Bind = new(SettingKinds.BindAddresses)
    {
        Name = "bind",
        HoconKey = "bind",
        Flags = ["-b", "--bind"],
        Section = SettingSections.ServerSocket,
        Metavar = "ADDRESS",
        Default = [new TcpBindAddress("127.0.0.1", BindAddress.DefaultPort)],
        Rule = SettingRules.NotEmpty<BindAddress>(),
        EnvironmentDefault = new("PORT", port => "0.0.0.0:" + port, "`[\"0.0.0.0:$PORT\"]`"),
        Summary = "Listen on this address; repeat for several.",
        Description = "The sockets to listen on. Each is `HOST:PORT`, `HOST` (port 8000), `[IPV6]:PORT`, `[IPV6]`, "
            + "`unix:PATH` for a Unix domain socket, or `fd://N` for a listening socket inherited as file descriptor "
            + "N (systemd socket activation). Repeat -b to listen on several; a list given by a layer replaces the "
            + "list of the layers below it.",
    };

    /// <summary><c>backlog</c> (<c>--backlog</c>): the listen backlog.</summary>
    public static readonly SettingDefinition<int> Backlog = new(SettingKinds.WholeNumber)
    {
        Name = "backlog",
        HoconKey = "backlog",
        Flags = ["--backlog"],
        Section = SettingSections.ServerSocket,
        Metavar = "INT",
        Default = 2048,
        Rule = SettingRules.NotNegative,
        Summary = "Pending connections the kernel queues per listener.",
        Description = "How many connections the kernel queues on each listening socket before they are accepted "
            + "(the `listen()` backlog). The kernel silently caps it (`net.core.somaxconn` on Linux). Values from 64 "
            + "to 2048 are usual; a full queue makes clients wait or fail to connect.",
    };

    private static SettingDefinition[] ServerSocketRows => [Bind, Backlog];
}
