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
    public async Task A_draining_acceptor_on_its_own_listener_must_serve_new_connections_until_idle_then_close_the_listener()
    {
        // A worker's own SO_REUSEPORT listener keeps receiving connections from the kernel until it is closed, and no
        // other worker accepts from it: they are served (one request each), and the listener closes once idle.
        var application = new GatedApplication("done");
        var invokers = Sys.ActorOf(ApplicationInvoker.PoolProps(application, threads: 2));
        var acceptor = Sys.ActorOf(Acceptor.Props(_listener.Socket, maxConnections: 10, Services(), invokers, ownsListener: true));
        Watch(acceptor);
        using var busy = _listener.Connect();
        busy.Send("GET /busy HTTP/1.1\r\nHost: a\r\n\r\n");
        await application.Entered.WaitAsync(Patience);

        acceptor.Tell(Acceptor.StopAccepting.Instance);
        using var late = _listener.Connect();
        late.Send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
        application.Release();

        Assert.Equal("done", late.ReadResponse(Patience).Body);
        Assert.True(late.ReadsEndOfStream(Patience));
        Assert.Equal("done", busy.ReadResponse(Patience).Body);
        ExpectTerminated(acceptor, Patience);
        Assert.Throws<System.Net.Sockets.SocketException>(() => _listener.Connect());
    }

    public new void Dispose()
    {
        base.Dispose();
        _listener.Dispose();
    }

    private ConnectionServices Services() => WorkerServices.Create(TestActor, _log);

    private Akka.Actor.IActorRef Invokers() => Sys.ActorOf(ApplicationInvoker.PoolProps(TestApplication.Echo, threads: 1));
}
