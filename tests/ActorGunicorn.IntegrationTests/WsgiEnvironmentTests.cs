using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// PythonApps/chdir_app/environment_app.py, which reports what its process looked like at import: started with
/// --chdir on its own folder, --pythonpath on the folder of the helper it imports, and a -e variable.
/// </summary>
public sealed class EnvironmentFixture : WsgiServerFixture
{
    public const string Variable = "ACTORGUNICORN_TEST_SETTING";

    internal static string AppDirectory { get; } = Path.Combine(Wsgi.PythonApps, "chdir_app");

    internal static string HelperDirectory { get; } = Path.Combine(Wsgi.PythonApps, "on_pythonpath");

    internal override string[] Arguments() =>
        ["--python", Wsgi.SystemPython, "--pythonpath", $"{Wsgi.PythonApps},{HelperDirectory}", "--chdir", AppDirectory,
         "-e", $"{Variable}=set with -e", "-b", "127.0.0.1:0", Wsgi.Validated("environment_app:application")];

    internal async Task<JsonElement> AtImportAsync()
    {
        var result = await Tools.CurlAsync("--fail", Url("/"));
        Assert.True(result.ExitCode == 0, $"{result.StandardError}\n{Server.Output}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.Clone();
    }
}

/// <summary>The process a WSGI application is imported into: -e, --pythonpath, --chdir.</summary>
public sealed class WsgiEnvironmentTests(EnvironmentFixture app) : IClassFixture<EnvironmentFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = app.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(app.Server, _linesBefore);

    [Fact]
    public async Task A_variable_given_with_e_is_in_os_environ_when_the_module_is_imported()
    {
        Assert.Null(Environment.GetEnvironmentVariable(EnvironmentFixture.Variable));

        var atImport = await app.AtImportAsync();

        Assert.Equal("set with -e", atImport.GetProperty("env_value").GetString());
    }

    [Fact]
    public async Task A_pythonpath_directory_is_importable_and_searched_before_the_working_directory()
    {
        var atImport = await app.AtImportAsync();

        Assert.Equal(Path.Combine(EnvironmentFixture.HelperDirectory, "helper_on_pythonpath.py"), atImport.GetProperty("helper").GetString());
        Assert.Equal("imported from a --pythonpath directory", atImport.GetProperty("helper_value").GetString());
        var path = atImport.GetProperty("sys_path").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([Wsgi.PythonApps, EnvironmentFixture.HelperDirectory, EnvironmentFixture.AppDirectory], path.Take(3));
    }

    [Fact]
    public async Task The_chdir_directory_is_the_working_directory_and_the_module_is_imported_from_it()
    {
        var atImport = await app.AtImportAsync();

        Assert.Equal(EnvironmentFixture.AppDirectory, atImport.GetProperty("cwd").GetString());
        Assert.Equal(Path.Combine(EnvironmentFixture.AppDirectory, "environment_app.py"), atImport.GetProperty("module").GetString());
    }
}

