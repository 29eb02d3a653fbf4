using System.Text;
using ActorGunicorn.ControlSocket;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlReplyTests
{
    [Fact]
    public void A_success_reply_carries_the_data_in_snake_case_under_the_requests_id()
    {
        var data = new ControlStatusData(100, 2, 1, 3, [new ControlWorkerData(101, 1, "Running", 42, 3, 50_000_000, 1200, 65_000)]);

        var json = Encoding.UTF8.GetString(ControlReply.Ok(9, data, ControlJsonContext.Default.ControlStatusData));

        Assert.Equal(
            """{"id":9,"status":"ok","data":{"arbiter_pid":100,"desired_workers":2,"min_workers":1,"max_workers":3,"workers":[{"pid":101,"age":1,"state":"Running","requests":42,"connections":3,"rss_bytes":50000000,"current_request_ms":1200,"uptime_ms":65000}]}}""",
            json);
    }

    [Fact]
    public void A_summary_reads_as_written_in_json()
    {
        var json = Encoding.UTF8.GetString(ControlReply.Ok(1, new ControlCommandData("workers: 2 -> 3"), ControlJsonContext.Default.ControlCommandData));

        Assert.Equal("""{"id":1,"status":"ok","data":{"summary":"workers: 2 -> 3"}}""", json);
    }

    [Fact]
    public void The_client_reads_back_what_the_server_wrote()
    {
        var data = new ControlStatsData(100, 5000, 2, 1, 3, 3, 1, 0, 2, 1, 1, 77);

        var reply = ControlReply.Parse(ControlReply.Ok(4, data, ControlJsonContext.Default.ControlStatsData));

        Assert.True(reply.IsOk);
        Assert.Equal(4, reply.Id);
        Assert.Equal(data, System.Text.Json.JsonSerializer.Deserialize(reply.Data!.Value, ControlJsonContext.Default.ControlStatsData));
    }

    [Fact]
    public void An_error_reply_carries_the_message()
    {
        var payload = ControlReply.Failed(5, "unknown command 'x'");

        Assert.Equal("""{"id":5,"status":"error","error":"unknown command 'x'"}""", Encoding.UTF8.GetString(payload));
        var reply = ControlReply.Parse(payload);
        Assert.False(reply.IsOk);
        Assert.Equal((5L, "unknown command 'x'"), (reply.Id, reply.Error));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id": 1}""")]
    [InlineData("""[1, 2]""")]
    public void A_payload_that_is_no_reply_is_a_format_error(string payload) =>
        Assert.Throws<FormatException>(() => ControlReply.Parse(Encoding.UTF8.GetBytes(payload)));
}
