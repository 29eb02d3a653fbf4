using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>What one wrk run reported.</summary>
/// <param name="Requests">Requests completed.</param>
/// <param name="NonSuccess">Responses with a status other than 2xx or 3xx.</param>
/// <param name="SocketErrors">Connect, read, write and timeout errors together.</param>
/// <param name="Output">wrk's whole report, for failure messages.</param>
internal sealed record WrkResult(long Requests, long NonSuccess, long SocketErrors, string Output);

/// <summary>The wrk load generator (Debian's `wrk`), run against a local port with keep-alive connections.</summary>
internal static partial class Wrk
{
    /// <summary>Runs wrk for <paramref name="duration"/> with one thread and <paramref name="connections"/> connections.</summary>
    public static async Task<WrkResult> RunAsync(int port, TimeSpan duration, int connections = 16, string path = "/")
    {
        var result = await Tools.RunAsync(
            "wrk",
            ["-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", $"http://127.0.0.1:{port}{path}"],
            timeout: duration + TimeSpan.FromSeconds(30));
        var output = result.StandardOutput + result.StandardError;
        var requests = RequestsLine().Match(output);
        if (!requests.Success)
        {
            throw new InvalidOperationException($"wrk printed no summary:\n{output}");
        }

        long nonSuccess = NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = SocketErrorsLine().Match(output) is { Success: true } e
            ? Enumerable.Range(1, 4).Sum(i => long.Parse(e.Groups[i].Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture), nonSuccess, socketErrors, output);
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}
