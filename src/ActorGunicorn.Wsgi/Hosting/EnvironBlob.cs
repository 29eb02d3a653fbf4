using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>
/// Writes the per-request part of the WSGI environ as one latin-1 blob, <c>key NUL value NUL …</c>, which the shim
/// turns into the dict in one split: one Python object crosses over instead of dozens of strings. Written outside
/// the GIL into a buffer the Python thread reuses.
/// </summary>
internal ref struct EnvironBlob
{
    private byte[] _buffer;
    private int _length;

    private EnvironBlob(byte[] buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>Writes the request's CGI and HTTP_ variables; returns the length used in <paramref name="buffer"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="scriptName">Where the application is mounted (<c>os.environ["SCRIPT_NAME"]</c>), or empty.</param>
    /// <param name="buffer">The blob's buffer, replaced by a larger one when it is too small.</param>
    /// <exception cref="GatewayRequestRejectedException">The request's path lies outside its SCRIPT_NAME.</exception>
    public static int Write(IGatewayRequest request, string scriptName, ref byte[] buffer)
    {
        var blob = new EnvironBlob(buffer);
        blob.Add("REQUEST_METHOD"u8, request.Method);
        blob.Add("QUERY_STRING"u8, request.QueryString);
        blob.Add("RAW_URI"u8, request.RawTarget);
        blob.Add("SERVER_PROTOCOL"u8, request.Protocol);
        blob.Add("wsgi.url_scheme"u8, request.Scheme);
        blob.AddScriptNameAndPathInfo(request, scriptName);
        blob.AddServer(request.LocalEndPoint, request.Scheme);
        blob.AddRemote(request.RemoteEndPoint);
        blob.AddHeaders(request.Headers);
        buffer = blob._buffer;
        return Math.Max(0, blob._length - 1);
    }

    /// <summary>The path of a request-target, percent-decoded to bytes (PEP 3333 reads them as latin-1).</summary>
    internal static byte[] DecodePath(string rawTarget) => Decode(PathOf(rawTarget));

    private static byte[] Decode(ReadOnlySpan<char> path)
    {
        var decoded = new byte[path.Length];
        int length = 0;
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
            {
                decoded[length++] = (byte)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = (byte)path[i];
            }
        }

        return decoded.AsSpan(0, length).ToArray();
    }

    // origin-form "/p?q", absolute-form "http://host/p?q", asterisk-form "*"; the query and fragment are cut.
    private static ReadOnlySpan<char> PathOf(string rawTarget)
    {
        var target = rawTarget.AsSpan();
        int scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && !target.StartsWith("/"))
        {
            var afterAuthority = target[(scheme + 3)..];
            int slash = afterAuthority.IndexOfAny('/', '?', '#');
            target = slash < 0 || afterAuthority[slash] != '/' ? ReadOnlySpan<char>.Empty : afterAuthority[slash..];
        }

        int end = target.IndexOfAny('?', '#');
        return end < 0 ? target : target[..end];
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// gunicorn's <c>wsgi.create</c>: a <c>SCRIPT_NAME</c> header (the parser keeps that underscore name only from a
    /// trusted front end, <c>--forwarded-allow-ips</c>, or with <c>--header-map dangerous</c>) takes the place of
    /// <paramref name="scriptName"/>, the last one if several; the path as received must start with it, and PATH_INFO
    /// is the rest, percent-decoded. A path outside it is gunicorn's ConfigurationProblem: a 500 error page.
    /// </summary>
    private void AddScriptNameAndPathInfo(IGatewayRequest request, string scriptName)
    {
        scriptName = ForwardedScriptName(request.Headers) ?? scriptName;
        var path = PathOf(request.RawTarget);
        if (scriptName.Length > 0)
        {
            if (!path.StartsWith(scriptName, StringComparison.Ordinal))
            {
                throw new GatewayRequestRejectedException(500, $"Configuration problem: Request path '{path}' does not start with SCRIPT_NAME '{scriptName}'");
            }

            path = path[scriptName.Length..];
        }

        Add("SCRIPT_NAME"u8, scriptName);
        var decoded = Decode(path);
        if (decoded.AsSpan().Contains((byte)0))
        {
            // A NUL would split the blob: the shim decodes this rare path itself.
            Add("PATH_INFO%"u8, path);
            return;
        }

        AddBytes("PATH_INFO"u8, decoded);
    }

    private static string? ForwardedScriptName(IGatewayHeaders headers)
    {
        for (int i = headers.Count - 1; i >= 0; i--)
        {
            var (name, value) = headers[i];
            if (name.Equals("SCRIPT_NAME", StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private void AddServer(EndPoint? local, string scheme)
    {
        switch (local)
        {
            case IPEndPoint ip:
                Add("SERVER_NAME"u8, Address(ip.Address));
                Add("SERVER_PORT"u8, ip.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                // A Unix socket has no port: gunicorn names the socket and takes the scheme's port.
                Add("SERVER_NAME"u8, local is UnixDomainSocketEndPoint unix ? unix.ToString() : "localhost");
                Add("SERVER_PORT"u8, scheme == "https" ? "443" : "80");
                break;
        }
    }

    private void AddRemote(EndPoint? remote)
    {
        if (remote is IPEndPoint ip)
        {
            Add("REMOTE_ADDR"u8, Address(ip.Address));
            Add("REMOTE_PORT"u8, ip.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Add("REMOTE_ADDR"u8, string.Empty);
            Add("REMOTE_PORT"u8, string.Empty);
        }
    }

    private static string Address(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private void AddHeaders(IGatewayHeaders headers)
    {
        int count = headers.Count;
        for (int i = 0; i < count; i++)
        {
            var (name, value) = headers[i];
            if (SeenBefore(headers, i, name))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                AddText("CONTENT_TYPE"u8);
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                AddText("CONTENT_LENGTH"u8);
            }
            else
            {
                AddHeaderName(name);
            }

            AddLatin1(value);
            // Repeated fields become one comma-joined value, as gunicorn does.
            for (int j = i + 1; j < count; j++)
            {
                var later = headers[j];
                if (later.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    Append((byte)',');
                    AddLatin1(later.Value);
                }
            }

            Append(0);
        }
    }

    private static bool SeenBefore(IGatewayHeaders headers, int index, string name)
    {
        for (int i = 0; i < index; i++)
        {
            if (headers[i].Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void AddHeaderName(string name)
    {
        Reserve(name.Length + 6);
        "HTTP_"u8.CopyTo(_buffer.AsSpan(_length));
        _length += 5;
        foreach (char c in name)
        {
            _buffer[_length++] = c == '-' ? (byte)'_' : (byte)char.ToUpperInvariant(c);
        }

        _buffer[_length++] = 0;
    }

    private void Add(ReadOnlySpan<byte> key, ReadOnlySpan<char> value)
    {
        AddText(key);
        AddLatin1(value);
        Append(0);
    }

    private void AddBytes(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        AddText(key);
        Reserve(value.Length + 1);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        Append(0);
    }

    private void AddText(ReadOnlySpan<byte> key)
    {
        Reserve(key.Length + 1);
        key.CopyTo(_buffer.AsSpan(_length));
        _length += key.Length;
        _buffer[_length++] = 0;
    }

    private void AddLatin1(ReadOnlySpan<char> value)
    {
        Reserve(value.Length + 1);
        _length += Encoding.Latin1.GetBytes(value, _buffer.AsSpan(_length));
    }

    private void Append(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
