"""docs/performance.md: the run's tables, the chart, the targets, the machine, the versions and the commands."""

from . import memory, summary, targets
from .catalog import SCENARIOS, SERVERS
from .throughput import MODES

SMOKE_BANNER = ("> **Smoke run on a busy machine; not a measurement.** This page was produced by the short smoke "
                "configuration (`--smoke`: one round, 3 s passes) while other builds and tests shared the CPU. It "
                "shows that every row of the suite works end to end; none of its numbers may be quoted. The full "
                "run below replaces it.")

FULL_RUN = "./build.sh --target=Bench"
FULL_RUN_LONG = './build.sh --target=Bench --bench-args="--long"'

BASELINE = {"wsgi": "gunicorn-sync", "dotnet": "kestrel"}


def _number(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def _mib(kib):
    return "–" if kib is None else f"{kib / 1024:,.1f}"


def _table(header, rows, text_columns=1):
    """A markdown table; the first ``text_columns`` columns are left-aligned, the numbers after them right-aligned."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if index < text_columns else "---:" for index in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _throughput(results):
    table = summary.throughput(results.get("throughput", []))
    if not table:
        return ["Not run."]
    parts = []
    for scenario in SCENARIOS:
        rows = []
        baseline = BASELINE[scenario.kind]
        for mode in MODES:
            base = table.get((scenario.name, baseline, mode), {}).get("rps")
            for server in SERVERS:
                cell = table.get((scenario.name, server.name, mode))
                if cell is None:
                    continue
                ratio = f"{cell['rps'] / base:.2f}" if base and cell["rps"] else "–"
                kept_alive = mode == "close" and not cell["honours_close"]
                rows.append([
                    server.name, MODES[mode] + (" (kept alive ‡)" if kept_alive else ""), _number(cell["rps"]), ratio, _number(cell["p50_ms"], 2),
                    _number(cell["p99_ms"], 2), _number(cell["cpu_us_per_request"], 1), f"{cell['errors']:,}",
                    " / ".join(_number(value) for value in cell["other_cpu_percent"]),
                    " / ".join("–" if value is None else _number(value, 1) for value in cell["steal_percent"]),
                    " / ".join(_number(value) for value in cell["rounds_rps"]),
                ])
        if rows:
            parts += [f"### {scenario.title} (`{scenario.name}`)", "",
                      _table(["server", "mode", "req/s", f"× {baseline}", "p50 ms", "p99 ms", "CPU µs/req",
                              "errors", "other CPU %", "steal %", "req/s per round"], rows, text_columns=2), ""]
    if any(mode == "close" and not cell["honours_close"] for (_, _, mode), cell in table.items()):
        parts += ["‡ This server answered `Connection: close` without closing the connection (RFC 9112 §9.6 says it "
                  "must close), so wrk kept using it: that pass measured keep-alive, not a new connection per "
                  "request. Such a pass is left out when the close target picks the best Python peer.", ""]
    return parts


def _targets(results):
    rows = [[target, measured, verdict] for target, measured, verdict in targets.evaluate(results)]
    return [_table(["target", "measured", "verdict"], rows, text_columns=3)]


def _memory(results):
    records = results.get("memory", [])
    if not records:
        return ["Not run."]
    rows = [[record["scenario"], record["server"], record["workers"], _mib(record["worker_rss_kib"]),
             _mib(record["worker_pss_kib"]), _mib(record["main_rss_kib"]), _mib(record["tree_pss_kib"]),
             _cpu_percent(record.get("main_first_cpu_percent"), record.get("main_rest_cpu_percent")),
             _cpu_percent(record.get("worker_first_cpu_percent"), record.get("worker_rest_cpu_percent"))]
            for record in records]
    return [_table(["app", "server", "workers", "RSS per worker MiB", "PSS per worker MiB", "master RSS MiB",
                    "all processes PSS MiB", "master CPU % (first window / at rest)",
                    "busiest worker CPU % (first window / at rest)"], rows, text_columns=2)]


def _cpu_percent(first, rest):
    if first is None and rest is None:
        return "-"
    return " / ".join("-" if value is None else f"{value:.2f}" for value in (first, rest))


def _repeated(records, columns):
    """Median and range over repeats of each column, per (scenario, server)."""
    if not records:
        return ["Not run."]
    pairs = list(dict.fromkeys((record["scenario"], record["server"]) for record in records))
    rows = []
    for pair in pairs:
        row = [pair[0], pair[1], sum(1 for record in records if (record["scenario"], record["server"]) == pair)]
        for key, _title in columns:
            median = summary.by_pair(records, key).get(pair)
            low, high = summary.spread(records, key).get(pair, (None, None))
            row.append(f"{_number(median)} ({_number(low)}–{_number(high)})")
        rows.append(row)
    return [_table(["app", "server", "repeats"] + [title for _key, title in columns], rows, text_columns=2)]


def _scaling(results):
    table = summary.scaling(results.get("scaling", []))
    if not table:
        return ["Not run."]
    other = summary.scaling(results["scaling"], "other_cpu_percent")
    rows = []
    for (scenario, server), counts in table.items():
        one, two = counts.get(1), counts.get(2)
        busy = other[(scenario, server)]
        rows.append([scenario, server, _number(one), _number(two), f"{two / one:.2f}" if one and two else "–",
                     f"{_number(busy.get(1))} / {_number(busy.get(2))}"])
    return [_table(["app", "server", "-w 1 req/s", "-w 2 req/s", "-w 2 / -w 1", "other CPU % (-w 1 / -w 2)"],
                   rows, text_columns=2)]


def _long(results):
    records = results.get("long", [])
    if not records:
        return [f"Not run in this run; it takes several minutes per row. Run it with `{FULL_RUN_LONG}`."]
    rows = [[record["scenario"], record["server"], record["workers"],
             f"{record.get('settle_requests', 0):,} in {record.get('settle_seconds', 0)} s", f"{record['requests']:,}",
             record["errors"], _mib(record["rss_start_kib"]), _mib(record.get("rss_settled_kib")),
             _mib(record["rss_end_kib"]), _mib(record["rss_max_kib"]), f"{record['growth_percent']:+.1f} %"]
            for record in records]
    return ["Keep-alive load first settles the workers (their first collections and tier-1 JIT; "
            "[performance-analysis.md](performance-analysis.md) §3), then passes run until the measured requests "
            "are served. RSS is the sum over the workers, read after each pass; growth is from the settled RSS to "
            "the end.", ""] + ([results["long_note"], ""] if results.get("long_note") else []) + [
            _table(["app", "server", "workers", "settling requests", "measured requests", "errors",
                    "RSS after warm-up MiB", "settled MiB", "at the end MiB", "max MiB", "growth over the measured requests"],
                   rows, text_columns=2)]


def _commands(results):
    commands = results.get("commands", {})
    server_rows = [[f"`{key}`", f"`{value}`"] for key, value in sorted(commands.items()) if not key.startswith("wrk ")]
    wrk_rows = [[f"`{key[4:]}`", f"`{value}`"] for key, value in sorted(commands.items()) if key.startswith("wrk ")]
    notes = [[server.name, server.note] for server in SERVERS]
    return [
        "Servers (the throughput runs; memory, boot and recovery start the same commands with the worker count "
        "they need):", "", _table(["server and app", "command"], server_rows, text_columns=2), "",
        "Load (a warm-up pass with keep-alive precedes each server's passes and is not counted):", "",
        _table(["scenario and mode", "command"], wrk_rows, text_columns=2), "",
        "Settings per server:", "", _table(["server", "settings"], notes, text_columns=2),
    ]


def render(results, chart_name):
    """The whole page as markdown."""
    settings = results["settings"]
    smoke = results.get("smoke", False)
    lines = ["# Performance", ""]
    if smoke:
        lines += [SMOKE_BANNER, ""]
    lines += [
        f"Generated by `bench/run.py` ({results['started']} to {results['finished']}). The full measurement is "
        f"`{FULL_RUN}` on a quiet machine (about 35 minutes on 2 cores; add the 1M-request memory run with "
        f"`{FULL_RUN_LONG}`); [bench/README.md](../bench/README.md) explains every option. Time and allocations "
        "of the hot paths (BenchmarkDotNet): "
        "[bench/ActorGunicorn.Benchmarks/README.md](../bench/ActorGunicorn.Benchmarks/README.md).", "",
        f"This run: `{' '.join(results['argv'])}`", "",
        "## Machine and versions", "", _table(["item", "value"], results["machine"], text_columns=2), "",
        "## Method", "",
        f"- {settings['rounds']} round(s), interleaved: each round starts every server once per app, in reverse "
        "order every other round; tables show medians over the rounds.",
        f"- Each start: a {settings['warmup']} s keep-alive warm-up, then one {settings['duration']} s wrk pass per "
        f"mode: `wrk -t{settings['wrk_threads']} -c{settings['connections']}`, keep-alive and `Connection: close`.",
        f"- {settings['workers']} workers for every server that has workers; gunicorn's gthread worker and waitress "
        f"get {settings['threads']} threads.",
        "- CPU µs/req: utime + stime of the server's whole process tree (/proc) during the pass, per request. "
        "errors: wrk's non-2xx/3xx answers plus socket errors. other CPU %: what every other process on the "
        "machine used during the pass, as a share of all cores (above ~10 % the pass shared the machine). steal %: "
        "the time the hypervisor ran other guests while this one's cores wanted to run, as a share of all cores.", "",
        "## Targets (issues 6 and 15)", "",
    ]
    if smoke:
        lines += ["Computed like the real ones; on a smoke run the verdicts mean nothing.", ""]
    lines += _targets(results) + ["", "Why a target is missed, with profiles, and what would close the gap: "
                                  "[performance-analysis.md](performance-analysis.md).", "", "## Throughput", ""]
    if chart_name:
        lines += [f"![req/s and CPU per request]({chart_name})", ""]
    lines += _throughput(results)
    lines += ["## Memory of idle workers", "",
              f"After {memory.IDLE_REQUESTS} requests and {memory.IDLE_SETTLE_SECONDS} s of rest; CPU (% of one core) is then "
              f"read over two windows of {results.get('settings', {}).get('rest_seconds', '?')} s: the first still holds a .NET "
              "process's last tier-1 JIT work, the second is the process at rest. waitress and Kestrel have no worker processes: their one "
              "process is counted as the worker.", ""] + _memory(results)
    lines += ["", "## Worker boot", "",
              "One worker (`-w 1`), started repeatedly; median (min–max). Command to first 200 includes the "
              "master's own start; worker spawn to first 200 starts at the worker's fork (from /proc, ±10 ms). "
              "uWSGI loads the app in the master before forking.", ""]
    lines += _repeated(results.get("boot", []), [("start_to_200_ms", "command → first 200, ms"),
                                                 ("spawn_to_200_ms", "worker spawn → first 200, ms")])
    lines += ["", "## Recovery after kill -9 of a worker", "",
              "A client sends `GET /pid` on a fresh connection every 5 ms; the oldest worker is killed with SIGKILL; "
              "recovery ends when a process that was not a worker before answers. Failed requests: those the "
              "client saw fail in between.", ""]
    lines += _repeated(results.get("recovery", []), [("kill_to_spawn_ms", "kill → replacement spawned, ms"),
                                                     ("kill_to_serving_ms", "kill → replacement serving, ms"),
                                                     ("failed_in_window", "failed requests")])
    lines += ["", "## Scaling from -w 1 to -w 2", "",
              "Keep-alive passes of the same length, interleaved like the main table. wrk runs on the same "
              "machine, so on two cores a second worker competes with it.", ""] + _scaling(results)
    lines += ["", "## RSS over a long run", ""] + _long(results)
    lines += ["", "## Commands", ""] + _commands(results)
    if results.get("failures"):
        lines += ["", "## Failures in this run", ""] + [f"- {failure}" for failure in results["failures"]]
    return "\n".join(lines) + "\n"
