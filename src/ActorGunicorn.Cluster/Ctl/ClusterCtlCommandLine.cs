using System.Globalization;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster.Ctl;

/// <summary>What <c>ctl --cluster</c> is asked to do.</summary>
public enum ClusterVerb
{
    /// <summary>Print the fleet's table.</summary>
    Status,

    /// <summary>Rolling reload.</summary>
    Reload,

    /// <summary>Set the number of workers.</summary>
    Scale,

    /// <summary>Merge keys into the fleet's HOCON overlay (or remove them), then a rolling reload.</summary>
    Config,
}

/// <summary>
/// The arguments of <c>actorgunicorn ctl --cluster HOST:PORT [--json] status | reload | scale [--total] N |
/// config [FILE] [--unset KEY]…</c>.
/// Any problem is a one-line <see cref="CommandLineException"/>.
/// </summary>
/// <param name="Contact">The arbiter to reach the fleet through (its --cluster-host and --cluster-port).</param>
/// <param name="Json">Print the status as JSON.</param>
/// <param name="Verb">The command.</param>
/// <param name="Count">N for scale.</param>
/// <param name="Total">Whether N for scale is the fleet's total rather than per host.</param>
/// <param name="File">The HOCON file for config, or null when config only unsets keys.</param>
/// <param name="Unset">The settings config takes out of the overlay, by HOCON key.</param>
public sealed record ClusterCtlCommandLine(ClusterEndpoint Contact, bool Json, ClusterVerb Verb, int Count, bool Total, string? File, IReadOnlyList<string> Unset)
{
    /// <summary>The option that selects the fleet client.</summary>
    public const string Option = "--cluster";

    /// <summary>The usage line.</summary>
    public const string Usage = "usage: actorgunicorn ctl --cluster HOST:PORT [--json] status | reload | scale [--total] N | config [FILE] [--unset KEY]...";

    /// <summary>The help text, ending with a newline.</summary>
    public static string HelpText { get; } = $"""
        {Usage}

        Ask a fleet of clustered arbiters, through any one of them (its --cluster-host
        and --cluster-port), for its state, or steer it.

        commands:
          status                every host: roles, member status, health, its
                                arbiter's pid and config version, and each
                                worker's pid, uptime, state, requests and memory
          reload                rolling reload: one host at a time, each once the
                                others serve; answers when every host is done
          scale N               N workers on every host (kept across reloads and
                                overlays until an overlay sets workers)
          scale --total N       N workers across the fleet, spread evenly
          config FILE           merge the settings in FILE into the fleet's
                                overlay (each host checks it), applied with a
                                rolling reload; keys set before stay set
          config --unset KEY    take KEY out of the overlay, so each host's own
                                configuration decides it again (repeatable; may
                                follow FILE)

        options:
          --cluster HOST:PORT   an arbiter of the fleet
          --json                print the status as JSON
          -h, --help            show this help message and exit

        exit status: 0 done; 1 the fleet could not be reached, or refused the
        command; 2 a usage error

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Whether the arguments after <c>ctl</c> ask for the fleet client.</summary>
    /// <param name="args">The arguments after <c>ctl</c>.</param>
    /// <returns>True when <c>--cluster</c> is among them.</returns>
    public static bool IsRequested(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a == Option || a.StartsWith(Option + "=", StringComparison.Ordinal));
    }

    /// <summary>Reads the arguments that follow <c>ctl</c>.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The command line.</returns>
    /// <exception cref="CommandLineException">A missing or bad value, or an unknown command.</exception>
    public static ClusterCtlCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? contact = null;
        var json = false;
        var total = false;
        var unset = new List<string>();
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case Option:
                    contact = i + 1 < args.Count ? args[++i] : throw new CommandLineException("argument --cluster: expected HOST:PORT");
                    break;
                case var arg when arg.StartsWith(Option + "=", StringComparison.Ordinal):
                    contact = arg[(Option.Length + 1)..];
                    break;
                case "--json":
                    json = true;
                    break;
                case "--total":
                    total = true;
                    break;
                case "--unset":
                    unset.Add(i + 1 < args.Count ? args[++i] : throw new CommandLineException("argument --unset: expected KEY, a setting's HOCON name such as max-requests"));
                    break;
                case var arg when arg.StartsWith("--unset=", StringComparison.Ordinal):
                    unset.Add(arg["--unset=".Length..]);
                    break;
                case var arg when arg.StartsWith('-') && !int.TryParse(arg, out _):
                    throw new CommandLineException($"unrecognized arguments: {arg}");
                case var arg:
                    words.Add(arg);
                    break;
            }
        }

        if (!ClusterEndpoint.TryParse(contact, out var endpoint))
        {
            throw new CommandLineException($"argument --cluster: '{contact}' is not HOST:PORT with a port from 1 to 65535");
        }

        if (unset.Count > 0 && words is not ["config", ..])
        {
            throw new CommandLineException("--unset goes with 'config' only");
        }

        return words switch
        {
            ["status"] => new(endpoint, json, ClusterVerb.Status, 0, false, null, []),
            ["reload"] => new(endpoint, json, ClusterVerb.Reload, 0, false, null, []),
            ["scale", var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 => new(endpoint, json, ClusterVerb.Scale, count, total, null, []),
            ["scale", var n] => throw new CommandLineException($"bad N '{n}' for 'scale': a whole number, at least 1"),
            ["scale"] => throw new CommandLineException("'scale' needs N: workers per host, or with --total for the whole fleet"),
            ["config", var file] => new(endpoint, json, ClusterVerb.Config, 0, false, file, unset),
            ["config"] when unset.Count > 0 => new(endpoint, json, ClusterVerb.Config, 0, false, null, unset),
            ["config"] => throw new CommandLineException("'config' needs FILE (a HOCON overlay for every host) or --unset KEY"),
            [] => throw new CommandLineException("a command is required: status, reload, scale N or config FILE"),
            [var verb, ..] when verb is "status" or "reload" or "scale" or "config" => throw new CommandLineException($"unrecognized arguments: {string.Join(' ', words.Skip(verb is "scale" or "config" ? 2 : 1))}"),
            [var verb, ..] => throw new CommandLineException($"unknown command '{verb}' with --cluster: status, reload, scale N or config FILE"),
        };
    }
}
