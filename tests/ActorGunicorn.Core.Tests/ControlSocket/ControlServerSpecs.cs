using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using ActorGunicorn.Arbitration;
using ActorGunicorn.ControlSocket;
using ActorGunicorn.Core.Tests.Configuration;
using ActorGunicorn.Core.Tests.Workers;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

/// <summary>
/// The control server on a real Unix socket, with a probe in the arbiter's place: the spec sees what the server asks
/// the arbiter and answers for it, and talks to the server as a client would, byte by byte when it must misbehave.
/// </summary>
public sealed class ControlServerSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ScratchDirectory _directory = new();
    private readonly RecordingLogger _log = new();
    private readonly Akka.TestKit.TestProbe _arbiter;
    private readonly string _path;

    public ControlServerSpecs()
        : base("akka.loglevel = WARNING")
    {
        _arbiter = CreateTestProbe();
        _path = Path.Combine(_directory.Path, "test.ctl");
    }

    [Fact]
    public async Task Status_asks_the_arbiter_and_replies_with_its_workers_and_the_arbiters_pid()
    {
        StartServer();
        using var client = await ConnectAsync();

        await client.SendAsync("""{"id": 11, "command": "status"}""");
        _arbiter.ExpectMsg<Arbiter.GetStatus>(Patience);
        _arbiter.Reply(new Arbiter.Status(2, 2, 2, [new Arbiter.WorkerStatus(4242, 1, "Running", 10, 1, 80_000_000, 0, TimeSpan.FromSeconds(3))]));
        var reply = await client.ReadReplyAsync();

        Assert.Equal(11, reply.Id);
        var status = reply.Data!.Value.Deserialize(ControlJsonContext.Default.ControlStatusData)!;
        Assert.Equal((Environment.ProcessId, 2), (status.ArbiterPid, status.DesiredWorkers));
        Assert.Equal(new ControlWorkerData(4242, 1, "Running", 10, 1, 80_000_000, 0, 3000), Assert.Single(status.Workers));
    }

    [Theory]
    [InlineData("""{"command": "stats"}""", typeof(Arbiter.GetStats))]
    [InlineData("""{"command": "reload"}""", typeof(Arbiter.Reload))]
    public async Task Stats_and_reload_are_the_arbiters_own_messages(string request, Type expected)
    {
        StartServer();
        using var client = await ConnectAsync();

        await client.SendAsync(request);

        Assert.IsType(expected, _arbiter.ReceiveOne(Patience));
    }

    [Fact]
    public async Task Add_and_remove_carry_their_count_and_the_arbiters_summary_comes_back()
    {
        StartServer();
        using var client = await ConnectAsync();

        await client.SendAsync("""{"id": 1, "command": "add", "args": [2]}""");
        Assert.Equal(new Arbiter.AddWorkers(2), _arbiter.ExpectMsg<Arbiter.AddWorkers>(Patience));
        _arbiter.Reply(new Arbiter.CommandAccepted("workers: 1 -> 3"));
        Assert.Equal("workers: 1 -> 3", (await client.ReadReplyAsync()).Data!.Value.GetProperty("summary").GetString());

        await client.SendAsync("""{"id": 2, "command": "remove"}""");
        Assert.Equal(new Arbiter.RemoveWorkers(1), _arbiter.ExpectMsg<Arbiter.RemoveWorkers>(Patience));
        Assert.Contains(_log.Entries, e => e.Message == "Control command: add 2");
        Assert.Contains(_log.Entries, e => e.Message == "Control command: remove 1");
    }

    [Theory]
    [InlineData("""{"id": 5, "command": "restart"}""", "unknown command 'restart' (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData("""{"id": 5, "command": "add", "args": ["lots"]}""", "bad N 'lots' for 'add': a whole number from 1 to 100")]
    [InlineData("""{"id": 5, "command": "status""", "malformed request: not JSON")]
    public async Task A_bad_request_gets_an_error_and_the_same_connection_is_answered_next_time(string request, string error)
    {
        StartServer();
        using var client = await ConnectAsync();

        await client.SendAsync(request);
        var refused = await client.ReadReplyAsync();
        await client.SendAsync("""{"id": 6, "command": "stats"}""");
        _arbiter.ExpectMsg<Arbiter.GetStats>(Patience);
        _arbiter.Reply(new Arbiter.Stats(TimeSpan.FromSeconds(1), 1, 1, 0, 0, 0, 0, 1, 1, 0, 0));
        var answered = await client.ReadReplyAsync();

        Assert.False(refused.IsOk);
        Assert.StartsWith(error, refused.Error, StringComparison.Ordinal);
        Assert.True(answered.IsOk);
        Assert.Equal(6, answered.Id);
        _arbiter.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task An_oversized_frame_gets_an_error_then_the_connection_closes_and_the_server_answers_the_next_client()
    {
        StartServer();
        using (var client = await ConnectAsync())
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, 1_000_000_000);
            await client.SendRawAsync(prefix);

            var reply = await client.ReadReplyAsync();
            Assert.Equal("request too large: 1000000000 bytes announced, at most 65536 accepted", reply.Error);
            Assert.Equal(0, await client.ReceiveAsync(new byte[1]));
        }

        using var next = await ConnectAsync();
        await next.SendAsync("""{"command": "status"}""");
        _arbiter.ExpectMsg<Arbiter.GetStatus>(Patience);
    }

    [Fact]
    public async Task A_frame_split_into_single_bytes_is_read_whole()
    {
        StartServer();
        using var client = await ConnectAsync();

        foreach (var b in ControlFrame.Encode("""{"command": "reload"}"""u8))
        {
            await client.SendRawAsync([b]);
        }

        _arbiter.ExpectMsg<Arbiter.Reload>(Patience);
    }

    [Fact]
    public async Task When_the_arbiter_does_not_answer_the_client_gets_an_error_in_time()
    {
        StartServer(new ControlServer.Timeouts(Patience, TimeSpan.FromMilliseconds(200)));
        using var client = await ConnectAsync();

        await client.SendAsync("""{"id": 3, "command": "status"}""");
        var reply = await client.ReadReplyAsync();

        Assert.Equal((3L, "the arbiter did not answer within 0.2 s"), (reply.Id, reply.Error));
    }

    [Fact]
    public async Task A_client_idle_past_the_timeout_is_disconnected()
    {
        StartServer(new ControlServer.Timeouts(TimeSpan.FromMilliseconds(200), Patience));
        using var client = await ConnectAsync();

        Assert.Equal(0, await client.ReceiveAsync(new byte[1]));
    }

    [Fact]
    public void The_server_stops_with_the_arbiter_and_removes_its_socket_file()
    {
        var server = StartServer();
        Watch(server);
        Assert.True(File.Exists(_path));

        Sys.Stop(_arbiter.Ref);

        ExpectTerminated(server, Patience);
        Assert.False(File.Exists(_path));
    }

    public new void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }

    private IActorRef StartServer(ControlServer.Timeouts? timeouts = null) =>
        Sys.ActorOf(ControlServer.Props(ControlSocketListener.Open(_path, Convert.ToInt32("600", 8)), _arbiter.Ref, _log, timeouts));

    private async Task<Client> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path));
        return new Client(socket);
    }

    private sealed class Client(Socket socket) : IDisposable
    {
        private readonly ControlConnection _connection = new(socket);

        public Task SendAsync(string json) => SendRawAsync(ControlFrame.Encode(Encoding.UTF8.GetBytes(json)));

        public async Task SendRawAsync(byte[] bytes) => await socket.SendAsync(bytes);

        public async Task<int> ReceiveAsync(byte[] buffer)
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        }

        public async Task<ControlReply> ReadReplyAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            var read = await _connection.ReadFrameAsync(ControlFrame.MaxReplyBytes, timeout.Token);
            return ControlReply.Parse(Assert.IsType<ControlFrameRead.Frame>(read).Payload);
        }

        public void Dispose() => _connection.Dispose();
    }
}
