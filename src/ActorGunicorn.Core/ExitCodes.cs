namespace ActorGunicorn;

/// <summary>Process exit codes, gunicorn's where gunicorn has one.</summary>
public static class ExitCodes
{
    /// <summary>A clean stop.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure of the arbiter itself, e.g. a listener that cannot be bound (gunicorn exits 1).</summary>
    public const int Failure = 1;

    /// <summary>A bad flag or setting value (argparse's usage-error code, which gunicorn inherits).</summary>
    public const int UsageError = 2;

    /// <summary>A worker failed to boot (gunicorn's <c>WORKER_BOOT_ERROR</c>); the arbiter halts with it.</summary>
    public const int WorkerBootError = 3;

    /// <summary>The application could not be loaded (gunicorn's <c>APP_LOAD_ERROR</c>); the arbiter halts with it.</summary>
    public const int AppLoadError = 4;
}
