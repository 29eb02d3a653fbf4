using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Wsgi;

/// <summary>The gateway's own error-log lines.</summary>
internal static partial class WsgiLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Python was not finalised: {Reason}")]
    public static partial void NotFinalized(ILogger logger, string reason);
}
