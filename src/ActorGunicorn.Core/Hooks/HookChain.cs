using ActorGunicorn.Gateway;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hooks;

/// <summary>
/// The server hooks of one process in the order they run (.NET first, then Python), and gunicorn's three ways of
/// taking a hook's failure: log it and go on, log it and report failure to the caller, or let it propagate.
/// </summary>
internal sealed class HookChain(IReadOnlyList<IServerHooks> hooks, ILogger log)
{
    /// <summary>The hooks, in the order they run.</summary>
    public IReadOnlyList<IServerHooks> Hooks { get; } = hooks;

    /// <summary>Where failures are logged.</summary>
    public ILogger Log { get; } = log;

    /// <summary>Runs the hook on each; an exception is logged with its stack trace (or Python traceback) and the next runs.</summary>
    public void Run(string hook, Action<IServerHooks> call)
    {
        foreach (var hooks in Hooks)
        {
            try
            {
                call(hooks);
            }
            catch (Exception ex)
            {
                Log.HookFailed(hook, ex);
            }
        }
    }

    /// <summary>Runs the hook on each until one throws; that exception is logged and the result is false.</summary>
    public bool TryRun(string hook, Action<IServerHooks> call)
    {
        foreach (var hooks in Hooks)
        {
            try
            {
                call(hooks);
            }
            catch (Exception ex)
            {
                Log.HookFailed(hook, ex);
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs the hook on each; an exception propagates to the caller, which fails (a request, a worker's boot).</summary>
    public void RunOrThrow(Action<IServerHooks> call)
    {
        foreach (var hooks in Hooks)
        {
            call(hooks);
        }
    }
}
