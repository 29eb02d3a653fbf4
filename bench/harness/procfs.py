"""What /proc says about processes and the machine: trees, CPU time, memory, start times.

CPU figures are in clock ticks (``os.sysconf('SC_CLK_TCK')``, 100 a second on Linux); memory in KiB.
"""

import os
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """Fields of /proc/PID/stat after the command name, or None when the process is gone.

    The name is in parentheses and may hold spaces, so the split starts after the last ')'. Index 0 is the state
    (field 3 in proc(5)), index 1 the parent pid.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2:].split()


def is_alive(pid):
    """True while the process exists and is not a zombie."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def children_by_parent():
    """Every process's children, from one pass over /proc (the kernel here has no /proc/PID/task/TID/children)."""
    tree = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if fields is not None:
                tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def children(pid):
    """The live children of ``pid``, oldest first."""
    kids = [kid for kid in children_by_parent().get(pid, []) if is_alive(kid)]
    return sorted(kids, key=lambda kid: (start_ticks(kid) or 0, kid))


def descendants(pid):
    """``pid`` and every process below it."""
    tree = children_by_parent()
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(tree.get(current, []))
    return found


def tree_cpu_ticks(pid):
    """utime + stime of ``pid`` and its descendants, plus what their reaped children used (cutime + cstime)."""
    total = 0
    for member in descendants(pid):
        fields = _stat_fields(member)
        if fields is not None:
            total += sum(int(value) for value in fields[11:15])
    return total


def cpu_ticks(pid):
    """utime + stime of ``pid`` alone; None when it is gone."""
    fields = _stat_fields(pid)
    return None if fields is None else int(fields[11]) + int(fields[12])


def start_ticks(pid):
    """When the process was created (forked), in clock ticks since boot; None when it is gone."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields is not None else None


def start_seconds(pid):
    """When the process was created, on the ``boot_seconds()`` clock (10 ms resolution)."""
    ticks = start_ticks(pid)
    return None if ticks is None else ticks / CLOCK_TICKS


def boot_seconds():
    """Seconds since boot, the clock /proc start times are on."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _kib_field(path, name):
    try:
        with open(path, encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def rss_kib(pid):
    """Resident set size (VmRSS)."""
    return _kib_field(f"/proc/{pid}/status", "VmRSS")


def pss_kib(pid):
    """Proportional set size: shared pages divided among the processes mapping them."""
    return _kib_field(f"/proc/{pid}/smaps_rollup", "Pss")


def machine_steal_ticks():
    """CPU ticks the hypervisor gave to other guests while this machine's cores wanted to run, since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    return values[7] if len(values) > 7 else 0


def machine_busy_ticks():
    """CPU ticks spent by all cores on anything but idle, I/O wait and steal, since boot (/proc/stat)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = values[:7]
    return user + nice + system + irq + softirq
