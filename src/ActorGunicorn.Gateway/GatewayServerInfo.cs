namespace ActorGunicorn.Gateway;

/// <summary>Facts about the worker process that hosts an application (the counterpart of WSGI's environ flags).</summary>
/// <param name="ServerSoftware">The server name and version, e.g. <c>actorgunicorn/0.1.0</c>.</param>
/// <param name="ProcessId">The worker's process id.</param>
/// <param name="Threads">How many invocations may run at once in this worker (<c>--threads</c>).</param>
/// <param name="MultiProcess">True when more than one worker process serves the same listeners.</param>
/// <param name="ErrorLog">Writes lines to the server's error log (the counterpart of <c>wsgi.errors</c>).</param>
public sealed record GatewayServerInfo(
    string ServerSoftware,
    int ProcessId,
    int Threads,
    bool MultiProcess,
    TextWriter ErrorLog);
