using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// A sample served behind wsgiref.validate by one worker, with a 100 MB file to upload and a 200 MB (sparse) file
/// in its DOWNLOAD_DIR.
/// </summary>
public abstract class SampleFixture : WsgiServerFixture
{
    public const long UploadSize = 100L * 1024 * 1024;
    public const long DownloadSize = 200L * 1024 * 1024;

    internal string UploadFile => Path.Combine(TempDirectory, "upload.bin");

    internal string Downloads => Path.Combine(TempDirectory, "downloads");

    internal string DownloadFile => Path.Combine(Downloads, "big.bin");

    internal string UploadSha256 { get; private set; } = string.Empty;

    internal abstract string Sample { get; }

    internal abstract string Spec { get; }

    internal override string[] Arguments() => Wsgi.Args(Spec, Wsgi.Sample(Sample), "-e", $"DOWNLOAD_DIR={Downloads}");

    internal override async Task PrepareAsync()
    {
        // Pseudo-random bytes: a body no layer can compress, and whose digest shows any byte lost or moved.
        var random = new Random(3333);
        var block = new byte[1 << 20];
        await using (var upload = File.Create(UploadFile))
        {
            for (long written = 0; written < UploadSize; written += block.Length)
            {
                random.NextBytes(block);
                await upload.WriteAsync(block);
            }
        }

        UploadSha256 = await Sha256Async(UploadFile);

        // Sparse, so it costs no disk: 200 MB of zeros with random blocks at the start, in the middle and at the end.
        Directory.CreateDirectory(Downloads);
        await using var download = File.Create(DownloadFile);
        download.SetLength(DownloadSize);
        var marker = new byte[4096];
        foreach (long offset in new[] { 0, (DownloadSize / 2) + 12345, DownloadSize - marker.Length })
        {
            random.NextBytes(marker);
            download.Position = offset;
            await download.WriteAsync(marker);
        }
    }

    internal static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}

public sealed class FlaskFixture : SampleFixture
{
    internal override string Sample => "flask_app";

    internal override string Spec => "app:app";
}

public sealed class DjangoFixture : SampleFixture
{
    internal override string Sample => "django_project";

    internal override string Spec => "myproject.wsgi";
}

/// <summary>What the Flask and Django tests do alike, with curl as the client.</summary>
internal static partial class SampleRequests
{
    private const long MemoryBudget = 32L * 1024 * 1024;

    public static async Task<string> GetAsync(SampleFixture sample, string path)
    {
        var result = await Tools.CurlAsync("--fail", sample.Url(path));
        Assert.True(result.ExitCode == 0, $"GET {path}: {result.StandardError}\n{sample.Server.Output}");
        return result.StandardOutput;
    }

