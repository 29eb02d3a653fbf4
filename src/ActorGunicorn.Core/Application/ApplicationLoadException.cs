namespace ActorGunicorn.Application;

/// <summary>
/// The application named on the command line is not usable as named: a type missing from its assembly, a type that
/// does not implement the gateway interface, or an unparsable application spec. Gunicorn's <c>AppImportError</c>:
/// the worker exits with <see cref="ExitCodes.AppLoadError"/>.
/// </summary>
public sealed class ApplicationLoadException : Exception
{
    /// <summary>Creates the exception with a message meant for the operator.</summary>
    public ApplicationLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message meant for the operator and its cause.</summary>
    public ApplicationLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public ApplicationLoadException()
    {
    }
}
