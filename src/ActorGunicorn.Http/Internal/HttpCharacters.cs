using System.Buffers;

namespace ActorGunicorn.Http.Internal;

/// <summary>The byte classes of RFC 9110/9112 that the parser and the writers test against, as vectorised sets.</summary>
internal static class HttpCharacters
{
    private const string TokenText = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>RFC 9110 5.6.2 <c>tchar</c>: the only bytes a method or a field name may contain.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(TokenText));

    /// <summary><see cref="Token"/> for names handed in as strings (response headers).</summary>
    public static readonly SearchValues<char> TokenChars = SearchValues.Create(TokenText);

    /// <summary>gunicorn's conventional-method rule refuses lower case and '#' (METHOD_BADCHAR_RE).</summary>
    public static readonly SearchValues<byte> UnconventionalMethod = SearchValues.Create("abcdefghijklmnopqrstuvwxyz#"u8);

    /// <summary>RFC 9110 5.5: a field value may hold HTAB, SP, VCHAR and obs-text; every other control is refused.</summary>
    public static readonly SearchValues<byte> FieldValueForbidden = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    /// <summary>RFC 9112 3.2: a request-target is visible characters only (controls, SP and DEL never appear).</summary>
    public static readonly SearchValues<byte> TargetForbidden = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x7F]);

    /// <summary>Hexadecimal digits, either case (chunk sizes).</summary>
    public static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>Decimal digits (Content-Length, ports).</summary>
    public static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    /// <summary>gunicorn's HEADER_VALUE_RE for response values: <c>[ \t\x21-\x7e\x80-\xff]*</c>.</summary>
    public static readonly SearchValues<char> ResponseValueAllowed = SearchValues.Create(BuildResponseValueAllowed());

    /// <summary>True when <paramref name="value"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && value.IndexOfAnyExcept(Token) < 0;

    /// <summary>True when <paramref name="value"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && value.IndexOfAnyExcept(TokenChars) < 0;

    /// <summary>Strips SP and HTAB from both ends, as gunicorn's <c>strip(" \t")</c>.</summary>
    public static ReadOnlySpan<byte> TrimSpaceTab(ReadOnlySpan<byte> value)
    {
        (int start, int length) = TrimSpaceTabRange(value);
        return value.Slice(start, length);
    }

    /// <summary>Where <see cref="TrimSpaceTab"/>'s result lies inside <paramref name="value"/>.</summary>
    public static (int Start, int Length) TrimSpaceTabRange(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length && IsSpaceOrTab(value[start]))
        {
            start++;
        }

        int end = value.Length;
        while (end > start && IsSpaceOrTab(value[end - 1]))
        {
            end--;
        }

        return (start, end - start);
    }

    /// <summary>True for SP and HTAB, the only whitespace HTTP/1.1 knows inside a line.</summary>
    public static bool IsSpaceOrTab(byte value) => value is (byte)' ' or (byte)'\t';

    private static string BuildResponseValueAllowed()
    {
        var chars = new System.Text.StringBuilder();
        chars.Append('\t');
        for (int c = 0x20; c <= 0x7E; c++)
        {
            chars.Append((char)c);
        }

        for (int c = 0x80; c <= 0xFF; c++)
        {
            chars.Append((char)c);
        }

        return chars.ToString();
    }
}
