using System.Text;

namespace ActorGunicorn.Http.Internal;

/// <summary>
/// <see cref="HttpParserOptions"/> compiled for the hot path: limits as plain fields, configured header names as
/// bytes so each received name is compared without allocating.
/// </summary>
internal sealed class ParserRules
{
    public ParserRules(HttpParserOptions options)
    {
        Options = options;
        LimitRequestLine = options.LimitRequestLine;
        LimitRequestFields = options.LimitRequestFields;
        LimitRequestFieldSize = options.LimitRequestFieldSize;
        MaxHeaderSectionBytes = options.MaxHeaderSectionBytes;

        var names = new List<byte[]>();
        var values = new List<byte[]?>();
        foreach (KeyValuePair<string, string> pair in options.SecureSchemeHeaders)
        {
            names.Add(Encoding.Latin1.GetBytes(pair.Key));
            // A configured value outside latin-1 can never equal a received value, so it never means "https".
            values.Add(IsLatin1(pair.Value) ? Encoding.Latin1.GetBytes(pair.Value) : null);
        }

        SecureSchemeNames = [.. names];
        SecureSchemeValues = [.. values];

        var forwarders = new List<byte[]>();
        foreach (string name in options.ForwarderHeaders)
        {
            if (name == "*")
            {
                AnyForwarderHeader = true;
            }
            else
            {
                forwarders.Add(Encoding.Latin1.GetBytes(name));
            }
        }

        ForwarderNames = [.. forwarders];
    }

    public HttpParserOptions Options { get; }

    public int LimitRequestLine { get; }

    public int LimitRequestFields { get; }

    public int LimitRequestFieldSize { get; }

    public long MaxHeaderSectionBytes { get; }

    public byte[][] SecureSchemeNames { get; }

    public byte[]?[] SecureSchemeValues { get; }

    public byte[][] ForwarderNames { get; }

    public bool AnyForwarderHeader { get; }

    /// <summary>Index of the secure-scheme header called <paramref name="name"/>, or -1.</summary>
    public int IndexOfSecureSchemeHeader(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < SecureSchemeNames.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, SecureSchemeNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when a trusted forwarder may set the underscore header <paramref name="name"/>.</summary>
    public bool IsForwarderHeader(ReadOnlySpan<byte> name)
    {
        if (AnyForwarderHeader)
        {
            return true;
        }

        foreach (byte[] forwarder in ForwarderNames)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, forwarder))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLatin1(string value)
    {
        foreach (char c in value)
        {
            if (c > 0xFF)
            {
                return false;
            }
        }

        return true;
    }
}
