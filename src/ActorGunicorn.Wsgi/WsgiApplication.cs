using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Wsgi;

/// <summary>
/// A WSGI application (PEP 3333) served through the gateway: one embedded CPython per worker process,
/// <see cref="WsgiOptions.Threads"/> dedicated Python threads, and requests handed to them in order.
/// </summary>
public sealed class WsgiApplication : IGatewayApplication, IGatewayLifecycle
{
    private readonly EmbeddedPython _python;
    private readonly RequestQueue _queue = new();
    private readonly PythonRequestThread[] _threads;
    private readonly ILogger _logger;

    private WsgiApplication(EmbeddedPython python, WsgiOptions options)
    {
        _python = python;
        _logger = options.Logger;
        _threads = [.. Enumerable.Range(0, options.Threads)
            .Select(i => new PythonRequestThread(i, _queue, python.Handler, options.ReadAheadLimit))];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Finds the interpreter, boots it and imports the application.</summary>
    /// <exception cref="PythonUnavailableException">No usable Python; the message says what to install.</exception>
    /// <exception cref="WsgiAppImportException">The module has no such application, or it is not callable.</exception>
    /// <exception cref="PythonException">The module failed to import; the message is the traceback.</exception>
    public static WsgiApplication Load(WsgiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = PythonInterpreter.ChooseExecutable(
            options.Python, Environment.GetEnvironmentVariable("VIRTUAL_ENV"), Environment.GetEnvironmentVariable("PATH"));
        var interpreter = PythonInterpreter.Probe(executable);
        return new WsgiApplication(EmbeddedPython.Boot(interpreter, options), options);
    }

    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        var call = WsgiCall.Rent(request, response);
        _queue.Add(call);
        return call.Task;
    }

    /// <inheritdoc />
    public ValueTask StartAsync(GatewayServerInfo server, CancellationToken cancellationToken) => default;

    /// <summary>
    /// Lets the Python threads finish, then finalises the interpreter on its own thread (atexit handlers run). If
    /// the threads or the finalisation outlast the graceful timeout, the interpreter is left as it is: finalising
    /// under a running request would end that .NET thread.
    /// </summary>
    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        _queue.Close();
        var threadsDone = Task.Run(() => Array.ForEach(_threads, thread => thread.Join()), CancellationToken.None);
        var timedOut = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(threadsDone, timedOut).ConfigureAwait(false) != threadsDone)
        {
            WsgiLog.NotFinalized(_logger, "a request was still running in Python");
            return;
        }

        var finalized = _python.ShutdownAsync();
        if (await Task.WhenAny(finalized, timedOut).ConfigureAwait(false) != finalized)
        {
            WsgiLog.NotFinalized(_logger, "finalisation did not end in time (is a non-daemon Python thread running?)");
        }
    }
}
