using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>In-process mode with an actor handler: requests as messages, replies as the response.</summary>
public sealed class ActorHandlerSpecs : ServerSpec
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(2);

    public ActorHandlerSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn(
            ActorHandler.FromProps(Props.Create<RoutingHandler>()) with { Timeout = HandlerTimeout, MaxOutstandingRequests = 2 },
            options =>
            {
                LoopbackAnyPort(options);
                // Each request waiting on the handler holds an invoker: four let the silent ones overlap.
                options.Threads = 4;
            });

    [Fact]
    public async Task A_whole_response_from_the_handler_must_be_the_http_response()
    {
        using var client = Client(await ServerEndPointAsync());

        var response = await client.GetAsync(new Uri("/echo?x=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /echo?x=1 /echo x=1", await response.Content.ReadAsStringAsync());
        Assert.Equal("yes", response.Headers.GetValues("X-Handled").Single());
    }

    [Fact]
    public async Task A_handler_that_never_replies_must_give_504_after_its_timeout_and_the_connection_must_serve_the_next_request()
    {
        using var connection = await KeepAliveClient.ConnectAsync(await ServerEndPointAsync());
        var started = DateTime.UtcNow;

        var silent = await connection.SendAsync("GET", "/silent", TimeSpan.FromSeconds(10));

        Assert.Equal(504, silent.Status);
        Assert.True(DateTime.UtcNow - started >= HandlerTimeout, "the 504 came before the handler's timeout");
        var next = await connection.SendAsync("GET", "/echo", TimeSpan.FromSeconds(10));
        Assert.Equal(200, next.Status);
        Assert.Equal("GET /echo /echo ", next.Body);
    }

    [Fact]
    public async Task A_streamed_response_must_reach_the_client_chunk_by_chunk_with_each_chunk_acknowledged()
    {
        using var client = Client(await ServerEndPointAsync());

        var body = await client.GetStringAsync(new Uri("/stream", UriKind.Relative));

        Assert.Equal("chunk-0 ack chunk-1 ack chunk-2 ack ", body);
    }

    [Fact]
    public async Task A_client_that_does_not_read_must_hold_the_streaming_handler_back()
    {
        var handler = await HandlerAsync();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(await ServerEndPointAsync());
        await socket.SendAsync("GET /flood HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray());

        // The client reads nothing: once the socket buffers are full, the handler gets no more acknowledgements.
        int stalled = await StalledChunkCountAsync(handler);

        Assert.True(stalled * RoutingHandler.FloodChunkSize < RoutingHandler.FloodChunks * RoutingHandler.FloodChunkSize / 2, $"the handler sent {stalled} chunks to a client that read nothing");
        long received = 0;
        var buffer = new byte[256 * 1024];
        var tail = string.Empty;
        while (!tail.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(read > 0, "the server closed the connection before the end of the response");
            received += read;
            // The last bytes seen, enough to recognise the chunked body's terminator across reads.
            tail += Encoding.ASCII.GetString(buffer, Math.Max(0, read - 16), Math.Min(read, 16));
            tail = tail.Length > 16 ? tail[^16..] : tail;
        }

        Assert.True(received > (long)RoutingHandler.FloodChunks * RoutingHandler.FloodChunkSize, $"only {received} bytes arrived");
        Assert.Equal(RoutingHandler.FloodChunks, await handler.Ask<int>(RoutingHandler.CountFlood.Instance, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_request_body_must_be_readable_by_the_handler_on_demand()
    {
        using var client = Client(await ServerEndPointAsync());
        var payload = new string('z', 100_000);

        var response = await client.PostAsync(new Uri("/length", UriKind.Relative), new StringContent(payload, Encoding.ASCII));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("100000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task More_requests_than_the_handler_may_have_outstanding_must_be_answered_503()
    {
        var endPoint = await ServerEndPointAsync();
        using var first = await KeepAliveClient.ConnectAsync(endPoint);
        using var second = await KeepAliveClient.ConnectAsync(endPoint);
        using var third = await KeepAliveClient.ConnectAsync(endPoint);
        var waiting = new[] { first.SendAsync("GET", "/silent", TimeSpan.FromSeconds(10)), second.SendAsync("GET", "/silent", TimeSpan.FromSeconds(10)) };
        // The two silent requests occupy the handler's two slots until its timeout; the third finds none free.
        var handler = await HandlerAsync();
        await AwaitAssertAsync(
            async () => Assert.Equal(2, await handler.Ask<int>(RoutingHandler.CountSilent.Instance, TimeSpan.FromSeconds(1))),
            TimeSpan.FromSeconds(5));

        var refused = await third.SendAsync("GET", "/echo", TimeSpan.FromSeconds(10));

        Assert.Equal(503, refused.Status);
        Assert.All(await Task.WhenAll(waiting), answer => Assert.Equal(504, answer.Status));
    }

    [Fact]
    public async Task A_handler_started_from_props_must_be_restarted_by_the_server_when_it_fails()
    {
        var handler = await HandlerAsync();
        using var client = Client(await ServerEndPointAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/silent-but-counted", UriKind.Relative))).StatusCode);
        await client.GetAsync(new Uri("/echo", UriKind.Relative));

        handler.Tell(RoutingHandler.Fail.Instance);

        // A restart is a fresh instance of the same actor: its state is reset, and it serves on (no 503).
        await AwaitAssertAsync(
            async () => Assert.Equal(0, await handler.Ask<int>(RoutingHandler.CountSilent.Instance, TimeSpan.FromSeconds(1))),
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/echo", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_handler_that_has_terminated_must_give_503()
    {
        var endPoint = await ServerEndPointAsync();
        var handler = await HandlerAsync();
        var watcher = CreateTestProbe();
        watcher.Watch(handler);
        handler.Tell(PoisonPill.Instance);
        await watcher.ExpectTerminatedAsync(handler);
        using var connection = await KeepAliveClient.ConnectAsync(endPoint);

        // Termination reaches the gateway as its own message, which may trail the client's first request.
        await AwaitAssertAsync(
            async () => Assert.Equal(503, (await connection.SendAsync("GET", "/echo", TimeSpan.FromSeconds(10))).Status),
            TimeSpan.FromSeconds(5));
    }

    // The server starts the handler as it starts; once it answers a question, the handler exists.
    private async Task<IActorRef> HandlerAsync()
    {
        await ServerEndPointAsync();
        return await Sys.ActorSelection("/user/actorgunicorn/handler").ResolveOne(TimeSpan.FromSeconds(5));
    }

    // Polls the handler's count of flood chunks until it has not moved for a while (the client holds it back).
    private static async Task<int> StalledChunkCountAsync(IActorRef handler)
    {
        int last = -1;
        int unchanged = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (unchanged < 5 && DateTime.UtcNow < deadline)
        {
            int now = await handler.Ask<int>(RoutingHandler.CountFlood.Instance, TimeSpan.FromSeconds(1));
            unchanged = now == last && now > 0 ? unchanged + 1 : 0;
            last = now;
            await Task.Delay(100);
        }

        return last;
    }

    /// <summary>A handler with one route per behaviour the specs exercise.</summary>
    private sealed class RoutingHandler : ReceiveActor
    {
        public const int FloodChunks = 1000;
        public const int FloodChunkSize = 64 * 1024;
        private static readonly byte[] FloodChunk = new byte[FloodChunkSize];
        private int _silent;
        private int _flooded;

        public RoutingHandler()
        {
            Routing();
        }

        public sealed record CountSilent
        {
            public static readonly CountSilent Instance = new();
        }

        public sealed record Fail
        {
            public static readonly Fail Instance = new();
        }

        public sealed record CountFlood
        {
            public static readonly CountFlood Instance = new();
        }

        private void Routing()
        {
            Receive<ActorHandler.Request>(request =>
            {
                switch (request.Path)
                {
                    case "/silent":
                        _silent++;
                        break;
                    case "/silent-but-counted":
                        _silent++;
                        request.Exchange.Tell(new ActorHandler.Response(200, [], "counted"u8.ToArray()));
                        break;
                    case "/stream":
                        Become(() => Streaming(request.Exchange, 0));
                        request.Exchange.Tell(new ActorHandler.ResponseHead(200, [new("Content-Type", "text/plain")], ContentLength: null));
                        request.Exchange.Tell(Chunk(0));
                        break;
                    case "/flood":
                        _flooded = 1;
                        request.Exchange.Tell(new ActorHandler.ResponseHead(200, [], ContentLength: null));
                        request.Exchange.Tell(new ActorHandler.ResponseChunk(FloodChunk));
                        Become(() => Flooding(request.Exchange));
                        break;
                    case "/length":
                        Become(() => Reading(request.Exchange, 0));
                        request.Exchange.Tell(ActorHandler.ReadBody.Instance);
                        break;
                    default:
                        request.Exchange.Tell(new ActorHandler.Response(
                            200,
                            [new("X-Handled", "yes")],
                            Encoding.UTF8.GetBytes($"{request.Method} {request.Target} {request.Path} {request.QueryString}")));
                        break;
                }
            });
            Receive<CountSilent>(_ => Sender.Tell(_silent));
            Receive<CountFlood>(_ => Sender.Tell(_flooded));
            Receive<Fail>(_ => throw new InvalidOperationException("the handler fails, as the spec asked"));
        }

        // One chunk per acknowledgement: the client's pace is the handler's.
        private void Flooding(IActorRef exchange)
        {
            Receive<CountFlood>(_ => Sender.Tell(_flooded));
            Receive<ActorHandler.ChunkWritten>(_ =>
            {
                if (_flooded == FloodChunks)
                {
                    exchange.Tell(ActorHandler.ResponseEnd.Instance);
                    Become(Routing);
                    return;
                }

                _flooded++;
                exchange.Tell(new ActorHandler.ResponseChunk(FloodChunk));
            });
        }

        private static ActorHandler.ResponseChunk Chunk(int number) => new(Encoding.ASCII.GetBytes($"chunk-{number} "));

        private void Streaming(IActorRef exchange, int sent)
        {
            Receive<ActorHandler.ChunkWritten>(_ =>
            {
                exchange.Tell(new ActorHandler.ResponseChunk("ack "u8.ToArray()));
                Become(() => Acknowledging(exchange, sent));
            });
        }

        private void Acknowledging(IActorRef exchange, int sent)
        {
            Receive<ActorHandler.ChunkWritten>(_ =>
            {
                if (sent == 2)
                {
                    exchange.Tell(ActorHandler.ResponseEnd.Instance);
                    Become(Routing);
                    return;
                }

                exchange.Tell(Chunk(sent + 1));
                Become(() => Streaming(exchange, sent + 1));
            });
        }

        private void Reading(IActorRef exchange, long length)
        {
            Receive<ActorHandler.BodyChunk>(chunk =>
            {
                if (chunk.IsLast)
                {
                    exchange.Tell(new ActorHandler.Response(200, [], Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                    Become(Routing);
                    return;
                }

                exchange.Tell(ActorHandler.ReadBody.Instance);
                Become(() => Reading(exchange, length + chunk.Data.Length));
            });
        }
    }
}
