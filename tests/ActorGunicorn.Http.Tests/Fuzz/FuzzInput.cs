using System.Globalization;
using System.Text;
using ActorGunicorn.Http.Tests.Corpus;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>
/// One fuzz input, everything derived from its <see cref="Seed"/> through one <see cref="Random"/>: which corpus or
/// synthetic seed it starts from, the stacked mutations, the connection settings (the seed's own, or each parser
/// option and limit drawn from a small set), the payload slice cap, and how the bytes are cut into reads.
/// </summary>
internal sealed class FuzzInput
{
    private static readonly int[] LineLimits = [0, 1, 4, 16, 40, 4094, 8190, -1];
    private static readonly int[] FieldCounts = [0, 1, 2, 3, 5, 100, 32768];
    private static readonly int[] FieldSizes = [0, 1, 5, 16, 40, 200, 8190];
    private static readonly long[] BodyLimits = [0, 1, 5, 100, 10_000];
    private static readonly int[] PayloadSlices = [1, 3, 100, int.MaxValue];
    private static readonly ProxyProtocolMode[] ProxyModes = [ProxyProtocolMode.Off, ProxyProtocolMode.V1, ProxyProtocolMode.V2, ProxyProtocolMode.Auto];
    private static readonly HeaderMapPolicy[] HeaderMaps = [HeaderMapPolicy.Drop, HeaderMapPolicy.Dangerous, HeaderMapPolicy.Refuse];

    private FuzzInput(int seed, string seedName, byte[] data, ConnectionSettings settings, int maxPayloadSlice, string mutations, string optionsText)
    {
        Seed = seed;
        SeedName = seedName;
        Data = data;
        Settings = settings;
        MaxPayloadSlice = maxPayloadSlice;
        Mutations = mutations;
        OptionsText = optionsText;
    }

    public int Seed { get; }

    public string SeedName { get; }

    public byte[] Data { get; }

    public ConnectionSettings Settings { get; }

    public int MaxPayloadSlice { get; }

    public string Mutations { get; }

    public string OptionsText { get; }

    /// <summary>Stands for an input whose generation failed, so that the finding still names its seed.</summary>
    public static FuzzInput Placeholder(int seed) =>
        new(seed, "(generation failed)", [], new ConnectionSettings(HttpParserOptions.Default, false, false), int.MaxValue, "(unknown)", "(unknown)");

    /// <summary>Builds input <paramref name="seed"/> from <paramref name="seeds"/>; the same numbers give the same input.</summary>
    public static FuzzInput Generate(int seed, IReadOnlyList<FuzzSeed> seeds)
    {
        var random = new Random(seed);
        FuzzSeed start = seeds[random.Next(seeds.Count)];
        var log = new List<string>();

        // One input in eight is a seed unchanged, so that the seeds themselves meet random options and chunkings.
        byte[] data = random.Next(8) == 0 ? start.Data : FuzzMutator.Mutate(start.Data, random, seeds, log);
        ConnectionSettings settings = random.Next(3) == 0 ? RandomSettings(random) : start.Settings;
        int maxPayloadSlice = PayloadSlices[random.Next(PayloadSlices.Length)];
        return new FuzzInput(seed, start.Name, data, settings, maxPayloadSlice, log.Count == 0 ? "(none)" : string.Join(", ", log), Describe(settings));
    }

    /// <summary>The reads of the chunked run: a random cutting of <see cref="Data"/>, and whether each read is its own segment.</summary>
    public (List<byte[]> Slices, bool Segmented, string Name) Chunking()
    {
        var random = new Random(unchecked(Seed * 31 + 7));
        byte[] data = Data;
        var cuts = new SortedSet<int>();
        string name;
        switch (random.Next(6))
        {
            case 0:
                int max = new[] { 1, 2, 3, 5, 8, 16, 64, 256 }[random.Next(8)];
                if (max == 1 && data.Length > 4096)
                {
                    max = 2;
                }

                name = "uniform-1.." + max.ToString(CultureInfo.InvariantCulture);
                for (int at = random.Next(1, max + 1); at < data.Length; at += random.Next(1, max + 1))
                {
                    cuts.Add(at);
                }

                break;
            case 1:
                name = "after-each-LF";
                AddCutsAfter(data, (byte)'\n', cuts, random, 1);
                break;
            case 2:
                // Between CR and LF: every CRLF straddles two reads.
                name = "after-each-CR";
                AddCutsAfter(data, (byte)'\r', cuts, random, 1);
                break;
            case 3:
                name = "after-some-CR-or-LF";
                AddCutsAfter(data, (byte)'\r', cuts, random, 3);
                AddCutsAfter(data, (byte)'\n', cuts, random, 3);
                break;
            case 4:
                name = "one-then-rest";
                cuts.Add(1);
                break;
            default:
                int count = 1 + random.Next(8);
                name = count.ToString(CultureInfo.InvariantCulture) + "-random-cuts";
                for (int i = 0; i < count && data.Length > 1; i++)
                {
                    cuts.Add(random.Next(1, data.Length));
                }

                break;
        }

        var slices = new List<byte[]>();
        int previous = 0;
        foreach (int cut in cuts.Where(c => c > 0 && c < data.Length).Append(data.Length))
        {
            slices.Add(data[previous..cut]);
            previous = cut;
        }

        // One segment per read makes the test input rebuild a long segment list on every call: keep that bounded.
        bool segmented = slices.Count <= 512 && random.Next(2) == 0;
        return (slices, segmented, name + (segmented ? ", segmented" : ", contiguous"));
    }

