using System.Text.Json;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.TestApps;

/// <summary>
/// Answers every request with a JSON description of what reached the application: method, raw target, query
/// string, protocol, scheme (<c>https</c> on a TLS listener), the headers in order with duplicates (names as
/// received), the body read to its end (base64), then the trailers (read after the body). Whatever the request, the
/// response is a 200 with a Content-Length.
/// </summary>
/// <remarks>
/// The JSON writer escapes every non-ASCII character, so the response is plain ASCII whatever bytes the headers
/// carried (the server reads header bytes as latin-1).
/// </remarks>
public sealed class RequestEcho : IGatewayApplication
{
    /// <inheritdoc />
    public async ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);

        // Read to the end before anything is written: a broken body then fails the request before the response starts.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.Aborted).ConfigureAwait(false);

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("method", request.Method);
            writer.WriteString("target", request.RawTarget);
            writer.WriteString("query", request.QueryString);
            writer.WriteString("protocol", request.Protocol);
            writer.WriteString("scheme", request.Scheme);
            WriteFields(writer, "headers", request.Headers);
            writer.WriteBase64String("body", body.ToArray());
            WriteFields(writer, "trailers", request.Trailers);
            writer.WriteEndObject();
        }

        response.SetHeader("Content-Type", "application/json");
        response.ContentLength = json.Length;
        await response.WriteAsync(json.ToArray()).ConfigureAwait(false);
    }

    private static void WriteFields(Utf8JsonWriter writer, string name, IGatewayHeaders fields)
    {
        writer.WriteStartArray(name);
        foreach (var (fieldName, value) in fields)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(fieldName);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }
}
