using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorGunicorn.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorGunicorn.Cluster.Internal;

/// <summary>
/// One arbiter's membership: builds the cluster actor system through Akka.Hosting, and builds a new one when this
/// node is removed from the cluster (downed by the split-brain resolver, or after the others removed it) while the
/// arbiter still runs. Stopping leaves the cluster gracefully.
/// </summary>
internal sealed class ClusterMembership(ArbiterExtensionContext context) : IAsyncDisposable
{
    // A node removed by a partition tries again after this, so a flapping link does not spin.
    private static readonly TimeSpan RejoinDelay = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IHost? _host;
    private int _incarnation;
    private bool _stopping;

    public async Task StartAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopping)
            {
                return;
            }

            var settings = context.Settings.Cluster;
            CheckAddress(settings.Host, settings.Port);
            var host = Build(++_incarnation);
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ArbiterExtensionException)
            {
                host.Dispose();
                // Remoting wraps the socket's error a few levels deep; the innermost one says what is wrong.
                throw new ArbiterExtensionException(
                    $"--cluster-host/--cluster-port: cannot start cluster remoting on {new Configuration.ClusterEndpoint(settings.Host, settings.Port)}: {Innermost(ex).Message}", ex);
            }

            _host = host;
            context.Logger.Information("Cluster: this arbiter is {Address}, joining through {Seeds}", ClusterHocon.AddressOf(new(settings.Host, settings.Port)), string.Join(", ", settings.Seeds));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _stopping = true;
            await StopHostAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Akka's remoting logs a failed bind with its stack trace before it fails; a port in use or an address this host
    // lacks is an operator's mistake, so it is found first and named in one line.
    private static void CheckAddress(string host, int port)
    {
        var where = new Configuration.ClusterEndpoint(host, port);
        try
        {
            var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).FirstOrDefault()
                ?? throw new SocketException((int)SocketError.HostNotFound);
            var probe = new TcpListener(address, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException ex)
        {
            throw new ArbiterExtensionException($"--cluster-host/--cluster-port: cannot listen on {where}: {ex.Message}", ex);
        }
    }

    private static Exception Innermost(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Innermost(aggregate.InnerExceptions[0]),
        { InnerException: { } inner } => Innermost(inner),
        _ => error,
    };

    private IHost Build(int incarnation)
    {
        var settings = context.Settings.Cluster;
        var config = ConfigurationFactory.ParseString(ClusterHocon.Render(settings));
        return ActorSystemHost.Build(ClusterHocon.SystemName, config, context.Logger, context.Settings.LogLevel, akka =>
        {
            akka.WithRemoting(settings.Host, settings.Port)
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = [.. settings.Seeds.Select(ClusterHocon.AddressOf)],
                    Roles = [.. settings.Roles],
                })
                .WithClusterClientReceptionist()
                .WithSingleton<FleetCoordinatorKey>(FleetCoordinator.Name, FleetCoordinator.Props(FleetCoordinatorSettings.Default, context.Logger, [.. settings.Seeds.Select(seed => seed.ToString())]), new ClusterSingletonOptions(), createProxyToo: false)
                .WithActors((system, registry) =>
                {
                    // The proxy under a fixed name, so that `ctl --cluster` can name it as a receptionist service.
                    // Akka.Hosting's manager names the singleton child after the singleton.
                    var proxy = system.ActorOf(
                        ClusterSingletonProxy.Props("/user/" + FleetCoordinator.Name, ClusterSingletonProxySettings.Create(system).WithSingletonName(FleetCoordinator.Name)),
                        FleetCoordinator.Name + "-proxy");
                    ClusterClientReceptionist.Get(system).RegisterService(proxy);
                    system.ActorOf(HostAgent.Props(context.Arbiter, proxy, context.Overlay, context.BaseConfig, log: context.Logger), HostAgent.Name);
                    Akka.Cluster.Cluster.Get(system).RegisterOnMemberRemoved(() => _ = RejoinAsync(incarnation, "was removed from the cluster"));
                    system.ActorOf(QuarantineWatchActor.Props(by => Task.Run(() => RejoinAsync(incarnation, $"was quarantined by {by}"))), "quarantine-watch");
                    // A system that ends any other way rejoins too: a node that stops taking part must never stay
                    // out for good while its arbiter serves.
                    system.WhenTerminated.ContinueWith(
                        _ => RejoinAsync(incarnation, $"lost its cluster system ({CoordinatedShutdown.Get(system).ShutdownReason?.ToString() ?? "no reason given"})"),
                        TaskScheduler.Default);
                });
        });
    }

    // Removed (or its system ended) while the arbiter runs: the old system cannot join again (a cluster never takes
    // back a removed incarnation), so a new one is built. The first signal an incarnation sends wins.
    private async Task RejoinAsync(int incarnation, string what)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // The callback also fires when a system this class is stopping leaves: only the current one counts.
            if (_stopping || incarnation != _incarnation || _host is null)
            {
                return;
            }

            context.Logger.Warning("Cluster: this arbiter {What}; it keeps serving and joins again in {Delay}", what, RejoinDelay);
            await StopHostAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        // The port may still be held for a moment, or the host's address gone: keep trying while the arbiter runs.
        while (true)
        {
            await Task.Delay(RejoinDelay).ConfigureAwait(false);
            try
            {
                await StartAsync().ConfigureAwait(false);
                return;
            }
            catch (ArbiterExtensionException ex)
            {
                context.Logger.Warning("Cluster: cannot join again yet: {Problem}", ex.Message);
            }
        }
    }

    private async Task StopHostAsync()
    {
        if (_host is null)
        {
            return;
        }

        // Stopping the host runs coordinated shutdown: a member that is still up leaves the cluster gracefully.
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        _host = null;
    }

    private sealed class FleetCoordinatorKey
    {
        private FleetCoordinatorKey()
        {
        }
    }
}
