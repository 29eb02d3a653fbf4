namespace ActorGunicorn.Http;

/// <summary>Which PROXY protocol headers a listener accepts (gunicorn's <c>proxy_protocol</c>; <c>true</c> means <see cref="Auto"/>).</summary>
public enum ProxyProtocolMode
{
    /// <summary>No PROXY header is looked for; every connection is plain HTTP.</summary>
    Off,

    /// <summary>Only the text header <c>PROXY TCP4|TCP6 ...\r\n</c>.</summary>
    V1,

    /// <summary>Only the binary header starting with <c>\r\n\r\n\0\r\nQUIT\n</c>.</summary>
    V2,

    /// <summary>Either version, detected from the first bytes.</summary>
    Auto,
}
