using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Logging;

/// <summary>The arbiter's lines about its process model: binary upgrade (USR2, WINCH), daemon mode, systemd.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "USR2 signal ignored. Child exists.")]
    public static partial void Usr2IgnoredChildExists(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "USR2 signal ignored. Parent exists.")]
    public static partial void Usr2IgnoredParentExists(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-executing: new master (pid:{Pid}) inherits the listeners {Fds}")]
    public static partial void Reexecuting(this ILogger logger, int pid, string fds);

    [LoggerMessage(Level = LogLevel.Error, Message = "USR2: cannot start a new master: {Reason}")]
    public static partial void ReexecFailed(this ILogger logger, string reason);

    [LoggerMessage(Message = "New master (pid:{Pid}) exited with code {ExitCode}")]
    public static partial void ReexecChildExited(this ILogger logger, LogLevel level, int pid, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master has been promoted.")]
    public static partial void MasterPromoted(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot rename the pid file to {Path}: {Reason}")]
    public static partial void PidFileRenameFailed(this ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "graceful stop of workers")]
    public static partial void GracefulStopOfWorkers(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIGWINCH ignored. Not daemonized")]
    public static partial void WinchIgnored(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No load board ({Reason}): workers on a shared listener accept without knowing each other's load")]
    public static partial void LoadBoardUnavailable(this ILogger logger, string reason);
}
