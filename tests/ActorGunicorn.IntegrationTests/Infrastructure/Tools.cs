using System.Diagnostics;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>The result of running an external tool.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs real clients (curl, python3) the way a user would.</summary>
internal static class Tools
{
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> args, string? standardInput = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a Python 3 script given on stdin (the system's python3, as a user's client would be).</summary>
    public static Task<ToolResult> PythonAsync(string script, params string[] args) =>
        RunAsync("python3", ["-", .. args], script);

    public static Task<ToolResult> CurlAsync(params string[] args) => RunAsync("curl", ["--silent", "--show-error", "--max-time", "20", .. args]);
}
