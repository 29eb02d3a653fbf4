#!/usr/bin/env bash
# Sets up what the build and the tests need on a fresh Debian machine with the .NET SDK, then runs build.cake.
#   ./build.sh                      # --target=Test: build, publish, run every test
#   ./build.sh --target=Publish     # artifacts/actorgunicorn and artifacts/samples/HelloWorld
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# The tests drive the server with real clients (curl, Python's http.client, wrk for load) and run real WSGI
# applications on Debian's CPython: its shared libpython, Flask and Django; nginx-light runs config/nginx in front
# of the server and as a round-robin front; iproute2's ip makes the network namespaces the cluster tests partition.
# Each package is installed only when it is missing.
packages=(curl python3 libpython3.11 python3-flask python3-django wrk nginx-light iproute2)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
