namespace ActorGunicorn.Configuration;

/// <summary>
/// The command line (or <c>ACTORGUNICORN_CMD_ARGS</c>) cannot be parsed: an unknown flag, a missing or malformed
/// value, or an extra positional argument. The one-line message follows argparse's wording, so the executable can
/// print <c>actorgunicorn: error: &lt;message&gt;</c> and exit with status 2 as gunicorn does.
/// </summary>
public sealed class CommandLineException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CommandLineException()
    {
    }

    /// <summary>Creates an exception with the given argparse-style message.</summary>
    /// <param name="message">For example <c>unrecognized arguments: --foo</c>.</param>
    public CommandLineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">For example <c>unrecognized arguments: --foo</c>.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
