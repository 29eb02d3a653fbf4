"""The benchmark suite's harness: starts servers, loads them with wrk, reads /proc, writes the report.

Entry point: ``bench/run.py`` (see ``bench/README.md``).
"""
