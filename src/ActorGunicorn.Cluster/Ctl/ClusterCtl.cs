using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Logging;

namespace ActorGunicorn.Cluster.Ctl;

/// <summary>
/// <c>actorgunicorn ctl --cluster HOST:PORT …</c>: a short-lived remote-only actor system whose cluster client reaches
/// the receptionist of the arbiter at HOST:PORT and sends the command to the fleet coordinator's proxy there. Exit
/// status as for <c>ctl</c>: 0 done; 1 the fleet could not be reached or refused; 2 a usage error.
/// </summary>
public static class ClusterCtl
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(20);

    // How long a spelling of the contact that may not be the node's own is given before the next is tried.
    private static readonly TimeSpan IdentifyTimeout = TimeSpan.FromSeconds(3);

    // A status query is asked again after this long: one sent while the coordinator's node is dead but not yet
    // removed goes to the old singleton and is lost, and the next one reaches the successor.
    private static readonly TimeSpan StatusAttempt = TimeSpan.FromSeconds(3);

    private const string NotAnArbiterHint = "Is an arbiter running there with --cluster-host and --cluster-port at that address?";

    // A rolling reload answers when every host serves with its new workers.
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(15);

    // While it waits, the client asks the fleet how the rollout stands (RolloutWatch judges the answers).
    private static readonly TimeSpan RolloutPollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RolloutPollTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the client and returns the process exit code.</summary>
    /// <param name="args">The arguments after <c>ctl</c>.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.Out.Write(ClusterCtlCommandLine.HelpText);
            return ExitCodes.Success;
        }

        ClusterCtlCommandLine commandLine;
        object message;
        try
        {
            commandLine = ClusterCtlCommandLine.Parse(args);
            message = ToMessage(commandLine);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync(ClusterCtlCommandLine.Usage).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"actorgunicorn ctl: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (OverlayException ex)
        {
            // As a configuration file with a bad key is refused: one line, exit 1, nothing sent.
            await Console.Error.WriteLineAsync($"actorgunicorn ctl: config: {ex.Message}; nothing was sent").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (await ContactProbe.ProblemAsync(commandLine.Contact).ConfigureAwait(false) is { } problem)
        {
            await Console.Error.WriteLineAsync($"actorgunicorn ctl: cannot reach {commandLine.Contact}: {problem}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(NotAnArbiterHint).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var timeout = commandLine.Verb is ClusterVerb.Reload or ClusterVerb.Config ? RolloutTimeout : QueryTimeout;
        var spellings = ContactSpellings(commandLine.Contact).ToList();
        object? reply = null;
        foreach (var spelling in spellings)
        {
            // Every spelling but the last is first asked for the status briefly: one the node does not use for itself
            // is dropped there, and the next is tried instead of waiting out the command's timeout.
            var identifyFirst = spelling != spellings[^1];
            reply = await AskThroughAsync(spelling, message, commandLine.Verb, timeout, identifyFirst).ConfigureAwait(false);
            if (reply is not null)
            {
                break;
            }
        }

        if (reply is null)
        {
            var tried = spellings.Count > 1 ? $" (as {string.Join(", ", spellings)})" : string.Empty;
            await Console.Error.WriteLineAsync($"actorgunicorn ctl: the fleet did not answer through {commandLine.Contact}{tried} within {timeout.TotalSeconds:0} s").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(NotAnArbiterHint + " An arbiter answers only to its address spelled as its --cluster-host.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        switch (reply)
        {
            case FleetCoordinator.FleetStatus status:
                Console.Out.Write(commandLine.Json ? JsonSerializer.Serialize(status, FleetJsonContext.Default.FleetStatus) + "\n" : FleetText.Status(status));
                return ExitCodes.Success;
            case FleetCoordinator.CommandSucceeded succeeded:
                Console.Out.WriteLine(succeeded.Summary);
                return ExitCodes.Success;
            case FleetCoordinator.CommandFailed failed:
                // The reason says what happened (refused, or accepted and then stopped part-way) and what was done.
                await Console.Error.WriteLineAsync($"actorgunicorn ctl: {commandLine.Verb.ToString().ToLowerInvariant()}: {failed.Reason}").ConfigureAwait(false);
                return ExitCodes.Failure;
            default:
                await Console.Error.WriteLineAsync($"actorgunicorn ctl: unexpected reply {reply.GetType().Name}").ConfigureAwait(false);
                return ExitCodes.Failure;
        }
    }

    private static object ToMessage(ClusterCtlCommandLine commandLine) => commandLine.Verb switch
    {
        ClusterVerb.Status => FleetCoordinator.GetFleetStatus.Instance,
        ClusterVerb.Reload => new FleetCoordinator.RollingReload(NewRolloutId()),
        ClusterVerb.Scale => new FleetCoordinator.Scale(commandLine.Total ? ScaleMode.Total : ScaleMode.PerHost, commandLine.Count),
        _ => new FleetCoordinator.DistributeConfig(commandLine.File is { } file ? ReadOverlay(file) : string.Empty, commandLine.Unset, NewRolloutId()),
    };

    // Akka delivers only to an address spelled as the node spells its own (--cluster-host): a node at 127.0.0.1 drops
    // what is sent to localhost. A name is therefore tried as given, then as each address it resolves to, each
    // through its own client system (two spellings in one client make the node drop both).
    private static IEnumerable<ClusterEndpoint> ContactSpellings(ClusterEndpoint contact)
    {
        yield return contact;
        if (IPAddress.TryParse(contact.Host, out _))
        {
            yield break;
        }

        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(contact.Host);
        }
        catch (SocketException)
        {
            yield break;
        }

        foreach (var address in resolved.Select(a => a.ToString()).Distinct(StringComparer.Ordinal))
        {
            yield return contact with { Host = address };
        }
    }

    // The command's answer through one spelling of the contact, or null when the fleet did not answer there.
    private static async Task<object?> AskThroughAsync(ClusterEndpoint contact, object message, ClusterVerb verb, TimeSpan timeout, bool identifyFirst)
    {
        using var system = ActorSystem.Create(ServerLogging.CtlClientSystem, ClientConfig(contact));
        var receptionist = ActorPath.Parse($"{ClusterHocon.AddressOf(contact)}/system/receptionist");
        var client = system.ActorOf(ClusterClient.Props(ClusterClientSettings.Create(system).WithInitialContacts([receptionist])), "client");
        try
        {
            if (identifyFirst)
            {
                var identified = await AskRepeatedlyAsync(client, FleetCoordinator.GetFleetStatus.Instance, IdentifyTimeout).ConfigureAwait(false);
                if (verb == ClusterVerb.Status)
                {
                    return identified;
                }
            }

            return verb == ClusterVerb.Status
                ? await AskRepeatedlyAsync(client, message, timeout).ConfigureAwait(false)
                : RolloutIdOf(message) is { } rolloutId
                    ? await AwaitRolloutAsync(client, rolloutId, () => client.Ask<object>(Send(message), timeout), mayResend: message is FleetCoordinator.RollingReload).ConfigureAwait(false)
                    : await client.Ask<object>(Send(message), timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }
    }

    private static long NewRolloutId() => Random.Shared.NextInt64(1, long.MaxValue);

    private static long? RolloutIdOf(object message) => message switch
    {
        FleetCoordinator.RollingReload reload => reload.RolloutId,
        FleetCoordinator.DistributeConfig config => config.RolloutId,
        _ => null,
    };

    // Local affinity: the receptionist hands the command to its own node's proxy. Without it the registry picks any
    // node's, which may be a dead one the cluster has not removed yet.
    private static ClusterClient.Send Send(object message) => new(FleetCoordinator.ProxyPath, message, localAffinity: true);

    private static async Task<object> AskRepeatedlyAsync(IActorRef client, object query, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            try
            {
                return await client.Ask<object>(Send(query), left < StatusAttempt ? left : StatusAttempt).ConfigureAwait(false);
            }
            catch (AskTimeoutException) when (deadline - DateTime.UtcNow > TimeSpan.FromMilliseconds(100))
            {
                // Asked again below, with what is left of the timeout.
            }
        }
    }

    // The answer to the command comes from the coordinator that took it. Should that coordinator's node die, the
    // member that coordinates next resumes the rollout from what the agents hold, and answers the polls here.
    // A configuration update is never sent again: its predecessor may have had it accepted, and merging it again
    // would change nothing and reload nothing.
    private static async Task<object> AwaitRolloutAsync(IActorRef client, long rolloutId, Func<Task<object>> send, bool mayResend)
    {
        var watch = new RolloutWatch(Environment.TickCount64);
        var answer = send();
        while (true)
        {
            if (await Task.WhenAny(answer, Task.Delay(RolloutPollInterval)).ConfigureAwait(false) == answer)
            {
                return await answer.ConfigureAwait(false);
            }

            FleetCoordinator.RolloutProgress? progress = null;
            try
            {
                progress = await client.Ask<FleetCoordinator.RolloutProgress>(Send(new FleetCoordinator.GetRollout(rolloutId)), RolloutPollTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                // The coordinator is moving; a later poll reaches its successor.
            }

            switch (progress?.State)
            {
                case RolloutState.Done:
                    return new FleetCoordinator.CommandSucceeded(progress.Summary);
                case RolloutState.Failed:
                    return new FleetCoordinator.CommandFailed(progress.Summary);
                case RolloutState.Running:
                    watch.Running(Environment.TickCount64, progress.Summary);
                    break;
                case RolloutState.Unknown:
                    watch.Unknown(Environment.TickCount64);
                    break;
            }

            if (mayResend && watch.TakeResend(Environment.TickCount64))
            {
                answer = send();
            }

            if (watch.LostBy(Environment.TickCount64) is { } lost)
            {
                return new FleetCoordinator.CommandFailed($"{lost}. Run 'status' to see each host, and 'reload' to finish it");
            }
        }
    }

    // The file is read and its shape checked here (HOCON, only actorgunicorn { }, only settings), so a missing file
    // or a misspelt key is the operator's error on the spot; the coordinator checks again, each host checks values.
    private static string ReadOverlay(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OverlayException($"cannot read '{file}': {ex.Message}");
        }

        try
        {
            ConfigurationOverlay.Parse(text, $"'{file}'");
        }
        catch (SettingsException ex)
        {
            throw new OverlayException(ex.Message);
        }

        return text;
    }

    private static Config ClientConfig(ClusterEndpoint contact) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = OFF
          stdout-loglevel = OFF
          actor.provider = remote
          {{ClusterHocon.SerializationBlock}}
          remote.dot-netty.tcp {
            hostname = "{{LocalAddressToward(contact)}}"
            port = 0
          }
          coordinated-shutdown.exit-clr = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ClusterClientReceptionist.DefaultConfig());

    // The coordinator answers over a connection to this process: it must bind the address the fleet can reach, which
    // is the one the kernel would use toward the contact (a UDP "connect" sends nothing, it only picks the route).
    private static string LocalAddressToward(ClusterEndpoint contact)
    {
        try
        {
            var target = IPAddress.TryParse(contact.Host, out var ip) ? ip : Dns.GetHostAddresses(contact.Host)[0];
            using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(target, contact.Port);
            return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return "127.0.0.1";
        }
    }

    // The overlay file cannot be used; not a usage error (exit 2) but a refused configuration (exit 1).
    private sealed class OverlayException(string message) : Exception(message);
}
