// ActorGunicorn's build: `./build.sh --target=<Target>` (or `dotnet cake --target=<Target>` after `dotnet tool restore`).
//
//   Build    compile the solution (Release)
//   Publish  artifacts/actorgunicorn/ (the executable) and artifacts/samples/HelloWorld/ (the .NET sample)
//   Test     unit tests, then the integration tests against the published executable and the tool package
//   Pack     artifacts/packages/ActorGunicorn.<version>.nupkg, a dotnet tool:
//            dotnet tool install --global --add-source artifacts/packages ActorGunicorn

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var solution = root.CombineWithFilePath("ActorGunicorn.sln");

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

RunTarget(target);
