#!/bin/sh
# Runs a command against a real, private, unlocked GNOME Keyring on a private D-Bus
# session bus, with a fresh temporary HOME and XDG folders, then cleans everything up.
#
#   sh scripts/with-keyring.sh <command> [args...]
#
# WITH_KEYRING_LOCKED=1 locks the login keyring before running the command (for tests of a
# locked keyring); WITH_KEYRING_PASSWORD sets the throw-away password (default "pass").
# Needs dbus-run-session and gnome-keyring-daemon (scripts/setup-keyring.sh at the
# repository root installs them on Debian/Ubuntu).
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: with-keyring.sh <command> [args...]" >&2
  exit 2
fi

if [ "${WITH_KEYRING_INNER:-}" != "1" ]; then
  for bin in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$bin" >/dev/null 2>&1; then
      echo "with-keyring: $bin not found; run scripts/setup-keyring.sh (as root) first" >&2
      exit 127
    fi
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcp-oauth-keyring.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  # A keyring daemon already running for the caller (GNOME_KEYRING_CONTROL) would otherwise
  # be the one `gnome-keyring-daemon --unlock` below talks to: a nested run, such as the
  # locked-keyring test, would then lock the outer run's keyring.
  unset GNOME_KEYRING_CONTROL
  status=0
  HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" WITH_KEYRING_INNER=1 \
    dbus-run-session -- sh "$0" "$@" || status=$?
  exit "$status"
fi

# Inside the private session bus.
unset WITH_KEYRING_INNER
# --unlock reads the login keyring's password from stdin and creates it when missing;
# it prints GNOME_KEYRING_CONTROL=... which we export.
keyring_env=$(printf '%s' "${WITH_KEYRING_PASSWORD:-pass}" | gnome-keyring-daemon --unlock --components=secrets)
for line in $keyring_env; do
  export "$line"
done

# Wait (bounded) until the Secret Service answers on the bus.
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
  org.freedesktop.DBus.GetNameOwner string:org.freedesktop.secrets >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 50 ]; then
    echo "with-keyring: the Secret Service did not appear on the session bus" >&2
    exit 1
  fi
  sleep 0.1
done

if [ "${WITH_KEYRING_LOCKED:-}" = "1" ]; then
  dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
fi

# Tells the test suite it runs against this private keyring, never a user's real one.
export MCP_OAUTH_PRIVATE_KEYRING=1
status=0
"$@" || status=$?
# dbus-run-session ends the bus when we return; gnome-keyring-daemon exits with it.
exit "$status"
