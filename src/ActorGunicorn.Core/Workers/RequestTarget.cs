using System.Buffers;
using System.Text;

namespace ActorGunicorn.Workers;

/// <summary>
/// Decodes a request path for applications: percent-escapes become bytes, read as UTF-8, or as latin-1 when the
/// bytes are not valid UTF-8 (so nothing is ever lost or replaced). The last decoded path is kept, so a
/// keep-alive client asking for the same path again costs no allocation.
/// </summary>
internal sealed class RequestTarget
{
    private byte[] _lastRaw = [];
    private string _lastDecoded = string.Empty;

    public string DecodePath(ReadOnlySpan<byte> raw)
    {
        if (raw.SequenceEqual(_lastRaw))
        {
            return _lastDecoded;
        }

        var decoded = Decode(raw);
        _lastRaw = raw.ToArray();
        _lastDecoded = decoded;
        return decoded;
    }

    /// <summary>Decodes without the cache, so from any thread.</summary>
    internal static string Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOf((byte)'%') < 0)
        {
            return ToText(raw);
        }

        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            int length = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    rented[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }
                else
                {
                    rented[length++] = raw[i];
                }
            }

            return ToText(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string ToText(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
