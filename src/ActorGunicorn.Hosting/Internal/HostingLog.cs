using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>The lines the embedded server writes to the host's log.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Listening at: {Address} ({Pid})")]
    public static partial void ListeningAt(this ILogger logger, string address, int pid);
}
