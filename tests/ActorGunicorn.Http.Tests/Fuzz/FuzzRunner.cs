using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ActorGunicorn.Http.Tests.Fuzz;

/// <summary>
/// How a fuzz run is chosen, from the environment:
/// <list type="bullet">
/// <item><c>ACTORGUNICORN_FUZZ_REPLAY=seed[,seed...]</c>: those inputs only (from a finding's file);</item>
/// <item><c>ACTORGUNICORN_FUZZ_SECONDS=n</c>: n seconds on all cores with random input seeds (a master seed is drawn,
/// or taken from <c>ACTORGUNICORN_FUZZ_SEED</c>, and printed);</item>
/// <item>neither: the CI run, input seeds 1 to <see cref="CiInputs"/> on one thread.</item>
/// </list>
/// </summary>
internal sealed class FuzzPlan
{
    /// <summary>The CI run's size: 2 s in Release on an idle 2-core machine, about 9 s while the other tests run beside it.</summary>
    public const int CiInputs = 20_000;

    public required string Mode { get; init; }

    public int[] ReplaySeeds { get; init; } = [];

    public TimeSpan Duration { get; init; }

    public int MasterSeed { get; init; }

    public int Workers { get; init; } = 1;

    public static FuzzPlan FromEnvironment()
    {
        string? replay = Environment.GetEnvironmentVariable("ACTORGUNICORN_FUZZ_REPLAY");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            return new FuzzPlan
            {
                Mode = "replay",
                ReplaySeeds = [.. replay.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            };
        }

        string? seconds = Environment.GetEnvironmentVariable("ACTORGUNICORN_FUZZ_SECONDS");
        if (!string.IsNullOrWhiteSpace(seconds))
        {
            string? seed = Environment.GetEnvironmentVariable("ACTORGUNICORN_FUZZ_SEED");
            return new FuzzPlan
            {
                Mode = "timed",
                Duration = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)),
                MasterSeed = string.IsNullOrWhiteSpace(seed) ? Random.Shared.Next() : int.Parse(seed, CultureInfo.InvariantCulture),
                Workers = Environment.ProcessorCount,
            };
        }

        return new FuzzPlan { Mode = "ci" };
    }
}

/// <summary>Counts kept by one worker, merged at the end.</summary>
internal sealed class FuzzStats
{
    public long Inputs { get; set; }

    public long InputBytes { get; set; }

    public long WithRequests { get; set; }

    public long Requests { get; set; }

    public long EarlyRefusals { get; set; }

    public long FindingCount { get; set; }

    public List<(FuzzInput Input, FuzzFinding Finding)> Findings { get; } = [];

    public Dictionary<string, long> Endings { get; } = [];

    /// <summary>Largest allocation by an input shorter than 256 bytes (the bound's constant part).</summary>
    public long MaxSmallAllocation { get; set; }

    /// <summary>Largest allocation per input byte by an input of 4 KiB or more (the bound's slope).</summary>
    public double MaxAllocationPerByte { get; set; }

    public double MaxScanPerByte { get; set; }

    public void Add(FuzzInput input, FuzzVerdict verdict)
    {
        Inputs++;
        int length = input.Data.Length;
        InputBytes += length;
        Requests += verdict.Requests;
        WithRequests += verdict.Requests > 0 ? 1 : 0;
        EarlyRefusals += verdict.EarlyRefusal ? 1 : 0;
        string ending = verdict.Finding is not null ? "finding" : verdict.Rejection?.ToString() ?? "accepted";
        Endings[ending] = Endings.GetValueOrDefault(ending) + 1;
        if (length < 256)
        {
            MaxSmallAllocation = Math.Max(MaxSmallAllocation, verdict.Allocated);
        }
        else if (length >= 4096)
        {
            MaxAllocationPerByte = Math.Max(MaxAllocationPerByte, (double)verdict.Allocated / length);
        }

        if (length >= 64)
        {
            MaxScanPerByte = Math.Max(MaxScanPerByte, (double)verdict.Scanned / length);
        }

        if (verdict.Finding is not null)
        {
            FindingCount++;
            if (Findings.Count < 20)
            {
                Findings.Add((input, verdict.Finding));
            }
        }
    }

    public void Merge(FuzzStats other)
    {
        Inputs += other.Inputs;
        InputBytes += other.InputBytes;
        WithRequests += other.WithRequests;
        Requests += other.Requests;
        EarlyRefusals += other.EarlyRefusals;
        FindingCount += other.FindingCount;
        Findings.AddRange(other.Findings.Take(20 - Findings.Count));
        foreach ((string ending, long count) in other.Endings)
        {
            Endings[ending] = Endings.GetValueOrDefault(ending) + count;
        }

        MaxSmallAllocation = Math.Max(MaxSmallAllocation, other.MaxSmallAllocation);
        MaxAllocationPerByte = Math.Max(MaxAllocationPerByte, other.MaxAllocationPerByte);
        MaxScanPerByte = Math.Max(MaxScanPerByte, other.MaxScanPerByte);
    }
}

