namespace ActorGunicorn.Benchmarks;

/// <summary>Where the published HelloWorld sample is: the .NET application the worker benchmarks serve.</summary>
internal static class HelloWorldApp
{
    /// <summary>Overrides the location (a path to HelloWorld.dll).</summary>
    public const string Variable = "ACTORGUNICORN_BENCH_APP";

    /// <summary>The sample's assembly, from <see cref="Variable"/> or the repository's artifacts folder.</summary>
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
            {
                return configured;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "ActorGunicorn.sln")))
                {
                    string published = System.IO.Path.Combine(directory.FullName, "artifacts", "samples", "HelloWorld", "HelloWorld.dll");
                    return File.Exists(published)
                        ? published
                        : throw new FileNotFoundException($"{published} is missing: run ./build.sh --target=Publish first.");
                }
            }

            throw new FileNotFoundException($"The repository was not found above {AppContext.BaseDirectory}; set {Variable}.");
        }
    }

    /// <summary>The worker's settings for a benchmark: quiet, and keep-alive longer than any pause between iterations.</summary>
    public static readonly string[] WorkerSettings = ["--log-level", "warning", "--keep-alive", "300"];
}
