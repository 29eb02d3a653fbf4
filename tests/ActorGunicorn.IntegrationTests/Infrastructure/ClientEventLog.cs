using System.Text.RegularExpressions;
using Xunit;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// What a server running PythonApps/probe_app.py wrote on stderr about one client-caused event (a client that
/// leaves, stalls or sends garbage): the lines from a mark taken before the event up to a barrier, a line the probe
/// writes to wsgi.errors for the next client. The worker writes both to the same stderr in order, so once the
/// barrier is in, every line of the event (a stack trace too) is in.
/// </summary>
internal static partial class ClientEventLog
{
    /// <summary>Where the event's lines will start.</summary>
    public static int Mark(ServerUnderTest server) => server.StandardErrorLines.Count;

    /// <summary>
    /// Serves the next client (curl, with <paramref name="curlArgs"/>, asking <paramref name="baseUrl"/>'s probe to
    /// write a marker to wsgi.errors), and returns the stderr lines from <paramref name="mark"/> to that marker.
    /// </summary>
    public static async Task<IReadOnlyList<string>> NextClientServedAsync(ServerUnderTest server, int mark, string baseUrl, params string[] curlArgs)
    {
        var marker = Guid.NewGuid().ToString("N");
        var barrier = $"wsgi.errors write {marker}";
        var served = await Tools.CurlAsync([.. curlArgs, $"{baseUrl}/errors?marker={marker}"]);
        Assert.True(served.StandardOutput == "logged", $"the next client was not served: {served.StandardError}\n{server.Output}");
        await server.WaitForLineAsync(l => l == barrier);
        return [.. server.StandardErrorLines.Skip(mark).TakeWhile(l => l != barrier)];
    }

    /// <summary>
    /// Waits for the event's line (one containing <paramref name="text"/>), then serves the next client as
    /// <see cref="NextClientServedAsync"/> does and returns the lines from <paramref name="mark"/> to its marker.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LinesOfEventAsync(ServerUnderTest server, int mark, string text, string baseUrl, params string[] curlArgs)
    {
        await server.WaitForLineAsync(l => l.Contains(text, StringComparison.Ordinal));
        return await NextClientServedAsync(server, mark, baseUrl, curlArgs);
    }

    /// <summary>
    /// The event is one line at <paramref name="level"/> (the only line containing <paramref name="text"/>), and
    /// nothing around it is a stack trace or any other continuation, or an error.
    /// </summary>
    public static void AssertOneLine(IReadOnlyList<string> lines, string level, string text)
    {
        var about = lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
        Assert.True(about.Count == 1, $"{about.Count} lines contain \"{text}\":\n{string.Join('\n', lines)}");
        Assert.True(about[0].Contains($"] [{level}] ", StringComparison.Ordinal), $"not at {level}: {about[0]}");
        AssertSingleLinesUpTo(lines, level);
    }

    /// <summary>
    /// Every line is a log line of its own (no stack trace, no continuation), and none is above
    /// <paramref name="highest"/>.
    /// </summary>
    public static void AssertSingleLinesUpTo(IReadOnlyList<string> lines, string highest)
    {
        string[] levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
        foreach (var line in lines)
        {
            var match = LogLine().Match(line);
            Assert.True(match.Success, $"not a log line of its own (a stack trace or a continuation): \"{line}\"\n{string.Join('\n', lines)}");
            Assert.True(
                Array.IndexOf(levels, match.Groups[1].Value) <= Array.IndexOf(levels, highest),
                $"above {highest}: {line}\n{string.Join('\n', lines)}");
        }
    }

    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] \[\d+\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] ")]
    private static partial Regex LogLine();
}
