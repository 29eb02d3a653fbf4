using System.Net;

namespace ActorGunicorn.Http;

/// <summary>
/// What a PROXY protocol header said about the original connection (gunicorn's <c>proxy_protocol_info</c>). For
/// <c>LOCAL</c> and <c>UNSPEC</c> there are no addresses: keep using the socket's.
/// </summary>
public sealed class ProxyProtocolInfo
{
    /// <summary>Creates the information of one PROXY header.</summary>
    public ProxyProtocolInfo(string protocol, IPAddress? sourceAddress, int? sourcePort, IPAddress? destinationAddress, int? destinationPort)
    {
        Protocol = protocol;
        SourceAddress = sourceAddress;
        SourcePort = sourcePort;
        DestinationAddress = destinationAddress;
        DestinationPort = destinationPort;
    }

    /// <summary><c>TCP4</c>, <c>TCP6</c>, <c>LOCAL</c> (v2 health checks) or <c>UNSPEC</c> (v2 without addresses): WSGI's <c>PROXY_PROTOCOL</c>.</summary>
    public string Protocol { get; }

    /// <summary>The client's address (WSGI's <c>REMOTE_ADDR</c>).</summary>
    public IPAddress? SourceAddress { get; }

    /// <summary>The client's port (<c>REMOTE_PORT</c>).</summary>
    public int? SourcePort { get; }

    /// <summary>The address the client connected to on the proxy (<c>PROXY_ADDR</c>).</summary>
    public IPAddress? DestinationAddress { get; }

    /// <summary>The port the client connected to on the proxy (<c>PROXY_PORT</c>).</summary>
    public int? DestinationPort { get; }
}
