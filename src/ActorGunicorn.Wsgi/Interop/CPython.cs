using System.Runtime.InteropServices;

namespace ActorGunicorn.Wsgi.Interop;

/// <summary>
/// The part of CPython's C API the gateway uses, as unmanaged function pointers resolved from the libpython handle.
/// Every call is blittable, so there is no marshalling stub. Callers hold the GIL for everything except the thread
/// functions, and own every reference they are returned except where a method says "borrowed".
/// </summary>
/// <remarks>Bound once per process by <see cref="Bind"/>; the names are the C API's own.</remarks>
#pragma warning disable CA2211, SA1401 // Function-pointer fields are the binding table; properties would add a call.
internal static unsafe class CPython
{
    public const int FileInput = 257;
    public const int GilStateUnlocked = 1;

    public static delegate* unmanaged<char*, void> Py_SetProgramName;
    public static delegate* unmanaged<int, void> Py_InitializeEx;
    public static delegate* unmanaged<int> Py_FinalizeEx;
    public static delegate* unmanaged<nint> PyEval_SaveThread;
    public static delegate* unmanaged<nint, void> PyEval_RestoreThread;
    public static delegate* unmanaged<int> PyGILState_Ensure;
    public static delegate* unmanaged<int, void> PyGILState_Release;
    public static delegate* unmanaged<nint> PyGILState_GetThisThreadState;
    public static delegate* unmanaged<nint, void> Py_IncRef;
    public static delegate* unmanaged<nint, void> Py_DecRef;
    public static delegate* unmanaged<byte*, byte*, int, nint> Py_CompileString;
    public static delegate* unmanaged<byte*, nint, nint> PyImport_ExecCodeModule;
    public static delegate* unmanaged<byte*, nint> PyImport_ImportModule;
    public static delegate* unmanaged<nint, byte*, nint> PyObject_GetAttrString;
    public static delegate* unmanaged<nint, nint*, nuint, nint, nint> PyObject_Vectorcall;
    public static delegate* unmanaged<byte*, nint, nint> PyUnicode_FromStringAndSize;
    public static delegate* unmanaged<nint, nint*, byte*> PyUnicode_AsUTF8AndSize;
    public static delegate* unmanaged<byte*, nint, nint> PyBytes_FromStringAndSize;
    public static delegate* unmanaged<nint, byte**, nint*, int> PyBytes_AsStringAndSize;
    public static delegate* unmanaged<nint, nint, nint> PyTuple_GetItem;
    public static delegate* unmanaged<long, nint> PyLong_FromLongLong;
    public static delegate* unmanaged<nint, long> PyLong_AsLongLong;
    public static delegate* unmanaged<nint> PyErr_Occurred;
    public static delegate* unmanaged<nint*, nint*, nint*, void> PyErr_Fetch;
    public static delegate* unmanaged<nint*, nint*, nint*, void> PyErr_NormalizeException;
    public static delegate* unmanaged<void> PyErr_Clear;

    /// <summary><c>None</c>, a borrowed reference (not immortal before 3.12: IncRef before handing it on).</summary>
    public static nint None;

    /// <summary><c>True</c>, borrowed.</summary>
    public static nint True;

    /// <summary><c>False</c>, borrowed.</summary>
    public static nint False;

