using System.Globalization;
using ActorGunicorn.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ActorGunicorn.Benchmarks -- --filter '*' --job short --inProcess
// dotnet run -c Release --project bench/ActorGunicorn.Benchmarks -- --allocations [REQUESTS]
if (args is ["--allocations", ..])
{
    int requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
    return AllocationBreakdown.Run(requests);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(SampleRequests).Assembly).Run(args);
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
