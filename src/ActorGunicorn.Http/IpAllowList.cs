using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/// <summary>
/// A list of addresses and networks a peer may come from (gunicorn's <c>forwarded_allow_ips</c> and
/// <c>proxy_allow_ips</c>): <c>"127.0.0.1,::1,10.0.0.0/8"</c>, or <c>"*"</c> for any peer. Parsing is strict like
/// Python's <c>ipaddress.ip_network</c>: dotted quads without leading zeros, CIDR prefixes with no host bits set.
/// </summary>
public sealed class IpAllowList
{
    private readonly Network[] _networks;

    private IpAllowList(Network[] networks, bool allowsAny)
    {
        _networks = networks;
        AllowsAny = allowsAny;
    }

    /// <summary>True when the list holds <c>*</c>.</summary>
    public bool AllowsAny { get; }

    /// <summary>
    /// Parses a comma-separated list. Empty items are skipped; items are trimmed.
    /// </summary>
    /// <exception cref="FormatException">An item is neither <c>*</c>, an address nor a network; the message names it.</exception>
    public static IpAllowList Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var networks = new List<Network>();
        bool any = false;
        foreach (string raw in value.Split(','))
        {
            if (raw.Length == 0)
            {
                continue;
            }

            string entry = raw.Trim();
            if (entry == "*")
            {
                any = true;
                continue;
            }

            networks.Add(ParseNetwork(entry) ?? throw new FormatException($"'{entry}' is not an IP address or network (address or address/prefix, no host bits set)."));
        }

        return new IpAllowList([.. networks], any);
    }

    /// <summary>
    /// True when <paramref name="address"/> is allowed. An IPv4-mapped IPv6 address (what a dual-stack socket
    /// reports for an IPv4 peer) is checked as the IPv4 address it carries.
    /// </summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AllowsAny)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int length))
        {
            return false;
        }

        bytes = bytes[..length];
        foreach (Network network in _networks)
        {
            if (network.Family == address.AddressFamily && network.Contains(bytes))
            {
                return true;
            }
        }

        return false;
    }

    private static Network? ParseNetwork(string entry)
    {
        int slash = entry.IndexOf('/', StringComparison.Ordinal);
        ReadOnlySpan<char> addressText = slash < 0 ? entry : entry.AsSpan(0, slash);
        IPAddress? address;
        if (!IpText.TryParseIPv4(addressText, out address) && !IpText.TryParseIPv6(addressText, out address))
        {
            return null;
        }

        byte[] bytes = address!.GetAddressBytes();
        int maxPrefix = bytes.Length * 8;
        int prefix = maxPrefix;
        if (slash >= 0)
        {
            ReadOnlySpan<char> prefixText = entry.AsSpan(slash + 1);
            if (prefixText.IsEmpty || prefixText.Length > 3 || prefixText.ContainsAnyExceptInRange('0', '9'))
            {
                return null;
            }

            prefix = int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture);
            if (prefix > maxPrefix)
            {
                return null;
            }
        }

        var network = new Network(address.AddressFamily, bytes, prefix);

        // Python's strict mode: 192.168.1.1/24 is a mistake for 192.168.1.0/24, not a network.
        return HasNoHostBits(bytes, prefix) ? network : null;
    }

    private static bool HasNoHostBits(byte[] bytes, int prefix)
    {
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Network(AddressFamily family, byte[] prefixBytes, int prefixLength)
    {
        public AddressFamily Family { get; } = family;

        public bool Contains(ReadOnlySpan<byte> address)
        {
            int fullBytes = prefixLength / 8;
            if (address.Length != prefixBytes.Length || !address[..fullBytes].SequenceEqual(prefixBytes.AsSpan(0, fullBytes)))
            {
                return false;
            }

            int remainingBits = prefixLength % 8;
            if (remainingBits == 0)
            {
                return true;
            }

            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (address[fullBytes] & mask) == (prefixBytes[fullBytes] & mask);
        }
    }
}
