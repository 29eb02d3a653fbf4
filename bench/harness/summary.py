"""Medians over rounds, the numbers every table and the chart are made of."""

import statistics


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def throughput(records):
    """(scenario, server, mode) -> medians of req/s, p50, p99 and CPU per request; errors summed; rounds listed."""
    groups = {}
    for record in records:
        groups.setdefault((record["scenario"], record["server"], record["mode"]), []).append(record)
    table = {}
    for key, group in groups.items():
        group.sort(key=lambda record: record["round"])
        table[key] = {
            "rps": median(record["rps"] for record in group),
            "p50_ms": median(record["p50_ms"] for record in group),
            "p99_ms": median(record["p99_ms"] for record in group),
            "cpu_us_per_request": median(record["cpu_us_per_request"] for record in group),
            "errors": sum(record["errors"] for record in group),
            # False when the server kept the connection open after `Connection: close`: wrk then reused it.
            "honours_close": all(record.get("honours_close", True) for record in group),
            "rounds_rps": [record["rps"] for record in group],
            "other_cpu_percent": [record["other_cpu_percent"] for record in group],
            # Results saved before the steal figure was recorded have none.
            "steal_percent": [record.get("steal_percent") for record in group],
        }
    return table


def by_pair(records, value):
    """(scenario, server) -> the median of ``value`` (a key) over repeats."""
    groups = {}
    for record in records:
        groups.setdefault((record["scenario"], record["server"]), []).append(record.get(value))
    return {key: median(values) for key, values in groups.items()}


def spread(records, value):
    """(scenario, server) -> (min, max) of ``value`` over repeats."""
    groups = {}
    for record in records:
        if record.get(value) is not None:
            groups.setdefault((record["scenario"], record["server"]), []).append(record[value])
    return {key: (min(values), max(values)) for key, values in groups.items()}


def scaling(records, value="rps"):
    """(scenario, server) -> {workers: median of ``value``}."""
    groups = {}
    for record in records:
        groups.setdefault((record["scenario"], record["server"]), {}).setdefault(record["workers"], []).append(record[value])
    return {key: {workers: median(values) for workers, values in counts.items()} for key, counts in groups.items()}
