using System.Buffers;
using ActorGunicorn.Control;
using Xunit;

namespace ActorGunicorn.Core.Tests.Control;

public sealed class ControlMessageSerializerTests
{
    public static TheoryData<IControlMessage> Messages() =>
    [
        new WorkerBootstrap(7, 1042, "actorgunicorn { workers = 2, bind = [\"unix:/tmp/ü.sock\"] }"),
        new WorkerBootstrap(1, 0, string.Empty),
        new StopWorker(Graceful: true),
        new StopWorker(Graceful: false),
        new StopWorker(Graceful: true, DrainBacklog: true),
        new StopWorker(Graceful: true, DrainBacklog: true) { GatedListeners = [3, 4, 1000] },
        new WorkerReady(12345),
        new WorkerHeartbeat(long.MaxValue, 1000, 4, RssBytes: 123_456_789_012, LongestRequestMs: 31_000, RequestTimeMs: 86_400_000_000),
        new RecycleRequested("max-requests reached"),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_control_message_survives_a_round_trip(IControlMessage message)
    {
        var frame = new ArrayBufferWriter<byte>();
        ControlMessageSerializer.WriteFrame(message, frame);

        int length = ControlMessageSerializer.ReadLength(frame.WrittenSpan[..ControlMessageSerializer.LengthPrefixSize]);
        Assert.Equal(frame.WrittenCount - ControlMessageSerializer.LengthPrefixSize, length);
        Assert.Equal(message, ControlMessageSerializer.ReadBody(frame.WrittenSpan[ControlMessageSerializer.LengthPrefixSize..]));
    }

    [Fact]
    public void A_truncated_frame_is_refused()
    {
        var frame = new ArrayBufferWriter<byte>();
        ControlMessageSerializer.WriteFrame(new WorkerHeartbeat(1, 2, 3, 4, 5, 6), frame);

        Assert.Throws<InvalidDataException>(() => ControlMessageSerializer.ReadBody(frame.WrittenSpan[4..^1]));
    }

    [Fact]
    public void An_unknown_message_type_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ControlMessageSerializer.ReadBody([0xEE]));
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => ControlMessageSerializer.ReadBody([2, 1, 0, 0]));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void An_absurd_frame_length_is_refused(byte[] prefix)
    {
        Assert.Throws<InvalidDataException>(() => ControlMessageSerializer.ReadLength(prefix));
    }

    [Fact]
    public void The_channel_reports_end_of_stream_when_the_peer_closes()
    {
        using var pair = ActorGunicorn.Transport.SocketPair.Create();
        using var near = new ControlChannel(pair.ParentEnd);
        using var far = new ControlChannel(new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle((IntPtr)pair.ChildFd, ownsHandle: true)));

        far.Send(new WorkerReady(99));
        Assert.Equal(new WorkerReady(99), near.Receive());

        far.Dispose();
        Assert.Null(near.Receive());
    }
}