    /// <summary>GET the form (keeping its cookies), then POST it with or without the token it carried.</summary>
    public static async Task<(int Status, string Body)> SubmitFormAsync(SampleFixture sample, string tokenField, bool withToken)
    {
        var jar = Path.Combine(sample.TempDirectory, $"cookies-{Guid.NewGuid():N}.txt");
        try
        {
            var form = await Tools.CurlAsync("--fail", "--cookie-jar", jar, sample.Url("/form"));
            Assert.True(form.ExitCode == 0, form.StandardError);
            var token = Regex.Match(form.StandardOutput, $"name=\"{tokenField}\" value=\"([^\"]+)\"");
            Assert.True(token.Success, $"no {tokenField} in the form:\n{form.StandardOutput}");

            string[] fields = withToken
                ? ["--data-urlencode", "name=Ada Lovelace", "--data-urlencode", $"{tokenField}={token.Groups[1].Value}"]
                : ["--data-urlencode", "name=Ada Lovelace"];
            var post = await Tools.CurlAsync(["--cookie", jar, .. fields, "--write-out", "\n%{http_code}", sample.Url("/form")]);
            Assert.True(post.ExitCode == 0, post.StandardError);
            int split = post.StandardOutput.LastIndexOf('\n');
            return (int.Parse(post.StandardOutput[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), post.StandardOutput[..split]);
        }
        finally
        {
            File.Delete(jar);
        }
    }

    /// <summary>POSTs the 100 MB file to /upload; checks the digest the application computed and the worker's memory.</summary>
    public static async Task UploadAsync(SampleFixture sample, bool chunked)
    {
        var memory = WorkerMemory.Start(sample.WorkerPid);
        string[] framing = chunked ? ["--header", "Transfer-Encoding: chunked"] : [];
        var result = await Tools.CurlAsync(
            ["--fail", "--header", "Content-Type: application/octet-stream", .. framing, "--data-binary", $"@{sample.UploadFile}", sample.Url("/upload")]);
        long peakGrowth = memory.PeakGrowth;

        Assert.True(result.ExitCode == 0, $"{result.StandardError}\n{sample.Server.Output}");
        using var answer = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(SampleFixture.UploadSize, answer.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(sample.UploadSha256, answer.RootElement.GetProperty("sha256").GetString());
        Assert.True(peakGrowth < MemoryBudget, $"the worker's peak RSS rose {peakGrowth / 1024 / 1024} MiB during a 100 MB upload");
    }

    /// <summary>GETs the 200 MB file; checks length, content, the worker's memory, and that Python did not copy it.</summary>
    public static async Task DownloadAsync(SampleFixture sample)
    {
        var received = Path.Combine(sample.TempDirectory, "received.bin");
        try
        {
            var memory = WorkerMemory.Start(sample.WorkerPid);
            var result = await Tools.CurlAsync("--fail", "--output", received, "--write-out", "%{http_code} %{size_download}", sample.Url("/download/big.bin"));
            long peakGrowth = memory.PeakGrowth;
            long readCalls = memory.ReadCalls;

            Assert.True(result.ExitCode == 0, $"{result.StandardError}\n{sample.Server.Output}");
            Assert.Equal($"200 {SampleFixture.DownloadSize}", result.StandardOutput);
            Assert.Equal(SampleFixture.DownloadSize, new FileInfo(received).Length);
            Assert.Equal(await SampleFixture.Sha256Async(sample.DownloadFile), await SampleFixture.Sha256Async(received));
            Assert.True(peakGrowth < MemoryBudget, $"the worker's peak RSS rose {peakGrowth / 1024 / 1024} MiB during a 200 MB download");

            // Copied through Python, the file would take one read(2) per block: 25,600 of Flask's 8 KiB blocks or
            // 51,200 of Django's 4 KiB ones. sendfile(2) counts once per call.
            Assert.True(readCalls < 2_560, $"the worker made {readCalls} read calls for the download: the file went through Python, not sendfile(2)");
        }
        finally
        {
            File.Delete(received);
        }
    }

    /// <summary>GET /stream?chunks=3 on a raw socket: chunked, every line there.</summary>
    public static async Task<RawResponse> StreamAsync(SampleFixture sample)
    {
        using var http = await RawHttp.ConnectAsync(sample.Server.Port);
        await http.SendAsync("GET /stream?chunks=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return await http.ReadResponseAsync();
    }
}

/// <summary>The Flask sample (samples/flask_app) behind wsgiref.validate: forms, big bodies both ways, streaming.</summary>
public sealed class WsgiFlaskTests(FlaskFixture flask) : IClassFixture<FlaskFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = flask.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(flask.Server, _linesBefore);

    [Fact]
    public async Task Get_answers_hello_and_json_from_the_worker_process()
    {
        Assert.Equal("Hello, World!", await SampleRequests.GetAsync(flask, "/"));
        using var json = JsonDocument.Parse(await SampleRequests.GetAsync(flask, "/json"));
        Assert.Equal("Hello, World!", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(flask.WorkerPid, json.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task The_form_posted_back_with_its_csrf_token_and_session_cookie_is_accepted()
    {
        var (status, body) = await SampleRequests.SubmitFormAsync(flask, "csrf_token", withToken: true);

        Assert.Equal(200, status);
        Assert.Equal("Hello, Ada Lovelace!", body);
    }

    [Fact]
    public async Task The_form_posted_without_its_csrf_token_is_refused_with_400()
    {
        var (status, _) = await SampleRequests.SubmitFormAsync(flask, "csrf_token", withToken: false);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_100_MB_upload_with_a_content_length_streams_through_with_its_sha256_and_flat_memory() =>
        await SampleRequests.UploadAsync(flask, chunked: false);

    [Fact]
    public async Task A_100_MB_chunked_upload_streams_through_with_its_sha256_and_flat_memory() =>
        await SampleRequests.UploadAsync(flask, chunked: true);

    [Fact]
    public async Task A_generator_response_is_sent_chunked()
    {
        var response = await SampleRequests.StreamAsync(flask);

        Assert.Equal(200, response.Status);
        Assert.Equal("chunked", response.Header("transfer-encoding"));
        Assert.Equal("chunk 0\nchunk 1\nchunk 2\n", response.Body);
    }

    [Fact]
    public async Task A_200_MB_send_from_directory_download_goes_out_whole_by_sendfile_with_flat_memory() =>
        await SampleRequests.DownloadAsync(flask);

    [Fact]
    public async Task A_download_revalidated_by_its_etag_is_a_304_without_content_length_on_a_connection_that_serves_on()
    {
        // Werkzeug's make_conditional (behind send_from_directory) answers the 304 with no Content-Length and no
        // body; the server must add neither (RFC 9110 8.6: only the length the 200 would have had). HEAD keeps the
        // length the application announced. One http.client connection carries all three requests.
        var result = await Tools.PythonAsync(
            """
            import http.client, sys
            connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
            connection.request("HEAD", "/download/big.bin")
            head = connection.getresponse(); head.read()
            etag = head.getheader("ETag")
            connection.request("GET", "/download/big.bin", headers={"If-None-Match": etag})
            revalidated = connection.getresponse(); body = revalidated.read()
            connection.request("GET", "/")
            hello = connection.getresponse()
            print(head.status, head.getheader("Content-Length"))
            print(revalidated.status, revalidated.getheader("Content-Length"), revalidated.getheader("Transfer-Encoding"), len(body))
            print(hello.status, hello.read().decode())
            """,
            Wsgi.Invariant(flask.Server.Port));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(
            [$"200 {SampleFixture.DownloadSize}", "304 None None 0", "200 Hello, World!"],
            result.StandardOutput.TrimEnd().Split('\n'));
    }
}

/// <summary>The Django sample (samples/django_project) behind wsgiref.validate: the same routes, plus static files.</summary>
public sealed class WsgiDjangoTests(DjangoFixture django) : IClassFixture<DjangoFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = django.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(django.Server, _linesBefore);

    [Fact]
    public async Task Get_answers_hello_and_json_from_the_worker_process()
    {
        Assert.Equal("Hello, World!", await SampleRequests.GetAsync(django, "/"));
        using var json = JsonDocument.Parse(await SampleRequests.GetAsync(django, "/json"));
        Assert.Equal("Hello, World!", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(django.WorkerPid, json.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task The_form_posted_back_with_its_csrf_token_and_cookie_is_accepted()
    {
        var (status, body) = await SampleRequests.SubmitFormAsync(django, "csrfmiddlewaretoken", withToken: true);

        Assert.Equal(200, status);
        Assert.Equal("Hello, Ada Lovelace!", body);
    }

    [Fact]
    public async Task The_form_posted_without_its_csrf_token_is_refused_with_403()
    {
        var (status, _) = await SampleRequests.SubmitFormAsync(django, "csrfmiddlewaretoken", withToken: false);

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task A_100_MB_upload_with_a_content_length_streams_through_with_its_sha256_and_flat_memory() =>
        await SampleRequests.UploadAsync(django, chunked: false);

    [Fact]
    public async Task A_streaming_http_response_is_sent_chunked()
    {
        var response = await SampleRequests.StreamAsync(django);

        Assert.Equal(200, response.Status);
        Assert.Equal("chunked", response.Header("transfer-encoding"));
        Assert.Equal("chunk 0\nchunk 1\nchunk 2\n", response.Body);
    }

    [Fact]
    public async Task A_200_MB_file_response_download_goes_out_whole_by_sendfile_with_flat_memory() =>
        await SampleRequests.DownloadAsync(django);

    [Fact]
    public async Task The_admin_stylesheet_is_served_as_text_css_byte_for_byte()
    {
        var package = await Tools.RunAsync(Wsgi.SystemPython, ["-c", "import django, os; print(os.path.dirname(django.__file__))"]);
        var stylesheet = Path.Combine(package.StandardOutput.Trim(), "contrib", "admin", "static", "admin", "css", "base.css");
        var expected = System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(stylesheet));
        using var http = await RawHttp.ConnectAsync(django.Server.Port);

        // Django answers only the hosts in ALLOWED_HOSTS.
        await http.SendAsync("GET /static/admin/css/base.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        var response = await http.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/css", response.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal(expected, response.Body);
    }
}