/// <summary>Runs a <see cref="FuzzPlan"/>, reports progress and statistics, and writes each finding to a file.</summary>
internal static class FuzzRunner
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    /// <summary>Where finding files go: fuzz-findings under the test assembly's output directory.</summary>
    public static string FindingsDirectory => Path.Combine(AppContext.BaseDirectory, "fuzz-findings");

    public static FuzzStats Run(FuzzPlan plan, Action<string> log)
    {
        IReadOnlyList<FuzzSeed> seeds = FuzzSeeds.All;
        if (plan.Mode != "replay" && Directory.Exists(FindingsDirectory))
        {
            Directory.Delete(FindingsDirectory, recursive: true); // the folder holds the last run's findings only
        }

        var clock = Stopwatch.StartNew();
        FuzzStats total;
        switch (plan.Mode)
        {
            case "replay":
                total = new FuzzStats();
                foreach (int seed in plan.ReplaySeeds)
                {
                    (FuzzInput input, FuzzVerdict verdict) = Try(seed, seeds);
                    log(input.Describe() + (verdict.Finding is null ? "no finding\n" : $"finding: {verdict.Finding.Property}\n{verdict.Finding.Message}\n"));
                    total.Add(input, verdict);
                }

                break;
            case "ci":
                total = new FuzzStats();
                for (int seed = 1; seed <= FuzzPlan.CiInputs; seed++)
                {
                    (FuzzInput input, FuzzVerdict verdict) = Try(seed, seeds);
                    total.Add(input, verdict);
                }

                break;
            default:
                log($"fuzzing for {plan.Duration.TotalSeconds:0} s on {plan.Workers} threads, master seed {plan.MasterSeed} (ACTORGUNICORN_FUZZ_SEED={plan.MasterSeed} repeats the input seeds)");
                total = RunTimed(plan, seeds, clock, log);
                break;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        log(Summary(plan, total, seconds));
        if (total.Findings.Count > 0)
        {
            log("findings written to " + WriteFindings(total.Findings));
        }

        return total;
    }

    /// <summary>Generates and checks one input; a failure of the harness itself is reported as a finding too, with its seed.</summary>
    private static (FuzzInput Input, FuzzVerdict Verdict) Try(int seed, IReadOnlyList<FuzzSeed> seeds)
    {
        FuzzInput input;
        try
        {
            input = FuzzInput.Generate(seed, seeds);
        }
#pragma warning disable CA1031 // reported as a finding, with the seed that reproduces it
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (FuzzInput.Placeholder(seed), new FuzzVerdict(new FuzzFinding("harness", "generating the input: " + exception), 0, null, false, 0, 0));
        }

        return (input, FuzzOracle.Check(input));
    }

    private static FuzzStats RunTimed(FuzzPlan plan, IReadOnlyList<FuzzSeed> seeds, Stopwatch clock, Action<string> log)
    {
        var perWorker = new FuzzStats[plan.Workers];
        var threads = new Thread[plan.Workers];
        for (int w = 0; w < plan.Workers; w++)
        {
            int worker = w;
            perWorker[worker] = new FuzzStats();
            threads[worker] = new Thread(() =>
            {
                var random = new Random(unchecked(plan.MasterSeed + worker));
                FuzzStats stats = perWorker[worker];
                TimeSpan nextReport = ProgressInterval;
                while (clock.Elapsed < plan.Duration)
                {
                    (FuzzInput input, FuzzVerdict verdict) = Try(random.Next(), seeds);
                    stats.Add(input, verdict);

                    // The first worker reports for all: the others' counts are read racily, which is fine for progress.
                    if (worker == 0 && clock.Elapsed >= nextReport)
                    {
                        long inputs = perWorker.Sum(s => s.Inputs);
                        long findings = perWorker.Sum(s => s.FindingCount);
                        log($"{clock.Elapsed.TotalSeconds:0} s: {inputs} inputs, {inputs / clock.Elapsed.TotalSeconds:0}/s, {findings} findings");
                        nextReport += ProgressInterval;
                    }
                }
            })
            {
                IsBackground = true,
                Name = "fuzz-" + worker.ToString(CultureInfo.InvariantCulture),
            };
            threads[worker].Start();
        }

        var total = new FuzzStats();
        for (int w = 0; w < plan.Workers; w++)
        {
            threads[w].Join();
            total.Merge(perWorker[w]);
        }

        return total;
    }

    public static string Summary(FuzzPlan plan, FuzzStats stats, double seconds)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"fuzz {plan.Mode}: {stats.Inputs} inputs ({stats.InputBytes} bytes) in {seconds:0.0} s, {stats.Inputs / Math.Max(seconds, 1e-9):0}/s, {stats.FindingCount} findings\n");
        text.Append(CultureInfo.InvariantCulture, $"  {stats.WithRequests} inputs yielded {stats.Requests} requests; {stats.EarlyRefusals} documented early refusals (section too large while incomplete)\n");
        text.Append("  endings: ").Append(string.Join(", ", stats.Endings.OrderByDescending(e => e.Value).Select(e => e.Key + " " + e.Value.ToString(CultureInfo.InvariantCulture)))).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  largest allocation: {stats.MaxSmallAllocation} bytes for an input under 256 bytes; {stats.MaxAllocationPerByte:0.0} bytes per byte for inputs of 4 KiB and more; at most {stats.MaxScanPerByte:0.00} bytes scanned per input byte");
        return text.ToString();
    }

    private static string WriteFindings(List<(FuzzInput Input, FuzzFinding Finding)> findings)
    {
        string directory = FindingsDirectory;
        Directory.CreateDirectory(directory);
        foreach ((FuzzInput input, FuzzFinding finding) in findings)
        {
            string name = Path.Combine(directory, input.Seed.ToString(CultureInfo.InvariantCulture));
            File.WriteAllBytes(name + ".bin", input.Data);
            File.WriteAllText(name + ".txt", $"property: {finding.Property}\n{input.Describe()}replay: ACTORGUNICORN_FUZZ_REPLAY={input.Seed}\n\n{finding.Message}\n");
        }

        return directory;
    }
}