/// <summary>Which Python a worker embeds, and what the operator is told when it cannot.</summary>
public sealed class WsgiInterpreterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-python-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_active_virtualenv_is_embedded_and_its_site_packages_are_importable()
    {
        // The venv module is in libpython3.11-stdlib; only pip needs Debian's python3-venv (ensurepip), and
        // --without-pip never calls it. --system-site-packages keeps Debian's packages visible.
        var venv = Path.Combine(_directory, "venv");
        var created = await Tools.RunAsync(Wsgi.SystemPython, ["-m", "venv", "--without-pip", "--system-site-packages", venv]);
        Assert.True(created.ExitCode == 0, $"python3 -m venv failed: {created.StandardError}");
        var sitePackages = Path.Combine(venv, "lib", "python3.11", "site-packages");
        Assert.True(Directory.Exists(sitePackages), $"no {sitePackages}");
        await File.WriteAllTextAsync(Path.Combine(sitePackages, "only_in_the_venv.py"), """
            import json, sys

            def application(environ, start_response):
                body = json.dumps({"prefix": sys.prefix, "executable": sys.executable, "module": __file__}).encode()
                start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
                return [body]
            """);

        // No --python: VIRTUAL_ENV chooses the interpreter, as `source venv/bin/activate` would.
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["--pythonpath", Wsgi.PythonApps, "-b", "127.0.0.1:0", Wsgi.Validated("only_in_the_venv")],
            environment: new Dictionary<string, string> { ["VIRTUAL_ENV"] = venv });
        var result = await Tools.CurlAsync("--fail", $"http://127.0.0.1:{server.Port}/");

        Assert.True(result.ExitCode == 0, $"{result.StandardError}\n{server.Output}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(venv, json.RootElement.GetProperty("prefix").GetString());
        Assert.Equal(Path.Combine(venv, "bin", "python"), json.RootElement.GetProperty("executable").GetString());
        Assert.Equal(Path.Combine(sitePackages, "only_in_the_venv.py"), json.RootElement.GetProperty("module").GetString());
        Wsgi.AssertValidatorWasSilent(server);
    }

    [Fact]
    public async Task An_interpreter_whose_libpython_is_not_installed_is_exit_3_naming_the_package_to_install()
    {
        // A stand-in interpreter that answers the server's probe like Debian's python3 would without libpython3.11.
        var python = FakeInterpreter("python-missing-lib", Path.Combine(_directory, "no-such-lib-dir"));

        var (exitCode, output) = await RunUntilExitAsync(python);

        Assert.Equal(3, exitCode);
        Assert.Contains("its shared library (libpython3.11.so.1.0) is not installed", output, StringComparison.Ordinal);
        Assert.Contains("apt-get install libpython3.11", output, StringComparison.Ordinal);
        Assert.Contains("Reason: Worker failed to boot.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interpreter_whose_libpython_cannot_be_loaded_is_exit_3_with_the_loaders_reason_and_the_package_to_install()
    {
        // The library is there but is not one: the loader refuses it ("invalid ELF header" or "file too short").
        var libraries = Directory.CreateDirectory(Path.Combine(_directory, "broken-lib")).FullName;
        await File.WriteAllTextAsync(Path.Combine(libraries, "libpython3.11.so.1.0"), "this is not a shared library\n");
        var python = FakeInterpreter("python-broken-lib", libraries);

        var (exitCode, output) = await RunUntilExitAsync(python);

        Assert.Equal(3, exitCode);
        Assert.Contains($"Cannot load {libraries}/libpython3.11.so.1.0", output, StringComparison.Ordinal);
        Assert.Matches("invalid ELF header|file too short", output);
        Assert.Contains("apt-get install libpython3.11", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_python_path_that_does_not_exist_is_exit_3_with_a_clear_message()
    {
        var (exitCode, output) = await RunUntilExitAsync("/nonexistent/python3");

        Assert.Equal(3, exitCode);
        Assert.Contains("The Python interpreter '/nonexistent/python3' does not exist.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    // A shell script that prints the seven lines PythonInterpreter's probe asks for: executable, version,
    // Py_ENABLE_SHARED, LIBDIR, MULTIARCH (empty, so no system directory is tried), INSTSONAME, LDLIBRARY.
    private string FakeInterpreter(string name, string libDir)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $"""
            #!/bin/sh
            echo {path}
            echo 3.11.2
            echo 1
            echo {libDir}
            echo
            echo libpython3.11.so.1.0
            echo libpython3.11.so

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string python)
    {
        await using var server = ServerUnderTest.Start(
            ["--python", python, "--pythonpath", Wsgi.PythonApps, "--chdir", Wsgi.Sample("wsgi"), "-b", "127.0.0.1:0", Wsgi.Validated("hello")]);
        int exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (exitCode, server.Output);
    }
}
