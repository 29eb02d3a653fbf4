using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>Imports the shim and the application on python-main, and returns the request handler the shim builds.</summary>
internal static unsafe class WsgiBoot
{
    private const string ShimModule = "actorgunicorn_wsgi";

    /// <summary>
    /// Imports the application named by <paramref name="options"/> in <paramref name="python"/> and returns the
    /// shim's handler (a strong reference the interpreter owns until it is finalised) with the SCRIPT_NAME it read.
    /// </summary>
    /// <exception cref="WsgiAppImportException">APP names nothing usable.</exception>
    /// <exception cref="PythonException">The module failed to import.</exception>
    public static WsgiHandler LoadHandler(EmbeddedPython python, WsgiOptions options) => python.RunOnMain(() => Load(python, options));

    private static WsgiHandler Load(EmbeddedPython python, WsgiOptions options)
    {
        nint shim = python.ImportResourceModule(ShimModule);
        nint load = CPython.GetAttr(shim, "load");
        if (load == 0)
        {
            throw PythonErrors.Fetch("The gateway shim has no load()");
        }

        Span<nint> arguments =
        [
            CPython.NewString(options.App),
            CPython.NewString(string.Join('\0', options.SearchPath)),
            CPython.NewString(options.ServerSoftware),
            CPython.NewBool(options.Threads > 1),
            CPython.NewBool(options.MultiProcess),
            CPython.PyLong_FromLongLong((long)HostCallbacks.Read),
            CPython.PyLong_FromLongLong((long)HostCallbacks.Write),
            CPython.PyLong_FromLongLong(options.SendFile ? (long)HostCallbacks.SendFile : 0),
            CPython.PyLong_FromLongLong((long)HostCallbacks.Log),
            CPython.PyLong_FromLongLong((long)HostCallbacks.Failure),
            options.Hooks?.NewReference() ?? CPython.NewNone(),
        ];
        HostCallbacks.Logger = options.Logger;
        nint handler = CPython.Call(load, arguments);
        foreach (var argument in arguments)
        {
            CPython.Py_DecRef(argument);
        }

        CPython.Py_DecRef(load);
        if (handler == 0)
        {
            var error = PythonErrors.Fetch($"Loading {options.App}");
            if (error.PythonType == "AppImportError")
            {
                throw new WsgiAppImportException(error.PythonMessage ?? error.Message);
            }

            throw error;
        }

        python.Own(handler);
        nint scriptName = CPython.GetAttr(handler, "script_name");
        if (scriptName == 0)
        {
            throw PythonErrors.Fetch("The gateway shim's handler has no script_name");
        }

        var script = CPython.ReadString(scriptName) ?? string.Empty;
        CPython.Py_DecRef(scriptName);
        return new WsgiHandler(handler, script);
    }
}