    /// <summary>A file that reproduces this input: its seed, how it was made, and the bytes escaped.</summary>
    public string Describe() =>
        $"input seed: {Seed.ToString(CultureInfo.InvariantCulture)}\nstarting seed: {SeedName}\nmutations: {Mutations}\n"
        + $"settings: {OptionsText}\nmax payload slice: {MaxPayloadSlice.ToString(CultureInfo.InvariantCulture)}\n"
        + $"chunking: {Chunking().Name}\nlength: {Data.Length.ToString(CultureInfo.InvariantCulture)}\nbytes: {FuzzOracle.Escape(Data, 4096)}\n";

    private static void AddCutsAfter(byte[] data, byte value, SortedSet<int> cuts, Random random, int oneIn)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == value && random.Next(oneIn) == 0)
            {
                cuts.Add(i + 1);
            }
        }
    }

    private static ConnectionSettings RandomSettings(Random random)
    {
        HttpParserOptions d = HttpParserOptions.Default;
        var options = new HttpParserOptions
        {
            // Half the time a limit keeps its default, so that small limits do not refuse most inputs.
            LimitRequestLine = random.Next(2) == 0 ? d.LimitRequestLine : LineLimits[random.Next(LineLimits.Length)],
            LimitRequestFields = random.Next(2) == 0 ? d.LimitRequestFields : FieldCounts[random.Next(FieldCounts.Length)],
            LimitRequestFieldSize = random.Next(2) == 0 ? d.LimitRequestFieldSize : FieldSizes[random.Next(FieldSizes.Length)],
            LimitRequestBody = random.Next(2) == 0 ? d.LimitRequestBody : BodyLimits[random.Next(BodyLimits.Length)],
            PermitObsoleteFolding = random.Next(2) == 0,
            StripHeaderSpaces = random.Next(2) == 0,
            PermitUnconventionalHttpMethod = random.Next(2) == 0,
            PermitUnconventionalHttpVersion = random.Next(2) == 0,
            CasefoldHttpMethod = random.Next(2) == 0,
            HeaderMap = HeaderMaps[random.Next(HeaderMaps.Length)],
            ForwarderHeaders = random.Next(3) switch
            {
                0 => ["*"],
                1 => [],
                _ => HttpParserOptions.Default.ForwarderHeaders,
            },
            SecureSchemeHeaders = random.Next(3) == 0
                ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Scheme"] = "https", ["X-Forwarded-Proto"] = "HTTPS" }
                : HttpParserOptions.Default.SecureSchemeHeaders,
            ProxyProtocol = ProxyModes[random.Next(ProxyModes.Length)],
        };
        return new ConnectionSettings(options, random.Next(2) == 0, random.Next(4) != 0, random.Next(4) == 0 ? "https" : "http");
    }

    private static string Describe(ConnectionSettings settings)
    {
        HttpParserOptions o = settings.Options;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"LimitRequestLine={o.LimitRequestLine} LimitRequestFields={o.LimitRequestFields} LimitRequestFieldSize={o.LimitRequestFieldSize} LimitRequestBody={o.LimitRequestBody}");
        text.Append(CultureInfo.InvariantCulture, $" PermitObsoleteFolding={o.PermitObsoleteFolding} StripHeaderSpaces={o.StripHeaderSpaces}");
        text.Append(CultureInfo.InvariantCulture, $" PermitUnconventionalHttpMethod={o.PermitUnconventionalHttpMethod} PermitUnconventionalHttpVersion={o.PermitUnconventionalHttpVersion}");
        text.Append(CultureInfo.InvariantCulture, $" CasefoldHttpMethod={o.CasefoldHttpMethod} HeaderMap={o.HeaderMap} ProxyProtocol={o.ProxyProtocol}");
        text.Append(" ForwarderHeaders=[").Append(string.Join(",", o.ForwarderHeaders)).Append(']');
        text.Append(" SecureSchemeHeaders=[").Append(string.Join(",", o.SecureSchemeHeaders.Select(p => p.Key + "=" + p.Value))).Append(']');
        text.Append(CultureInfo.InvariantCulture, $" trusted={settings.PeerIsTrustedForwarder} proxyAllowed={settings.PeerMayUseProxyProtocol} scheme={settings.DefaultScheme}");
        return text.ToString();
    }
}
