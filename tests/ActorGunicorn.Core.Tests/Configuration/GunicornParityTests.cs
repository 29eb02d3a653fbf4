using ActorGunicorn.Configuration;
using ActorGunicorn.Hooks;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

/// <summary>
/// Every gunicorn setting is accepted (none is refused as unknown), and each one this server carries out differently
/// says so in one warning line when a configuration gives it such a value.
/// </summary>
public sealed class GunicornParityTests : IDisposable
{
    // gunicorn 26.1's settings (gunicorn/config.py), by section, as ../shared/notes/gunicorn-reference.md §1.3 lists them.
    private static readonly string[] GunicornSettings =
    [
        "config", "wsgi_app",
        "bind", "backlog",
        "workers", "worker_class", "threads", "worker_connections", "max_requests", "max_requests_jitter", "timeout",
        "graceful_timeout", "keepalive", "asgi_loop", "asgi_lifespan", "asgi_disconnect_grace_period", "http_parser",
        "limit_request_line", "limit_request_fields", "limit_request_field_size",
        "reload", "reload_engine", "reload_extra_files", "spew", "check_config", "print_config",
        "preload_app", "sendfile", "reuse_port", "chdir", "daemon", "raw_env", "pidfile", "worker_tmp_dir", "user",
        "group", "umask", "initgroups", "tmp_upload_dir", "secure_scheme_headers", "forwarded_allow_ips", "pythonpath",
        "paste", "proxy_protocol", "proxy_allow_ips", "protocol", "uwsgi_allow_ips", "raw_paste_global_conf",
        "permit_obsolete_folding", "strip_header_spaces", "permit_unconventional_http_method",
        "permit_unconventional_http_version", "casefold_http_method", "forwarder_headers", "header_map", "root_path",
        "accesslog", "disable_redirect_access_to_syslog", "access_log_format", "errorlog", "loglevel", "capture_output",
        "logger_class", "logconfig", "logconfig_dict", "logconfig_json", "syslog_addr", "syslog", "syslog_prefix",
        "syslog_facility", "enable_stdio_inheritance", "statsd_host", "dogstatsd_tags", "statsd_prefix",
        "enable_backlog_metric",
        "proc_name", "default_proc_name",
        "on_starting", "on_reload", "when_ready", "pre_fork", "post_fork", "post_worker_init", "worker_int",
        "worker_abort", "pre_exec", "pre_request", "post_request", "child_exit", "worker_exit", "nworkers_changed",
        "on_exit", "ssl_context",
        "keyfile", "certfile", "ssl_version", "cert_reqs", "ca_certs", "suppress_ragged_eofs", "do_handshake_on_connect",
        "ciphers",
        "http_protocols", "http2_cleartext", "http2_max_concurrent_streams", "http2_initial_window_size",
        "http2_max_frame_size", "http2_max_header_list_size",
        "dirty_apps", "dirty_workers", "dirty_timeout", "dirty_threads", "dirty_graceful_timeout",
        "on_dirty_starting", "dirty_post_fork", "dirty_worker_init", "dirty_worker_exit",
        "control_socket", "control_socket_mode", "control_socket_disable",
    ];

    private readonly ScratchDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private LoadedConfiguration Load(params string[] args) => SettingsLoader.Load(args, new Dictionary<string, string?>(), directory.Path);

    private IReadOnlyList<string> WarningsFor(params string[] args) => GunicornParity.Warnings(Load(args).Config);

    [Fact]
    public void The_list_is_gunicorns_119_settings()
    {
        Assert.Equal(119, GunicornSettings.Distinct().Count());
    }

    [Fact]
    public void Every_gunicorn_setting_is_a_setting_a_hook_or_a_name_this_server_warns_about()
    {
        var settingNames = SettingsTable.All.Select(setting => setting.Name).ToHashSet();
        var unplaced = GunicornSettings
            .Where(name => !settingNames.Contains(name) && !HookNames.All.Contains(name) && !GunicornParity.UncarriedPythonNames.ContainsKey(name));

        Assert.Empty(unplaced);
    }

    [Fact]
    public void A_setting_gunicorn_lacks_is_marked_beyond_gunicorn_and_one_gunicorn_has_is_not()
    {
        Assert.All(SettingsTable.All.Where(setting => setting.BeyondGunicorn), setting => Assert.DoesNotContain(setting.Name, GunicornSettings));
        Assert.All(SettingsTable.All.Where(setting => GunicornSettings.Contains(setting.Name)), setting => Assert.False(setting.BeyondGunicorn, setting.Name));
        Assert.All(
            SettingsTable.All.Where(setting => !setting.BeyondGunicorn && setting.HoconKey is not null),
            setting => Assert.Contains(setting.Name, GunicornSettings));
    }

    [Fact]
    public void Gunicorns_defaults_and_the_classes_it_shares_earn_no_warning()
    {
        Assert.Empty(WarningsFor());
        Assert.Empty(WarningsFor("-k", "sync", "-k", "gthread", "--threads", "4", "--http-protocols", "h1", "--http-parser", "auto"));
        Assert.Empty(WarningsFor("--suppress-ragged-eofs", "--dirty-workers", "0", "--reload", "--reload-engine", "inotify", "--no-sendfile", "--statsd-host", "localhost:8125", "--statsd-prefix", "web"));
    }

