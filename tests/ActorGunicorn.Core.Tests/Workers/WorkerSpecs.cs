using Akka.TestKit.Xunit2;
using ActorGunicorn.Control;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;
using ActorGunicorn.Transport;
using ActorGunicorn.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// The worker actor's lifecycle, with the arbiter played by the test over a real control socketpair:
/// Running → Draining → Exited, or straight to Exited when the arbiter is gone.
/// </summary>
public sealed class WorkerSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly UnixListener _listener = new();
    private readonly SocketPair _control = SocketPair.Create();
    private readonly ControlChannel _arbiterEnd;
    private readonly ControlChannel _workerEnd;
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerSpecs()
        : base("akka.loglevel = WARNING")
    {
        _arbiterEnd = new ControlChannel(_control.ParentEnd);
        _workerEnd = new ControlChannel(new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle((IntPtr)_control.ChildFd, ownsHandle: true)));
    }

    [Fact]
    public async Task A_worker_must_announce_itself_ready_and_then_send_heartbeats()
    {
        StartWorker();

        Assert.Equal(new WorkerReady(Environment.ProcessId), await _arbiterEnd.ReceiveAsync().WaitAsync(Patience));
        Assert.IsType<WorkerHeartbeat>(await _arbiterEnd.ReceiveAsync().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_graceful_stop_must_answer_the_request_in_flight_then_exit_zero()
    {
        var (application, client) = await StartWithARequestInFlightAsync();
        using var connection = client;

        _arbiterEnd.Send(new StopWorker(Graceful: true));
        // Like ExpectNoMsg: while the request is in the application, the worker must not exit.
        Assert.NotSame(_outcome.Task, await Task.WhenAny(_outcome.Task, Task.Delay(TimeSpan.FromMilliseconds(300))));
        application.Release();

        Assert.Equal("done", client.ReadResponse().Body);
        Assert.Equal(0, await _outcome.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_worker_must_exit_at_once_when_the_arbiter_is_gone()
    {
        StartWorker();
        await _arbiterEnd.ReceiveAsync().WaitAsync(Patience);

        _arbiterEnd.Dispose();

        Assert.Equal(0, await _outcome.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_worker_whose_budget_is_spent_must_ask_for_a_replacement_serve_on_and_exit_when_stopped()
    {
        StartWorker(maxRequests: 1);
        using (var client = _listener.Connect())
        {
            client.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal("close", client.ReadResponse().Headers["Connection"]);
        }

        IControlMessage? message;
        do
        {
            message = await _arbiterEnd.ReceiveAsync().WaitAsync(Patience);
        }
        while (message is WorkerReady or WorkerHeartbeat);

        Assert.Equal(new RecycleRequested("max-requests reached"), message);

        // Until the arbiter has a replacement serving, this worker keeps answering.
        using (var client = _listener.Connect())
        {
            client.Send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal("GET /again", client.ReadResponse().Body);
        }

        Assert.False(_outcome.Task.IsCompleted);
        _arbiterEnd.Send(new StopWorker(Graceful: true));
        Assert.Equal(0, await _outcome.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_workers_heartbeats_count_the_time_a_request_spends_in_it_while_it_runs_and_no_more_after()
    {
        var (application, client) = await StartWithARequestInFlightAsync();
        using var connection = client;

        // Two beats with the request inside: its time grows by about the beat interval (a second).
        var running = await NextHeartbeatAsync(b => b.ActiveRequests == 1);
        var later = await NextHeartbeatAsync(b => b.ActiveRequests == 1);
        application.Release();
        Assert.Equal("done", client.ReadResponse().Body);
        var finished = await NextHeartbeatAsync(b => b.ActiveRequests == 0 && b.RequestsServed == 1);
        var idle = await NextHeartbeatAsync(_ => true);

        Assert.InRange(later.RequestTimeMs - running.RequestTimeMs, 500, 5000);
        Assert.True(finished.RequestTimeMs >= later.RequestTimeMs, $"{finished.RequestTimeMs} ms after {later.RequestTimeMs} ms");
        Assert.Equal(finished.RequestTimeMs, idle.RequestTimeMs);
    }

    public new void Dispose()
    {
        base.Dispose();
        _arbiterEnd.Dispose();
        _workerEnd.Dispose();
        _control.Dispose();
        _listener.Dispose();
    }

    // A worker whose application holds one request until released: a request provably in flight.
    private async Task<(GatedApplication Application, PeerSocket Client)> StartWithARequestInFlightAsync()
    {
        var application = new GatedApplication("done");
        StartWorker(application);
        var client = _listener.Connect();
        client.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        await application.Entered.WaitAsync(Patience);
        return (application, client);
    }

    private async Task<WorkerHeartbeat> NextHeartbeatAsync(Func<WorkerHeartbeat, bool> matching)
    {
        while (true)
        {
            if (await _arbiterEnd.ReceiveAsync().WaitAsync(Patience) is WorkerHeartbeat beat && matching(beat))
            {
                return beat;
            }
        }
    }

    private void StartWorker(IGatewayApplication? application = null, long maxRequests = 0)
    {
        var setup = new WorkerSetup(
            application ?? TestApplication.Echo,
            Threads: 1,
            WorkerConnections: 100,
            KeepAlive: TimeSpan.FromSeconds(2),
            GracefulTimeout: TimeSpan.FromSeconds(30),
            maxRequests,
            HttpParserOptions.Default,
            [_listener.Socket],
            _workerEnd,
            AccessLog: null,
            new RecordingLogger(),
            _outcome);
        Sys.ActorOf(Worker.Props(setup));
    }
}
