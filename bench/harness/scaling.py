"""Scaling from one worker to two: keep-alive throughput of the same server and app at -w 1 and -w 2.

On a machine with few cores wrk competes with the workers for CPU, so the ratio says how well a second worker
uses what is left, not how far the server scales on a big machine.
"""

from . import lifecycle, load, probe, selection

SCALING = [("wsgi-hello", "actorgunicorn"), ("dotnet-hello", "actorgunicorn"), ("flask-hello", "actorgunicorn"),
           ("wsgi-hello", "gunicorn-sync")]
WORKER_COUNTS = (1, 2)


def run(settings, paths, out_dir, results, say):
    """Interleaved over the rounds like the main table; one keep-alive pass per start."""
    records = results.setdefault("scaling", [])
    for round_number in range(1, settings.rounds + 1):
        for scenario, kind in selection.pairs(SCALING, settings):
            counts = WORKER_COUNTS if round_number % 2 else tuple(reversed(WORKER_COUNTS))
            for workers in counts:
                tag = f"scaling-{scenario.name}-{kind.name}-w{workers}-r{round_number}"
                try:
                    with lifecycle.running(kind, scenario, paths, settings, workers, out_dir, tag) as (server, port):
                        load.warm_up(server, port, scenario, settings, paths)
                        record, _ = load.load_pass(server, port, scenario, settings, paths, close=False,
                                                   seconds=settings.duration)
                        record.update(scenario=scenario.name, server=kind.name, workers=workers, round=round_number)
                        records.append(record)
                        say(f"scaling {scenario.name:12} {kind.name:16} -w {workers} r{round_number}  "
                            f"{record['rps']:>10,.0f} req/s")
                except probe.BenchError as error:
                    say(f"SKIPPED {tag}: {error}")
                    results.setdefault("failures", []).append(f"{tag}: {str(error).splitlines()[0]}")
