"""The targets of issues 6 and 15, checked against one run's medians."""

from . import summary

PYTHON_PEERS = ("gunicorn-sync", "gunicorn-gthread", "uwsgi", "waitress")
RSS_GROWTH_TOLERANCE_PERCENT = 5.0
LONG_RUN_REQUESTS = 1_000_000


def _ratio(table, scenario, mode, peer, goal, ours_server="actorgunicorn"):
    ours = table.get((scenario, ours_server, mode), {}).get("rps")
    theirs = table.get((scenario, peer, mode), {}).get("rps")
    if not ours or not theirs:
        return "not measured", None
    ratio = ours / theirs
    return f"{ratio:.2f}× ({ours:,.0f} / {theirs:,.0f} req/s)", ratio >= goal


def _best_peer(table, scenario, mode):
    # A peer that ignores `Connection: close` ran its close pass as keep-alive (see probe.closes_after_connection_close).
    peers = [(table[(scenario, peer, mode)]["rps"], peer) for peer in PYTHON_PEERS
             if (scenario, peer, mode) in table and table[(scenario, peer, mode)]["honours_close"]]
    return max(peers)[1] if peers else None


def _at_most(value, goal, unit, digits=1, against=""):
    if value is None:
        return "not measured", None
    return f"{value:,.{digits}f} {unit}" + (f" ({against} {goal:,.{digits}f})" if against else ""), value <= goal


def evaluate(results):
    """[(target, measured, verdict)] where verdict is 'met', 'missed' or 'not measured'."""
    table = summary.throughput(results.get("throughput", []))
    rows = [
        ("plain WSGI hello, keep-alive: ≥ 4× gunicorn-sync", _ratio(table, "wsgi-hello", "ka", "gunicorn-sync", 4.0)),
        ("plain WSGI hello, keep-alive: ≥ 1.5× uWSGI", _ratio(table, "wsgi-hello", "ka", "uwsgi", 1.5)),
    ]
    best = _best_peer(table, "wsgi-hello", "close")
    rows.append((f"plain WSGI hello, close: ≥ 1.5× the best Python peer ({best or 'none'})",
                 _ratio(table, "wsgi-hello", "close", best, 1.5) if best else ("not measured", None)))
    for mode, name in (("ka", "keep-alive"), ("close", "close")):
        rows.append((f"Flask hello, {name}: ≥ 1.5× gunicorn-sync", _ratio(table, "flask-hello", mode, "gunicorn-sync", 1.5)))
    for mode, name in (("ka", "keep-alive"), ("close", "close")):
        rows.append((f".NET hello, {name}: ≥ 1.0× Kestrel", _ratio(table, "dotnet-hello", mode, "kestrel", 1.0)))
    for mode, name in (("ka", "keep-alive"), ("close", "close")):
        rows.append((f".NET hello in-process (actorgunicorn-embedded), {name}: ≥ 0.9× Kestrel",
                     _ratio(table, "dotnet-hello", mode, "kestrel", 0.9, ours_server="actorgunicorn-embedded")))
    # Issue 15's targets.
    rows.append(("Flask hello, keep-alive: ≥ 1.1× uWSGI", _ratio(table, "flask-hello", "ka", "uwsgi", 1.1)))
    rows.append(("plain WSGI hello, keep-alive: ≥ 1.3× uWSGI", _ratio(table, "wsgi-hello", "ka", "uwsgi", 1.3)))
    flask_p99 = table.get(("flask-hello", "actorgunicorn", "ka"), {}).get("p99_ms")
    gunicorn_p99 = table.get(("flask-hello", "gunicorn-sync", "ka"), {}).get("p99_ms")
    rows.append(("Flask hello, keep-alive p99: ≤ gunicorn-sync's",
                 _at_most(flask_p99, gunicorn_p99, "ms", 2, against="gunicorn-sync") if gunicorn_p99 else ("not measured", None)))
    wsgi_cpu = table.get(("wsgi-hello", "actorgunicorn", "ka"), {}).get("cpu_us_per_request")
    dotnet_cpu = table.get(("dotnet-hello", "actorgunicorn", "ka"), {}).get("cpu_us_per_request")
    rows.append(("server CPU per request, plain WSGI hello, keep-alive: ≤ the .NET hello's + 5 µs",
                 _at_most(wsgi_cpu, dotnet_cpu + 5, "µs", against=".NET hello + 5:") if dotnet_cpu else ("not measured", None)))
    for scenario, title, goal in (("wsgi-hello", "plain WSGI hello", 15), ("flask-hello", "Flask hello", 55)):
        cpu = table.get((scenario, "actorgunicorn", "ka"), {}).get("cpu_us_per_request")
        rows.append((f"server CPU per request, {title}, keep-alive: ≤ {goal} µs", _at_most(cpu, goal, "µs")))
    boot = summary.by_pair(results.get("boot", []), "spawn_to_200_ms").get(("dotnet-hello", "actorgunicorn"))
    rows.append(("worker boot, .NET app (spawn to first 200): ≤ 300 ms", _at_most(boot, 300, "ms", 0)))
    memory = results.get("memory", [])
    rows.append(("idle Flask worker RSS: ≤ 1.5× gunicorn's", _idle_ratio(memory, "worker_rss_kib", 1.5)))
    rows.append(("idle Flask worker PSS: ≤ 2× gunicorn's", _idle_ratio(memory, "worker_pss_kib", 2.0)))
    master_rss = summary.by_pair(memory, "main_rss_kib").get(("flask-hello", "actorgunicorn"))
    rows.append(("arbiter RSS (Flask, idle): ≤ 45 MiB", _at_most(None if master_rss is None else master_rss / 1024, 45, "MiB")))
    for key, who in (("main_rest_cpu_percent", "arbiter"), ("worker_rest_cpu_percent", "busiest worker")):
        busiest = max((record[key] for record in memory
                       if record["server"] == "actorgunicorn" and record.get(key) is not None), default=None)
        rows.append((f"CPU at rest, {who}: < 0.2 % of a core", _at_most(busiest, 0.2, "%", 2)))
    for record in results.get("long", []):
        rows.append((f"no RSS growth over 1M requests ({record['scenario']})", _growth(record)))
    if not results.get("long"):
        rows.append(("no RSS growth over 1M requests", ("not measured (run with --long)", None)))
    return [(target, measured, {True: "met", False: "missed", None: "not measured"}[verdict])
            for target, (measured, verdict) in rows]


def _idle_ratio(records, key, goal):
    sizes = summary.by_pair(records, key)
    ours, theirs = sizes.get(("flask-hello", "actorgunicorn")), sizes.get(("flask-hello", "gunicorn-sync"))
    if not ours or not theirs:
        return "not measured", None
    ratio = ours / theirs
    return f"{ratio:.2f}× ({ours / 1024:.1f} / {theirs / 1024:.1f} MiB)", ratio <= goal


def _growth(record):
    measured = (f"{record['growth_percent']:+.1f} % after {record['requests']:,} requests "
                f"(tolerance {RSS_GROWTH_TOLERANCE_PERCENT:.0f} %)")
    if record["requests"] < LONG_RUN_REQUESTS:
        return measured + ": too few requests", None
    return measured, record["growth_percent"] <= RSS_GROWTH_TOLERANCE_PERCENT
