using System.Text.Json;
using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket;

namespace ActorGunicorn.Runtime;

/// <summary>
/// <c>actorgunicorn ctl</c>: the control client, gunicorn's <c>gunicornc</c>. It sends one command to a running
/// server's control socket and prints the reply, as a table for people or as JSON (<c>--json</c>) for programs.
/// Exit status: 0 done; 1 the server could not be reached, or it refused the command; 2 a usage error.
/// </summary>
public static class CtlMain
{
    // The arbiter answers from memory; this covers a server busy starting workers on a loaded machine.
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the client and returns the process exit code.</summary>
    /// <param name="args">The arguments after <c>ctl</c>.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        CtlCommandLine commandLine;
        try
        {
            commandLine = CtlCommandLine.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync(CtlCommandLine.Usage).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName} {CtlCommandLine.Verb}: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        if (commandLine.Help)
        {
            Console.Out.Write(CtlCommandLine.HelpText);
            return ExitCodes.Success;
        }

        var environment = Environment.GetEnvironmentVariables();
        var path = ControlSocketPath.Resolve(commandLine.Socket, name => environment[name] as string);
        ControlReply reply;
        try
        {
            reply = await ControlClient.SendAsync(path, commandLine.Command!, ReplyTimeout).ConfigureAwait(false);
        }
        catch (ControlUnreachableException ex)
        {
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName} {CtlCommandLine.Verb}: {ex.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Hint(commandLine.Socket)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName} {CtlCommandLine.Verb}: {path} did not answer as a control socket: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (!reply.IsOk)
        {
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName} {CtlCommandLine.Verb}: the server refused '{commandLine.Command}': {reply.Error}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            Console.Out.Write(Render(commandLine, reply.Data));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{CommandLineHelp.ProgramName} {CtlCommandLine.Verb}: the reply's data is not what '{commandLine.Command}' returns: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static string Render(CtlCommandLine commandLine, JsonElement? data)
    {
        var element = data ?? throw new InvalidOperationException("the reply has no data");
        if (commandLine.Json)
        {
            return element.GetRawText() + "\n";
        }

        return commandLine.Command!.Verb switch
        {
            ControlVerb.Status => ControlText.Status(Read(element, ControlJsonContext.Default.ControlStatusData)),
            ControlVerb.Stats => ControlText.Stats(Read(element, ControlJsonContext.Default.ControlStatsData)),
            _ => Read(element, ControlJsonContext.Default.ControlCommandData).Summary + "\n",
        };
    }

    private static T Read<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        element.Deserialize(type) ?? throw new InvalidOperationException("the reply's data is null");

    private static string Hint(string? socket) => socket is null
        ? $"Is the server running? Without --socket, ctl tries {ControlSocketPath.DefaultDescription}; pass the server's --control-socket as --socket PATH."
        : "Is the server running, with --control-socket at that path?";
}
