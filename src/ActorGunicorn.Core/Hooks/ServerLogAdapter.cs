using ActorGunicorn.Gateway;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hooks;

/// <summary>The error log as hooks see it (<see cref="IServerLog"/>), writing through the server's logger.</summary>
internal sealed class ServerLogAdapter(ILogger logger) : IServerLog
{
    public bool IsEnabled(ServerLogLevel level) => logger.IsEnabled(ToLogLevel(level));

    public void Write(ServerLogLevel level, string message, Exception? exception = null)
    {
        var logLevel = ToLogLevel(level);
        if (logger.IsEnabled(logLevel))
        {
            logger.Log(logLevel, default, message, exception, static (text, _) => text);
        }
    }

    private static LogLevel ToLogLevel(ServerLogLevel level) => level switch
    {
        ServerLogLevel.Debug => LogLevel.Debug,
        ServerLogLevel.Info => LogLevel.Information,
        ServerLogLevel.Warning => LogLevel.Warning,
        ServerLogLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };
}