    /// <summary>Resolves every entry from a library opened by <see cref="Dl.OpenGlobal"/>.</summary>
    /// <exception cref="EntryPointNotFoundException">The library lacks a function (a Python older than 3.9).</exception>
    public static void Bind(nint library)
    {
        Py_SetProgramName = (delegate* unmanaged<char*, void>)Export(library, nameof(Py_SetProgramName));
        Py_InitializeEx = (delegate* unmanaged<int, void>)Export(library, nameof(Py_InitializeEx));
        Py_FinalizeEx = (delegate* unmanaged<int>)Export(library, nameof(Py_FinalizeEx));
        PyEval_SaveThread = (delegate* unmanaged<nint>)Export(library, nameof(PyEval_SaveThread));
        PyEval_RestoreThread = (delegate* unmanaged<nint, void>)Export(library, nameof(PyEval_RestoreThread));
        PyGILState_Ensure = (delegate* unmanaged<int>)Export(library, nameof(PyGILState_Ensure));
        PyGILState_Release = (delegate* unmanaged<int, void>)Export(library, nameof(PyGILState_Release));
        PyGILState_GetThisThreadState = (delegate* unmanaged<nint>)Export(library, nameof(PyGILState_GetThisThreadState));
        Py_IncRef = (delegate* unmanaged<nint, void>)Export(library, nameof(Py_IncRef));
        Py_DecRef = (delegate* unmanaged<nint, void>)Export(library, nameof(Py_DecRef));
        Py_CompileString = (delegate* unmanaged<byte*, byte*, int, nint>)Export(library, nameof(Py_CompileString));
        PyImport_ExecCodeModule = (delegate* unmanaged<byte*, nint, nint>)Export(library, nameof(PyImport_ExecCodeModule));
        PyImport_ImportModule = (delegate* unmanaged<byte*, nint>)Export(library, nameof(PyImport_ImportModule));
        PyObject_GetAttrString = (delegate* unmanaged<nint, byte*, nint>)Export(library, nameof(PyObject_GetAttrString));
        PyObject_Vectorcall = (delegate* unmanaged<nint, nint*, nuint, nint, nint>)Export(library, nameof(PyObject_Vectorcall));
        PyUnicode_FromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)Export(library, nameof(PyUnicode_FromStringAndSize));
        PyUnicode_AsUTF8AndSize = (delegate* unmanaged<nint, nint*, byte*>)Export(library, nameof(PyUnicode_AsUTF8AndSize));
        PyBytes_FromStringAndSize = (delegate* unmanaged<byte*, nint, nint>)Export(library, nameof(PyBytes_FromStringAndSize));
        PyBytes_AsStringAndSize = (delegate* unmanaged<nint, byte**, nint*, int>)Export(library, nameof(PyBytes_AsStringAndSize));
        PyTuple_GetItem = (delegate* unmanaged<nint, nint, nint>)Export(library, nameof(PyTuple_GetItem));
        PyLong_FromLongLong = (delegate* unmanaged<long, nint>)Export(library, nameof(PyLong_FromLongLong));
        PyLong_AsLongLong = (delegate* unmanaged<nint, long>)Export(library, nameof(PyLong_AsLongLong));
        PyErr_Occurred = (delegate* unmanaged<nint>)Export(library, nameof(PyErr_Occurred));
        PyErr_Fetch = (delegate* unmanaged<nint*, nint*, nint*, void>)Export(library, nameof(PyErr_Fetch));
        PyErr_NormalizeException = (delegate* unmanaged<nint*, nint*, nint*, void>)Export(library, nameof(PyErr_NormalizeException));
        PyErr_Clear = (delegate* unmanaged<void>)Export(library, nameof(PyErr_Clear));
        None = Export(library, "_Py_NoneStruct");
        True = Export(library, "_Py_TrueStruct");
        False = Export(library, "_Py_FalseStruct");
    }

    /// <summary>A new <c>str</c> from UTF-16 text.</summary>
    public static nint NewString(string text)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        System.Text.Encoding.UTF8.GetBytes(text, utf8);
        fixed (byte* bytes = utf8)
        {
            return PyUnicode_FromStringAndSize(bytes, length);
        }
    }

    /// <summary>Reads a <c>str</c> (borrowed) as UTF-16 text; null when it is not a str.</summary>
    public static string? ReadString(nint text)
    {
        nint size;
        byte* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
        if (utf8 is null)
        {
            PyErr_Clear();
            return null;
        }

        return System.Text.Encoding.UTF8.GetString(utf8, (int)size);
    }

    /// <summary>A new reference to <see cref="None"/>.</summary>
    public static nint NewNone()
    {
        Py_IncRef(None);
        return None;
    }

    /// <summary>A new reference to True or False.</summary>
    public static nint NewBool(bool value)
    {
        nint result = value ? True : False;
        Py_IncRef(result);
        return result;
    }

    /// <summary>Gets an attribute by name (a new reference, or 0 with the error set).</summary>
    public static nint GetAttr(nint target, string name)
    {
        Span<byte> ascii = stackalloc byte[name.Length + 1];
        System.Text.Encoding.ASCII.GetBytes(name, ascii);
        fixed (byte* bytes = ascii)
        {
            return PyObject_GetAttrString(target, bytes);
        }
    }

    /// <summary>Calls <paramref name="callable"/> with positional arguments (borrowed); returns a new reference or 0.</summary>
    public static nint Call(nint callable, ReadOnlySpan<nint> arguments)
    {
        fixed (nint* args = arguments)
        {
            return PyObject_Vectorcall(callable, args, (nuint)arguments.Length, 0);
        }
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"libpython has no '{name}' (ActorGunicorn needs Python 3.9 or later)");
}
#pragma warning restore CA2211, SA1401
