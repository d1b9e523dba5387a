#!/bin/sh
# Installs what the keychain store's tests need on Debian/Ubuntu: a Secret Service
# (gnome-keyring), a D-Bus session bus (dbus, dbus-run-session) and secret-tool.
# Idempotent: installs only what is missing. Non-interactive: safe in CI as root, no stdin.
set -eu

packages="gnome-keyring libsecret-tools dbus"
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-keyring: not a Debian/Ubuntu system; install gnome-keyring, secret-tool (libsecret) and dbus with your package manager" >&2
  exit 1
fi
missing=""
for pkg in $packages; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "setup-keyring: already installed ($packages)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "setup-keyring: missing packages:$missing; run as root or install them yourself" >&2
    exit 1
  fi
else
  SUDO=""
fi

export DEBIAN_FRONTEND=noninteractive
echo "setup-keyring: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
# shellcheck disable=SC2086 # word splitting of $missing is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null

for bin in gnome-keyring-daemon secret-tool dbus-run-session; do
  command -v "$bin" >/dev/null 2>&1 || { echo "setup-keyring: $bin not found after install" >&2; exit 1; }
done
echo "setup-keyring: done"
