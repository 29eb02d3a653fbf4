using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>The server's own short plain-text answers for an actor handler's request (503, 504).</summary>
internal static class StatusReply
{
    /// <summary>Answers <paramref name="begin"/> with <paramref name="status"/> and completes it.</summary>
    public static void Send(HandlerGateway.Begin begin, int status, string text) =>
        _ = SendAsync(begin, status, text);

    private static async Task SendAsync(HandlerGateway.Begin begin, int status, string text)
    {
        try
        {
            var body = System.Text.Encoding.UTF8.GetBytes(text);
            begin.Response.StatusCode = status;
            begin.Response.SetHeader("Content-Type", "text/plain; charset=utf-8");
            begin.Response.ContentLength = body.Length;
            await begin.Response.WriteAsync(body).ConfigureAwait(false);
            begin.Answered.TrySetResult();
        }
        catch (Exception ex)
        {
            begin.Answered.TrySetException(ex);
        }
    }
}
