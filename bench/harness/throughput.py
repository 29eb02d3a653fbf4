"""The main table: every scenario on every server that runs it, keep-alive and ``Connection: close``.

Rounds are interleaved (each round starts every server once per scenario), and every other round visits the
servers in reverse order, so a slow phase of the machine does not land on one server. Each start gets a warm-up
pass, then one pass per mode.
"""

from . import lifecycle, load, probe

MODES = {"ka": "keep-alive", "close": "Connection: close"}


def run(settings, paths, scenarios, servers, out_dir, results, say):
    """Appends one record per pass to ``results['throughput']`` and the commands to ``results['commands']``."""
    records = results.setdefault("throughput", [])
    commands = results.setdefault("commands", {})
    for round_number in range(1, settings.rounds + 1):
        for scenario in scenarios:
            order = [kind for kind in servers if kind.serves(scenario)]
            if round_number % 2 == 0:
                order.reverse()
            for kind in order:
                tag = f"{scenario.name}-{kind.name}-r{round_number}"
                try:
                    with lifecycle.running(kind, scenario, paths, settings, settings.workers, out_dir, tag) as (server, port):
                        commands[f"{kind.name} {scenario.name}"] = lifecycle.display_command(server.command, paths, port)
                        load.warm_up(server, port, scenario, settings, paths)
                        for mode in settings.modes:
                            record, line = load.load_pass(server, port, scenario, settings, paths,
                                                          close=mode == "close", seconds=settings.duration)
                            commands[f"wrk {scenario.name} {mode}"] = lifecycle.display_command(line, paths, port)
                            record.update(scenario=scenario.name, server=kind.name, mode=mode, round=round_number)
                            if mode == "close":
                                record["honours_close"] = probe.closes_after_connection_close(port, scenario.path)
                            records.append(record)
                            say(f"{scenario.name:14} {mode:5} {kind.name:16} r{round_number}  "
                                f"{record['rps']:>10,.0f} req/s  p99 {record['p99_ms']:7.2f} ms  "
                                f"cpu {record['cpu_us_per_request'] or 0:6.1f} us/req  errors {record['errors']}  "
                                f"other {record['other_cpu_percent']:.0f}%  steal {record['steal_percent']:.1f}%")
                        if not server.alive():
                            raise probe.BenchError(f"{kind.name} died during the passes:\n{server.log_tail()}")
                except probe.BenchError as error:
                    say(f"SKIPPED {tag}: {error}")
                    results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")
