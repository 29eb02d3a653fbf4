using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Logging;

/// <summary>The control socket's lines.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Control socket listening at {Path}")]
    public static partial void ControlSocketListening(this ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control socket {Path} belongs to another running server: this server runs without one (give it its own with --control-socket PATH)")]
    public static partial void ControlSocketHeldByAnother(this ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running without a control socket: {Error} (--control-socket PATH chooses another place)")]
    public static partial void ControlSocketUnavailable(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "--control-socket: {Error}")]
    public static partial void ControlSocketFailed(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control socket: accept failed: {Error}")]
    public static partial void ControlAcceptFailed(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Control command: {Command}")]
    public static partial void ControlCommand(this ILogger logger, ControlSocket.ControlCommand command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control command {Command}: the arbiter did not answer within {Seconds} s")]
    public static partial void ControlArbiterSilent(this ILogger logger, ControlSocket.ControlCommand command, double seconds);
}
