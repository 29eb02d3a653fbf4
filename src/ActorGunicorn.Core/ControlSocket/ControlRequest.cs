using System.Globalization;
using System.Text.Json;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// A request on the control socket, in gunicorn's shape: <c>{"id": 1, "command": "add", "args": [2]}</c>. As in
/// gunicorn, the command may carry its arguments itself (<c>"command": "add 2"</c>); <c>args</c> are appended to
/// its words.
/// </summary>
/// <param name="Id">Echoed in the reply, so a client can match replies to requests.</param>
/// <param name="Command">The command.</param>
public sealed record ControlRequest(long Id, ControlCommand Command)
{
    /// <summary>The request as a frame's payload.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", Id);
            json.WriteString("command", ControlCommand.Name(Command.Verb));
            json.WriteStartArray("args");
            if (Command.Verb is ControlVerb.Add or ControlVerb.Remove)
            {
                json.WriteNumberValue(Command.Count);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a request payload. Never throws: what is wrong with it comes back as <see cref="ControlRequestParse.Error"/>.</summary>
    /// <param name="payload">A frame's payload.</param>
    /// <returns>The request's id (0 when it has none) and its command, or the problem.</returns>
    public static ControlRequestParse Parse(ReadOnlySpan<byte> payload)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return new ControlRequestParse(0, null, $"malformed request: not JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ControlRequestParse(0, null, "malformed request: expected a JSON object with a \"command\"");
            }

            long id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out long number)
                ? number
                : 0;
            if (!root.TryGetProperty("command", out var commandElement) || commandElement.ValueKind != JsonValueKind.String)
            {
                return new ControlRequestParse(id, null, "malformed request: \"command\" must be a string");
            }

            var words = commandElement.GetString()!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (root.TryGetProperty("args", out var args))
            {
                if (args.ValueKind != JsonValueKind.Array || args.EnumerateArray().Any(a => a.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
                {
                    return new ControlRequestParse(id, null, "malformed request: \"args\" must be a list of strings or numbers");
                }

                words.AddRange(args.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText()));
            }

            return ControlCommand.TryParse(words, out var command, out var error)
                ? new ControlRequestParse(id, command, null)
                : new ControlRequestParse(id, null, error);
        }
    }
}

/// <summary>What <see cref="ControlRequest.Parse"/> found: a command, or why there is none.</summary>
/// <param name="Id">The request's id, for the reply (0 when it has none or could not be read).</param>
/// <param name="Command">The command, or null.</param>
/// <param name="Error">Null when <paramref name="Command"/> is set, else the problem in one sentence.</param>
public sealed record ControlRequestParse(long Id, ControlCommand? Command, string? Error);
