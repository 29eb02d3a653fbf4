namespace ActorGunicorn.Arbitration;

/// <summary>
/// Runtime settings a worker process starts with unless the operator's environment already names them. They can
/// only be given through the environment: the runtime reads them before any of the worker's code runs.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>
    /// The smallest gen0 budget, in bytes (hex, as the runtime reads it). The default budget follows the L3 cache
    /// (tens of MiB on a server CPU), and a worker that allocates almost nothing per request takes minutes to fill
    /// it, so RSS crept up 1.1 MiB every 10 s under load before the first collections settled it (.NET hello, one
    /// worker: +12 MiB over 3.2M requests). With 4 MiB the managed heap levels off at about 13 MiB within the first
    /// million requests; a gen0 collection costs what survives it, not the budget.
    /// </summary>
    public const string Gen0Budget = "0x400000";

    private static readonly KeyValuePair<string, string>[] Defaults =
    [
        new("DOTNET_GCgen0size", Gen0Budget),
    ];

    /// <summary>Adds each default to <paramref name="environment"/> unless it (or its COMPlus_ form) is already set.</summary>
    public static void ApplyDefaults(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in Defaults)
        {
            var legacyName = "COMPlus_" + name["DOTNET_".Length..];
            if (!environment.ContainsKey(name) && !environment.ContainsKey(legacyName))
            {
                environment[name] = value;
            }
        }
    }
}
