using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// TLS with gunicorn's settings (<c>--certfile</c>, <c>--keyfile</c>, <c>--ca-certs</c>, <c>--cert-reqs</c>,
/// <c>--ciphers</c>) and <c>--tls-min-version</c>, against Debian's curl (OpenSSL) with certificates made for the
/// class (<see cref="TestCertificates"/>). Each test starts its own one-worker server.
/// </summary>
public sealed partial class TlsTests(TestCertificates certificates) : IClassFixture<TestCertificates>
{
    private static readonly string EchoApp = $"{Paths.TestApps}:ActorGunicorn.TestApps.RequestEcho";

    [Fact]
    public async Task Curl_trusting_the_ca_gets_hello_world_over_https()
    {
        await using var server = await StartAsync(Paths.HelloWorld);

        var result = await CurlAsync(server, "/", "--include");

        Assert.True(result.ExitCode == 0, Explain(result, server));
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 13\r\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nHello, World!", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_announces_an_https_address()
    {
        await using var server = await StartAsync(Paths.HelloWorld);

        var listening = await server.WaitForLineAsync(l => l.Contains("Listening at: ", StringComparison.Ordinal));

        Assert.Contains($"Listening at: https://127.0.0.1:{server.Port} ", listening, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_listener_speaks_tls_ipv4_ipv6_and_unix()
    {
        var socket = Path.Combine(certificates.TempDirectory, $"tls-{Guid.NewGuid():N}.sock");
        await using var server = await StartAsync(Paths.HelloWorld, "-b", "[::1]:0", "-b", $"unix:{socket}");
        int ipv4Port = await ListeningPortAsync(server, "127.0.0.1");
        int ipv6Port = await ListeningPortAsync(server, "[::1]");
        await server.WaitForLineAsync(l => l.Contains($"Listening at: unix:{socket}", StringComparison.Ordinal));

        var overIpv4 = await Tools.CurlAsync("--cacert", certificates.CaCertificate, $"https://127.0.0.1:{ipv4Port}/");
        var overIpv6 = await Tools.CurlAsync("--cacert", certificates.CaCertificate, "-g", $"https://[::1]:{ipv6Port}/");
        var overUnix = await Tools.CurlAsync("--cacert", certificates.CaCertificate, "--unix-socket", socket, "https://127.0.0.1/");

        Assert.True(overIpv4.StandardOutput == "Hello, World!", Explain(overIpv4, server));
        Assert.True(overIpv6.StandardOutput == "Hello, World!", Explain(overIpv6, server));
        Assert.True(overUnix.StandardOutput == "Hello, World!", Explain(overUnix, server));
    }

    [Theory]
    [InlineData("--http1.1")]
    [InlineData("--http2")]
    public async Task Alpn_selects_http_1_1_whether_the_client_offers_it_alone_or_after_h2(string offer)
    {
        await using var server = await StartAsync(Paths.HelloWorld);

        var result = await CurlAsync(server, "/", "--verbose", offer);

        Assert.True(result.ExitCode == 0, Explain(result, server));
        Assert.Equal("Hello, World!", result.StandardOutput);

        // "ALPN: server accepted http/1.1" (curl 7.88 on), "ALPN, server accepted to use http/1.1" (before).
        Assert.Matches(AlpnAcceptedHttp11(), result.StandardError);
        Assert.Contains("< HTTP/1.1 200 OK", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_tls_connection_carries_several_keep_alive_requests_and_a_large_body_both_ways()
    {
        await using var server = await StartAsync(Paths.HelloWorld);
        var body = Path.Combine(certificates.TempDirectory, $"body-{Guid.NewGuid():N}.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(body, bytes);
        try
        {
            var keepAlive = await Tools.CurlAsync(
                "--cacert", certificates.CaCertificate, "--verbose", Url(server, "/"), Url(server, "/"), Url(server, "/stream?chunks=3"));
            var echoed = await Tools.CurlAsync(
                "--cacert", certificates.CaCertificate, "--data-binary", $"@{body}", "-H", "Content-Type: application/octet-stream",
                "--output", body + ".out", Url(server, "/echo"));

            Assert.True(keepAlive.ExitCode == 0, Explain(keepAlive, server));
            Assert.Equal("Hello, World!Hello, World!chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n", keepAlive.StandardOutput);
            Assert.Equal(1, CountOccurrences(keepAlive.StandardError, "Connected to 127.0.0.1"));
            Assert.Equal(2, CountOccurrences(keepAlive.StandardError, "Re-using existing connection"));
            Assert.True(echoed.ExitCode == 0, Explain(echoed, server));
            var returned = await File.ReadAllBytesAsync(body + ".out");
            Assert.True(bytes.AsSpan().SequenceEqual(returned), "the echoed body differs from the one sent");
        }
        finally
        {
            File.Delete(body);
            File.Delete(body + ".out");
        }
    }

    [Fact]
    public async Task The_application_sees_the_https_scheme()
    {
        await using var server = await StartAsync(EchoApp);

        var result = await CurlAsync(server, "/scheme?x=1");

        Assert.True(result.ExitCode == 0, Explain(result, server));
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("https", json.RootElement.GetProperty("scheme").GetString());
        Assert.Equal("/scheme?x=1", json.RootElement.GetProperty("target").GetString());
    }

    [Fact]
    public async Task A_wsgi_application_sees_wsgi_url_scheme_https()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            Wsgi.Args("probe_app:application", Wsgi.PythonApps, [.. TlsFlags()]));

        var result = await CurlAsync(server, "/tls-environ");

        Assert.True(result.ExitCode == 0, Explain(result, server));
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("https", json.RootElement.GetProperty("wsgi.url_scheme").GetString());
        Assert.Equal(Wsgi.Invariant(server.Port), json.RootElement.GetProperty("SERVER_PORT").GetString());
        Wsgi.AssertValidatorWasSilent(server);
    }

    [Theory]
    [InlineData("no certificate")]
    [InlineData("a certificate from another CA")]
    public async Task With_cert_reqs_2_a_client_without_a_certificate_from_the_ca_is_refused_and_the_worker_lives_on(string client)
    {
        await using var server = await StartAsync(Paths.HelloWorld, "--cert-reqs", "2", "--ca-certs", certificates.CaCertificate);
        int worker = server.WorkerPids.Single();
        string[] presented = client == "no certificate"
            ? []
            : ["--cert", certificates.ForeignClientCertificate, "--key", certificates.ForeignClientKey];

        var refused = await CurlAsync(server, "/", presented);

        Assert.True(refused.ExitCode != 0, $"curl with {client} was served:\n{Explain(refused, server)}");
        Assert.DoesNotContain("Hello", refused.StandardOutput, StringComparison.Ordinal);
        await server.WaitForLineAsync(IsHandshakeWarning);
        var next = await CurlAsync(server, "/pid", "--cert", certificates.ClientCertificate, "--key", certificates.ClientKey);
        Assert.True(next.StandardOutput == Wsgi.Invariant(worker), Explain(next, server));
        Assert.Single(server.WorkerPids);
    }

    [Fact]
    public async Task With_cert_reqs_2_a_client_certificate_signed_by_the_ca_is_served()
    {
        await using var server = await StartAsync(Paths.HelloWorld, "--cert-reqs", "2", "--ca-certs", certificates.CaCertificate);

        var result = await CurlAsync(server, "/", "--cert", certificates.ClientCertificate, "--key", certificates.ClientKey);

        Assert.True(result.ExitCode == 0, Explain(result, server));
        Assert.Equal("Hello, World!", result.StandardOutput);
    }

    [Fact]
    public async Task With_cert_reqs_1_a_client_is_served_with_or_without_a_certificate()
    {
        await using var server = await StartAsync(Paths.HelloWorld, "--cert-reqs", "1", "--ca-certs", certificates.CaCertificate);

        var without = await CurlAsync(server, "/");
        var with = await CurlAsync(server, "/", "--cert", certificates.ClientCertificate, "--key", certificates.ClientKey);

        Assert.True(without.StandardOutput == "Hello, World!", Explain(without, server));
        Assert.True(with.StandardOutput == "Hello, World!", Explain(with, server));
    }

    [Fact]
    public async Task By_default_both_tls_1_2_and_tls_1_3_clients_are_served()
    {
        await using var server = await StartAsync(Paths.HelloWorld);

        var tls12 = await CurlAsync(server, "/", "--verbose", "--tls-max", "1.2");
        var tls13 = await CurlAsync(server, "/", "--verbose", "--tlsv1.3");

        Assert.True(tls12.StandardOutput == "Hello, World!", Explain(tls12, server));
        Assert.Contains("SSL connection using TLSv1.2", tls12.StandardError, StringComparison.Ordinal);
        Assert.True(tls13.StandardOutput == "Hello, World!", Explain(tls13, server));
        Assert.Contains("SSL connection using TLSv1.3", tls13.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_tls_min_version_1_3_a_tls_1_2_client_is_refused_and_a_default_client_is_served()
    {
        await using var server = await StartAsync(Paths.HelloWorld, "--tls-min-version", "1.3");

        var tls12 = await CurlAsync(server, "/", "--tls-max", "1.2");
        var byDefault = await CurlAsync(server, "/", "--verbose");

        Assert.True(tls12.ExitCode != 0, $"a TLS 1.2 client was served:\n{Explain(tls12, server)}");
        Assert.DoesNotContain("Hello", tls12.StandardOutput, StringComparison.Ordinal);
        Assert.True(byDefault.StandardOutput == "Hello, World!", Explain(byDefault, server));
        Assert.Contains("SSL connection using TLSv1.3", byDefault.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":")]
    [InlineData(",")]
    public async Task With_ciphers_a_tls_1_2_client_gets_a_listed_suite_and_one_offering_none_of_them_is_refused(string separator)
    {
        await using var server = await StartAsync(
            Paths.HelloWorld, "--ciphers", $"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256{separator}TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

        // curl (OpenSSL) names TLS 1.2 suites the OpenSSL way.
        var first = await CurlAsync(server, "/", "--verbose", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256");
        var second = await CurlAsync(server, "/", "--verbose", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384");
        var unlisted = await CurlAsync(server, "/", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA256");

        Assert.True(first.StandardOutput == "Hello, World!", Explain(first, server));
        Assert.Contains("TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256", first.StandardError, StringComparison.Ordinal);
        Assert.True(second.StandardOutput == "Hello, World!", Explain(second, server));
        Assert.Contains("TLSv1.2 / ECDHE-RSA-AES256-GCM-SHA384", second.StandardError, StringComparison.Ordinal);
        Assert.True(unlisted.ExitCode != 0, $"a client offering no listed suite was served:\n{Explain(unlisted, server)}");
    }

    [Fact]
    public async Task The_ciphers_setting_leaves_tls_1_3_clients_served()
    {
        // gunicorn's ciphers is OpenSSL's set_ciphers: TLS 1.2 and below only, the TLS 1.3 suites stay as they are.
        await using var server = await StartAsync(Paths.HelloWorld, "--ciphers", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

        var result = await CurlAsync(server, "/", "--verbose", "--tlsv1.3");

        Assert.True(result.StandardOutput == "Hello, World!", Explain(result, server));
        Assert.Contains("SSL connection using TLSv1.3", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_to_the_tls_port_gets_no_http_response_a_warning_and_the_worker_lives_on()
    {
        await using var server = await StartAsync(Paths.HelloWorld);
        var before = await CurlAsync(server, "/pid");
        int warningsBefore = server.Lines.Count(IsHandshakeWarning);

        byte[] answer;
        using (var http = await RawHttp.ConnectAsync(server.Port))
        {
            await http.SendAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            answer = await ReadUntilClosedAsync(http).WaitAsync(TimeSpan.FromSeconds(15));
        }

        var plainCurl = await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/");

        Assert.False(Encoding.Latin1.GetString(answer).StartsWith("HTTP/", StringComparison.Ordinal), $"an HTTP response: {Encoding.Latin1.GetString(answer)}");
        Assert.True(plainCurl.ExitCode != 0, $"plain curl was answered:\n{Explain(plainCurl, server)}");
        Assert.DoesNotContain("Hello", plainCurl.StandardOutput, StringComparison.Ordinal);
        await server.WaitForLineAsync(IsHandshakeWarning, skip: warningsBefore + 1);
        var after = await CurlAsync(server, "/pid");
        Assert.True(before.StandardOutput == Wsgi.Invariant(server.WorkerPids.Single()), Explain(before, server));
        Assert.Equal(before.StandardOutput, after.StandardOutput);
    }

    [Theory]
    [InlineData("plain http")]
    [InlineData("random bytes")]
    public async Task Garbage_instead_of_a_tls_handshake_is_one_warning_line_without_a_stack_trace(string garbage)
    {
        await using var server = await StartAsync(
            Wsgi.Validated("probe_app:application"), "--python", Wsgi.SystemPython, "--pythonpath", Wsgi.PythonApps, "--log-level", "debug");
        var served = await CurlAsync(server, "/pid");
        Assert.True(served.StandardOutput == Wsgi.Invariant(server.WorkerPids.Single()), Explain(served, server));
        var bytes = Encoding.Latin1.GetBytes("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
        if (garbage == "random bytes")
        {
            bytes = new byte[600];
            new Random(14).NextBytes(bytes);
        }

        int mark = ClientEventLog.Mark(server);
        using (var http = await RawHttp.ConnectAsync(server.Port))
        {
            await http.SendAsync(bytes);
            await ReadUntilClosedAsync(http).WaitAsync(TimeSpan.FromSeconds(15));
        }

        var lines = await ClientEventLog.LinesOfEventAsync(
            server, mark, "TLS handshake with ip=127.0.0.1 failed", $"https://127.0.0.1:{server.Port}", "--cacert", certificates.CaCertificate);

        ClientEventLog.AssertOneLine(lines, "WARNING", "TLS handshake with ip=127.0.0.1 failed");
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_fails_the_handshake_a_warning_is_logged_and_the_worker_lives_on()
    {
        await using var server = await StartAsync(Paths.HelloWorld);
        int worker = server.WorkerPids.Single();

        var untrusting = await Tools.CurlAsync("--cacert", certificates.ForeignCaCertificate, Url(server, "/"));

        // 60: the peer's certificate could not be verified.
        Assert.True(untrusting.ExitCode == 60, Explain(untrusting, server));
        await server.WaitForLineAsync(IsHandshakeWarning);
        var next = await CurlAsync(server, "/pid");
        Assert.True(next.StandardOutput == Wsgi.Invariant(worker), Explain(next, server));
    }

    [Theory]
    [InlineData("--certfile")]
    [InlineData("--keyfile")]
    [InlineData("--ca-certs")]
    public async Task A_missing_certificate_file_is_a_one_line_error_naming_the_setting_and_the_file(string flag)
    {
        var missing = Path.Combine(certificates.TempDirectory, $"missing-{Guid.NewGuid():N}.pem");
        var flags = TlsFlags().ToList();
        if (flag == "--ca-certs")
        {
            flags.AddRange(["--cert-reqs", "2", "--ca-certs", missing]);
        }
        else
        {
            flags[flags.IndexOf(flag) + 1] = missing;
        }

        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", .. flags, Paths.HelloWorld]);
        int exitCode = await server.WaitForExitAsync();

        // The arbiter reads the files before it binds or boots a worker: an arbiter error, exit 1.
        Assert.True(exitCode == 1, $"exit {exitCode}:\n{server.Output}");
        var error = Assert.Single(server.Lines);
        Assert.Equal(error, Assert.Single(server.StandardErrorLines));
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Contains(flag, error, StringComparison.Ordinal);
        Assert.Empty(server.WorkerPids);
    }

    [Fact]
    public async Task A_certfile_that_is_not_a_certificate_is_a_one_line_error_naming_the_file()
    {
        var garbage = Path.Combine(certificates.TempDirectory, $"garbage-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(garbage, "this is not a PEM certificate\n");
        var flags = TlsFlags().ToList();
        flags[flags.IndexOf("--certfile") + 1] = garbage;

        await using var server = ServerUnderTest.Start(["-b", "127.0.0.1:0", .. flags, Paths.HelloWorld]);
        int exitCode = await server.WaitForExitAsync();

        Assert.True(exitCode == 1, $"exit {exitCode}:\n{server.Output}");
        var error = Assert.Single(server.Lines);
        Assert.Contains(garbage, error, StringComparison.Ordinal);
        Assert.Contains("--certfile", error, StringComparison.Ordinal);
        Assert.Empty(server.WorkerPids);
    }

    private static string Url(ServerUnderTest server, string path) => $"https://127.0.0.1:{server.Port}{path}";

    /// <summary>The port of the listener the log announces at "Listening at: https://HOST:PORT".</summary>
    private static async Task<int> ListeningPortAsync(ServerUnderTest server, string host)
    {
        var prefix = $"Listening at: https://{host}:";
        var line = await server.WaitForLineAsync(l => l.Contains(prefix, StringComparison.Ordinal));
        var rest = line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..];
        return int.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static bool IsHandshakeWarning(string line) =>
        line.Contains("[WARNING]", StringComparison.Ordinal) && line.Contains("TLS handshake", StringComparison.Ordinal);

    private static string Explain(ToolResult result, ServerUnderTest server) =>
        $"curl exit {result.ExitCode}\nstdout: {result.StandardOutput}\nstderr: {result.StandardError}\nserver:\n{server.Output}";

    private static int CountOccurrences(string text, string value) =>
        Regex.Count(text, Regex.Escape(value));

    /// <summary>What the server sends until it closes the connection; a reset ends it too.</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(RawHttp http)
    {
        try
        {
            return await http.ReadToEndAsync();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private IEnumerable<string> TlsFlags() => ["--certfile", certificates.ServerCertificate, "--keyfile", certificates.ServerKey];

    /// <summary>A one-worker TLS server for <paramref name="app"/> on an ephemeral loopback port, plus <paramref name="flags"/>.</summary>
    private async Task<ServerUnderTest> StartAsync(string app, params string[] flags) =>
        await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", .. TlsFlags(), .. flags, app]);

    /// <summary>curl trusting the CA, for <paramref name="path"/> on the server's first listener.</summary>
    private Task<ToolResult> CurlAsync(ServerUnderTest server, string path, params string[] more) =>
        Tools.CurlAsync(["--cacert", certificates.CaCertificate, .. more, Url(server, path)]);

    [GeneratedRegex(@"ALPN[:,] server accepted (to use )?http/1\.1")]
    private static partial Regex AlpnAcceptedHttp11();

}
