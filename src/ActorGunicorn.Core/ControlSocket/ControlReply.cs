using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// A reply on the control socket, in gunicorn's shape: <c>{"id": 1, "status": "ok", "data": {…}}</c> or
/// <c>{"id": 1, "status": "error", "error": "…"}</c>.
/// </summary>
/// <param name="Id">The id of the request it answers.</param>
/// <param name="Data">The result, when the command succeeded.</param>
/// <param name="Error">What went wrong, when it did not.</param>
public sealed record ControlReply(long Id, JsonElement? Data, string? Error)
{
    /// <summary>Whether the command succeeded.</summary>
    public bool IsOk => Error is null;

    /// <summary>A success reply's payload.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="id">The request's id.</param>
    /// <param name="data">The result.</param>
    /// <param name="type">How to write it (from <see cref="ControlJsonContext"/>).</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Ok<T>(long id, T data, JsonTypeInfo<T> type) => Write(id, json =>
    {
        json.WriteString("status", "ok");
        json.WritePropertyName("data");
        JsonSerializer.Serialize(json, data, type);
    });

    /// <summary>An error reply's payload.</summary>
    /// <param name="id">The request's id (0 when it could not be read).</param>
    /// <param name="message">What went wrong, in one sentence.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Failed(long id, string message) => Write(id, json =>
    {
        json.WriteString("status", "error");
        json.WriteString("error", message);
    });

    /// <summary>Reads a reply payload.</summary>
    /// <param name="payload">A frame's payload.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="FormatException">The payload is not a reply.</exception>
    public static ControlReply Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("the reply has no \"status\"");
            }

            long id = root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out long number) ? number : 0;
            if (status.GetString() == "ok")
            {
                return new ControlReply(id, root.TryGetProperty("data", out var data) ? data.Clone() : null, null);
            }

            var error = root.TryGetProperty("error", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
            return new ControlReply(id, null, string.IsNullOrEmpty(error) ? "the server reported an error without a message" : error);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException($"the reply is not JSON: {ex.Message}", ex);
        }
    }

    // Only HTML needs '<', '>', '&' and quotes escaped; a reply is read by programs and, through --json, by people.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Write(long id, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            body(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
