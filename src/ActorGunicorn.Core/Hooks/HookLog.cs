using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hooks;

/// <summary>The error-log lines about server hooks.</summary>
internal static partial class HookLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Exception in {Hook} hook")]
    public static partial void HookFailed(this ILogger logger, string hook, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Server hooks: {Source} defines {Hooks}")]
    public static partial void HooksLoaded(this ILogger logger, string source, IEnumerable<string> hooks);
}
