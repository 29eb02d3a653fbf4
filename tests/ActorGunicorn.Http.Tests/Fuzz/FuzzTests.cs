using ActorGunicorn.Http.Tests.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>
/// Seeded mutation of gunicorn's request corpus (see README.md). By default a fixed CI-sized run; with
/// <c>ACTORGUNICORN_FUZZ_SECONDS</c> the same test fuzzes for that long with random seeds, and with
/// <c>ACTORGUNICORN_FUZZ_REPLAY</c> it replays the inputs a finding names.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_corpus_inputs_never_crash_hang_overallocate_depend_on_chunking_or_yield_malformed_requests()
    {
        FuzzPlan plan = FuzzPlan.FromEnvironment();
        FuzzStats stats = FuzzRunner.Run(plan, Log);

        Assert.True(
            stats.FindingCount == 0,
            $"{stats.FindingCount} findings, files in {FuzzRunner.FindingsDirectory}:\n"
            + string.Join("\n\n", stats.Findings.Select(f => $"input seed {f.Input.Seed}: {f.Finding.Property}\n{f.Finding.Message}")));
        if (plan.Mode == "ci")
        {
            Assert.Equal(FuzzPlan.CiInputs, stats.Inputs);

            // The mutations must leave enough inputs valid to reach bodies, pipelining and the response writer.
            Assert.InRange(stats.WithRequests, stats.Inputs / 10, stats.Inputs);
        }
    }

    [Fact]
    public void A_fuzz_input_is_reproduced_exactly_from_its_seed()
    {
        for (int seed = 1000; seed < 1100; seed++)
        {
            FuzzInput first = FuzzInput.Generate(seed, FuzzSeeds.All);
            FuzzInput second = FuzzInput.Generate(seed, FuzzSeeds.All);
            Assert.Equal(first.Data, second.Data);
            Assert.Equal(first.OptionsText, second.OptionsText);
            Assert.Equal(first.Describe(), second.Describe());
            Assert.Equal(first.Chunking().Slices.SelectMany(s => s), first.Data);
        }
    }

    [Fact]
    public void The_fuzz_seeds_are_every_corpus_file_the_framing_cases_and_the_synthetic_inputs()
    {
        Assert.Equal(137 + 53, FuzzSeeds.All.Count(s => !s.Name.StartsWith("synthetic/", StringComparison.Ordinal)));
        Assert.Contains(FuzzSeeds.All, s => s.Name == "framing/invalid/funky_ext_bare_lf_01");
        Assert.Contains(FuzzSeeds.All, s => s.Name == "synthetic/proxy-v2-inet6");

        // Each seed on its own settings, read at once, breaks no property.
        foreach (FuzzSeed seed in FuzzSeeds.All)
        {
            DriverResult result = ConnectionDriver.Run(seed.Settings, [seed.Data], segmented: false, DriveLimits.None);
            Assert.Null(FuzzOracle.WellFormedness(result, seed.Settings));
            if (seed.Name.StartsWith("synthetic/", StringComparison.Ordinal))
            {
                Assert.Null(result.Rejection);
            }
        }
    }

    [Fact]
    public void The_oracle_notices_a_control_in_a_value_and_a_changed_body()
    {
        var settings = new ConnectionSettings(HttpParserOptions.Default, false, true);
        ParsedRequest request = new("GET", "/", "/", "", "", 1, 1, [], [1, 2, 3], [])
        {
            RawHeaders = [("X-Bad", "a\rb")],
            KeepAlive = true,
        };
        var bad = new DriverResult([request], null);
        Assert.Contains("control", FuzzOracle.WellFormedness(bad, settings), StringComparison.Ordinal);

        var other = new DriverResult([request with { Body = [1, 2, 4] }], null);
        Assert.NotEqual(FuzzOracle.Outcome(bad), FuzzOracle.Outcome(other));
    }

    [Theory]
    [InlineData(1, "gzip", "compression without chunked")]
    [InlineData(0, "identity", "Transfer-Encoding on HTTP/1.0")]
    public void The_oracle_notices_framing_RFC_9112_refuses(int minor, string coding, string expected)
    {
        var settings = new ConnectionSettings(HttpParserOptions.Default, false, true);
        ParsedRequest request = new("POST", "/", "/", "", "", 1, minor, [], [], [])
        {
            RawHeaders = [("Transfer-Encoding", coding)],
            MustClose = coding == "gzip",
        };

        Assert.Contains(expected, FuzzOracle.WellFormedness(new DriverResult([request], null), settings), StringComparison.Ordinal);
    }

    private void Log(string line)
    {
        output.WriteLine(line);

        // Also on the console, so that a long run shows its progress while it runs.
        Console.Error.WriteLine(line);
    }
}
