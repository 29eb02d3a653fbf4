using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// A connection the server closes with no request pending ends with a FIN, as gunicorn's close does: the client
/// reads end of stream, never ECONNRESET (which proxies log as an upstream error and clients may not retry).
/// </summary>
public sealed class ConnectionCloseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_with_a_fin_once_keep_alive_has_passed()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--keep-alive", "1", Paths.HelloWorld]);
        using var http = await RawHttp.ConnectAsync(server.Port);

        Assert.Equal("Hello, World!", (await http.GetAsync("/")).Body);

        Assert.True(await http.EndsWithFinAsync(Patience), "the idle keep-alive connection was reset");
    }

    [Fact]
    public async Task A_connection_that_never_sends_a_request_is_closed_with_a_fin_after_the_first_request_timeout()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", Paths.HelloWorld]);
        using var http = await RawHttp.ConnectAsync(server.Port);

        Assert.True(await http.EndsWithFinAsync(Patience), "the silent connection was reset");
    }

    [Fact]
    public async Task A_stopping_worker_closes_an_idle_keep_alive_connection_with_a_fin()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--keep-alive", "60", Paths.HelloWorld]);
        using var http = await RawHttp.ConnectAsync(server.Port);
        Assert.Equal("Hello, World!", (await http.GetAsync("/")).Body);

        server.Signal(ServerUnderTest.SigTerm);

        // Well before the keep-alive timeout: the drain closed it.
        Assert.True(await http.EndsWithFinAsync(Patience), "the draining worker reset its idle connection");
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task A_worker_short_of_connections_sheds_an_idle_keep_alive_connection_with_a_fin()
    {
        // Two slots: with both taken the worker sheds connections idle for a second or more.
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-b", "127.0.0.1:0", "--keep-alive", "60", "--worker-connections", "2", Paths.HelloWorld]);
        using var idle = await RawHttp.ConnectAsync(server.Port);
        Assert.Equal("Hello, World!", (await idle.GetAsync("/")).Body);

        using var second = await RawHttp.ConnectAsync(server.Port);

        // Well before the keep-alive timeout: the shedding closed it.
        Assert.True(await idle.EndsWithFinAsync(Patience), "the shed connection was reset");
        Assert.Equal("Hello, World!", (await Tools.CurlAsync($"http://127.0.0.1:{server.Port}/")).StandardOutput);
    }
}
