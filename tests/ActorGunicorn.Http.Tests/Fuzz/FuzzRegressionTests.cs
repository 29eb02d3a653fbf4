using System.Text;
using ActorGunicorn.Http.Tests.Corpus;
using Xunit;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>Engine bugs the fuzz harness found, minimised; each is driven through a whole connection in several splits.</summary>
public sealed class FuzzRegressionTests
{
    private static readonly ConnectionSettings Settings = new(HttpParserOptions.Default, false, true);

    private const string Head = "POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";

    /// <summary>
    /// Found as a chunking-invariance finding: a chunk-size line of exactly the maximum length was accepted when it
    /// arrived whole, but refused (InvalidChunkSize) when a read ended between its CR and LF, because the CR was
    /// counted as part of the line.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData(";")]
    public void A_chunk_size_line_of_the_maximum_length_is_accepted_even_when_its_CR_and_LF_arrive_apart(string extension)
    {
        // "0000...05" or "5;xxxx...x": exactly MaxChunkSizeLineLength bytes before the CRLF.
        string line = extension.Length == 0
            ? new string('0', HttpBodyDecoder.MaxChunkSizeLineLength - 1) + "5"
            : "5;" + new string('x', HttpBodyDecoder.MaxChunkSizeLineLength - 2);
        byte[] data = Encoding.ASCII.GetBytes(Head + line + "\r\nhello\r\n0\r\n\r\n");
        int lf = Head.Length + line.Length + 1;

        foreach (DriverResult result in DriveInSplits(data, lf))
        {
            Assert.Null(result.Rejection);
            Assert.Equal("hello"u8.ToArray(), Assert.Single(result.Requests).Body);
        }
    }

    /// <summary>
    /// Found as a chunking-invariance finding: a chunk-size line too long was refused as InvalidChunkExtension when
    /// it arrived whole with a ';' far into it, but as InvalidChunkSize when refused before that ';' had arrived.
    /// The reason now depends on the line's first MaxChunkSizeLineLength + 1 bytes only.
    /// </summary>
    [Theory]
    [InlineData(9000, HttpRejectionReason.InvalidChunkSize)]
    [InlineData(10, HttpRejectionReason.InvalidChunkExtension)]
    public void A_chunk_size_line_too_long_is_refused_for_the_same_reason_however_it_is_split(int semicolonAt, HttpRejectionReason expected)
    {
        string line = new string('0', semicolonAt) + ";" + new string('x', 9500 - semicolonAt);
        byte[] data = Encoding.ASCII.GetBytes(Head + line + "\r\n5\r\nhello\r\n0\r\n\r\n");

        foreach (DriverResult result in DriveInSplits(data, Head.Length + HttpBodyDecoder.MaxChunkSizeLineLength + 2))
        {
            Assert.Empty(result.Requests);
            Assert.Equal(expected, result.Rejection?.Reason);
        }
    }

    /// <summary>The input whole, cut at <paramref name="cut"/>, and cut at every byte around it; contiguous and segmented.</summary>
    private static IEnumerable<DriverResult> DriveInSplits(byte[] data, int cut)
    {
        foreach (bool segmented in new[] { false, true })
        {
            yield return ConnectionDriver.Run(Settings, [data], segmented, DriveLimits.None);
            for (int at = cut - 3; at <= cut + 3; at++)
            {
                yield return ConnectionDriver.Run(Settings, [data[..at], data[at..]], segmented, DriveLimits.None);
            }

            yield return ConnectionDriver.Run(Settings, [data[..(cut - 1)], data[(cut - 1)..cut], data[cut..]], segmented, DriveLimits.None);
        }
    }

    [Fact]
    public void A_huge_refused_header_line_is_quoted_only_in_part_in_the_error_page()
    {
        // A colon-less line is refused before its size is: quoting all of it made a page six times its size.
        var line = new string('"', 800_000);
        var result = ParserHarness.Parse($"GET / HTTP/1.1\r\n{line}\r\n\r\n", new HttpParserOptions { LimitRequestFieldSize = 0, LimitRequestFields = 0 });
        var page = new System.Buffers.ArrayBufferWriter<byte>();

        HttpErrorResponse.Write(page, result.Rejection!);

        Assert.Equal(HttpRejectionReason.InvalidHeader, result.Rejection!.Reason);
        Assert.True(page.WrittenCount < 16 * 1024, $"{page.WrittenCount} bytes");
        Assert.EndsWith("...", result.Rejection.Detail, StringComparison.Ordinal);
    }
}
