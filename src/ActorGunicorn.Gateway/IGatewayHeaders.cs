namespace ActorGunicorn.Gateway;

/// <summary>Request headers: ordered, duplicates kept, names compared case-insensitively.</summary>
public interface IGatewayHeaders : IReadOnlyList<KeyValuePair<string, string>>
{
    /// <summary>The first value of the named header, or null when it is absent.</summary>
    /// <param name="name">The header name, any case.</param>
    string? this[string name] { get; }

    /// <summary>Every value of the named header, in the order received.</summary>
    /// <param name="name">The header name, any case.</param>
    IEnumerable<string> GetValues(string name);

    /// <summary>Whether the named header is present.</summary>
    /// <param name="name">The header name, any case.</param>
    bool Contains(string name);
}
