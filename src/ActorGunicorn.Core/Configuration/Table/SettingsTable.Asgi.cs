namespace ActorGunicorn.Configuration;

// gunicorn's settings for its ASGI worker. ASGI applications are not served yet (the worker class asgi is refused),
// so these are accepted for configuration files shared with gunicorn and have no effect.
public static partial class SettingsTable
{
    private const string AsgiNotServed = "ASGI applications are not served yet, so the value has no effect";

    /// <summary><c>asgi_loop</c> (<c>--asgi-loop</c>): the event loop of gunicorn's ASGI worker.</summary>
    public static readonly SettingDefinition<string> AsgiLoop = new(SettingKinds.Choice("auto", "asyncio", "uvloop"))
    {
        Name = "asgi_loop",
        HoconKey = "asgi-loop",
        Flags = ["--asgi-loop"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "LOOP",
        Default = "auto",
        Differs = AsgiNotServed,
        Summary = "Event loop of the ASGI worker: auto, asyncio or uvloop.",
        Description = "The event loop an ASGI worker runs: `auto` takes uvloop when it is installed, else asyncio.",
    };

    /// <summary><c>asgi_lifespan</c> (<c>--asgi-lifespan</c>): whether the ASGI lifespan protocol runs.</summary>
    public static readonly SettingDefinition<string> AsgiLifespan = new(SettingKinds.Choice("auto", "on", "off"))
    {
        Name = "asgi_lifespan",
        HoconKey = "asgi-lifespan",
        Flags = ["--asgi-lifespan"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "MODE",
        Default = "auto",
        Differs = AsgiNotServed,
        Summary = "ASGI lifespan protocol: auto, on or off.",
        Description = "Whether an ASGI application gets lifespan startup and shutdown events: `on` requires them, "
            + "`auto` tolerates an application that does not support them, `off` sends none.",
    };

    /// <summary><c>asgi_disconnect_grace_period</c> (<c>--asgi-disconnect-grace-period</c>).</summary>
    public static readonly SettingDefinition<int> AsgiDisconnectGracePeriod = new(SettingKinds.WholeNumber)
    {
        Name = "asgi_disconnect_grace_period",
        HoconKey = "asgi-disconnect-grace-period",
        Flags = ["--asgi-disconnect-grace-period"],
        Section = SettingSections.WorkerProcesses,
        Metavar = "INT",
        Default = 3,
        Rule = SettingRules.NotNegative,
        Differs = AsgiNotServed,
        Summary = "Seconds an ASGI application gets after http.disconnect before its task is cancelled.",
        Description = "How long, in seconds, an ASGI application may go on after it was sent `http.disconnect` "
            + "before its task is cancelled.",
    };

    /// <summary><c>root_path</c> (<c>--root-path</c>): the ASGI scope's mount prefix.</summary>
    public static readonly SettingDefinition<string> RootPath = new(SettingKinds.Text)
    {
        Name = "root_path",
        HoconKey = "root-path",
        Flags = ["--root-path"],
        Section = SettingSections.ServerMechanics,
        Metavar = "PATH",
        Default = "",
        Differs = AsgiNotServed + " (WSGI applications take their prefix from SCRIPT_NAME, as in gunicorn)",
        Summary = "The ASGI root_path: the prefix the application is mounted under.",
        Description = "The `root_path` of ASGI request scopes, for an application mounted under a prefix by a proxy.",
    };
}
