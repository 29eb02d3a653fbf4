"""The report's chart: req/s and server CPU per request, per scenario and server, for each mode."""

from . import summary
from .catalog import SCENARIOS, SERVERS
from .throughput import MODES


def draw(results, path, title):
    """Writes a PNG to ``path``; returns False when matplotlib is missing (the report then has no chart)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False

    table = summary.throughput(results.get("throughput", []))
    modes = [mode for mode in MODES if any(key[2] == mode for key in table)]
    scenarios = [scenario for scenario in SCENARIOS if any(key[0] == scenario.name for key in table)]
    servers = [server.name for server in SERVERS if any(key[1] == server.name for key in table)]
    if not modes or not scenarios:
        return False

    figure, axes = plt.subplots(2, len(modes), figsize=(6.5 * len(modes), 8), squeeze=False)
    width = 0.8 / len(servers)
    colours = plt.get_cmap("tab10")
    for column, mode in enumerate(modes):
        for row, (metric, label) in enumerate((("rps", "requests/s (median)"),
                                               ("cpu_us_per_request", "server CPU µs per request (median)"))):
            axis = axes[row][column]
            for index, server in enumerate(servers):
                values = [table.get((scenario.name, server, mode), {}).get(metric) or 0 for scenario in scenarios]
                positions = [position + (index - (len(servers) - 1) / 2) * width for position in range(len(scenarios))]
                axis.bar(positions, values, width, label=server, color=colours(index))
            axis.set_xticks(range(len(scenarios)), [scenario.title for scenario in scenarios], rotation=15)
            axis.set_ylabel(label)
            axis.set_title(MODES[mode])
            axis.grid(axis="y", alpha=0.3)
    axes[0][0].legend(fontsize="small")
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return True
