using System.Buffers;
using System.Globalization;
using System.Text;

namespace ActorGunicorn.Http;

/// <summary>
/// gunicorn's error response (<c>util.write_error</c>, with the messages of <c>Worker.handle_error</c>): always
/// <c>HTTP/1.1</c>, <c>Connection: close</c>, and a small HTML page naming the reason and the html-escaped message.
/// </summary>
public static class HttpErrorResponse
{
    /// <summary>Writes the response for <paramref name="rejection"/>; only for rejections whose <see cref="HttpRejection.SendsResponse"/> is true.</summary>
    public static void Write(IBufferWriter<byte> output, HttpRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        if (!rejection.SendsResponse)
        {
            throw new ArgumentException("This rejection is answered by closing the connection, not with a response.", nameof(rejection));
        }

        Write(output, rejection.StatusCode, rejection.ReasonPhrase, GetMessage(rejection));
    }

    /// <summary>Writes an error response with any status, e.g. <c>500 Internal Server Error</c> with an empty message.</summary>
    public static void Write(IBufferWriter<byte> output, int statusCode, string reasonPhrase, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        string page = string.Create(CultureInfo.InvariantCulture,
            $"<html>\n  <head>\n    <title>{reasonPhrase}</title>\n  </head>\n  <body>\n    <h1><p>{reasonPhrase}</p></h1>\n    {HtmlEscape(message)}\n  </body>\n</html>\n");
        string response = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {statusCode} {reasonPhrase}\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\n\r\n{page}");
        output.Write(Encoding.Latin1.GetBytes(response));
    }

    /// <summary>The message gunicorn puts on the error page for <paramref name="rejection"/> (before html escaping).</summary>
    public static string GetMessage(HttpRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        string detail = rejection.Detail;
        return rejection.Reason switch
        {
            HttpRejectionReason.InvalidRequestLine => $"Invalid Request Line '{detail}'",
            HttpRejectionReason.InvalidRequestMethod => $"Invalid Method '{detail}'",
            HttpRejectionReason.InvalidHTTPVersion => $"Invalid HTTP Version '{detail}'",
            HttpRejectionReason.LimitRequestHeaders => $"Error parsing headers: '{detail}'",
            HttpRejectionReason.InvalidProxyLine => $"'{detail}'",
            HttpRejectionReason.ForbiddenProxyRequest => "Request forbidden",
            _ => detail,
        };
    }

    // Python's html.escape(s, quote=True).
    private static string HtmlEscape(string text) =>
        new StringBuilder(text)
                .Replace("&", "&amp;")
                .Replace("<", "&lt;")
                .Replace(">", "&gt;")
                .Replace("\"", "&quot;")
                .Replace("'", "&#x27;")
                .ToString();
}
