using System.Text;
using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// The servers of <see cref="CorpusOverSocketTests"/>: one per distinct settings combination of the corpus (keyed by
/// its flags), each serving <c>ActorGunicorn.TestApps.RequestEcho</c> with one worker, all started when the class
/// starts and stopped with it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes a fixture through IAsyncLifetime.DisposeAsync, which disposes the semaphore.")]
public sealed class CorpusServers : IAsyncLifetime
{
    private static readonly string EchoApp = $"{Paths.TestApps}:ActorGunicorn.TestApps.RequestEcho";

    private readonly Dictionary<string, Task<ServerUnderTest>> _servers = [];
    private readonly Lock _lock = new();

    // Boots are CPU-bound (two .NET processes each): more at once than there are cores only slows every one down.
    private readonly SemaphoreSlim _boots = new(Environment.ProcessorCount);

    /// <summary>The server started with these flags.</summary>
    internal Task<ServerUnderTest> ForAsync(IReadOnlyList<string> flags)
    {
        lock (_lock)
        {
            // Flags are one token each, so joining them on a character no flag holds gives a unique key.
            var key = string.Join('\n', flags);
            if (!_servers.TryGetValue(key, out var server))
            {
                server = StartAsync(flags);
                _servers[key] = server;
            }

            return server;
        }
    }

    /// <summary>
    /// Starts every server the corpus needs, without waiting: each test awaits its own, so the boots overlap with
    /// each other and with the tests that already have their server.
    /// </summary>
    public Task InitializeAsync()
    {
        foreach (var name in CorpusCase.Names("valid").Concat(CorpusCase.Names("invalid")))
        {
            _ = ForAsync(CorpusCase.Load(name).ServerFlags);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        List<Task<ServerUnderTest>> servers;
        lock (_lock)
        {
            servers = [.. _servers.Values];
        }

        foreach (var start in servers)
        {
            // A start that failed has already stopped what it started (StartListeningAsync).
            await ((Task)start).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (start.IsCompletedSuccessfully)
            {
                await start.Result.DisposeAsync();
            }
        }

        _boots.Dispose();
    }

    private async Task<ServerUnderTest> StartAsync(IReadOnlyList<string> flags)
    {
        await _boots.WaitAsync();
        try
        {
            return await ServerUnderTest.StartListeningAsync(["-w", "1", "-b", "127.0.0.1:0", .. flags, EchoApp]);
        }
        finally
        {
            _boots.Release();
        }
    }
}

/// <summary>
/// gunicorn's request corpus (shared/conformance/gunicorn-requests) through a real socket against the published
/// server, with the settings each case names: every valid case reaches the application exactly as gunicorn parses
/// it, every invalid case gets gunicorn's answer, and after a refused request nothing else is read from the
/// connection. The engine-level half (every chunking, segmented input) is ActorGunicorn.Http.Tests' CorpusTests.
/// </summary>
public sealed class CorpusOverSocketTests(CorpusServers servers) : IClassFixture<CorpusServers>
{
    // No case takes more than a fraction of a second; a server that waits for bytes it will never get fails here
    // rather than hanging the run.
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(15);

    public static TheoryData<string> ValidCases => new(CorpusCase.Names("valid"));

    public static TheoryData<string> InvalidCases => new(CorpusCase.Names("invalid"));

    /// <summary>
    /// Cases sent one byte at a time: pipelined (with a PROXY header, with chunked bodies), chunked with trailers, a
    /// Content-Length body cut short by the end of the stream, obs-fold, a refused head, a refused PROXY line, a chunk
    /// error followed by another request, and a request that never ends.
    /// </summary>
    public static TheoryData<string> BytewiseCases => new(
        "valid/pp_02", "valid/023", "valid/012", "valid/099", "valid/compat_obs_fold",
        "invalid/010", "invalid/pp_01", "invalid/chunked_01", "invalid/001");

