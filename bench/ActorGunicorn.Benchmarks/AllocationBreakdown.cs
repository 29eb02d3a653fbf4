using System.Diagnostics.Tracing;
using System.Globalization;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// Which types the worker allocates per request: keep-alive hello requests through an in-process worker while the
/// runtime's allocation-tick event is sampled. The runtime raises the event about every 100 KB allocated, naming the
/// type of the object that crossed the mark, so over many requests each type's share of the ticks is its share of
/// the bytes. BenchmarkDotNet gives the exact bytes per request; this says where they go.
/// </summary>
internal static class AllocationBreakdown
{
    private const int WarmUpRequests = 20_000;

    /// <summary>Runs <paramref name="requests"/> round trips and prints a markdown table of bytes per request by type.</summary>
    public static int Run(int requests)
    {
        using var worker = InProcessWorker.Start(HelloWorldApp.Path, HelloWorldApp.WorkerSettings);
        using var client = KeepAliveClient.Connect(worker.Port, SampleRequests.Minimal);
        for (int i = 0; i < WarmUpRequests; i++)
        {
            client.RoundTrip();
        }

        Dictionary<string, TypeTally> tallies;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using (var listener = new AllocationTickListener())
        {
            for (int i = 0; i < requests; i++)
            {
                client.RoundTrip();
            }

            // The runtime hands events to listeners from a background thread, a little after they happen.
            Thread.Sleep(TimeSpan.FromSeconds(2));
            tallies = listener.Snapshot();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Print(requests, allocated, tallies);
        return 0;
    }

    private static void Print(int requests, long allocated, Dictionary<string, TypeTally> tallies)
    {
        long sampled = tallies.Values.Sum(tally => tally.Bytes);
        double perRequest = (double)allocated / requests;
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"{requests:N0} keep-alive GET / requests to the HelloWorld sample: {perRequest:F1} bytes allocated per request (all threads, this sampler's own events included)."));
        Console.WriteLine();
        Console.WriteLine("| type | share of sampled bytes | ≈ bytes per request | typical object size | ≈ objects per request |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (key, tally) in tallies.OrderByDescending(pair => pair.Value.Bytes))
        {
            string type = TypeNames.Resolve(key);
            double share = sampled == 0 ? 0 : (double)tally.Bytes / sampled;
            double bytes = share * perRequest;
            double size = (double)tally.ObjectBytes / tally.Ticks;
            Console.WriteLine(string.Create(culture, $"| `{type}` | {share:P1} | {bytes:F1} | {size:F0} | {bytes / size:F2} |"));
        }
    }

    // The event's TypeID is the type's method table, which is also its RuntimeTypeHandle: search the loaded
    // assemblies for a type with that handle to get its full name. Used after sampling, from one thread.
    private static class TypeNames
    {
        private static readonly Dictionary<ulong, string> Resolved = [];

        /// <summary>The full name for a key "ShortName@MethodTable"; other keys are names already.</summary>
        public static string Resolve(string key)
        {
            int at = key.LastIndexOf('@');
            if (at < 0 || !ulong.TryParse(key.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong methodTable))
            {
                return key;
            }

            string shortName = key[..at];
            if (!Resolved.TryGetValue(methodTable, out var name))
            {
                name = Find(methodTable, shortName) ?? shortName;
                Resolved[methodTable] = name;
            }

            return name;
        }

        private static string? Find(ulong methodTable, string shortName)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                Type?[] types;
                try
                {
                    types = assembly.GetTypes();
                }
                catch (System.Reflection.ReflectionTypeLoadException partial)
                {
                    types = partial.Types;
                }

                foreach (var type in types)
                {
                    if (type is not null && type.Name == shortName && !type.ContainsGenericParameters
                        && (ulong)type.TypeHandle.Value == methodTable)
                    {
                        return type.FullName;
                    }
                }
            }

            return null;
        }
    }

    private sealed class TypeTally
    {
        public long Ticks;
        public long Bytes;
        public long ObjectBytes;
    }

    // GC keyword (0x1) at verbose level: GCAllocationTick_V4 with TypeName and ObjectSize.
    private sealed class AllocationTickListener : EventListener
    {
        private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
        private const int AllocationTickEventId = 10;
        private readonly Dictionary<string, TypeTally> _tallies = [];
        private readonly Lock _lock = new();

        public Dictionary<string, TypeTally> Snapshot()
        {
            lock (_lock)
            {
                return new Dictionary<string, TypeTally>(_tallies);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == RuntimeSource)
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null || eventData.Payload is null)
            {
                return;
            }

            string type = Field(eventData, "TypeName") as string ?? "?";
            if (!type.Contains('.', StringComparison.Ordinal) && Field(eventData, "TypeID") is { } typeId)
            {
                // Compiler-generated types (closures, state machines) are named without their declaring type; the
                // full name is looked up after the run, so the lookup's own allocations are not sampled.
                type = string.Create(CultureInfo.InvariantCulture, $"{type}@{AsAddress(typeId)}");
            }

            long amount = Convert.ToInt64(Field(eventData, "AllocationAmount64") ?? Field(eventData, "AllocationAmount") ?? 0L, CultureInfo.InvariantCulture);
            long size = Convert.ToInt64(Field(eventData, "ObjectSize") ?? 0L, CultureInfo.InvariantCulture);
            lock (_lock)
            {
                if (!_tallies.TryGetValue(type, out var tally))
                {
                    _tallies[type] = tally = new TypeTally();
                }

                tally.Ticks++;
                tally.Bytes += amount;
                tally.ObjectBytes += size;
            }
        }

        private static ulong AsAddress(object value) => value switch
        {
            IntPtr pointer => (ulong)pointer,
            UIntPtr pointer => (ulong)pointer,
            _ => Convert.ToUInt64(value, CultureInfo.InvariantCulture),
        };

        private static object? Field(EventWrittenEventArgs eventData, string name)
        {
            int index = eventData.PayloadNames!.IndexOf(name);
            return index >= 0 ? eventData.Payload![index] : null;
        }
    }
}
