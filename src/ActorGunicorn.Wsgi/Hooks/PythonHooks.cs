using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi.Hosting;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi;

/// <summary>
/// The hooks a gunicorn-style Python configuration defines, run in this process's embedded interpreter. The
/// configuration is executed again here (its module-level code runs once per process that uses its hooks), and each
/// hook is called with gunicorn-like objects: <c>server</c> (pid, cfg, log, num_workers), <c>worker</c> (pid, ppid,
/// age, cfg, log), <c>req</c>, <c>resp</c>. A hook the configuration does not define costs a set lookup.
/// </summary>
/// <remarks>
/// Calls take the GIL on the calling thread (<c>PyGILState_Ensure</c>), so any thread may call, including one that
/// already holds it. A hook that raises throws <see cref="PythonException"/> with the Python traceback; the caller
/// decides whether that is fatal.
/// </remarks>
public sealed unsafe class PythonHooks : IServerHooks, IDisposable
{
    private const string Module = "actorgunicorn_hooks";

    private readonly EmbeddedPython _python;
    private readonly nint _hooks;
    private readonly nint _call;
    private readonly nint _request;
    private readonly HashSet<string> _defined;
    private volatile bool _released;

    private PythonHooks(EmbeddedPython python, nint hooks, nint call, nint request, HashSet<string> defined)
    {
        _python = python;
        _hooks = hooks;
        _call = call;
        _request = request;
        _defined = defined;
    }

    /// <summary>The names of the hooks the configuration defines.</summary>
    public IReadOnlySet<string> Defined => _defined;

    /// <summary>Embeds the interpreter (or shares the one already embedded) and executes the configuration.</summary>
    /// <exception cref="PythonUnavailableException">No usable Python; the message says what to install.</exception>
    /// <exception cref="PythonException">The configuration raised while executing; the message is the traceback.</exception>
    public static PythonHooks Load(PythonHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = PythonInterpreter.ChooseExecutable(
            options.Python, Environment.GetEnvironmentVariable("VIRTUAL_ENV"), Environment.GetEnvironmentVariable("PATH"));
        var python = EmbeddedPython.Acquire(PythonInterpreter.Probe(executable));
        try
        {
            return python.RunOnMain(() => Create(python, options));
        }
        catch
        {
            _ = python.ReleaseAsync();
            throw;
        }
    }

    /// <summary>Whether the configuration defines the hook (gunicorn's name, e.g. <c>post_fork</c>).</summary>
    public bool Defines(string hook) => _defined.Contains(hook);

    /// <inheritdoc />
    public void OnStarting(IServerInfo server) => Call("on_starting", server, worker: null);

    /// <inheritdoc />
    public void OnReload(IServerInfo server) => Call("on_reload", server, worker: null);

    /// <inheritdoc />
    public void WhenReady(IServerInfo server) => Call("when_ready", server, worker: null);

    /// <inheritdoc />
    public void PreFork(IServerInfo server, IWorkerInfo worker) => Call("pre_fork", server, worker);

    /// <inheritdoc />
    public void PostFork(IServerInfo server, IWorkerInfo worker) => Call("post_fork", server, worker);

    /// <inheritdoc />
    public void PostWorkerInit(IWorkerInfo worker) => Call("post_worker_init", server: null, worker);

    /// <inheritdoc />
    public void WorkerInt(IWorkerInfo worker) => Call("worker_int", server: null, worker);

    /// <inheritdoc />
    public void WorkerAbort(IWorkerInfo worker) => Call("worker_abort", server: null, worker);

    /// <inheritdoc />
    public void ChildExit(IServerInfo server, IWorkerInfo worker) => Call("child_exit", server, worker);

    /// <inheritdoc />
    public void WorkerExit(IServerInfo server, IWorkerInfo worker) => Call("worker_exit", server, worker);

    /// <inheritdoc />
    public void NumWorkersChanged(IServerInfo server, int newValue, int oldValue) =>
        Call("nworkers_changed", server, worker: null, newValue, oldValue);

    /// <inheritdoc />
    public void OnExit(IServerInfo server) => Call("on_exit", server, worker: null);

    /// <inheritdoc />
    public void PreRequest(IWorkerInfo worker, IGatewayRequest request) => CallRequest("pre_request", request, response: null);

    /// <inheritdoc />
    public void PostRequest(IWorkerInfo worker, IGatewayRequest request, IGatewayResponse response) =>
        CallRequest("post_request", request, response);

