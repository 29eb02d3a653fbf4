namespace ActorGunicorn.Hooks;

/// <summary>gunicorn's server hooks by name, and the process each runs in.</summary>
internal static class HookNames
{
    /// <summary>The hooks the arbiter runs.</summary>
    public static readonly IReadOnlyList<string> Arbiter =
        ["on_starting", "on_reload", "when_ready", "pre_fork", "child_exit", "nworkers_changed", "on_exit"];

    /// <summary>The hooks a worker runs.</summary>
    public static readonly IReadOnlyList<string> Worker =
        ["post_fork", "post_worker_init", "worker_int", "worker_abort", "pre_request", "post_request", "worker_exit"];

    /// <summary>The request hooks, which a worker runs around every request.</summary>
    public static readonly IReadOnlyList<string> Request = ["pre_request", "post_request"];

    /// <summary>Every hook.</summary>
    public static IEnumerable<string> All => Arbiter.Concat(Worker);
}
