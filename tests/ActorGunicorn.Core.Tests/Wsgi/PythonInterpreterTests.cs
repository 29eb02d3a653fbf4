using ActorGunicorn.Wsgi;
using Xunit;

namespace ActorGunicorn.Core.Tests.Wsgi;

public sealed class PythonInterpreterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ag-python-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_python_setting_wins_over_a_virtualenv_and_the_path()
    {
        Assert.Equal("/opt/py/bin/python3", PythonInterpreter.ChooseExecutable("/opt/py/bin/python3", "/venv", _directory));
    }

    [Fact]
    public void A_bare_python_setting_is_looked_up_on_the_path()
    {
        var python = CreateFile("python3.11");

        Assert.Equal(python, PythonInterpreter.ChooseExecutable("python3.11", null, $"/nonexistent:{_directory}"));
    }

    [Fact]
    public void An_active_virtualenv_comes_before_the_path()
    {
        CreateFile("python3");

        Assert.Equal("/srv/venv/bin/python", PythonInterpreter.ChooseExecutable(null, "/srv/venv", _directory));
    }

    [Fact]
    public void Without_a_setting_or_virtualenv_python3_on_the_path_is_chosen()
    {
        var python = CreateFile("python3");

        Assert.Equal(python, PythonInterpreter.ChooseExecutable(null, null, $"/nonexistent:{_directory}"));
    }

    [Fact]
    public void No_python3_on_the_path_is_an_error_that_says_what_to_install()
    {
        var error = Assert.Throws<PythonUnavailableException>(() => PythonInterpreter.ChooseExecutable(null, null, _directory));

        Assert.Contains("apt-get install python3 libpython3.11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_library_is_found_from_the_interpreters_sysconfig()
    {
        var output = Probe(shared: "1", libDir: "/usr/lib", multiArch: "x86_64-linux-gnu");
        string expected = "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0";

        var interpreter = PythonInterpreter.FromProbeOutput("/usr/bin/python3", output, path => path == expected);

        Assert.Equal(new PythonInterpreter("/usr/bin/python3", "3.11.2", expected), interpreter);
    }

    [Fact]
    public void A_missing_shared_library_names_the_debian_package_to_install()
    {
        var output = Probe(shared: "1", libDir: "/usr/lib", multiArch: "x86_64-linux-gnu");

        var error = Assert.Throws<PythonUnavailableException>(() => PythonInterpreter.FromProbeOutput("/usr/bin/python3", output, _ => false));

        Assert.Contains("libpython3.11.so.1.0) is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libpython3.11", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_python_built_without_a_shared_library_is_named_as_such()
    {
        var output = Probe(shared: "0", libDir: "/opt/py/lib", multiArch: string.Empty, soName: string.Empty, ldLibrary: "libpython3.12.a", version: "3.12.1");

        var error = Assert.Throws<PythonUnavailableException>(() => PythonInterpreter.FromProbeOutput("/opt/py/bin/python3", output, _ => true));

        Assert.Contains("built without a shared libpython", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_python_older_than_3_9_is_refused()
    {
        var output = Probe(shared: "1", libDir: "/usr/lib", multiArch: string.Empty, version: "3.8.10");

        var error = Assert.Throws<PythonUnavailableException>(() => PythonInterpreter.FromProbeOutput("/usr/bin/python3.8", output, _ => true));

        Assert.Contains("needs Python 3.9 or later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_real_interpreter_answers_the_probe()
    {
        // Debian's python3, which the build installs with its shared library.
        var interpreter = PythonInterpreter.Probe("/usr/bin/python3");

        Assert.True(File.Exists(interpreter.Library), interpreter.Library);
        Assert.StartsWith("3.", interpreter.Version, StringComparison.Ordinal);
    }

    private static string Probe(string shared, string libDir, string multiArch, string soName = "libpython3.11.so.1.0",
        string ldLibrary = "libpython3.11.so", string version = "3.11.2") =>
        $"/usr/bin/python3\n{version}\n{shared}\n{libDir}\n{multiArch}\n{soName}\n{ldLibrary}\n";

    private string CreateFile(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
