#!/usr/bin/env bash
# Slowloris against one worker: a prompt client's latency with no attack, then during an attack of 1,000
# connections from 127.0.0.2 sending one header byte a second; and the worker's RSS before and during.
#   bench/slowloris/run.sh                          # after ./build.sh --target=Publish
#   bench/slowloris/run.sh --instant-reconnect      # the attacker replaces a closed connection at once
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(cd ../.. && pwd)
port=${PORT:-18300}
requests=${REQUESTS:-8000}

"$root/artifacts/actorgunicorn/actorgunicorn" -b "127.0.0.1:$port" "$root/artifacts/samples/HelloWorld/HelloWorld.dll" 2>/dev/null &
server=$!
attacker=""
trap 'kill $attacker 2>/dev/null || true; kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done
worker=$(pgrep -P "$server" | head -1)
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' "/proc/$worker/status"; }

echo "no attack:      $(python3 latency.py "$port" "$requests")   worker RSS $(rss)"
python3 attacker.py "$port" 1000 $((requests / 500 + 60)) 127.0.0.2 "$@" > /dev/null &
attacker=$!
until [ "$(ss -tn "( sport = :$port )" | grep -c ESTAB)" -ge 500 ]; do sleep 0.5; done
for window in 1 2 3; do
  echo "attack, $window:     $(python3 latency.py "$port" "$requests")   worker RSS $(rss)"
done
