#!/bin/sh
# Installs the shells the CLI's completion tests load the generated scripts in, on
# Debian/Ubuntu: zsh and fish (bash is already there).
# Idempotent: installs only what is missing. Non-interactive: safe in CI as root, no stdin.
set -eu

missing=""
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"

if [ -z "$missing" ]; then
  echo "setup-shells: already installed (zsh $(zsh --version | cut -d' ' -f2), $(fish --version))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-shells: not a Debian/Ubuntu system; install$missing with your package manager" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "setup-shells: missing:$missing; run as root or install them yourself" >&2
    exit 1
  fi
else
  SUDO=""
fi

echo "setup-shells: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
# shellcheck disable=SC2086 # word splitting of $missing is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null
for bin in zsh fish; do
  command -v "$bin" >/dev/null 2>&1 || { echo "setup-shells: $bin not found after install" >&2; exit 1; }
done
echo "setup-shells: done (zsh $(zsh --version | cut -d' ' -f2), $(fish --version))"
