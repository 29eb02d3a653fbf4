using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Application;
using ActorGunicorn.Arbitration;
using ActorGunicorn.Configuration;
using ActorGunicorn.Control;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hooks;
using ActorGunicorn.Http;
using ActorGunicorn.Logging;
using ActorGunicorn.Transport;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace ActorGunicorn.Runtime;

/// <summary>
/// A worker process (<c>actorgunicorn --actorgunicorn-worker …</c>, started by the arbiter): read the bootstrap from
/// the control channel, load the application, then serve on the inherited listeners until told to stop. gunicorn's
/// <c>Worker.init_process</c>, with its exit codes: 3 when the worker fails to boot, 4 when the app fails to load.
/// </summary>
public static class WorkerMain
{
    /// <summary>The hidden first argument that puts the executable in worker mode.</summary>
    public const string ModeFlag = "--actorgunicorn-worker";

    /// <summary>Runs the worker and returns the process exit code.</summary>
    /// <param name="args">The arguments the arbiter passed.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var signals = SignalBridge.ForWorker();
        var (controlFd, listenFds, loadBoardFd) = ParseArguments(args);
        using var control = new ControlChannel(Listener.FromInheritedDescriptor(controlFd));
        if (control.Receive() is not WorkerBootstrap bootstrap)
        {
            // The arbiter died before sending the bootstrap: nothing to serve for.
            return ExitCodes.Success;
        }

        var loaded = SettingsLoader.LoadForWorker(bootstrap.ConfigHocon);
        var settings = loaded.Settings;
        using var logger = ServerLogging.CreateErrorLogger(settings, out var statsdClient);
        using var statsd = statsdClient;
        logger.Information("Booting worker with pid: {Pid}", Environment.ProcessId);
        var arbiterWatch = ArbiterWatchDuringBoot.Start(controlFd, logger);

        // Opened while the worker still has the arbiter's user: --user may not be allowed to write these files.
        using var accessLog = AccessLog.Create(settings.AccessLog, settings.AccessLogFormat);
        if (WorkerProcessSetup.Prepare(settings, listenFds, logger) is not { } listeners)
        {
            return ExitCodes.WorkerBootError;
        }

        IGatewayApplication application;
        using var loggerFactoryForApp = new SerilogLoggerFactory(logger);
        using var loadBoard = MapLoadBoard(loadBoardFd, logger);
        var balancer = loadBoard?.Claim(Environment.ProcessId) is { } line ? new AcceptBalancer(loadBoard, line, settings.Threads) : null;
        var statistics = new WorkerStatistics { Balancer = balancer };
        using var serverHooks = new WorkerHooks(loaded, logger, bootstrap.Age);
        using var abort = WorkerAbort.Install(loggerFactoryForApp.CreateLogger("actorgunicorn.worker"), statistics.InFlight, serverHooks.WorkerAbort);
        try
        {
            serverHooks.Load();
            serverHooks.PostFork();
            application = ApplicationLoader.Load(settings, loggerFactoryForApp.CreateLogger("actorgunicorn.wsgi"), serverHooks.Python);
            abort.Serving(application);
            if (application is IGatewayLifecycle lifecycle)
            {
                await lifecycle.StartAsync(ServerInfo(settings, logger), CancellationToken.None).ConfigureAwait(false);
            }

            serverHooks.PostWorkerInit();
        }
        catch (ApplicationLoadException ex)
        {
            logger.Error("{Message}", ex.Message);
            return ExitCodes.AppLoadError;
        }
        catch (ApplicationBootException ex)
        {
            logger.Error(ex.InnerException, "{Message}", ex.Message);
            return ExitCodes.WorkerBootError;
        }
        catch (Exception ex)
        {
            logger.Error(ex, "Exception in worker process while starting the application");
            return ExitCodes.WorkerBootError;
        }

        using var loggerFactory = new SerilogLoggerFactory(logger);
        var outcome = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var setup = new WorkerSetup(
            serverHooks.WrapRequests(application),
            settings.Threads,
            settings.WorkerConnections,
            settings.KeepAlive,
            settings.GracefulTimeout,
            bootstrap.MaxRequests,
            ParserOptions(settings),
            listeners.All,
            control,
            accessLog,
            loggerFactory.CreateLogger("actorgunicorn.worker"),
            outcome)
        {
            HeaderTimeout = settings.HeaderTimeout,
            BodyTimeout = settings.BodyTimeout,
            // The arbiter has already checked the files, so a failure here is a boot error (exit 3).
            Tls = ServerTls.Create(settings),
            PeerConnectionLimit = settings.LimitPeerConnections,
            RequestTimeout = settings.RequestTimeout,
            Statistics = statistics,
            OwnListeners = listeners.Own,
            Hooks = serverHooks,
            Statsd = statsd,
        };

