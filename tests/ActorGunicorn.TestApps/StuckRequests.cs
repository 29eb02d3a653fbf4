using System.Globalization;
using System.Text;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.TestApps;

/// <summary>
/// Requests that take as long as asked, for the timeout tests: <c>/delay?ms=N</c> awaits N ms (an asynchronous
/// handler, holding no thread), <c>/block?ms=N</c> says so on stderr and blocks its thread for N ms, <c>/pid</c> names the worker, and
/// anything else answers "ok" at once. Neither slow route looks at the request's Aborted token: they are stuck.
/// </summary>
public sealed class StuckRequests : IGatewayApplication
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        return request.Path switch
        {
            "/delay" => DelayAsync(Milliseconds(request), response),
            "/block" => Block(request, Milliseconds(request), response),
            "/pid" => TextAsync(response, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
            _ => TextAsync(response, "ok"),
        };
    }

    private static async ValueTask DelayAsync(int milliseconds, IGatewayResponse response)
    {
        await Task.Delay(milliseconds).ConfigureAwait(false);
        await TextAsync(response, "done").ConfigureAwait(false);
    }

    private static ValueTask Block(IGatewayRequest request, int milliseconds, IGatewayResponse response)
    {
        // Said on stderr (the server's log), so a test knows the request is inside the application.
        Console.Error.WriteLine($"StuckRequests: blocking in {request.RawTarget}");
        Thread.Sleep(milliseconds);
        return TextAsync(response, "done");
    }

    private static ValueTask TextAsync(IGatewayResponse response, string text)
    {
        var body = Encoding.ASCII.GetBytes(text);
        response.SetHeader("Content-Type", "text/plain");
        response.ContentLength = body.Length;
        return response.WriteAsync(body);
    }

    private static int Milliseconds(IGatewayRequest request)
    {
        const string key = "ms=";
        int at = request.QueryString.IndexOf(key, StringComparison.Ordinal);
        return at >= 0 && int.TryParse(request.QueryString.AsSpan(at + key.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : 30_000;
    }
}
