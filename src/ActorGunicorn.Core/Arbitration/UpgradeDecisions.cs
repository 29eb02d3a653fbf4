namespace ActorGunicorn.Arbitration;

/// <summary>What the arbiter does with USR2.</summary>
internal enum Usr2Decision
{
    /// <summary>Start a new arbiter that inherits the listeners.</summary>
    Reexec,

    /// <summary>A new arbiter started by an earlier USR2 is still running.</summary>
    IgnoreChildExists,

    /// <summary>This arbiter is itself a USR2 child and the arbiter that started it still runs.</summary>
    IgnoreParentExists,
}

/// <summary>
/// The binary upgrade's decisions as pure functions: gunicorn's <c>reexec</c> guards, <c>handle_winch</c>,
/// <c>maybe_promote_master</c> and the pid file's name.
/// </summary>
internal static class UpgradeDecisions
{
    /// <summary>USR2: one upgrade at a time, in either direction (gunicorn's <c>reexec</c>).</summary>
    /// <param name="childPid">The running USR2 child, or 0.</param>
    /// <param name="parentPid">The USR2 parent while it still runs, or 0.</param>
    public static Usr2Decision OnUsr2(int childPid, int parentPid) => (childPid, parentPid) switch
    {
        (not 0, _) => Usr2Decision.IgnoreChildExists,
        (_, not 0) => Usr2Decision.IgnoreParentExists,
        _ => Usr2Decision.Reexec,
    };

    /// <summary>
    /// WINCH: stop the workers gracefully and keep the arbiter. gunicorn does it only for a daemon, since a terminal
    /// sends WINCH whenever it is resized; an arbiter with a USR2 child is in an upgrade, where WINCH is the documented
    /// step that hands all traffic to the new arbiter.
    /// </summary>
    public static bool StopWorkersOnWinch(bool daemon, bool upgradeChildExists) => daemon || upgradeChildExists;

    /// <summary>A USR2 child is promoted once the arbiter that started it is no longer its parent (it has exited).</summary>
    /// <param name="parentPid">The USR2 parent's pid, or 0 when this arbiter is not (or no longer) a USR2 child.</param>
    /// <param name="currentParentPid">getppid() now.</param>
    public static bool IsPromoted(int parentPid, int currentParentPid) => parentPid != 0 && parentPid != currentParentPid;

    /// <summary>The pid file a USR2 child writes while its parent runs: the configured name with <c>.2</c> added.</summary>
    public static string PidFileFor(string configured, bool upgradeChild) => upgradeChild ? configured + ".2" : configured;
}
