namespace ActorGunicorn.Configuration;

// gunicorn 25's dirty arbiters: a separate pool of workers for long tasks that HTTP workers hand off.
public static partial class SettingsTable
{
    private const string NoDirtyArbiter = "no dirty arbiter is started yet: long tasks run in the HTTP workers, "
        + "whose request-timeout and timeout bound them";

    /// <summary><c>dirty_apps</c> (<c>--dirty-app</c>): the applications of the dirty pool.</summary>
    public static readonly SettingDefinition<IReadOnlyList<string>> DirtyApps = new(SettingKinds.TextList)
    {
        Name = "dirty_apps",
        HoconKey = "dirty-apps",
        Flags = ["--dirty-app"],
        Section = SettingSections.DirtyArbiters,
        Metavar = "STRING",
        Default = [],
        Differs = NoDirtyArbiter,
        Summary = "A dirty-pool application, MODULE:CLASS[:N]; repeatable.",
        Description = "An application the dirty workers load, `MODULE:CLASS`, optionally with the number of workers "
            + "that load it; the flag may be repeated.",
    };

    /// <summary><c>dirty_workers</c> (<c>--dirty-workers</c>).</summary>
    public static readonly SettingDefinition<int> DirtyWorkers = AcceptedNumber(
        SettingSections.DirtyArbiters, NoDirtyArbiter, "dirty_workers", 0, "Dirty worker processes; 0 starts no dirty arbiter.",
        "How many dirty workers the dirty arbiter runs; 0 (the default) starts no dirty arbiter.");

    /// <summary><c>dirty_timeout</c> (<c>--dirty-timeout</c>).</summary>
    public static readonly SettingDefinition<int> DirtyTimeout = AcceptedNumber(
        SettingSections.DirtyArbiters, NoDirtyArbiter, "dirty_timeout", 300, "Seconds a dirty task may run; 0 for no limit.",
        "How many seconds a task may run in a dirty worker before it is ended; 0 for no limit.");

    /// <summary><c>dirty_threads</c> (<c>--dirty-threads</c>).</summary>
    public static readonly SettingDefinition<int> DirtyThreads = AcceptedNumber(
        SettingSections.DirtyArbiters, NoDirtyArbiter, "dirty_threads", 1, "Threads per dirty worker.",
        "How many tasks each dirty worker runs at once.");

    /// <summary><c>dirty_graceful_timeout</c> (<c>--dirty-graceful-timeout</c>).</summary>
    public static readonly SettingDefinition<int> DirtyGracefulTimeout = AcceptedNumber(
        SettingSections.DirtyArbiters, NoDirtyArbiter, "dirty_graceful_timeout", 30, "Seconds dirty workers get to finish when stopping.",
        "How many seconds dirty workers get to finish their tasks when the server stops.");

    private static SettingDefinition[] DirtyArbitersRows => [DirtyApps, DirtyWorkers, DirtyTimeout, DirtyThreads, DirtyGracefulTimeout];
}
