using System.Runtime.InteropServices;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// The one interpreter of a worker process, owned by a dedicated <c>python-main</c> thread: CPython must be
/// finalised on the thread that initialised it, so that thread boots it, imports the application, and then waits
/// for <see cref="ShutdownAsync"/>.
/// </summary>
internal sealed unsafe class EmbeddedPython
{
    private const string ShimModule = "actorgunicorn_wsgi";

    private static int s_booted;

    private readonly Thread _thread;
    private readonly TaskCompletionSource _booted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _finalized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PythonInterpreter _interpreter;
    private readonly WsgiOptions _options;

    private EmbeddedPython(PythonInterpreter interpreter, WsgiOptions options)
    {
        _interpreter = interpreter;
        _options = options;
        _thread = new Thread(Run) { Name = "python-main", IsBackground = true };
    }

    /// <summary>The request handler the shim returned (a strong reference, released at shutdown).</summary>
    public nint Handler { get; private set; }

    /// <summary>Loads libpython, initialises it and imports the application; throws what the boot threw.</summary>
    public static EmbeddedPython Boot(PythonInterpreter interpreter, WsgiOptions options)
    {
        // CPython's state is process-wide (and so are the request threads' thread-statics): one per process.
        if (Interlocked.Exchange(ref s_booted, 1) == 1)
        {
            throw new InvalidOperationException("A process embeds one Python interpreter, and it has been booted already.");
        }

        var python = new EmbeddedPython(interpreter, options);
        python._thread.Start();
        python._booted.Task.GetAwaiter().GetResult();
        return python;
    }

    /// <summary>
    /// Finalises the interpreter (atexit handlers run) once every request thread has stopped; the task ends with
    /// <c>Py_FinalizeEx</c>'s result. It may never end, e.g. while a non-daemon Python thread runs.
    /// </summary>
    public Task<int> ShutdownAsync()
    {
        _shutdownRequested.TrySetResult();
        return _finalized.Task;
    }

    private void Run()
    {
        nint mainThreadState = 0;
        try
        {
            Initialize();
            try
            {
                Handler = LoadApplication();
            }
            finally
            {
                // The GIL is released while the interpreter waits; request threads take it from here on.
                mainThreadState = CPython.PyEval_SaveThread();
            }

            _booted.SetResult();
        }
        catch (Exception ex)
        {
            _booted.SetException(ex);
        }

        _shutdownRequested.Task.Wait();
        if (mainThreadState != 0)
        {
            CPython.PyEval_RestoreThread(mainThreadState);
            if (Handler != 0)
            {
                CPython.Py_DecRef(Handler);
            }

            _finalized.SetResult(CPython.Py_FinalizeEx());
        }
        else
        {
            _finalized.SetResult(0);
        }
    }

    private void Initialize()
    {
        nint library = Dl.OpenGlobal(_interpreter.Library, out string? error);
        if (library == 0)
        {
            throw new PythonUnavailableException(
                $"Cannot load {_interpreter.Library} for Python {_interpreter.Version} at '{_interpreter.Executable}': {error}. "
                + $"Install Debian's {_interpreter.DebianPackage} (apt-get install {_interpreter.DebianPackage}), or choose another interpreter with --python PATH.");
        }

        try
        {
            CPython.Bind(library);
            CPythonTracebacks.Bind(library);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new PythonUnavailableException(ex.Message);
        }

        // The program name makes CPython compute sys.prefix from the interpreter's location: a virtualenv's
        // pyvenv.cfg is found and its site-packages come first. CPython keeps the pointer: it is never freed.
        nint programName = Marshal.AllocHGlobal((_interpreter.Executable.Length + 1) * sizeof(int));
        var wide = new Span<int>((void*)programName, _interpreter.Executable.Length + 1);
        int written = 0;
        foreach (var rune in _interpreter.Executable.EnumerateRunes())
        {
            wide[written++] = rune.Value;
        }

        wide[written] = 0;
        CPython.Py_SetProgramName((char*)programName);

        // PYTHONFAULTHANDLER would make CPython install faulthandler's SIGSEGV handler at start-up, on top of the
        // runtime's, which turns .NET's NullReferenceExceptions into crashes. Stacks are dumped on SIGABRT without it.
        ProcessEnvironment.Remove("PYTHONFAULTHANDLER");

        // 0: no Python signal handlers. The worker's own handlers (.NET's) stay in place.
        CPython.Py_InitializeEx(0);
    }

    private nint LoadApplication()
    {
        nint shim = ImportShim();
        try
        {
            nint load = CPython.GetAttr(shim, "load");
            if (load == 0)
            {
                throw PythonErrors.Fetch("The gateway shim has no load()");
            }

            Span<nint> arguments =
            [
                CPython.NewString(_options.App),
                CPython.NewString(string.Join('\0', _options.SearchPath)),
                CPython.NewString(_options.ServerSoftware),
                CPython.NewBool(_options.Threads > 1),
                CPython.NewBool(_options.MultiProcess),
                CPython.PyLong_FromLongLong((long)HostCallbacks.Read),
                CPython.PyLong_FromLongLong((long)HostCallbacks.Write),
                CPython.PyLong_FromLongLong((long)HostCallbacks.SendFile),
                CPython.PyLong_FromLongLong((long)HostCallbacks.Log),
            ];
            HostCallbacks.Logger = _options.Logger;
            nint handler = CPython.Call(load, arguments);
            foreach (var argument in arguments)
            {
                CPython.Py_DecRef(argument);
            }

            CPython.Py_DecRef(load);
            if (handler == 0)
            {
                var error = PythonErrors.Fetch($"Loading {_options.App}");
                if (error.PythonType == "AppImportError")
                {
                    throw new WsgiAppImportException(error.PythonMessage ?? error.Message);
                }

                throw error;
            }

            return handler;
        }
        finally
        {
            CPython.Py_DecRef(shim);
        }
    }

    private static nint ImportShim()
    {
        using var stream = typeof(EmbeddedPython).Assembly.GetManifestResourceStream(ShimModule + ".py")!;
        using var reader = new StreamReader(stream);
        byte[] source = System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd() + "\0");
        fixed (byte* text = source)
        fixed (byte* file = "actorgunicorn_wsgi.py\0"u8)
        fixed (byte* name = "actorgunicorn_wsgi\0"u8)
        {
            nint code = CPython.Py_CompileString(text, file, CPython.FileInput);
            if (code == 0)
            {
                throw PythonErrors.Fetch("Compiling the gateway shim");
            }

            nint module = CPython.PyImport_ExecCodeModule(name, code);
            CPython.Py_DecRef(code);
            if (module == 0)
            {
                // Typically a C extension (ctypes) that cannot resolve libpython's symbols.
                var error = PythonErrors.Fetch("Importing the gateway shim");
                throw new PythonUnavailableException($"The embedded Python cannot import the standard library's ctypes:\n{error.Message}");
            }

            return module;
        }
    }
}
