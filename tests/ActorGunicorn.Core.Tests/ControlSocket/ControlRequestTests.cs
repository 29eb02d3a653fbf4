using System.Text;
using ActorGunicorn.ControlSocket;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlRequestTests
{
    [Theory]
    [InlineData("""{"id": 7, "command": "status"}""", 7, ControlVerb.Status, 0)]
    [InlineData("""{"id": 8, "command": "stats", "args": []}""", 8, ControlVerb.Stats, 0)]
    [InlineData("""{"command": "reload"}""", 0, ControlVerb.Reload, 0)]
    [InlineData("""{"id": 1, "command": "add", "args": [2]}""", 1, ControlVerb.Add, 2)]
    [InlineData("""{"id": 1, "command": "add", "args": ["3"]}""", 1, ControlVerb.Add, 3)]
    [InlineData("""{"id": 1, "command": "add 4"}""", 1, ControlVerb.Add, 4)]
    [InlineData("""{"id": 1, "command": "add"}""", 1, ControlVerb.Add, 1)]
    [InlineData("""{"id": 1, "command": "  REMOVE  ", "args": [100]}""", 1, ControlVerb.Remove, 100)]
    [InlineData("""{"id": 1, "command": "remove"}""", 1, ControlVerb.Remove, 1)]
    public void A_request_in_gunicorns_shape_names_its_command_and_count(string json, long id, ControlVerb verb, int count)
    {
        var parsed = ControlRequest.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(parsed.Error);
        Assert.Equal(new ControlRequestParse(id, new ControlCommand(verb, count), null), parsed);
    }

    [Theory]
    [InlineData("""{"id": 3, "command": "restart"}""", "unknown command 'restart' (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData("""{"id": 3, "command": ""}""", "no command given (commands: status, stats, reload, add [N], remove [N]; or as gunicornc spells them: show workers, show stats, worker add [N], worker remove [N])")]
    [InlineData("""{"id": 3, "command": "status", "args": ["all"]}""", "'status' takes no argument, got 'all'")]
    [InlineData("""{"id": 3, "command": "add", "args": [0]}""", "bad N '0' for 'add': a whole number from 1 to 100")]
    [InlineData("""{"id": 3, "command": "add", "args": [-1]}""", "bad N '-1' for 'add': a whole number from 1 to 100")]
    [InlineData("""{"id": 3, "command": "add", "args": [101]}""", "bad N '101' for 'add': a whole number from 1 to 100")]
    [InlineData("""{"id": 3, "command": "remove", "args": [1.5]}""", "bad N '1.5' for 'remove': a whole number from 1 to 100")]
    [InlineData("""{"id": 3, "command": "remove", "args": ["two"]}""", "bad N 'two' for 'remove': a whole number from 1 to 100")]
    [InlineData("""{"id": 3, "command": "remove 1 2"}""", "'remove' takes one number N at most, got '1 2'")]
    [InlineData("""{"id": 3, "command": 5}""", "malformed request: \"command\" must be a string")]
    [InlineData("""{"id": 3}""", "malformed request: \"command\" must be a string")]
    [InlineData("""{"id": 3, "command": "add", "args": 2}""", "malformed request: \"args\" must be a list of strings or numbers")]
    [InlineData("""{"id": 3, "command": "add", "args": [[2]]}""", "malformed request: \"args\" must be a list of strings or numbers")]
    public void A_bad_command_is_an_error_naming_the_problem_with_the_requests_id(string json, string error)
    {
        var parsed = ControlRequest.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(new ControlRequestParse(3, null, error), parsed);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("{\"command\": \"status\"")]
    [InlineData("\u00ff\u00fe")]
    [InlineData("")]
    public void A_payload_that_is_not_json_is_a_malformed_request(string payload)
    {
        var parsed = ControlRequest.Parse(Encoding.Latin1.GetBytes(payload));

        Assert.Null(parsed.Command);
        Assert.StartsWith("malformed request: not JSON (", parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"status\"]")]
    [InlineData("\"status\"")]
    [InlineData("null")]
    public void Json_that_is_not_an_object_is_a_malformed_request(string payload) =>
        Assert.Equal(
            new ControlRequestParse(0, null, "malformed request: expected a JSON object with a \"command\""),
            ControlRequest.Parse(Encoding.UTF8.GetBytes(payload)));

    [Theory]
    [InlineData(ControlVerb.Status, 0)]
    [InlineData(ControlVerb.Stats, 0)]
    [InlineData(ControlVerb.Reload, 0)]
    [InlineData(ControlVerb.Add, 5)]
    [InlineData(ControlVerb.Remove, 1)]
    public void What_the_client_writes_the_server_reads_back(ControlVerb verb, int count)
    {
        var request = new ControlRequest(42, new ControlCommand(verb, count));

        Assert.Equal(new ControlRequestParse(42, request.Command, null), ControlRequest.Parse(request.ToJson()));
    }

    [Fact]
    public void The_client_writes_the_command_and_its_count_as_gunicorns_args() =>
        Assert.Equal("""{"id":1,"command":"add","args":[2]}""", Encoding.UTF8.GetString(new ControlRequest(1, new ControlCommand(ControlVerb.Add, 2)).ToJson()));
}
