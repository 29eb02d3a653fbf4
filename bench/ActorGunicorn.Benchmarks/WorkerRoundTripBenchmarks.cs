using BenchmarkDotNet.Attributes;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// The .NET hello hot path end to end: one keep-alive request through a real worker running in this process
/// (see <see cref="InProcessWorker"/> for why through a loopback socket), against the same round trip to a
/// responder that only sends fixed bytes. Allocations are counted on every thread, so the worker's are included;
/// the client and the responder allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class WorkerRoundTripBenchmarks
{
    private InProcessWorker? _worker;
    private CannedResponder? _floor;
    private KeepAliveClient? _toWorker;
    private KeepAliveClient? _toFloor;

    [GlobalSetup]
    public void Setup()
    {
        _worker = InProcessWorker.Start(HelloWorldApp.Path, HelloWorldApp.WorkerSettings);
        _toWorker = KeepAliveClient.Connect(_worker.Port, SampleRequests.Minimal);
        _floor = CannedResponder.Start(_toWorker.FirstResponse);
        _toFloor = KeepAliveClient.Connect(_floor.Port, SampleRequests.Minimal);
    }

    /// <summary>The kernel's and the client's share: a loopback round trip with nothing behind it.</summary>
    [Benchmark(Baseline = true)]
    public int LoopbackFloor() => _toFloor!.RoundTrip();

    /// <summary>GET / to the HelloWorld sample through the worker's actors, parser, exchange and application.</summary>
    [Benchmark]
    public int HelloThroughWorker() => _toWorker!.RoundTrip();

    [GlobalCleanup]
    public void Cleanup()
    {
        _toWorker?.Dispose();
        _toFloor?.Dispose();
        _floor?.Dispose();
        _worker?.Dispose();
    }
}
