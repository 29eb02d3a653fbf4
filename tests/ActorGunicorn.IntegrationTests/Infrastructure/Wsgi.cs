using System.Globalization;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>How the WSGI tests run Python applications: Debian's interpreter, every application validated.</summary>
internal static class Wsgi
{
    /// <summary>
    /// Debian's interpreter, which has Flask and Django; <c>python3</c> on PATH may be another one (pyenv) without
    /// them.
    /// </summary>
    public const string SystemPython = "/usr/bin/python3";

    /// <summary>The tests' own Python modules (<c>validated.py</c>, <c>probe_app.py</c>, …).</summary>
    public static string PythonApps { get; } = Path.Combine(Paths.RepositoryRoot, "tests", "ActorGunicorn.IntegrationTests", "PythonApps");

    /// <summary>A sample's directory, e.g. <c>samples/flask_app</c>.</summary>
    public static string Sample(string name) => Path.Combine(Paths.RepositoryRoot, "samples", name);

    /// <summary>
    /// The APP argument serving <paramref name="spec"/> behind <c>wsgiref.validate</c>, in gunicorn's factory-call
    /// syntax: <c>validated:wrap('app:app')</c>.
    /// </summary>
    public static string Validated(string spec) => $"validated:wrap('{spec}')";

    /// <summary>
    /// The arguments for a validated application on an ephemeral loopback port: Debian's interpreter, the test
    /// modules on the Python path, <paramref name="directory"/> as the working directory.
    /// </summary>
    public static string[] Args(string spec, string directory, params string[] more) =>
        ["--python", SystemPython, "--pythonpath", PythonApps, "--chdir", directory, "-b", "127.0.0.1:0", .. more, Validated(spec)];

    /// <summary>The lines in which wsgiref.validate (or the server's own PEP 3333 checks) complained.</summary>
    public static IReadOnlyList<string> ValidatorComplaints(IEnumerable<string> lines) =>
        [.. lines.Where(l =>
            l.Contains("AssertionError", StringComparison.Ordinal)
            || l.Contains("WSGIWarning", StringComparison.Ordinal)
            || l.Contains("garbage collected without being closed", StringComparison.Ordinal))];

    /// <summary>Fails when the server's output (from line <paramref name="from"/> on) holds a validator complaint.</summary>
    public static void AssertValidatorWasSilent(ServerUnderTest server, int from = 0)
    {
        var complaints = ValidatorComplaints(server.Lines.Skip(from));
        if (complaints.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"wsgiref.validate complained:\n{string.Join('\n', complaints)}\n\nOutput:\n{server.Output}");
        }
    }

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
