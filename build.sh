#!/usr/bin/env bash
# Sets up what the build and the tests need on a fresh Debian machine with the .NET SDK, then runs build.cake.
#   ./build.sh                      # --target=Test: build, publish, run every test
#   ./build.sh --target=Publish     # artifacts/actorgunicorn and artifacts/samples/HelloWorld
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# The tests drive the server with real clients: curl and Python's http.client (python3), and wrk for benchmarks.
missing=()
for tool in curl python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends curl python3 >/dev/null
fi

dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
