// ActorGunicorn's build: `./build.sh --target=<Target>` (or `dotnet cake --target=<Target>` after `dotnet tool restore`).
//
//   Build    compile the solution (Release)
//   Publish  artifacts/actorgunicorn/ (the executable), artifacts/samples/HelloWorld/ (the .NET sample) and
//            artifacts/samples/EmbeddedHost/ (the Akka.Hosting sample)
//   Test     unit tests, then the integration tests against the published executable and the tool package
//   Pack     artifacts/packages/ActorGunicorn.<version>.nupkg, a dotnet tool:
//            dotnet tool install --global --add-source artifacts/packages ActorGunicorn
//   Bench    the benchmark suite against gunicorn, uWSGI, waitress and Kestrel (bench/README.md); writes
//            docs/performance.md. --bench-args="..." goes to bench/run.py, e.g. --bench-args="--smoke"
//   Microbench  BenchmarkDotNet on the hot paths (bench/ActorGunicorn.Benchmarks); --microbench-args="..."

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var solution = root.CombineWithFilePath("ActorGunicorn.sln");
var benchArgs = Argument("bench-args", "");
var microbenchArgs = Argument("microbench-args", $"--filter * --job short --inProcess --artifacts {artifacts.Combine("benchmarks")}");

Task("Clean")
    .Does(() => CleanDirectory(artifacts));

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings { Configuration = configuration });
});

Task("Publish")
    .IsDependentOn("Build")
    .Does(() =>
{
    // ReadyToRun: precompiled code makes a worker boot in a fraction of the JIT's time, which is what a
    // respawned worker's first request waits for.
    DotNetPublish("src/ActorGunicorn.Cli/ActorGunicorn.Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("actorgunicorn"),
        Runtime = "linux-x64",
        SelfContained = false,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PublishReadyToRun", "true"),
    });
    DotNetPublish("samples/HelloWorld/HelloWorld.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("samples/HelloWorld"),
        NoBuild = true,
    });
    DotNetPublish("samples/EmbeddedHost/EmbeddedHost.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("samples/EmbeddedHost"),
        NoBuild = true,
    });
});

Task("Test")
    .IsDependentOn("Publish")
    .IsDependentOn("Pack")
    .Does(() =>
{
    var settings = new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
    };
    DotNetTest("tests/ActorGunicorn.Http.Tests/ActorGunicorn.Http.Tests.csproj", settings);
    DotNetTest("tests/ActorGunicorn.Core.Tests/ActorGunicorn.Core.Tests.csproj", settings);
    DotNetTest("tests/ActorGunicorn.Cluster.Tests/ActorGunicorn.Cluster.Tests.csproj", settings);
    DotNetTest("tests/ActorGunicorn.Hosting.Tests/ActorGunicorn.Hosting.Tests.csproj", settings);
    DotNetTest("tests/ActorGunicorn.IntegrationTests/ActorGunicorn.IntegrationTests.csproj", settings);
});

Task("Pack")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetPack("src/ActorGunicorn.Cli/ActorGunicorn.Cli.csproj", new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("packages"),
        NoBuild = true,
    });
});

// The benchmark projects are not in the solution: the Test target does not need BenchmarkDotNet or ASP.NET Core.
Task("BenchBuild")
    .IsDependentOn("Publish")
    .Does(() =>
{
    DotNetPublish("bench/kestrel-hello/KestrelHello.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("bench/kestrel-hello"),
    });
    DotNetPublish("bench/embedded-hello/EmbeddedHello.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("bench/embedded-hello"),
    });
    DotNetBuild("bench/ActorGunicorn.Benchmarks/ActorGunicorn.Benchmarks.csproj", new DotNetBuildSettings { Configuration = configuration });
});

Task("Bench")
    .IsDependentOn("BenchBuild")
    .Does(() =>
{
    Run("bench/install-peers.sh", "");
    // Debian's Python: it has Flask, gunicorn, waitress and matplotlib, whatever python3 is first on PATH.
    Run("/usr/bin/python3", "bench/run.py " + benchArgs);
});

Task("Microbench")
    .IsDependentOn("BenchBuild")
    .Does(() =>
{
    var benchmarks = $"bench/ActorGunicorn.Benchmarks/bin/{configuration}/net10.0/ActorGunicorn.Benchmarks.dll";
    Run("dotnet", $"{benchmarks} {microbenchArgs}");
    // Which types the worker still allocates per request, by sampling (BenchmarkDotNet gives only the total).
    Run("dotnet", $"{benchmarks} --allocations 200000");
});

void Run(string program, string arguments)
{
    int exitCode = StartProcess(program, new ProcessSettings { Arguments = arguments, WorkingDirectory = root });
    if (exitCode != 0)
    {
        throw new CakeException(exitCode, $"{program} {arguments} exited with {exitCode}");
    }
}

RunTarget(target);