    [Fact]
    public void Each_setting_given_a_value_that_differs_earns_one_line_naming_it_its_value_and_what_differs()
    {
        var warnings = WarningsFor("--enable-backlog-metric", "--reload-engine", "poll", "--http-protocols", "h2,h1", "--preload");

        Assert.Collection(
            warnings,
            line => Assert.Equal($"--reload-engine / actorgunicorn.reload-engine = poll is accepted but differs from gunicorn: {SettingsTable.ReloadEngine.Differs}", line),
            line => Assert.StartsWith("--preload / actorgunicorn.preload-app = True is accepted but differs from gunicorn: this server does not fork", line),
            line => Assert.StartsWith("--enable-backlog-metric / actorgunicorn.enable-backlog-metric = True is accepted but differs from gunicorn: the backlog metric", line),
            line => Assert.StartsWith("--http-protocols / actorgunicorn.http-protocols = h2,h1 is accepted but differs from gunicorn: HTTP/2 is not spoken yet", line));
    }

    [Theory]
    [InlineData("gevent", "1000", 32)]
    [InlineData("eventlet", "10", 10)]
    [InlineData("gunicorn.workers.ggevent.GeventWorker", "1000", 32)]
    [InlineData("egg:gunicorn#tornado", "5", 5)]
    [InlineData("gevent_pywsgi", "64", 32)]
    public void A_greenlet_class_runs_on_threads_sized_from_worker_connections_and_says_so(string workerClass, string connections, int threads)
    {
        var loaded = Load("-k", workerClass, "--worker-connections", connections, "--threads", "3");

        Assert.Equal(threads, loaded.Settings.Threads);
        var warning = Assert.Single(GunicornParity.Warnings(loaded.Config));
        Assert.StartsWith("-k/--worker-class / actorgunicorn.worker-class = ", warning);
        Assert.Contains("no greenlets", warning);
    }

    [Theory]
    [InlineData("sync", "sync")]
    [InlineData("gthread", "gthread")]
    [InlineData("gunicorn.workers.gthread.ThreadWorker", "gthread")]
    [InlineData("SYNC", "sync")]
    public void Sync_and_gthread_run_threads_as_gunicorn(string workerClass, string readBack)
    {
        var settings = Load("-k", workerClass, "--threads", "4").Settings;

        Assert.Equal((readBack, 4), (settings.WorkerClass, settings.Threads));
    }

    [Theory]
    [InlineData("asgi")]
    [InlineData("uvicorn.workers.UvicornWorker")]
    [InlineData("uvicorn_worker.UvicornH11Worker")]
    public void An_asgi_class_is_refused_with_a_line_that_says_why(string workerClass)
    {
        var error = Assert.Throws<SettingsException>(() => Load("-k", workerClass));

        Assert.StartsWith("-k/--worker-class / actorgunicorn.worker-class: 'asgi' (and uvicorn's workers) serve ASGI applications", error.Message);
    }

    [Fact]
    public void An_unknown_class_is_refused_naming_the_known_ones()
    {
        var error = Assert.Throws<CommandLineException>(() => Load("-k", "meinheld"));

        Assert.Equal("argument -k/--worker-class: invalid choice: 'meinheld' (choose from 'sync', 'gthread', 'gevent', 'eventlet', 'tornado', 'asgi')", error.Message);
    }

    [Fact]
    public void The_uwsgi_protocol_is_refused_at_start_rather_than_failing_every_request()
    {
        var error = Assert.Throws<SettingsException>(() => Load("--protocol", "uwsgi"));

        Assert.Contains("'uwsgi' is not spoken yet", error.Message);
        Assert.Empty(WarningsFor("--protocol", "http"));
    }

    [Fact]
    public void No_sendfile_clears_a_setting_that_is_on_by_default()
    {
        Assert.True(SettingsTable.SendFile.Read(Load().Config));
        Assert.False(SettingsTable.SendFile.Read(Load("--no-sendfile").Config));
    }

    [Fact]
    public void A_python_configuration_defining_a_gunicorn_hook_this_server_does_not_call_earns_a_line()
    {
        var warnings = GunicornParity.PythonConfigWarnings(["helper", "pre_exec", "dirty_worker_init", "logconfig_dict"], "gunicorn.conf.py");

        Assert.Equal(
            [
                $"gunicorn.conf.py defines pre_exec, which is accepted but differs from gunicorn: {GunicornParity.UncarriedPythonNames["pre_exec"]}",
                $"gunicorn.conf.py defines dirty_worker_init, which is accepted but differs from gunicorn: {GunicornParity.UncarriedPythonNames["dirty_worker_init"]}",
                $"gunicorn.conf.py defines logconfig_dict, which is accepted but differs from gunicorn: {GunicornParity.UncarriedPythonNames["logconfig_dict"]}",
            ],
            warnings);
    }
}
