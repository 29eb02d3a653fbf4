using System.Text.Json;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>PythonApps/probe_app.py behind wsgiref.validate, one worker with four Python threads.</summary>
public sealed class ThreadedProbeFixture : WsgiServerFixture
{
    internal override string[] Arguments() => Wsgi.Args("probe_app:application", Wsgi.PythonApps, "--threads", "4");
}

/// <summary>With --threads, several Python threads serve at once and never mix up their requests.</summary>
public sealed class WsgiThreadTests(ThreadedProbeFixture probe) : IClassFixture<ThreadedProbeFixture>, IDisposable
{
    // What the server printed before this test belongs to earlier tests.
    private readonly int _linesBefore = probe.Server.Lines.Count;

    public void Dispose() => Wsgi.AssertValidatorWasSilent(probe.Server, _linesBefore);

    [Fact]
    public async Task Four_keep_alive_clients_sending_ten_thousand_requests_each_get_their_own_answers()
    {
        // Each client thread sends 2,500 requests with unique ids on one keep-alive connection and checks that every
        // answer echoes its own id. The answers also name the Python thread that served them.
        const string script = """
            import http.client, json, sys, threading
            port, per_client = int(sys.argv[1]), int(sys.argv[2])
            lock = threading.Lock()
            report = {"ok": 0, "mismatches": [], "python_threads": set(), "reconnects": 0}

            def client(n):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for i in range(per_client):
                    request_id = "%d-%d" % (n, i)
                    # http.client reopens a connection the server closed: count it, the test wants keep-alive.
                    reconnect = i > 0 and conn.sock is None
                    conn.request("GET", "/echo?id=" + request_id)
                    response = conn.getresponse()
                    body = response.read().decode()
                    echoed, _, thread = body.partition(" thread=")
                    with lock:
                        report["reconnects"] += reconnect
                        if response.status == 200 and echoed == "id=" + request_id:
                            report["ok"] += 1
                            report["python_threads"].add(thread)
                        elif len(report["mismatches"]) < 5:
                            report["mismatches"].append([request_id, response.status, body])
                conn.close()

            threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(json.dumps({"ok": report["ok"], "mismatches": report["mismatches"],
                              "python_threads": len(report["python_threads"]), "reconnects": report["reconnects"]}))
            """;

        var result = await Tools.RunAsync("python3", ["-", Wsgi.Invariant(probe.Server.Port), "2500"], script, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var report = json.RootElement;
        Assert.Equal("[]", report.GetProperty("mismatches").GetRawText());
        Assert.Equal(10_000, report.GetProperty("ok").GetInt32());
        Assert.Equal(0, report.GetProperty("reconnects").GetInt32());
        Assert.True(report.GetProperty("python_threads").GetInt32() > 1, $"one Python thread served everything: {result.StandardOutput}");
    }

    [Fact]
    public async Task The_environ_says_multithread()
    {
        using var http = await RawHttp.ConnectAsync(probe.Server.Port);

        var response = await http.GetAsync("/");

        using var json = JsonDocument.Parse(response.Body);
        Assert.True(json.RootElement.GetProperty("wsgi.multithread").GetBoolean());
        Assert.False(json.RootElement.GetProperty("wsgi.multiprocess").GetBoolean());
    }
}
