using Akka.Actor;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>The acceptor actor on a Unix listener.</summary>
public sealed class AcceptorSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // Long enough for an accepted request to be answered many times over on any machine; the positive case in
    // each spec shows the same request is answered once the acceptor may take it.
    private static readonly TimeSpan NotServedWindow = TimeSpan.FromMilliseconds(500);

    private readonly UnixListener _listener = new();
    private readonly RecordingLogger _log = new();

    public AcceptorSpecs()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void An_acceptor_must_pause_at_its_connection_limit_and_resume_when_a_connection_closes()
    {
        Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections: 1, Services(), Invokers()));
        var first = _listener.Connect();
        first.Send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal("GET /first", first.ReadResponse().Body);

        using var second = _listener.Connect();
        second.Send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Throws<System.Net.Sockets.SocketException>(() => second.ReadResponse(NotServedWindow));

        first.Dispose();
        Assert.Equal("GET /second", second.ReadResponse(Patience).Body);
    }

    [Fact]
    public void A_draining_acceptor_must_close_idle_connections_and_stop()
    {
        var acceptor = Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections: 10, Services(), Invokers()));
        Watch(acceptor);
        using var idle = _listener.Connect();
        idle.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        idle.ReadResponse();

        acceptor.Tell(Acceptor.StopAccepting.Instance);

        Assert.True(idle.ReadsEndOfStream(Patience));
        ExpectTerminated(acceptor, Patience);
    }

    [Fact]
    public void A_draining_acceptor_must_leave_new_connections_in_the_listen_queue_for_other_workers()
    {
        var acceptor = Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections: 10, Services(), Invokers()));
        Watch(acceptor);
        acceptor.Tell(Acceptor.StopAccepting.Instance);
        ExpectTerminated(acceptor, Patience);

        using var late = _listener.Connect();
        late.Send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Throws<System.Net.Sockets.SocketException>(() => late.ReadResponse(NotServedWindow));

        // Another worker's acceptor on the same listener takes it.
        Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections: 10, Services(), Invokers()));
        Assert.Equal("GET /late", late.ReadResponse(Patience).Body);
    }

    [Fact]
    public async Task A_stopping_acceptor_on_its_own_listener_must_refuse_new_connections_and_close_it_while_its_requests_finish()
    {
        // A worker's own SO_REUSEPORT listener: no other worker accepts from it, so it is closed to new connections at
        // once (they go to the other workers' sockets) and closed as soon as its queue is empty, not when the worker's
        // last request is done.
        var (application, acceptor, busy) = await StartWithABusyConnectionAsync(maxConnections: 10, Acceptor.OwnListenerClose.GateFirst);
        using var _ = busy;

        acceptor.Tell(Acceptor.StopAccepting.Instance);
        await acceptor.Ask<ActorIdentity>(new Identify(null), Patience);
        Assert.Throws<System.Net.Sockets.SocketException>(() => _listener.Connect());
        AwaitCondition(() => _listener.Socket.SafeHandle.IsClosed, Patience);

        application.Release();
        var answer = busy.ReadResponse(Patience);
        Assert.Equal("done", answer.Body);
        Assert.Equal("close", answer.Headers["Connection"]);
        ExpectTerminated(acceptor, Patience);
    }

    [Fact]
    public async Task A_stopping_acceptor_on_its_own_listener_must_serve_the_connections_queued_before_the_stop()
    {
        // One slot, taken: the second client waits in the kernel's queue when the stop comes. Closing the listener then
        // would reset it; it is served once the slot frees, and only then is the listener closed.
        var (application, acceptor, busy) = await StartWithABusyConnectionAsync(maxConnections: 1, Acceptor.OwnListenerClose.GateFirst);
        using var _ = busy;
        using var queued = _listener.Connect();
        queued.Send("GET /queued HTTP/1.1\r\nHost: a\r\n\r\n");

        acceptor.Tell(Acceptor.StopAccepting.Instance);
        application.Release();

        Assert.Equal("done", busy.ReadResponse(Patience).Body);
        var answer = queued.ReadResponse(Patience);
        Assert.Equal("done", answer.Body);
        Assert.Equal("close", answer.Headers["Connection"]);
        ExpectTerminated(acceptor, Patience);
    }

    [Fact]
    public async Task A_stopping_acceptor_on_a_gated_shared_listener_must_serve_everything_queued_not_only_what_was_queued_at_the_stop()
    {
        // The arbiter closed the gate as the whole server stops: what is queued is the last of it, however it got
        // there, and no one else will take it.
        var (application, acceptor, busy) = await StartWithABusyConnectionAsync(maxConnections: 1, ownListener: null);
        using var _ = busy;
        using var queued = _listener.Connect();
        queued.Send("GET /queued HTTP/1.1\r\nHost: a\r\n\r\n");

        ActorGunicorn.Transport.ListenerGate.Close(_listener.Socket);
        acceptor.Tell(Acceptor.StopAccepting.AfterGatedQueue);
        Assert.Throws<System.Net.Sockets.SocketException>(() => _listener.Connect());
        application.Release();

        Assert.Equal("done", busy.ReadResponse(Patience).Body);
        Assert.Equal("done", queued.ReadResponse(Patience).Body);
        ExpectTerminated(acceptor, Patience);
    }

    [Fact]
    public void Acceptors_of_two_workers_sharing_a_load_board_share_a_burst_of_keep_alive_connections_out_evenly()
    {
        // Two workers on one shared listener, each with its own descriptor for it as after a fork (so each waits on
        // it separately, as processes do): each posts its load, and one that holds more than one connection more than
        // the other leaves the next connection to it.
        using var board = ActorGunicorn.Transport.LoadBoard.Create();
        using var firstListener = SeparateDescriptor(_listener.Socket);
        using var secondListener = SeparateDescriptor(_listener.Socket);
        var first = BalancedServices(board);
        var second = BalancedServices(board);
        Sys.ActorOf(Acceptor.Props(firstListener, maxConnections: 100, first, Invokers()));
        Sys.ActorOf(Acceptor.Props(secondListener, maxConnections: 100, second, Invokers()));

        // Keep-alive clients as a load generator opens them: all at once, before any request.
        var clients = Enumerable.Range(0, 20).Select(_ => _listener.Connect()).ToList();
        AwaitCondition(() => first.Statistics.OpenConnections + second.Statistics.OpenConnections == 20, Patience);

        var (one, other) = (first.Statistics.OpenConnections, second.Statistics.OpenConnections);
        clients.ForEach(client => client.Dispose());
        Assert.True(Math.Abs(one - other) <= 2, $"{one} and {other} connections");
    }

    // An acceptor (watched) whose first connection is inside a gated application, which answers "done" when released.
    private async Task<(GatedApplication Application, IActorRef Acceptor, PeerSocket Busy)> StartWithABusyConnectionAsync(int maxConnections, Acceptor.OwnListenerClose? ownListener)
    {
        var application = new GatedApplication("done");
        var invokers = Sys.ActorOf(ApplicationInvoker.PoolProps(application, threads: 2));
        var acceptor = Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections, Services(), invokers, ownListener));
        Watch(acceptor);
        var busy = _listener.Connect();
        busy.Send("GET /busy HTTP/1.1\r\nHost: a\r\n\r\n");
        await application.Entered.WaitAsync(Patience);
        return (application, acceptor, busy);
    }

    private static System.Net.Sockets.Socket SeparateDescriptor(System.Net.Sockets.Socket socket)
    {
        const int fDupFdCloexec = 1030;
        int fd = ActorGunicorn.Interop.Libc.Fcntl((int)socket.Handle, fDupFdCloexec, 100);
        Assert.True(fd >= 0, ActorGunicorn.Interop.Libc.LastError());
        return new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(fd, ownsHandle: true));
    }

    private ConnectionServices BalancedServices(ActorGunicorn.Transport.LoadBoard board)
    {
        var line = board.Claim(Environment.ProcessId)!;
        var balancer = new AcceptBalancer(board, line, threads: 1);
        balancer.PostAccepting(true);
        return WorkerServices.Create(TestActor, _log) with { Statistics = new WorkerStatistics { Balancer = balancer }, Balancer = balancer };
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void The_stop_for_an_acceptor_must_take_the_whole_queue_only_of_a_listener_the_arbiter_gated(bool wholeServer, bool gatedHere, bool expectGatedQueue)
    {
        var stop = new Worker.StopRequested(Graceful: true, DrainBacklog: wholeServer, GatedListeners: gatedHere ? [7] : [9]);
        var forAcceptor = Acceptor.StopFor(stop, listenerFd: 7);
        Assert.Equal(wholeServer, forAcceptor.DrainBacklog);
        Assert.Equal(expectGatedQueue, forAcceptor.ListenerGated);
    }

    public new void Dispose()
    {
        base.Dispose();
        _listener.Dispose();
    }

    private ConnectionServices Services() => WorkerServices.Create(TestActor, _log);

    private Akka.Actor.IActorRef Invokers() => Sys.ActorOf(ApplicationInvoker.PoolProps(TestApplication.Echo, threads: 1));
}
