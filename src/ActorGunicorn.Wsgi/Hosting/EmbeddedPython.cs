using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// The one interpreter of a process, owned by a dedicated <c>python-main</c> thread: CPython must be finalised on the
/// thread that initialised it, and imports run there too, so that the configuration and the application see the
/// thread they expect as Python's main thread (<c>signal.signal</c> works only there).
/// </summary>
/// <remarks>
/// It is shared: the WSGI application and the configuration's hooks each <see cref="Acquire"/> it, and the last of
/// them to <see cref="ReleaseAsync"/> it has it finalised. Between jobs python-main holds no GIL; request threads
/// and hook callers take it as they need it.
/// </remarks>
internal sealed unsafe class EmbeddedPython
{
    private static readonly Lock InstanceLock = new();
    private static EmbeddedPython? s_instance;

    private readonly Thread _thread;
    private readonly TaskCompletionSource _booted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _finalized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BlockingCollection<Action> _jobs = [];
    private readonly List<nint> _owned = [];
    private readonly Dictionary<string, nint> _modules = [];
    private readonly PythonInterpreter _interpreter;
    private int _users;
    private volatile bool _finalizing;

    private EmbeddedPython(PythonInterpreter interpreter)
    {
        _interpreter = interpreter;
        _thread = new Thread(Run) { Name = "python-main", IsBackground = true };
    }

    /// <summary>Whether the interpreter has been (or is being) finalised: no Python may run any more.</summary>
    public bool IsFinalized => _finalizing;

    /// <summary>
    /// The process's interpreter, booted on first use, counted as used until <see cref="ReleaseAsync"/>. Throws what
    /// the boot threw, to every caller.
    /// </summary>
    /// <exception cref="PythonUnavailableException">libpython cannot be loaded.</exception>
    /// <exception cref="InvalidOperationException">The process already embeds another interpreter.</exception>
    public static EmbeddedPython Acquire(PythonInterpreter interpreter)
    {
        EmbeddedPython python;
        lock (InstanceLock)
        {
            // CPython's state is process-wide (and so are the request threads' thread-statics): one per process.
            if (s_instance is { } existing && existing._interpreter.Executable != interpreter.Executable)
            {
                throw new InvalidOperationException(
                    $"A process embeds one Python interpreter: {existing._interpreter.Executable} is already embedded, not {interpreter.Executable}.");
            }

            if (s_instance is null)
            {
                s_instance = new EmbeddedPython(interpreter);
                s_instance._thread.Start();
            }

            python = s_instance;
            python._users++;
        }

        python._booted.Task.GetAwaiter().GetResult();
        return python;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on python-main with the GIL held and returns its result; its exception is
    /// rethrown here. Never call it from a thread that holds the GIL: python-main would wait for it forever.
    /// </summary>
    public T RunOnMain<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Keeps a strong reference until just before finalisation, when it is released (its objects' finalisers run).</summary>
    /// <remarks>The GIL must be held.</remarks>
    public void Own(nint reference) => _owned.Add(reference);

    /// <summary>Imports a module shipped as an embedded resource (<c>NAME.py</c>) once; a borrowed reference. The GIL must be held.</summary>
    /// <exception cref="PythonUnavailableException">It cannot be imported, typically because ctypes cannot find libpython's symbols.</exception>
    public nint ImportResourceModule(string name)
    {
        if (_modules.TryGetValue(name, out var imported))
        {
            return imported;
        }

        using var stream = typeof(EmbeddedPython).Assembly.GetManifestResourceStream(name + ".py")
            ?? throw new InvalidOperationException($"The resource {name}.py is missing.");
        using var reader = new StreamReader(stream);
        byte[] source = System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd() + "\0");
        byte[] file = System.Text.Encoding.UTF8.GetBytes(name + ".py\0");
        byte[] moduleName = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* text = source)
        fixed (byte* fileName = file)
        fixed (byte* nameBytes = moduleName)
        {
            nint code = CPython.Py_CompileString(text, fileName, CPython.FileInput);
            if (code == 0)
            {
                throw PythonErrors.Fetch($"Compiling {name}");
            }

            nint module = CPython.PyImport_ExecCodeModule(nameBytes, code);
            CPython.Py_DecRef(code);
            if (module == 0)
            {
                var error = PythonErrors.Fetch($"Importing {name}");
                throw new PythonUnavailableException($"The embedded Python cannot import the standard library's ctypes:\n{error.Message}");
            }

            _modules[name] = module;
            Own(module);
            return module;
        }
    }

    /// <summary>
    /// Ends one user's use. When the last user has released it, the interpreter is finalised (atexit handlers run);
    /// the task ends with <c>Py_FinalizeEx</c>'s result then, and at once (with 0) for earlier users. Finalisation
    /// may never end, e.g. while a non-daemon Python thread runs.
    /// </summary>
    public Task<int> ReleaseAsync()
    {
        lock (InstanceLock)
        {
            if (--_users > 0)
            {
                return Task.FromResult(0);
            }
        }

        _finalizing = true;
        _jobs.CompleteAdding();
        return _finalized.Task;
    }

    private void Run()
    {
        nint mainThreadState;
        try
        {
            Initialize();
            // The GIL is released while the interpreter waits; request threads and jobs take it from here on.
            mainThreadState = CPython.PyEval_SaveThread();
            _booted.SetResult();
        }
        catch (Exception ex)
        {
            _booted.SetException(ex);
            _finalized.SetResult(0);
            return;
        }

        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            CPython.PyEval_RestoreThread(mainThreadState);
            job();
            mainThreadState = CPython.PyEval_SaveThread();
        }

        CPython.PyEval_RestoreThread(mainThreadState);
        foreach (var reference in Enumerable.Reverse(_owned))
        {
            CPython.Py_DecRef(reference);
        }

        _finalized.SetResult(CPython.Py_FinalizeEx());
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
}
