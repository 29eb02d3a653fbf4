using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket;

namespace ActorGunicorn.Runtime;

/// <summary>
/// The arguments of <c>actorgunicorn ctl [--socket PATH] [--json] COMMAND [N]</c>, read in argparse's manner: options
/// may come before or after the command, <c>--socket=PATH</c> works too, and any problem is a one-line
/// <see cref="CommandLineException"/>.
/// </summary>
/// <param name="Socket">The control socket given with <c>--socket</c>, or null for the default.</param>
/// <param name="Json">Print the reply's data as JSON.</param>
/// <param name="Help">Print the help and exit.</param>
/// <param name="Command">The command; null only with <paramref name="Help"/>.</param>
public sealed record CtlCommandLine(string? Socket, bool Json, bool Help, ControlCommand? Command)
{
    /// <summary>The word that selects the control client: <c>actorgunicorn ctl …</c>.</summary>
    public const string Verb = "ctl";

    /// <summary>The usage line.</summary>
    public const string Usage = "usage: actorgunicorn ctl [--socket PATH] [--json] COMMAND [N]";

    /// <summary>The help text, ending with a newline.</summary>
    public static string HelpText { get; } = $"""
        {Usage}

        Ask a running server, through its control socket (--control-socket), for its
        state, or tell it to reload or to change its number of workers.

        commands:
          status                the arbiter and each worker: pid, state, age,
                                requests served, memory, current request time
          stats                 the arbiter's counters
          reload                reload the configuration and the application, as
                                SIGHUP does (new workers start first)
          add [N]               run N more workers (default 1), as SIGTTIN does
          remove [N]            run N fewer workers (default 1), the oldest first,
                                as SIGTTOU does

        options:
          --socket PATH         the server's control socket; by default
                                $XDG_RUNTIME_DIR/actorgunicorn.ctl, else
                                ~/.actorgunicorn/actorgunicorn.ctl
          --json                print the server's reply data as JSON
          -h, --help            show this help message and exit

        a fleet of clustered arbiters: actorgunicorn ctl --cluster HOST:PORT
        status | reload | scale [--total] N | config FILE

        exit status: 0 done; 1 the server could not be reached, or refused the
        command; 2 a usage error

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Reads the arguments that follow <c>ctl</c>.</summary>
    /// <param name="args">The arguments after <see cref="Verb"/>.</param>
    /// <returns>The parsed command line.</returns>
    /// <exception cref="CommandLineException">An unknown option, a missing value, or a bad command.</exception>
    public static CtlCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? socket = null;
        bool json = false;
        var words = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return new CtlCommandLine(socket, json, Help: true, Command: null);
                case "--json":
                    json = true;
                    break;
                case "--socket":
                    socket = i + 1 < args.Count && !args[i + 1].StartsWith('-') ? args[++i] : throw new CommandLineException("argument --socket: expected one argument");
                    break;
                case var _ when arg.StartsWith("--socket=", StringComparison.Ordinal):
                    socket = arg["--socket=".Length..] is { Length: > 0 } value ? value : throw new CommandLineException("argument --socket: expected one argument");
                    break;
                // A negative number is a (bad) N, not an option: "remove -1" says what is wrong with N.
                case var _ when arg.StartsWith('-') && !int.TryParse(arg, out _):
                    throw new CommandLineException($"unrecognized arguments: {arg}");
                default:
                    words.Add(arg);
                    break;
            }
        }

        return ControlCommand.TryParse(words, out var command, out var error)
            ? new CtlCommandLine(socket, json, Help: false, command)
            : throw new CommandLineException(error);
    }
}
