#!/usr/bin/env bash
# Stops the nodes samples/cluster/start.sh started, by the pids in their pid files: TERM (a graceful stop, each
# leaves the cluster), then waits up to 30 s for each to exit.
set -euo pipefail

run=${ACTORGUNICORN_CLUSTER_RUN:-${XDG_RUNTIME_DIR:-/tmp}/actorgunicorn-cluster}
status=0
for n in 1 2 3; do
  pidfile="$run/node$n.pid"
  [[ -f "$pidfile" ]] || continue
  pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "stop.sh: node $n (pid $pid) is still running after 30 s" >&2
      status=1
      continue
    fi
  fi
  echo "node $n (pid $pid) stopped"
  rm -f "$pidfile"
done
exit $status