        // From here the worker's control link reads the end of the stream itself.
        arbiterWatch.Serving();
        IActorRef worker = ActorRefs.Nobody;
        // An application with thread hooks (WSGI) gets the worker's actors on threads it prepares.
        var applicationThreads = application is IGatewayThreadHooks hooks ? new ApplicationThreads(hooks, settings.Threads) : null;
        var config = applicationThreads is null ? loaded.Config : ApplicationThreads.DispatcherConfig.WithFallback(loaded.Config);
        using (var host = ActorSystemHost.Build("actorgunicorn-worker", config, logger, settings.LogLevel, akka =>
        {
            if (applicationThreads is not null)
            {
                akka.AddSetup(applicationThreads);
            }

            akka.WithActors((system, _) => worker = system.ActorOf(Worker.Props(setup), "worker"));
        }))
        {
            await host.StartAsync().ConfigureAwait(false);
            signals.Attach(signal =>
            {
                if (signal == ServerSignal.Usr1)
                {
                    ReopenLogFiles(settings, accessLog, logger);
                }
                else
                {
                    worker.Tell(new Worker.StopRequested(Graceful: signal == ServerSignal.Term));
                }
            });
            int exitCode = await outcome.Task.ConfigureAwait(false);
            AbandonedRequests.ExitIfAny(statistics.InFlight, setup.Log, exitCode);
            await host.StopAsync().ConfigureAwait(false);
            applicationThreads?.StopAndJoin(settings.GracefulTimeout);
            if (application is IGatewayLifecycle lifecycle)
            {
                using var stopping = new CancellationTokenSource(settings.GracefulTimeout);
                await lifecycle.StopAsync(stopping.Token).ConfigureAwait(false);
            }

            foreach (var listener in listeners.All)
            {
                listener.Dispose();
            }

            balancer?.Release();
            return exitCode;
        }
    }

    /// <summary>gunicorn's worker USR1: reopen the error log file (our stderr) and the access log file.</summary>
    private static void ReopenLogFiles(ServerSettings settings, AccessLog? accessLog, Serilog.ILogger logger)
    {
        try
        {
            if (settings.ErrorLog != "-")
            {
                ServerLogging.RedirectStandardErrorTo(settings.ErrorLog, settings.CaptureOutput);
            }

            accessLog?.Reopen();
        }
        catch (IOException ex)
        {
            logger.Warning("Cannot reopen the log files: {Message}", ex.Message);
        }
    }

    /// <summary>The HTTP parser's options from the settings; shared with the embedded (in-process) server.</summary>
    internal static HttpParserOptions ParserOptions(ServerSettings settings) => new()
    {
        LimitRequestLine = settings.LimitRequestLine,
        LimitRequestFields = settings.LimitRequestFields,
        LimitRequestFieldSize = settings.LimitRequestFieldSize,
        LimitRequestBody = settings.LimitRequestBody,
        PermitObsoleteFolding = settings.PermitObsoleteFolding,
        StripHeaderSpaces = settings.StripHeaderSpaces,
        PermitUnconventionalHttpMethod = settings.PermitUnconventionalHttpMethod,
        PermitUnconventionalHttpVersion = settings.PermitUnconventionalHttpVersion,
        CasefoldHttpMethod = settings.CasefoldHttpMethod,
        HeaderMap = Enum.Parse<HeaderMapPolicy>(settings.HeaderMap, ignoreCase: true),
        ForwarderHeaders = settings.ForwarderHeaders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        SecureSchemeHeaders = new Dictionary<string, string>(settings.SecureSchemeHeaders, StringComparer.OrdinalIgnoreCase),
        ProxyProtocol = Enum.Parse<ProxyProtocolMode>(settings.ProxyProtocol, ignoreCase: true),
        ForwardedAllowIps = IpAllowList.Parse(settings.ForwardedAllowIps),
        ProxyAllowIps = IpAllowList.Parse(settings.ProxyAllowIps),
    };

    private static GatewayServerInfo ServerInfo(ServerSettings settings, Serilog.ILogger logger) => new(
        $"{CommandLineHelp.ProgramName}/{CommandLineHelp.Version}",
        Environment.ProcessId,
        settings.Threads,
        settings.Workers > 1,
        new ErrorLogWriter(logger));

    // Without the board (it could not be mapped) the worker accepts as every worker did before it: correct, less even.
    private static LoadBoard? MapLoadBoard(int fd, Serilog.ILogger logger)
    {
        if (fd < 0)
        {
            return null;
        }

        try
        {
            return LoadBoard.Map(fd);
        }
        catch (IOException ex)
        {
            logger.Warning("Serving without the load board: {Message}", ex.Message);
            return null;
        }
    }

    private static (int ControlFd, IReadOnlyList<int> ListenFds, int LoadBoardFd) ParseArguments(string[] args)
    {
        int controlFd = -1;
        int loadBoardFd = -1;
        IReadOnlyList<int> listenFds = [];
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--control-fd":
                    controlFd = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--load-board-fd":
                    loadBoardFd = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--listen-fds":
                    listenFds = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(fd => int.Parse(fd, CultureInfo.InvariantCulture)).ToList();
                    break;
            }
        }

        if (controlFd < 0)
        {
            throw new ArgumentException($"{ModeFlag} needs --control-fd (it is started by the arbiter, not by hand)");
        }

        return (controlFd, listenFds, loadBoardFd);
    }
}
