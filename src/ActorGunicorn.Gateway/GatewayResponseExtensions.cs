using System.Text;

namespace ActorGunicorn.Gateway;

/// <summary>Conveniences over <see cref="IGatewayResponse"/>.</summary>
public static class GatewayResponseExtensions
{
    /// <summary>Writes text as UTF-8.</summary>
    /// <param name="response">The response to write to.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels a write that is waiting for the client.</param>
    public static ValueTask WriteAsync(this IGatewayResponse response, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
