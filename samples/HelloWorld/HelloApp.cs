using System.Globalization;
using System.Text;
using ActorGunicorn.Gateway;

namespace HelloWorld;

/// <summary>
/// The sample .NET gateway application:
/// <c>GET /</c> says hello, <c>POST /echo</c> streams the request body back, <c>GET /stream</c> sends a chunked
/// response piece by piece, and <c>GET /pid</c> names the worker process that answered.
/// </summary>
public sealed class HelloApp : IGatewayApplication
{
    // Static, pre-encoded bodies: the hello route allocates nothing per request.
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private static readonly byte[] NotFound = "Not Found\n"u8.ToArray();

    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        switch (request.Path)
        {
            case "/":
                return SendAsync(response, 200, Hello);
            case "/echo" when request.Method == "POST":
                return EchoAsync(request, response);
            case "/stream":
                return StreamAsync(request, response);
            case "/pid":
                return SendAsync(response, 200, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            default:
                return SendAsync(response, 404, NotFound);
        }
    }

    private static ValueTask SendAsync(IGatewayResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.SetHeader("Content-Type", "text/plain");
        response.ContentLength = body.Length;
        return response.WriteAsync(body);
    }

    private static async ValueTask EchoAsync(IGatewayRequest request, IGatewayResponse response)
    {
        response.SetHeader("Content-Type", request.Headers["Content-Type"] ?? "application/octet-stream");
        if (request.ContentLength is long length)
        {
            response.ContentLength = length;
        }

        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            await response.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
        }
    }

    // GET /stream?chunks=N&delay=MS: N lines, each flushed on its own, MS milliseconds apart.
    private static async ValueTask StreamAsync(IGatewayRequest request, IGatewayResponse response)
    {
        var query = ParseQuery(request.QueryString);
        int chunks = query.TryGetValue("chunks", out var c) && int.TryParse(c, out var n) ? n : 5;
        int delay = query.TryGetValue("delay", out var d) && int.TryParse(d, out var ms) ? ms : 0;

        response.SetHeader("Content-Type", "text/plain");
        for (int i = 1; i <= chunks; i++)
        {
            if (delay > 0)
            {
                await Task.Delay(delay).ConfigureAwait(false);
            }

            await response.WriteAsync(Encoding.ASCII.GetBytes($"chunk {i} of {chunks}\n")).ConfigureAwait(false);
            await response.FlushAsync().ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return result;
    }
}
