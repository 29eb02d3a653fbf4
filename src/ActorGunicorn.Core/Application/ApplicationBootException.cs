namespace ActorGunicorn.Application;

/// <summary>
/// The application exists but failed while loading or starting: an assembly that cannot be loaded, or a constructor
/// or start hook that threw. Gunicorn's boot failure: the worker exits with <see cref="ExitCodes.WorkerBootError"/>.
/// When the application's own code threw, that exception is the inner exception and its stack trace is logged, like
/// gunicorn's traceback for an import that raises; otherwise the message alone says what is wrong.
/// </summary>
public sealed class ApplicationBootException : Exception
{
    /// <summary>Creates the exception with a message meant for the operator.</summary>
    public ApplicationBootException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message meant for the operator and its cause.</summary>
    public ApplicationBootException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public ApplicationBootException()
    {
    }
}
