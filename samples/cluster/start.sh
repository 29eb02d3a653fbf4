#!/usr/bin/env bash
# Starts a three-node ActorGunicorn cluster on loopback, in the background: node1.conf to node3.conf, each arbiter a
# daemon with its own HTTP port (8001 to 8003), cluster port (4051 to 4053), control socket, pid file and log, all
# in one run directory. Prints each node's address and the address `actorgunicorn ctl --cluster` takes.
# samples/cluster/stop.sh stops them. Needs the published executable: ./build.sh --target=Publish
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
exe=${ACTORGUNICORN:-$root/artifacts/actorgunicorn/actorgunicorn}
app=${ACTORGUNICORN_APP:-$root/artifacts/samples/HelloWorld/HelloWorld.dll}
run=${ACTORGUNICORN_CLUSTER_RUN:-${XDG_RUNTIME_DIR:-/tmp}/actorgunicorn-cluster}

if [[ ! -x "$exe" || ! -f "$app" ]]; then
  echo "start.sh: $exe or $app is missing: run ./build.sh --target=Publish first" >&2
  exit 1
fi

mkdir -p "$run"
for n in 1 2 3; do
  if [[ -f "$run/node$n.pid" ]] && kill -0 "$(cat "$run/node$n.pid")" 2>/dev/null; then
    echo "start.sh: node $n already runs (pid $(cat "$run/node$n.pid")); stop.sh stops it" >&2
    exit 1
  fi
  # -D returns once the daemon listens, or fails with its exit code and message.
  "$exe" -c "$here/node$n.conf" -D -p "$run/node$n.pid" --log-file "$run/node$n.log" \
    --control-socket "$run/node$n.ctl" "$app"
  echo "node $n: http://127.0.0.1:800$n/  pid $(cat "$run/node$n.pid")  log $run/node$n.log"
done

echo
echo "The fleet answers at 127.0.0.1:4051 (any node's cluster port will do):"
echo "  $exe ctl --cluster 127.0.0.1:4051 status"
