namespace ActorGunicorn.Http;

/// <summary>A response header field from the application.</summary>
/// <param name="Name">The field name; must be a token.</param>
/// <param name="Value">The field value; latin-1, no controls other than HTAB.</param>
public readonly record struct HttpResponseHeader(string Name, string Value);
