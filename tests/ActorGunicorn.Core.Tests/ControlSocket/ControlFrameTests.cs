using System.Text;
using ActorGunicorn.ControlSocket;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlFrameTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"id":1,"command":"status"}""");

    [Fact]
    public void A_frame_is_the_payload_behind_its_length_in_four_big_endian_bytes()
    {
        var frame = ControlFrame.Encode(Payload);

        Assert.Equal(new byte[] { 0, 0, 0, (byte)Payload.Length }, frame[..4]);
        Assert.Equal(Payload, frame[4..]);
    }

    [Fact]
    public void Every_proper_prefix_of_a_frame_is_incomplete_and_the_whole_frame_is_complete()
    {
        var frame = ControlFrame.Encode(Payload);

        for (int length = 0; length < frame.Length; length++)
        {
            Assert.Equal(ControlFrameStatus.Incomplete, ControlFrame.Decode(frame.AsSpan(0, length), ControlFrame.MaxRequestBytes, out _));
        }

        Assert.Equal(ControlFrameStatus.Complete, ControlFrame.Decode(frame, ControlFrame.MaxRequestBytes, out uint declared));
        Assert.Equal((uint)Payload.Length, declared);
    }

    [Fact]
    public void A_frame_followed_by_the_start_of_the_next_is_complete_and_announces_only_its_own_length()
    {
        byte[] buffered = [.. ControlFrame.Encode(Payload), .. ControlFrame.Encode("{}"u8)[..3]];

        Assert.Equal(ControlFrameStatus.Complete, ControlFrame.Decode(buffered, ControlFrame.MaxRequestBytes, out uint declared));
        Assert.Equal(Payload, buffered.AsSpan(ControlFrame.HeaderBytes, (int)declared).ToArray());
    }

    [Fact]
    public void An_empty_payload_is_a_complete_frame_of_four_bytes() =>
        Assert.Equal(ControlFrameStatus.Complete, ControlFrame.Decode(ControlFrame.Encode([]), ControlFrame.MaxRequestBytes, out _));

    [Theory]
    [InlineData(16, ControlFrameStatus.Incomplete)]
    [InlineData(17, ControlFrameStatus.TooLarge)]
    [InlineData(uint.MaxValue, ControlFrameStatus.TooLarge)]
    public void A_length_above_the_limit_is_refused_from_the_prefix_alone_before_any_payload_arrives(uint announced, ControlFrameStatus expected)
    {
        var prefix = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prefix, announced);

        Assert.Equal(expected, ControlFrame.Decode(prefix, maxPayload: 16, out uint declared));
        Assert.Equal(announced, declared);
    }
}
