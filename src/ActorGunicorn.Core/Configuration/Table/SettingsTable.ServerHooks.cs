namespace ActorGunicorn.Configuration;

public static partial class SettingsTable
{
    /// <summary><c>server_hooks</c> (<c>--server-hooks</c>): a .NET class implementing gunicorn's server hooks.</summary>
    public static readonly SettingDefinition<string?> ServerHooks = new(SettingKinds.OptionalText)
    {
        Name = "server_hooks",
        HoconKey = "server-hooks",
        Flags = ["--server-hooks"],
        Section = SettingSections.ServerHooks,
        BeyondGunicorn = true,
        Metavar = "ASSEMBLY",
        Default = null,
        Summary = "A .NET class with server hooks: path/Hooks.dll or path/Hooks.dll:Namespace.Type.",
        Description = "A .NET class implementing `ActorGunicorn.Gateway.IServerHooks` (gunicorn's on_starting, "
            + "when_ready, pre_fork, post_fork, post_worker_init, pre_request, post_request, worker_exit, child_exit, "
            + "nworkers_changed, on_exit…), named as `path/Hooks.dll:Namespace.Type`, or `path/Hooks.dll` when the "
            + "assembly has one such public class. The path is relative to the working directory after --chdir. The "
            + "arbiter and every worker create their own instance. Python hooks are defined as functions in a Python "
            + "configuration file instead (`-c gunicorn.conf.py`), as in gunicorn; both may be used at once, .NET "
            + "hooks running first. ActorGunicorn addition; see docs/hooks.md.",
    };

    private static SettingDefinition[] ServerHooksRows => [ServerHooks];
}
