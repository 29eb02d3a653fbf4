namespace ActorGunicorn.Wsgi;

/// <summary>No usable Python: the interpreter or its shared library is missing. The message says what to install.</summary>
public sealed class PythonUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PythonUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PythonUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PythonUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The <c>APP</c> argument names nothing usable: no such variable, an unparsable expression, or an object that is
/// not callable (gunicorn's <c>AppImportError</c>, exit code 4).
/// </summary>
public sealed class WsgiAppImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WsgiAppImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WsgiAppImportException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public WsgiAppImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Python raised: while importing the application (a boot failure, exit code 3) or while handling a request. The
/// message is Python's formatted traceback, which is also what <see cref="ToString"/> prints: the .NET stack of the
/// gateway says nothing about the application's bug.
/// </summary>
public sealed class PythonException : Exception
{
    /// <summary>Creates the exception from a formatted Python traceback.</summary>
    public PythonException(string traceback)
        : base(traceback)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PythonException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PythonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The Python type name of the exception, e.g. <c>ModuleNotFoundError</c>.</summary>
    public string? PythonType { get; init; }

    /// <summary>The exception's own message (its first argument), without the traceback.</summary>
    public string? PythonMessage { get; init; }

    /// <inheritdoc />
    public override string ToString() => Message.TrimEnd();
}
