using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>A Python configuration's values become settings as gunicorn users write them, checked by each setting's rules.</summary>
public sealed class PythonConfigLayerTests
{
    private static readonly PythonConfigLocation File = PythonConfigLocation.ForFile("/srv/app/gunicorn.conf.py");

    private static ServerSettings Settings(string settingsJson, string hooks = "[]") =>
        ServerSettings.Create(Build(settingsJson, hooks).Layer.WithFallback(ReferenceConfig.Load()));

    private static (Akka.Configuration.Config Layer, PythonConfig Config) Build(string settingsJson, string hooks = "[]") =>
        PythonConfigLayer.Build(
            PythonConfigAnswer.Parse($$"""{"settings": {{settingsJson}}, "hooks": {{hooks}}, "invalid": {}, "ignored": ["helper_value"]}"""),
            File);

    private static string Error(string settingsJson) =>
        Assert.Throws<SettingsException>(() => Build(settingsJson)).Message;

    [Fact]
    public void Numbers_strings_and_none_become_the_settings_of_the_same_names()
    {
        var settings = Settings("""{"workers": 4, "threads": 2, "wsgi_app": "app:app", "loglevel": "DEBUG", "accesslog": null, "max_requests": 1000}""");

        Assert.Equal(4, settings.Workers);
        Assert.Equal(2, settings.Threads);
        Assert.Equal("app:app", settings.App);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, settings.LogLevel);
        Assert.Null(settings.AccessLog);
        Assert.Equal(1000, settings.MaxRequests);
    }

    [Fact]
    public void Bind_is_a_string_or_a_list_of_them()
    {
        Assert.Equal([new TcpBindAddress("127.0.0.1", 9000)], Settings("""{"bind": "127.0.0.1:9000"}""").Bind);
        Assert.Equal(
            [new TcpBindAddress("127.0.0.1", 9000), new UnixBindAddress("/run/app.sock")],
            Settings("""{"bind": ["127.0.0.1:9000", "unix:/run/app.sock"]}""").Bind);
    }

    [Fact]
    public void Seconds_may_be_fractional_and_flags_are_python_booleans()
    {
        var settings = Settings("""{"timeout": 12.5, "graceful_timeout": 3, "permit_obsolete_folding": true, "casefold_http_method": false}""");

        Assert.Equal(TimeSpan.FromSeconds(12.5), settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.GracefulTimeout);
        Assert.True(settings.PermitObsoleteFolding);
        Assert.False(settings.CasefoldHttpMethod);
    }

    [Fact]
    public void Raw_env_is_a_list_and_secure_scheme_headers_a_dict()
    {
        var settings = Settings("""{"raw_env": ["A=1", "B=x=y"], "secure_scheme_headers": {"X-PROTO": "https"}}""");

        Assert.Equal([new("A", "1"), new("B", "x=y")], settings.Env);
        // The dict replaces the defaults, as in gunicorn.
        Assert.Equal("https", Assert.Single(settings.SecureSchemeHeaders, pair => true).Value);
        Assert.True(settings.SecureSchemeHeaders.ContainsKey("x-proto"));
    }

    [Fact]
    public void A_list_for_a_comma_separated_setting_is_joined_as_gunicorn_accepts()
    {
        Assert.Equal("10.0.0.1,10.0.0.2", Settings("""{"forwarded_allow_ips": ["10.0.0.1", "10.0.0.2"]}""").ForwardedAllowIps);
    }

    [Fact]
    public void A_bad_value_names_the_file_the_setting_and_the_value()
    {
        Assert.Equal(
            "Python config file '/srv/app/gunicorn.conf.py': invalid value for workers (-w/--workers / actorgunicorn.workers): 'lots' is not an integer",
            Error("""{"workers": "lots"}"""));
        Assert.Equal(
            "Python config file '/srv/app/gunicorn.conf.py': invalid value for threads (--threads / actorgunicorn.threads): '0' must be at least 1",
            Error("""{"threads": 0}"""));
        Assert.Contains("invalid value for workers (-w/--workers / actorgunicorn.workers): expected an integer, found a list", Error("""{"workers": [2]}"""), StringComparison.Ordinal);
        Assert.Contains("invalid value for loglevel", Error("""{"loglevel": "chatty"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_lists_are_refused_naming_the_setting()
    {
        Assert.Equal(
            """Python config file '/srv/app/gunicorn.conf.py': invalid value for bind (-b/--bind / actorgunicorn.bind): ["a", ["b"]] nests lists or dicts""",
            Error("""{"bind": ["a", ["b"]]}"""));
    }

    [Fact]
    public void What_the_interpreter_could_not_use_is_reported_by_name()
    {
        var answer = PythonConfigAnswer.Parse("""{"settings": {}, "hooks": [], "invalid": {"post_fork": "3 is not callable"}, "ignored": []}""");

        Assert.Equal(
            "Python config file '/srv/app/gunicorn.conf.py': invalid value for post_fork: 3 is not callable",
            Assert.Throws<SettingsException>(() => PythonConfigLayer.Build(answer, File)).Message);
    }

    [Fact]
    public void A_configuration_that_raised_is_reported_with_its_traceback()
    {
        var answer = PythonConfigAnswer.Parse("""{"error": "Traceback (most recent call last):\n  File \"x.py\", line 1\nNameError: nope\n"}""");

        Assert.Equal(
            "cannot read Python config file '/srv/app/gunicorn.conf.py':\nTraceback (most recent call last):\n  File \"x.py\", line 1\nNameError: nope",
            Assert.Throws<SettingsException>(() => PythonConfigLayer.Build(answer, File)).Message);
    }

    [Fact]
    public void The_hooks_are_recorded_and_reach_the_workers_configuration()
    {
        var (layer, config) = Build("""{"workers": 2}""", """["post_fork", "on_starting"]""");

        Assert.Equal(["post_fork", "on_starting"], config.Hooks);
        Assert.Equal(["helper_value"], config.IgnoredNames);
        var worker = SettingsLoader.LoadForWorker(HoconWriterText(layer));
        Assert.Equal("file:/srv/app/gunicorn.conf.py", worker.PythonConfig!.Location);
        Assert.Equal(["post_fork", "on_starting"], worker.PythonConfig.Hooks);
        Assert.Equal(2, worker.Settings.Workers);
    }

    [Fact]
    public void Without_hooks_the_workers_configuration_names_no_python_config()
    {
        var (layer, _) = Build("""{"workers": 2}""");

        Assert.Null(SettingsLoader.LoadForWorker(HoconWriterText(layer)).PythonConfig);
    }

    private static string HoconWriterText(Akka.Configuration.Config layer) =>
        new LoadedConfiguration(layer, ServerSettings.Create(layer), RequestedAction.Serve, configFile: null).RenderForWorker();
}
