#!/bin/sh
# Installs what the Redis store's tests and benchmark need on Debian/Ubuntu: redis-server
# (the tests start private instances on free ports; no service is used or needed).
# Idempotent: installs only what is missing. Non-interactive: safe in CI as root, no stdin.
set -eu

if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  echo "setup-redis: already installed ($(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-redis: not a Debian/Ubuntu system; install redis-server (or valkey-server) with your package manager" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "setup-redis: redis-server is missing; run as root or install it yourself" >&2
    exit 1
  fi
else
  SUDO=""
fi

echo "setup-redis: installing redis-server"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server </dev/null
# The package starts a system service on 6379 where an init system runs; the tests never use it.
for bin in redis-server redis-cli; do
  command -v "$bin" >/dev/null 2>&1 || { echo "setup-redis: $bin not found after install" >&2; exit 1; }
done
echo "setup-redis: done ($(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'))"
