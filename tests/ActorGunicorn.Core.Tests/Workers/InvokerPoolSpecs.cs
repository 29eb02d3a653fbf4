using Akka.Actor;
using Akka.Routing;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Gateway;
using ActorGunicorn.Workers;
using ActorGunicorn.Workers.Internal;
using Xunit;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// The invokers' router: a request never waits behind a busy invoker while another is idle, whether the busy one
/// is blocked in the application or awaiting an asynchronous one.
/// </summary>
public sealed class InvokerPoolSpecs : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly RecordingLogger _log = new();

    public InvokerPoolSpecs()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void The_router_prefers_an_idle_invoker_then_the_least_loaded_one()
    {
        var load = new InvokerLoad();
        var (a, b, c) = (CreateTestProbe().Ref, CreateTestProbe().Ref, CreateTestProbe().Ref);
        Routee[] routees = [new ActorRefRoutee(a), new ActorRefRoutee(b), new ActorRefRoutee(c)];
        var logic = new LeastBusyRoutingLogic(load);
        load.For(a).Value = 1;
        load.For(c).Value = 3;

        Assert.Equal(b, ((ActorRefRoutee)logic.Select("exchange", routees)).Actor);
        // b now holds one, like a: either may get the next; c, with three, may not. Each pick is counted in.
        Assert.NotEqual(c, ((ActorRefRoutee)logic.Select("exchange", routees)).Actor);
        Assert.Equal(3, load.For(c).Value);
        Assert.Equal(3, load.For(a).Value + load.For(b).Value);
    }

    [Fact]
    public async Task A_request_is_answered_while_another_invoker_is_blocked_in_the_application()
    {
        using var blocked = new ManualResetEventSlim();
        var entered = new TaskCompletionSource();
        var application = new TestApplication((request, response) =>
        {
            if (request.Path == "/blocks")
            {
                entered.TrySetResult();
                // Blocks the invoker's thread, as a WSGI request sleeping in Python does.
                blocked.Wait(Patience);
            }

            return TestApplication.Echo.InvokeAsync(request, response);
        });

        await AssertServedMeanwhileAsync(application, entered.Task, blocked.Set);
    }

    [Fact]
    public async Task A_request_is_answered_while_another_invoker_awaits_the_application()
    {
        var released = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var application = new TestApplication(async (request, response) =>
        {
            if (request.Path == "/blocks")
            {
                entered.TrySetResult();
                await released.Task;
            }

            await TestApplication.Echo.InvokeAsync(request, response);
        });

        await AssertServedMeanwhileAsync(application, entered.Task, () => released.TrySetResult());
    }

    // Two invokers: while one is busy with /blocks, several requests in a row on another connection are answered.
    private async Task AssertServedMeanwhileAsync(IGatewayApplication application, Task entered, Action release)
    {
        var invokers = Sys.ActorOf(ApplicationInvoker.PoolProps(application, threads: 2));
        using var busy = Connect(invokers);
        using var other = Connect(invokers);

        busy.Send("GET /blocks HTTP/1.1\r\nHost: a\r\n\r\n");
        await entered.WaitAsync(Patience);
        for (int i = 0; i < 3; i++)
        {
            other.Send($"GET /meanwhile/{i} HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal($"GET /meanwhile/{i}", other.ReadResponse(Patience).Body);
        }

        release();
        Assert.Equal("GET /blocks", busy.ReadResponse(Patience).Body);
    }

    private PeerSocket Connect(IActorRef invokers)
    {
        var (server, client) = PeerSocket.CreatePair();
        ChildActorOf(Connection.Props(server, WorkerServices.Create(TestActor, _log), invokers, draining: false));
        return client;
    }
}
