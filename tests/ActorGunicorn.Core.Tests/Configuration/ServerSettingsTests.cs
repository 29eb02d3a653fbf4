using ActorGunicorn.Configuration;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class ServerSettingsTests
{
    private static ServerSettings FromHocon(string block) =>
        ServerSettings.Create(ConfigurationFactory.ParseString("actorgunicorn {\n" + block + "\n}"));

    [Fact]
    public void An_empty_configuration_gives_gunicorns_defaults()
    {
        var settings = ServerSettings.Create(Config.Empty);

        Assert.Null(settings.App);
        Assert.Equal([new TcpBindAddress("127.0.0.1", 8000)], settings.Bind);
        Assert.Equal(2048, settings.Backlog);
        Assert.Equal(1, settings.Workers);
        Assert.Equal((0, TimeSpan.FromSeconds(20), false), (settings.MaxWorkers, settings.ScaleDownAfter, settings.ScalesWithLoad));
        Assert.Equal(1, settings.Threads);
        Assert.Equal(1000, settings.WorkerConnections);
        Assert.Equal(0, settings.MaxRequests);
        Assert.Equal(0, settings.MaxRequestsJitter);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.GracefulTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.KeepAlive);
        Assert.Equal(4094, settings.LimitRequestLine);
        Assert.Equal(100, settings.LimitRequestFields);
        Assert.Equal(8190, settings.LimitRequestFieldSize);
        Assert.Null(settings.Chdir);
        Assert.Empty(settings.Env);
        Assert.Null(settings.PidFile);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
        Assert.Equal("-", settings.ErrorLog);
        Assert.Null(settings.AccessLog);
        Assert.Equal("%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"", settings.AccessLogFormat);
    }

    [Fact]
    public void The_embedded_reference_gives_the_same_settings_as_no_configuration_at_all() =>
        Assert.Equal(ServerSettings.Default, ServerSettings.Create(ReferenceConfig.Load()));

    [Fact]
    public void Every_key_is_read_from_the_actorgunicorn_block()
    {
        var settings = FromHocon("""
            app = "hello:app"
            bind = ["0.0.0.0:80", "unix:/run/a.sock"]
            backlog = 64
            workers = 4
            threads = 8
            worker-connections = 50
            max-requests = 1000
            max-requests-jitter = 50
            timeout = 60
            graceful-timeout = 10s
            keepalive = 500ms
            limit-request-line = 8190
            limit-request-fields = 50
            limit-request-field-size = 0
            chdir = /srv/app
            raw-env = ["A=1", "B=x=y"]
            pythonpath = "/srv/lib, /srv/app,,"
            python = /opt/venv/bin/python
            pidfile = /run/app.pid
            loglevel = WARNING
            errorlog = /var/log/error.log
            accesslog = "-"
            access-log-format = "%(h)s %(r)s"
            """);

        Assert.Equal("hello:app", settings.App);
        Assert.Equal([new TcpBindAddress("0.0.0.0", 80), new UnixBindAddress("/run/a.sock")], settings.Bind);
        Assert.Equal((64, 4, 8, 50, 1000, 50), (settings.Backlog, settings.Workers, settings.Threads, settings.WorkerConnections, settings.MaxRequests, settings.MaxRequestsJitter));
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.GracefulTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.KeepAlive);
        Assert.Equal((8190, 50, 0), (settings.LimitRequestLine, settings.LimitRequestFields, settings.LimitRequestFieldSize));
        Assert.Equal("/srv/app", settings.Chdir);
        Assert.Equal([new("A", "1"), new("B", "x=y")], settings.Env);
        Assert.Equal(["/srv/lib", "/srv/app"], settings.PythonPath);
        Assert.Equal("/opt/venv/bin/python", settings.Python);
        Assert.Equal("/run/app.pid", settings.PidFile);
        Assert.Equal(LogLevel.Warning, settings.LogLevel);
        Assert.Equal("/var/log/error.log", settings.ErrorLog);
        Assert.Equal("-", settings.AccessLog);
        Assert.Equal("%(h)s %(r)s", settings.AccessLogFormat);
    }

    [Fact]
    public void The_request_parsing_settings_read_gunicorns_names_and_values()
    {
        var settings = FromHocon("""
            forwarded-allow-ips = "10.0.0.0/8, 192.168.1.7"
            secure-scheme-headers { "X-Scheme" = https }
            forwarder-headers = "SCRIPT_NAME"
            proxy-protocol = true
            proxy-allow-ips = "*"
            permit-obsolete-folding = true
            strip-header-spaces = true
            permit-unconventional-http-method = true
            permit-unconventional-http-version = true
            casefold-http-method = true
            header-map = DANGEROUS
            """);

        Assert.Equal("10.0.0.0/8, 192.168.1.7", settings.ForwardedAllowIps);
        Assert.Equal("https", settings.SecureSchemeHeaders["x-scheme"]);
        Assert.Single(settings.SecureSchemeHeaders);
        Assert.Equal("SCRIPT_NAME", settings.ForwarderHeaders);
        Assert.Equal("auto", settings.ProxyProtocol);
        Assert.Equal("*", settings.ProxyAllowIps);
        Assert.True(settings.PermitObsoleteFolding && settings.StripHeaderSpaces && settings.PermitUnconventionalHttpMethod
            && settings.PermitUnconventionalHttpVersion && settings.CasefoldHttpMethod);
        Assert.Equal("dangerous", settings.HeaderMap);
    }

    [Theory]
    [InlineData("limit-request-body = 1048576", 1048576L)]
    [InlineData("limit-request-body = 64K", 65536L)]
    [InlineData("limit-request-body = \"100m\"", 104857600L)]
    [InlineData("limit-request-body = 2G", 2147483648L)]
    [InlineData("", 0L)]
    public void The_body_limit_is_a_size_in_bytes_with_binary_units(string hocon, long bytes) =>
        Assert.Equal(bytes, FromHocon(hocon).LimitRequestBody);

    [Theory]
    [InlineData("", 500)]
    [InlineData("worker-connections = 40", 20)]
    [InlineData("worker-connections = 1", 1)]
    [InlineData("limit-peer-connections = 0", 0)]
    [InlineData("limit-peer-connections = 7", 7)]
    public void The_peer_connection_limit_defaults_to_half_the_worker_connections(string hocon, int limit) =>
        Assert.Equal(limit, FromHocon(hocon).LimitPeerConnections);

    [Fact]
    public void The_request_parsing_settings_default_to_gunicorns()
    {
        var settings = FromHocon(string.Empty);

        Assert.Equal(("127.0.0.1,::1", "127.0.0.1,::1", "off", "drop", "SCRIPT_NAME,PATH_INFO"),
            (settings.ForwardedAllowIps, settings.ProxyAllowIps, settings.ProxyProtocol, settings.HeaderMap, settings.ForwarderHeaders));
        Assert.Equal(["X-FORWARDED-PROTOCOL", "X-FORWARDED-PROTO", "X-FORWARDED-SSL"], settings.SecureSchemeHeaders.Keys);
        Assert.False(settings.PermitObsoleteFolding || settings.StripHeaderSpaces || settings.CasefoldHttpMethod);
    }

    [Fact]
    public void A_bare_number_duration_in_hocon_is_seconds_not_akkas_milliseconds() =>
        Assert.Equal(TimeSpan.FromSeconds(30), FromHocon("timeout = 30").Timeout);

    [Fact]
    public void A_single_bind_string_is_read_as_a_one_address_list_as_gunicorn_allows() =>
        Assert.Equal([new TcpBindAddress("10.0.0.1", 9000)], FromHocon("bind = \"10.0.0.1:9000\"").Bind);

    [Theory]
    [InlineData("raw-env = []")]
    [InlineData("raw-env = [ ]")]
    [InlineData("raw-env = [\n]")]
    public void Every_spelling_of_an_empty_list_reads_as_empty(string hocon) =>
        Assert.Empty(FromHocon(hocon).Env);

    [Fact]
    public void Zero_timeout_is_allowed_because_it_disables_the_check() =>
        Assert.Equal(TimeSpan.Zero, FromHocon("timeout = 0").Timeout);

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("Critical", LogLevel.Critical)]
    public void Gunicorn_log_levels_map_to_dotnet_log_levels(string level, LogLevel expected) =>
        Assert.Equal(expected, FromHocon($"loglevel = {level}").LogLevel);

    [Theory]
    [InlineData("workers = abc", "-w/--workers / actorgunicorn.workers: 'abc' is not an integer")]
    [InlineData("workers = 2.5", "-w/--workers / actorgunicorn.workers: '2.5' is not an integer")]
    [InlineData("workers = 0", "-w/--workers / actorgunicorn.workers: '0' must be at least 1")]
    [InlineData("workers = [1]", "-w/--workers / actorgunicorn.workers: expected an integer, found a list")]
    [InlineData("workers = []", "-w/--workers / actorgunicorn.workers: expected an integer, found a list")]
    [InlineData("workers { n = 1 }", "-w/--workers / actorgunicorn.workers: expected an integer, found an object")]
    [InlineData("workers = null", "-w/--workers / actorgunicorn.workers: null is not an integer")]
    [InlineData("workers = 99999999999", "-w/--workers / actorgunicorn.workers: '99999999999' is not an integer")]
    [InlineData("max-workers = -1", "--max-workers / actorgunicorn.max-workers: '-1' must not be negative")]
    [InlineData("workers = 4\nmax-workers = 2", "--max-workers / actorgunicorn.max-workers: '2' must be at least workers (4), or 0 to keep the number of workers fixed")]
    [InlineData("scale-down-after = 0", "--scale-down-after / actorgunicorn.scale-down-after: '0' must be at least 1 s")]
    [InlineData("scale-down-after = 500ms", "--scale-down-after / actorgunicorn.scale-down-after: '0.5' must be at least 1 s")]
    [InlineData("threads = 0", "--threads / actorgunicorn.threads: '0' must be at least 1")]
    [InlineData("worker-connections = 0", "--worker-connections / actorgunicorn.worker-connections: '0' must be at least 1")]
    [InlineData("backlog = -1", "--backlog / actorgunicorn.backlog: '-1' must not be negative")]
    [InlineData("max-requests = -5", "--max-requests / actorgunicorn.max-requests: '-5' must not be negative")]
    [InlineData("max-requests-jitter = -5", "--max-requests-jitter / actorgunicorn.max-requests-jitter: '-5' must not be negative")]
    [InlineData("limit-request-line = -1", "--limit-request-line / actorgunicorn.limit-request-line: '-1' must not be negative")]
    [InlineData("limit-request-fields = -1", "--limit-request-fields / actorgunicorn.limit-request-fields: '-1' must not be negative")]
    [InlineData("limit-request-field-size = -1", "--limit-request-field_size / actorgunicorn.limit-request-field-size: '-1' must not be negative")]
    [InlineData("timeout = -1", "-t/--timeout / actorgunicorn.timeout: '-1' must not be negative")]
    [InlineData("graceful-timeout = soon", "--graceful-timeout / actorgunicorn.graceful-timeout: 'soon' is not a duration (seconds, or a number with a unit such as 500ms, 30s, 2m)")]
    [InlineData("keepalive = 5 fortnights", "--keep-alive / actorgunicorn.keepalive: '5 fortnights' is not a duration (seconds, or a number with a unit such as 500ms, 30s, 2m)")]
    [InlineData("raw-env = [\"FOO\"]", "-e/--env / actorgunicorn.raw-env: 'FOO' is not KEY=VALUE")]
    [InlineData("raw-env = [\"=x\"]", "-e/--env / actorgunicorn.raw-env: '=x' is not KEY=VALUE")]
    [InlineData("raw-env = [[\"A=1\"]]", "-e/--env / actorgunicorn.raw-env: expected a list of strings, found a list")]
    [InlineData("raw-env { A = 1 }", "-e/--env / actorgunicorn.raw-env: expected a list of strings, found an object")]
    [InlineData("bind = []", "-b/--bind / actorgunicorn.bind: '[]' must have at least one element")]
    [InlineData("bind = [\"host:99999\"]", "-b/--bind / actorgunicorn.bind: 'host:99999' is not a valid address: the port must be a number from 0 to 65535")]
    [InlineData("bind = [{ host = x }]", "-b/--bind / actorgunicorn.bind: expected a list of addresses, found an object")]
    [InlineData("bind = null", "-b/--bind / actorgunicorn.bind: expected a list of addresses, found null")]
    [InlineData("loglevel = verbose", "--log-level / actorgunicorn.loglevel: 'verbose' is not one of debug, info, warning, error, critical")]
    [InlineData("forwarded-allow-ips = \"10.0.0.1/8\"", "--forwarded-allow-ips / actorgunicorn.forwarded-allow-ips: '10.0.0.1/8' is not an IP address or network (address or address/prefix, no host bits set).")]
    [InlineData("proxy-allow-ips = \"localhost\"", "--proxy-allow-from / actorgunicorn.proxy-allow-ips: 'localhost' is not an IP address or network (address or address/prefix, no host bits set).")]
    [InlineData("proxy-protocol = v3", "--proxy-protocol / actorgunicorn.proxy-protocol: 'v3' is not one of off, v1, v2, auto")]
    [InlineData("limit-request-body = ten", "--limit-request-body / actorgunicorn.limit-request-body: 'ten' is not a size in bytes (a number, or with K, M or G such as 100M)")]
    [InlineData("limit-request-body = -1", "--limit-request-body / actorgunicorn.limit-request-body: '-1' must not be negative")]
    [InlineData("limit-peer-connections = -2", "--limit-peer-connections / actorgunicorn.limit-peer-connections: '-2' must be at least -1")]
    [InlineData("header-map = keep", "--header-map / actorgunicorn.header-map: 'keep' is not one of drop, refuse, dangerous")]
    [InlineData("secure-scheme-headers = [a]", "actorgunicorn.secure-scheme-headers: expected a map of names to values, such as { \"X-FORWARDED-PROTO\" = https }, or a list of [name, value] pairs")]
    [InlineData("errorlog = null", "--error-logfile/--log-file / actorgunicorn.errorlog: expected a string, found null")]
    [InlineData("access-log-format = [a]", "--access-logformat / actorgunicorn.access-log-format: expected a string, found a list")]
    [InlineData("app = [a]", "APP / actorgunicorn.app: expected a string, found a list")]
    public void An_invalid_value_is_an_error_naming_the_flag_the_key_and_the_value(string hocon, string message) =>
        Assert.Equal(message, Assert.Throws<SettingsException>(() => FromHocon(hocon)).Message);

    [Theory]
    [InlineData("workers = 2\nmax-workers = 2", 2, 2, true)]
    [InlineData("workers = 2\nmax-workers = 8", 2, 8, true)]
    [InlineData("workers = 5", 5, 0, false)]
    public void Max_workers_is_a_ceiling_at_or_above_workers_and_zero_keeps_the_count_fixed(string hocon, int workers, int maxWorkers, bool scales)
    {
        var settings = FromHocon(hocon + "\nscale-down-after = 45s");

        Assert.Equal((workers, maxWorkers, scales, TimeSpan.FromSeconds(45)), (settings.Workers, settings.MaxWorkers, settings.ScalesWithLoad, settings.ScaleDownAfter));
    }

    [Fact]
    public void The_error_carries_the_gunicorn_name_of_the_setting() =>
        Assert.Equal("limit_request_field_size", Assert.Throws<SettingsException>(() => FromHocon("limit-request-field-size = x")).SettingName);

    [Fact]
    public void Settings_with_equal_values_are_equal_even_though_their_lists_are_distinct_objects()
    {
        const string hocon = "bind = [\"a:1\", \"b:2\"]\nraw-env = [\"A=1\"]";
        Assert.Equal(FromHocon(hocon), FromHocon(hocon));
        Assert.Equal(FromHocon(hocon).GetHashCode(), FromHocon(hocon).GetHashCode());
        Assert.NotEqual(FromHocon(hocon), FromHocon("bind = [\"a:1\"]\nraw-env = [\"A=1\"]"));
        Assert.NotEqual(FromHocon(hocon), FromHocon(hocon + "\nworkers = 2"));
    }

    [Fact]
    public async Task Settings_are_read_from_an_actor_systems_configuration()
    {
        var config = ConfigurationFactory.ParseString("actorgunicorn.workers = 7").WithFallback(ReferenceConfig.Load());
        using var system = ActorSystem.Create("settings", config);
        try
        {
            Assert.Equal(7, ServerSettings.Create(system).Workers);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
