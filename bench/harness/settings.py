"""The run's settings: one object, built from the command line, recorded in the results."""

from dataclasses import asdict, dataclass, field

SECTIONS = ("throughput", "memory", "boot", "recovery", "scaling", "long")


@dataclass
class Settings:
    """How much to run. Defaults are the full measurement; ``smoke()`` is the quick end-to-end check."""

    rounds: int = 3
    duration: int = 10
    warmup: int = 2
    connections: int = 64
    wrk_threads: int = 1
    workers: int = 2
    threads: int = 4
    modes: tuple = ("ka", "close")
    scenarios: tuple = ()
    servers: tuple = ()
    sections: tuple = ("throughput", "memory", "boot", "recovery", "scaling")
    repeats: int = 5
    long_requests: int = 1_000_000
    long_pass: int = 10
    # Load before the long run's baseline: a worker's first collections and tier-1 JIT settle in its first minute
    # (docs/performance-analysis.md §3), and that is warm-up, not growth.
    long_settle: int = 60
    ready_timeout: int = 60
    # How long each idle server's CPU is read after its memory: a process at rest should not wake to do nothing.
    rest_seconds: int = 60
    label: str = ""
    notes: list = field(default_factory=list)

    def smoke(self):
        """One round of short passes: proves every row works; the numbers mean nothing."""
        self.rounds = 1
        self.duration = 3
        self.warmup = 1
        self.repeats = 1
        self.long_requests = min(self.long_requests, 100_000)
        self.long_pass = 3
        self.long_settle = 3
        self.rest_seconds = 3
        return self

    def as_dict(self):
        return asdict(self)
