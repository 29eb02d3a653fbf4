using Akka.Actor;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Gateway;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// The request-timeout watchdog against a real connection actor (over a socketpair) and an application that is held
/// until the spec lets it go: what the client gets, what the worker is told, and that the application's late output
/// neither reaches the client nor hangs the connection.
/// </summary>
public sealed class RequestWatchdogSpecs : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(300);
    private readonly RecordingLogger _log = new();

    public RequestWatchdogSpecs()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task A_request_past_the_timeout_must_get_504_and_its_worker_a_recycle_request()
    {
        var released = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        bool lateWriteFailed = false;
        var application = new TestApplication(async (_, response) =>
        {
            entered.TrySetResult();
            await released.Task;
            try
            {
                // Too late: the watchdog has answered. The write is discarded, not sent and not an error.
                response.ContentLength = 4;
                await response.WriteAsync("late"u8.ToArray());
            }
            catch (InvalidOperationException)
            {
                lateWriteFailed = true;
            }
        });
        using var watchdog = Start(application, out var client);
        using var _ = client;

        client.Send("GET /slow?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        await entered.Task.WaitAsync(Patience);
        var response = client.ReadResponse(Patience);

        Assert.StartsWith("HTTP/1.1 504 Gateway Timeout", response.StatusLine, StringComparison.Ordinal);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(client.ReadsEndOfStream(Patience));
        var recycle = ExpectMsg<Worker.RecycleNeeded>(Patience);
        Assert.StartsWith("request timeout: GET /slow?x=1 ran ", recycle.Reason, StringComparison.Ordinal);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error
            && e.Message.StartsWith("Request timeout: GET /slow?x=1 ran ", StringComparison.Ordinal)
            && e.Message.Contains("answered 504 Gateway Timeout", StringComparison.Ordinal));

        // The application finishes later: its output goes nowhere and the connection closes without a second answer.
        released.SetResult();
        ExpectMsg<Acceptor.ConnectionClosed>(Patience);
        Assert.False(lateWriteFailed);
        ExpectNoMsg(TimeSpan.FromMilliseconds(2 * RequestTimeout.TotalMilliseconds));
    }

    [Fact]
    public async Task A_request_whose_response_has_started_must_have_its_connection_cut()
    {
        var released = new TaskCompletionSource();
        var application = new TestApplication(async (_, response) =>
        {
            await response.WriteAsync("first "u8.ToArray());
            await response.FlushAsync();
            await released.Task;
            await response.WriteAsync("second"u8.ToArray());
        });
        using var watchdog = Start(application, out var client);
        using var _ = client;

        client.Send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
        var beforeTimeout = client.ReadUntil("first \r\n", Patience);
        var recycle = ExpectMsg<Worker.RecycleNeeded>(Patience);

        Assert.StartsWith("HTTP/1.1 200 OK", beforeTimeout, StringComparison.Ordinal);
        Assert.StartsWith("request timeout: GET /stream ran ", recycle.Reason, StringComparison.Ordinal);
        // Cut: the chunked body never gets its last chunk.
        Assert.True(client.ReadsEndOfStream(Patience));
        Assert.Contains(_log.Entries, e => e.Message.Contains("the response had started, so the connection was cut", StringComparison.Ordinal));

        released.SetResult();
        ExpectMsg<Acceptor.ConnectionClosed>(Patience);
    }

    [Fact]
    public async Task The_aborted_token_of_a_timed_out_request_must_be_cancelled()
    {
        var cancelled = new TaskCompletionSource();
        var application = new TestApplication(async (request, _) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, request.Aborted);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
            }
        });
        using var watchdog = Start(application, out var client);
        using var _ = client;

        client.Send("GET /waits HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 504", client.ReadResponse(Patience).StatusLine, StringComparison.Ordinal);
        await cancelled.Task.WaitAsync(Patience);
        ExpectMsg<Worker.RecycleNeeded>(Patience);
        ExpectMsg<Acceptor.ConnectionClosed>(Patience);
    }

    [Fact]
    public void Requests_within_the_timeout_must_be_left_alone()
    {
        using var watchdog = Start(TestApplication.Echo, out var client);
        using var _ = client;

        for (int i = 0; i < 5; i++)
        {
            client.Send($"GET /quick/{i} HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal($"GET /quick/{i}", client.ReadResponse(Patience).Body);
        }

        ExpectNoMsg(TimeSpan.FromMilliseconds(3 * RequestTimeout.TotalMilliseconds));
        Assert.DoesNotContain(_log.Entries, e => e.Message.StartsWith("Request timeout", StringComparison.Ordinal));
    }

    // A connection (child of the test actor, which hears what a connection tells its acceptor) and a watchdog that
    // tells the test actor what it would tell the worker.
    private RequestWatchdog Start(IGatewayApplication application, out PeerSocket client)
    {
        var (server, peer) = PeerSocket.CreatePair();
        client = peer;
        var invokers = Sys.ActorOf(ApplicationInvoker.PoolProps(application, threads: 1));
        var services = WorkerServices.Create(TestActor, _log);
        ChildActorOf(Connection.Props(server, services, invokers, draining: false));
        return RequestWatchdog.Start(RequestTimeout, services.Statistics.InFlight, stacks: null, _log, TestActor)!;
    }
}
