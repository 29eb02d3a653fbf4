namespace ActorGunicorn.Http.Tests.Corpus;

/// <summary>
/// Finds gunicorn's request corpus: <c>$ACTORGUNICORN_SHARED_DIR/conformance/gunicorn-requests</c> when the variable
/// is set, else <c>../shared/conformance/gunicorn-requests</c> next to the folder holding ActorGunicorn.sln.
/// </summary>
internal static class CorpusLocator
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Directory => Root.Value;

    /// <summary>This project's framing cases, in gunicorn's corpus format, copied next to the test assembly.</summary>
    public static string FramingDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Corpus", "Framing");

    private static string Locate()
    {
        string? shared = Environment.GetEnvironmentVariable("ACTORGUNICORN_SHARED_DIR");
        if (string.IsNullOrEmpty(shared))
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ActorGunicorn.sln")))
            {
                folder = folder.Parent;
            }

            if (folder?.Parent is null)
            {
                throw new InvalidOperationException("ActorGunicorn.sln not found above " + AppContext.BaseDirectory);
            }

            shared = Path.Combine(folder.Parent.FullName, "shared");
        }

        string corpus = Path.Combine(shared, "conformance", "gunicorn-requests");
        if (!System.IO.Directory.Exists(Path.Combine(corpus, "valid")))
        {
            throw new DirectoryNotFoundException("gunicorn request corpus not found at " + corpus + " (set ACTORGUNICORN_SHARED_DIR)");
        }

        return corpus;
    }
}
