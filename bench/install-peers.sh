#!/usr/bin/env bash
# Installs what the benchmark suite runs and measures with, from Debian, when it is missing: the peers (gunicorn,
# uWSGI with its Python 3 plugin, waitress), Flask, the load generators (wrk; h2load from nghttp2-client) and
# matplotlib for the chart. As root it calls apt-get itself, otherwise through sudo. Called by the Bench target.
set -euo pipefail

packages=(gunicorn uwsgi uwsgi-plugin-python3 python3-waitress python3-flask wrk nghttp2-client python3-matplotlib)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "bench: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