    [Fact]
    public void The_corpus_has_63_valid_and_74_invalid_cases()
    {
        Assert.Equal(63, CorpusCase.Names("valid").Count());
        Assert.Equal(74, CorpusCase.Names("invalid").Count());
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task A_valid_case_sent_over_a_socket_reaches_the_application_as_gunicorn_parses_it(string name) =>
        await RunAsync(CorpusCase.Load(name), bytewise: false);

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task An_invalid_case_sent_over_a_socket_gets_gunicorns_answer_and_nothing_more(string name) =>
        await RunAsync(CorpusCase.Load(name), bytewise: false);

    [Theory]
    [MemberData(nameof(BytewiseCases))]
    public async Task A_case_sent_one_byte_at_a_time_gets_the_same_answer(string name) =>
        await RunAsync(CorpusCase.Load(name), bytewise: true);

    [Theory]
    [InlineData("POST /broken HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6_0\r\n world\r\n", 400)]
    [InlineData("GET /last HTTP/1.1\r\nConnection: close\r\n\r\n", 200)]
    public async Task A_response_that_closes_the_connection_reaches_a_client_that_is_still_sending(string request, int status)
    {
        var server = await servers.ForAsync([]);
        using var http = await RawHttp.ConnectAsync(server.Port);

        // More than the server's first read takes, and under its linger limit: when it answers and closes, bytes are
        // still unread in its kernel buffer, which a plain close would answer with a reset that can destroy the response.
        await http.SendAsync(request + new string('x', 32 * 1024));
        var response = await http.ReadResponseAsync().WaitAsync(CaseTimeout);

        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.Empty(await http.ReadToEndAsync().WaitAsync(CaseTimeout));
    }

    private async Task RunAsync(CorpusCase corpusCase, bool bytewise)
    {
        var server = await servers.ForAsync(corpusCase.ServerFlags);
        int linesBefore = server.Lines.Count;
        try
        {
            using var http = await RawHttp.ConnectAsync(server.Port);
            var exchange = corpusCase.ExpectedError is null
                ? ValidAsync(http, corpusCase, bytewise)
                : InvalidAsync(http, corpusCase, bytewise);
            await exchange.WaitAsync(CaseTimeout);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException(
                $"{corpusCase.Name} ({(bytewise ? "one byte at a time" : "all at once")}, flags: [{string.Join(' ', corpusCase.ServerFlags)}]): "
                + $"{ex.Message}\n\nServer output for this case:\n{string.Join('\n', server.Lines.Skip(linesBefore))}",
                ex);
        }
    }

    /// <summary>
    /// One response per expected request, in order, each describing that request; then, once the client closes its
    /// side, the connection ends with nothing more.
    /// </summary>
    private static async Task ValidAsync(RawHttp http, CorpusCase corpusCase, bool bytewise)
    {
        await SendAsync(http, corpusCase, bytewise);
        for (int i = 0; i < corpusCase.ExpectedRequests.Count; i++)
        {
            var response = await http.ReadResponseAsync();
            Assert.True(response.Status == 200, $"request {i}: status {response.Status}, body {response.Body}");
            Assert.Equal("application/json", response.Header("content-type"));
            AssertReceived(corpusCase.ExpectedRequests[i], response.Body, i);
        }

        CloseSending(http, corpusCase);
        Assert.Equal(string.Empty, Encoding.Latin1.GetString(await http.ReadToEndAsync()));
    }

    /// <summary>
    /// The README's status (the error page of a refused request), or a close without a response when the request
    /// never ended; either way the connection then ends: bytes after the error are never read as a request.
    /// </summary>
    private static async Task InvalidAsync(RawHttp http, CorpusCase corpusCase, bool bytewise)
    {
        await SendAsync(http, corpusCase, bytewise);
        var response = await http.ReadResponseOrEndAsync();
        if (corpusCase.ExpectedStatus is int status)
        {
            // A chunk error is found while the application reads the body; RequestEcho reads it all before it writes,
            // so of the README's two answers (400, or a close if the response had started) it is always the 400.
            Assert.True(response is not null, $"expected {status} for {corpusCase.ExpectedError}, the server closed without a response");
            Assert.True(response.Status == status, $"expected {status} for {corpusCase.ExpectedError}, got {response.Status}: {response.Body}");
            Assert.Equal("close", response.Header("connection"));
        }
        else
        {
            Assert.True(response is null, $"expected a close without a response for {corpusCase.ExpectedError}, got {response?.Status}: {response?.Body}");
        }

        // The server closes after any refused request, whether or not the client has finished sending.
        Assert.Equal(string.Empty, Encoding.Latin1.GetString(await http.ReadToEndAsync()));
    }

    /// <summary>
    /// Sends the case's bytes, then closes the sending side only when the answer depends on the end of the stream;
    /// otherwise the answer must come while the client could still send.
    /// </summary>
    private static async Task SendAsync(RawHttp http, CorpusCase corpusCase, bool bytewise)
    {
        if (bytewise)
        {
            for (int i = 0; i < corpusCase.Data.Length; i++)
            {
                await http.SendAsync(corpusCase.Data.AsMemory(i, 1));
            }
        }
        else
        {
            await http.SendAsync(corpusCase.Data);
        }

        if (corpusCase.NeedsEndOfStream)
        {
            http.CloseSending();
        }
    }

    private static void CloseSending(RawHttp http, CorpusCase corpusCase)
    {
        if (!corpusCase.NeedsEndOfStream)
        {
            http.CloseSending();
        }
    }

    private static void AssertReceived(CorpusRequest expected, string responseBody, int index)
    {
        using var json = JsonDocument.Parse(responseBody);
        var received = json.RootElement;
        string Text(string property) => received.GetProperty(property).GetString()!;

        // The corpus upper-cases names: compare them case-insensitively, values exactly, order and duplicates kept.
        List<(string, string)> Fields(string property) =>
            [.. received.GetProperty(property).EnumerateArray().Select(f => (f[0].GetString()!.ToUpperInvariant(), f[1].GetString()!))];

        var because = $"request {index}: {responseBody}";
        Assert.True(expected.Method == Text("method"), $"method: expected {expected.Method}; {because}");
        Assert.True(expected.Target == Text("target"), $"target: expected {expected.Target}; {because}");
        Assert.True(expected.Query == Text("query"), $"query: expected {expected.Query}; {because}");
        Assert.True(expected.Protocol == Text("protocol"), $"protocol: expected {expected.Protocol}; {because}");
        Assert.Equal(expected.Headers, Fields("headers"));
        Assert.Equal(expected.Body, received.GetProperty("body").GetBytesFromBase64());
        Assert.Equal(expected.Trailers, Fields("trailers"));
    }
}
