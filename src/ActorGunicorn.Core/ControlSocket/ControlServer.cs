using Akka.Actor;
using ActorGunicorn.Configuration;
using ActorGunicorn.ControlSocket.Internal;
using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// The control socket server, in the arbiter process: gunicorn 25.1's control interface as an actor. It accepts on
/// the Unix socket (<c>--control-socket</c>), gives each client a session actor that reads length-prefixed JSON
/// requests, asks the arbiter (<see cref="Arbitration.Arbiter.GetStatus"/>, <see cref="Arbitration.Arbiter.Reload"/>…)
/// and writes the replies. It watches the arbiter and stops with it; stopping closes the socket and removes its file.
/// </summary>
internal static class ControlServer
{
    /// <summary>The server's actor name: <c>/user/control</c>.</summary>
    public const string ActorName = "control";

    /// <summary>Props for the server.</summary>
    /// <param name="listener">The bound control socket; the server owns it from now on.</param>
    /// <param name="arbiter">The arbiter actor.</param>
    /// <param name="log">The error log.</param>
    /// <param name="timeouts">How long a session waits; <see cref="Timeouts.Default"/> when null.</param>
    public static Props Props(ControlSocketListener listener, IActorRef arbiter, ILogger log, Timeouts? timeouts = null) =>
        Akka.Actor.Props.Create(() => new ControlServerActor(listener, arbiter, log, timeouts ?? Timeouts.Default));

    /// <summary>
    /// Opens the control socket the settings ask for, before the arbiter starts. A path named with
    /// <c>--control-socket</c> must work: when it cannot be had, the server must not start. The default path is best
    /// effort: when another running server holds it, or it cannot be created, this server runs without one.
    /// </summary>
    /// <param name="settings">The server settings.</param>
    /// <param name="environment">The environment, for the default path.</param>
    /// <param name="log">The error log; every outcome is logged.</param>
    /// <param name="listener">The bound socket, or null when the server runs without one.</param>
    /// <returns>False when the server must not start.</returns>
    public static bool TryOpenSocket(ServerSettings settings, IReadOnlyDictionary<string, string?> environment, ILogger log, out ControlSocketListener? listener)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        listener = null;
        if (settings.ControlSocketDisable)
        {
            return true;
        }

        var path = ControlSocketPath.Resolve(settings.ControlSocket, name => environment.GetValueOrDefault(name));
        bool named = !ControlSocketPath.IsDefault(settings.ControlSocket);
        try
        {
            listener = ControlSocketListener.Open(path, settings.ControlSocketMode);
            log.ControlSocketListening(path);
            return true;
        }
        catch (ControlSocketInUseException) when (!named)
        {
            log.ControlSocketHeldByAnother(path);
            return true;
        }
        catch (ControlSocketException ex) when (!named)
        {
            log.ControlSocketUnavailable(ex.Message);
            return true;
        }
        catch (ControlSocketException ex)
        {
            log.ControlSocketFailed(ex.Message);
            return false;
        }
    }

    /// <summary>Starts the server in <paramref name="system"/>, when there is a socket to serve.</summary>
    /// <param name="system">The arbiter's actor system.</param>
    /// <param name="listener">The socket from <see cref="TryOpenSocket"/>, or null.</param>
    /// <param name="arbiter">The arbiter actor.</param>
    /// <param name="log">The error log.</param>
    public static void Start(ActorSystem system, ControlSocketListener? listener, IActorRef arbiter, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (listener is not null)
        {
            system.ActorOf(Props(listener, arbiter, log), ActorName);
        }
    }

    /// <summary>How long a session waits.</summary>
    /// <param name="Idle">For a client's next request (or for a reply to be written) before it closes the connection.</param>
    /// <param name="Arbiter">For the arbiter's answer before it replies with an error.</param>
    public sealed record Timeouts(TimeSpan Idle, TimeSpan Arbiter)
    {
        /// <summary>A minute for an idle client; ten seconds for the arbiter, which answers from memory.</summary>
        public static Timeouts Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
    }
}
