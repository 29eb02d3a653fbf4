using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>The round-robin nginx front the cluster tests put before several hosts, with real backends and curl.</summary>
public sealed class NginxFrontTests
{
    [Fact]
    public async Task The_round_robin_front_alternates_between_backends_and_keeps_each_upstream_connection_alive()
    {
        await using var a = await NamedBackend.StartAsync("a", "127.0.0.1");
        await using var b = await NamedBackend.StartAsync("b", "127.0.0.1");
        await using var front = await NginxFront.StartRoundRobinAsync([$"127.0.0.1:{a.Port}", $"127.0.0.1:{b.Port}"]);

        var answers = new List<string[]>();
        for (int i = 0; i < 6; i++)
        {
            answers.Add((await GetAsync(front)).Split(' '));
        }

        var names = answers.Select(answer => answer[0]).ToList();
        Assert.Equal(["a", "b"], names.Distinct().Order());
        Assert.All(names.Zip(names.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        // One upstream connection per backend, reused: each backend saw all its requests from one nginx port.
        Assert.All(answers.GroupBy(answer => answer[0]), backend => Assert.Single(backend.Select(answer => answer[1]).Distinct()));
    }

    [Fact]
    public async Task The_round_robin_front_passes_over_a_backend_that_refuses_connections()
    {
        await using var a = await NamedBackend.StartAsync("a", "127.0.0.1");
        await using var b = await NamedBackend.StartAsync("b", "127.0.0.1");
        await using var front = await NginxFront.StartRoundRobinAsync([$"127.0.0.1:{a.Port}", $"127.0.0.1:{FreePorts.Next()}", $"127.0.0.1:{b.Port}"]);

        var names = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            names.Add((await GetAsync(front)).Split(' ')[0]);
        }

        Assert.Equal(["a", "b"], names.Distinct().Order());
    }

    // curl --fail: a 502 from nginx (no backend answered) fails the request, and the test with it.
    private static async Task<string> GetAsync(NginxFront front)
    {
        var result = await Tools.CurlAsync("--fail", $"{front.Url}/");
        Assert.True(result.ExitCode == 0, $"curl through nginx failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput;
    }
}
