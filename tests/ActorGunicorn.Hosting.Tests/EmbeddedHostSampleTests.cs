using System.Diagnostics;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>The EmbeddedHost sample as a user runs it: a real process, real clients, SIGTERM to stop.</summary>
public sealed class EmbeddedHostSampleTests
{
    private const int Clients = 4;
    private const int IncrementsPerClient = 2500;

    [Fact]
    public async Task The_sample_must_count_ten_thousand_increments_from_four_concurrent_clients_and_stop_cleanly_on_sigterm()
    {
        int port = Ports.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Paths.EmbeddedHost, "--bind", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var sample = Process.Start(start)!;
        var output = sample.StandardOutput.ReadToEndAsync();
        var errors = sample.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
            Assert.True(await Poll.UntilAsync(() => Answers(client), TimeSpan.FromSeconds(30)), "the sample did not start serving");
            Assert.Equal("0\n", await client.GetStringAsync(new Uri("/counter", UriKind.Relative)));

            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => IncrementAsync(port)));

            Assert.Equal($"{Clients * IncrementsPerClient}\n", await client.GetStringAsync(new Uri("/counter", UriKind.Relative)));
            Process.Start("kill", ["-TERM", sample.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await sample.WaitForExitAsync(exited.Token);
            Assert.True(sample.ExitCode == 0, $"exit code {sample.ExitCode}\n{await output}\n{await errors}");
            Assert.True(Ports.CanBind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)), "the port is still held");
        }
        finally
        {
            if (!sample.HasExited)
            {
                sample.Kill(entireProcessTree: true);
                await sample.WaitForExitAsync();
            }
        }
    }

    // Each client has its own keep-alive connection and sends its increments one after another.
    private static async Task IncrementAsync(int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        for (int i = 0; i < IncrementsPerClient; i++)
        {
            using var response = await client.PostAsync(new Uri("/counter/increment", UriKind.Relative), content: null);
            response.EnsureSuccessStatusCode();
        }
    }

    private static bool Answers(HttpClient client)
    {
        try
        {
            using var response = client.GetAsync(new Uri("/counter", UriKind.Relative)).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