    /// <summary>
    /// No hook runs after this. When nothing else (a WSGI application) uses the interpreter any more, it is finalised:
    /// its atexit handlers run, for up to five seconds.
    /// </summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _python.ReleaseAsync().Wait(TimeSpan.FromSeconds(5));
    }

    /// <summary>A new reference to the Python hooks object, for the WSGI shim. The GIL must be held.</summary>
    internal nint NewReference()
    {
        CPython.Py_IncRef(_hooks);
        return _hooks;
    }

    private static PythonHooks Create(EmbeddedPython python, PythonHooksOptions options)
    {
        nint module = python.ImportResourceModule(Module);
        nint type = Owned(python, CPython.GetAttr(module, "Hooks"), "The hooks module has no Hooks");
        HostCallbacks.Logger = options.Logger;
        var worker = options.Worker;
        Span<nint> arguments =
        [
            CPython.NewString(options.Location),
            CPython.NewString(string.Join(':', options.SearchPath)),
            CPython.NewString(SettingsJson(options.Settings)),
            CPython.PyLong_FromLongLong(options.ServerPid),
            CPython.PyLong_FromLongLong(options.NumWorkers),
            CPython.PyLong_FromLongLong(worker?.Pid ?? 0),
            CPython.PyLong_FromLongLong(worker?.ParentPid ?? 0),
            CPython.PyLong_FromLongLong(worker?.Age ?? 0),
            CPython.PyLong_FromLongLong((long)HostCallbacks.Log),
        ];
        nint hooks = CallAndRelease(type, arguments);
        if (hooks == 0)
        {
            throw PythonErrors.Fetch($"Loading the hooks of {options.Location}");
        }

        python.Own(hooks);
        nint defined = CallAndRelease(Owned(python, CPython.GetAttr(hooks, "defined"), "Hooks.defined"), []);
        string names = defined == 0 ? string.Empty : CPython.ReadString(defined) ?? string.Empty;
        if (defined != 0)
        {
            CPython.Py_DecRef(defined);
        }

        return new PythonHooks(
            python,
            hooks,
            Owned(python, CPython.GetAttr(hooks, "call"), "Hooks.call"),
            Owned(python, CPython.GetAttr(hooks, "request"), "Hooks.request"),
            [.. names.Split('\0', StringSplitOptions.RemoveEmptyEntries)]);
    }

    private static nint Owned(EmbeddedPython python, nint reference, string what)
    {
        if (reference == 0)
        {
            throw PythonErrors.Fetch(what);
        }

        python.Own(reference);
        return reference;
    }

    // Calls with new references as arguments and releases them; the result is a new reference or 0.
    private static nint CallAndRelease(nint callable, ReadOnlySpan<nint> arguments)
    {
        nint result = CPython.Call(callable, arguments);
        foreach (var argument in arguments)
        {
            CPython.Py_DecRef(argument);
        }

        return result;
    }

    private void Call(string hook, IServerInfo? server, IWorkerInfo? worker, int newValue = 0, int oldValue = 0)
    {
        if (!_defined.Contains(hook) || _released || _python.IsFinalized)
        {
            return;
        }

        int gil = CPython.PyGILState_Ensure();
        try
        {
            nint result = CallAndRelease(_call,
            [
                CPython.NewString(hook),
                CPython.PyLong_FromLongLong(server?.NumWorkers ?? 0),
                CPython.PyLong_FromLongLong(worker?.Pid ?? 0),
                CPython.PyLong_FromLongLong(worker?.ParentPid ?? 0),
                CPython.PyLong_FromLongLong(worker?.Age ?? 0),
                CPython.PyLong_FromLongLong(newValue),
                CPython.PyLong_FromLongLong(oldValue),
            ]);
            Check(result, hook);
        }
        finally
        {
            CPython.PyGILState_Release(gil);
        }
    }

    private void CallRequest(string hook, IGatewayRequest request, IGatewayResponse? response)
    {
        if (!_defined.Contains(hook) || _released || _python.IsFinalized)
        {
            return;
        }

        string status = response is null ? string.Empty
            : response.ReasonPhrase is { } reason ? $"{response.StatusCode.ToString(CultureInfo.InvariantCulture)} {reason}"
            : response.StatusCode.ToString(CultureInfo.InvariantCulture);
        var headers = new StringBuilder();
        foreach (var (name, value) in request.Headers)
        {
            headers.Append(name).Append('\0').Append(value).Append('\0');
        }

        int gil = CPython.PyGILState_Ensure();
        try
        {
            nint result = CallAndRelease(_request,
            [
                CPython.NewString(hook),
                CPython.NewString(request.Method),
                CPython.NewString(request.RawTarget),
                CPython.NewString(request.Protocol),
                CPython.NewString(request.Scheme),
                CPython.NewString(headers.ToString()),
                CPython.NewString(status),
                CPython.NewString(string.Empty),
            ]);
            Check(result, hook);
        }
        finally
        {
            CPython.PyGILState_Release(gil);
        }
    }

    private static void Check(nint result, string hook)
    {
        if (result == 0)
        {
            throw PythonErrors.Fetch($"The {hook} hook");
        }

        CPython.Py_DecRef(result);
    }

    // server.cfg's values: durations in seconds (a whole number when they are whole), everything else as it is.
    private static string SettingsJson(IReadOnlyDictionary<string, object?> settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in settings)
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case TimeSpan duration when duration.Ticks % TimeSpan.TicksPerSecond == 0:
                json.WriteNumberValue(duration.Ticks / TimeSpan.TicksPerSecond);
                break;
            case TimeSpan duration:
                json.WriteNumberValue(duration.TotalSeconds);
                break;
            case IReadOnlyDictionary<string, string> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WriteString(key, item);
                }

                json.WriteEndObject();
                break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
