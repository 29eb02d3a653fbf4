using Akka.Actor;
using Akka.Configuration;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Runtime;

/// <summary>
/// A part of the arbiter process that lives outside this assembly (the cluster membership of ActorGunicorn.Cluster)
/// and runs beside the arbiter's actor system once it has started. The executable passes it to
/// <see cref="ArbiterMain.RunAsync(string[], IArbiterExtension?)"/>, so the server never depends on it.
/// </summary>
public interface IArbiterExtension
{
    /// <summary>Starts the extension, or declines when the settings do not ask for it.</summary>
    /// <param name="context">The arbiter, its settings and the configuration overlay later reloads apply.</param>
    /// <returns>What to dispose to stop the extension (before the arbiter's actor system stops), or null when it declined.</returns>
    Task<IAsyncDisposable?> StartAsync(ArbiterExtensionContext context);
}

/// <summary>What an <see cref="IArbiterExtension"/> is given.</summary>
/// <param name="Settings">The settings the arbiter started with.</param>
/// <param name="BaseConfig">The configuration the arbiter started with, over which an overlay is checked.</param>
/// <param name="Overlay">The overlay every reload lays over the configuration it reads.</param>
/// <param name="Arbiter">The arbiter actor (it answers <c>Arbiter.GetStatus</c>, <c>Reload</c>, <c>AddWorkers</c>, <c>RemoveWorkers</c>).</param>
/// <param name="Logger">The error log.</param>
public sealed record ArbiterExtensionContext(ServerSettings Settings, Config BaseConfig, ConfigurationOverlay Overlay, IActorRef Arbiter, Serilog.ILogger Logger);

/// <summary>
/// An <see cref="IArbiterExtension"/> could not start, for a reason the operator can fix (a port in use, an address
/// the host does not have). The arbiter logs the message, stops its workers and exits 1, as for a busy --bind.
/// </summary>
public sealed class ArbiterExtensionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the setting and the problem.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ArbiterExtensionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ArbiterExtensionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the setting and the problem.</param>
    public ArbiterExtensionException(string message)
        : base(message)
    {
    }
}
