"""Which (scenario, server) pairs the secondary measurements use, narrowed to what the run selected."""

from .catalog import SCENARIOS_BY_NAME, SERVERS_BY_NAME


def pairs(wanted, settings):
    """``wanted``: (scenario name, server name) pairs; keeps those whose scenario and server are selected."""
    chosen = []
    for scenario_name, server_name in wanted:
        if settings.scenarios and scenario_name not in settings.scenarios:
            continue
        if settings.servers and server_name not in settings.servers:
            continue
        chosen.append((SCENARIOS_BY_NAME[scenario_name], SERVERS_BY_NAME[server_name]))
    return chosen
