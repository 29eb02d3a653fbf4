using System.Globalization;
using System.Text;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// Reads the shim's response head, <c>status NUL name NUL value NUL …</c> in latin-1, onto a gateway response.
/// The head writer validates names and values (a response-splitting guard) when the head is sent.
/// </summary>
internal static class ResponseHead
{
    /// <exception cref="FormatException">The status does not start with a three-digit code.</exception>
    public static void Apply(ReadOnlySpan<byte> head, IGatewayResponse response)
    {
        int end = head.IndexOf((byte)0);
        var status = end < 0 ? head : head[..end];
        ApplyStatus(status, response);
        var rest = end < 0 ? ReadOnlySpan<byte>.Empty : head[(end + 1)..];
        while (!rest.IsEmpty)
        {
            int nameEnd = rest.IndexOf((byte)0);
            if (nameEnd < 0)
            {
                throw new FormatException("A response header has no value.");
            }

            var name = rest[..nameEnd];
            rest = rest[(nameEnd + 1)..];
            int valueEnd = rest.IndexOf((byte)0);
            var value = valueEnd < 0 ? rest : rest[..valueEnd];
            rest = valueEnd < 0 ? ReadOnlySpan<byte>.Empty : rest[(valueEnd + 1)..];
            if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8)
                && long.TryParse(value.Trim((byte)' '), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                // The server frames the body: it must know the length, not just pass the header along.
                response.ContentLength = length;
                continue;
            }

            response.AddHeader(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value));
        }
    }

    private static void ApplyStatus(ReadOnlySpan<byte> status, IGatewayResponse response)
    {
        // gunicorn reads the code from the first token; the rest is the reason phrase.
        int space = status.IndexOf((byte)' ');
        var code = space < 0 ? status : status[..space];
        if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int statusCode) || statusCode < 100)
        {
            throw new FormatException($"Invalid status '{Encoding.Latin1.GetString(status)}': it must start with a three-digit code.");
        }

        response.StatusCode = statusCode;
        var reason = space < 0 ? ReadOnlySpan<byte>.Empty : status[(space + 1)..];
        response.ReasonPhrase = reason.IsEmpty ? null : Encoding.Latin1.GetString(reason);
    }
}
