using ActorGunicorn.Wsgi.Interop;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// Turns the Python error indicator into a <see cref="PythonException"/> carrying the formatted traceback. Never
/// <c>PyErr_Print</c>: with SystemExit set it calls <c>exit()</c> and would end the worker.
/// </summary>
internal static unsafe class PythonErrors
{
    private static nint s_formatException;

    /// <summary>Takes (and clears) the current Python error; the GIL must be held.</summary>
    public static PythonException Fetch(string context)
    {
        nint type, value, traceback;
        CPython.PyErr_Fetch(&type, &value, &traceback);
        if (type == 0)
        {
            return new PythonException($"{context}: Python reported a failure without an exception");
        }

        CPython.PyErr_NormalizeException(&type, &value, &traceback);
        try
        {
            string? name = TypeName(type);
            string text = Format(type, value, traceback) ?? $"{name}: (the traceback could not be formatted)";
            return new PythonException(text) { PythonType = name, PythonMessage = Message(value) };
        }
        finally
        {
            CPython.Py_DecRef(type);
            if (value != 0)
            {
                CPython.Py_DecRef(value);
            }

            if (traceback != 0)
            {
                CPython.Py_DecRef(traceback);
            }
        }
    }

    private static string? TypeName(nint type)
    {
        nint name = CPython.GetAttr(type, "__name__");
        if (name == 0)
        {
            CPython.PyErr_Clear();
            return null;
        }

        try
        {
            return CPython.ReadString(name);
        }
        finally
        {
            CPython.Py_DecRef(name);
        }
    }

    private static string? Message(nint value)
    {
        if (value == 0)
        {
            return null;
        }

        nint args = CPython.GetAttr(value, "args");
        if (args == 0)
        {
            CPython.PyErr_Clear();
            return null;
        }

        try
        {
            nint first = CPython.PyTuple_GetItem(args, 0);
            if (first == 0)
            {
                CPython.PyErr_Clear();
                return null;
            }

            return CPython.ReadString(first);
        }
        finally
        {
            CPython.Py_DecRef(args);
        }
    }

    private static string? Format(nint type, nint value, nint traceback)
    {
        if (s_formatException == 0)
        {
            fixed (byte* module = "traceback\0"u8)
            {
                nint tracebackModule = CPython.PyImport_ImportModule(module);
                if (tracebackModule == 0)
                {
                    CPython.PyErr_Clear();
                    return null;
                }

                s_formatException = CPython.GetAttr(tracebackModule, "format_exception");
                CPython.Py_DecRef(tracebackModule);
                if (s_formatException == 0)
                {
                    CPython.PyErr_Clear();
                    return null;
                }
            }
        }

        nint none = CPython.None;
        nint lines = CPython.Call(s_formatException, [type, value == 0 ? none : value, traceback == 0 ? none : traceback]);
        if (lines == 0)
        {
            CPython.PyErr_Clear();
            return null;
        }

        try
        {
            nint empty = CPython.NewString(string.Empty);
            nint join = CPython.GetAttr(empty, "join");
            CPython.Py_DecRef(empty);
            nint text = join == 0 ? 0 : CPython.Call(join, [lines]);
            if (join != 0)
            {
                CPython.Py_DecRef(join);
            }

            if (text == 0)
            {
                CPython.PyErr_Clear();
                return null;
            }

            string? result = CPython.ReadString(text);
            CPython.Py_DecRef(text);
            return result;
        }
        finally
        {
            CPython.Py_DecRef(lines);
        }
    }
}
