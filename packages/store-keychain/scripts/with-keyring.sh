#!/bin/sh
# Runs a command against a real, private, unlocked GNOME Keyring on a private D-Bus
# session bus, with a fresh temporary HOME and XDG folders, then cleans everything up.
#
#   sh scripts/with-keyring.sh <command> [args...]
#
# WITH_KEYRING_LOCKED=1 locks the login keyring before running the command (for tests of a
# locked keyring); WITH_KEYRING_PASSWORD sets the throw-away password (default "pass").
# The bus starts the daemon on demand (scripts/keyring-daemon.sh), and again if it dies.
# Needs dbus-run-session and gnome-keyring-daemon (scripts/setup-keyring.sh at the
# repository root installs them on Debian/Ubuntu).
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: with-keyring.sh <command> [args...]" >&2
  exit 2
fi

if [ "${WITH_KEYRING_INNER:-}" != "1" ]; then
  for bin in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$bin" >/dev/null 2>&1; then
      echo "with-keyring: $bin not found; run scripts/setup-keyring.sh (as root) first" >&2
      exit 127
    fi
  done
  here=$(cd "$(dirname "$0")" && pwd)
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcp-oauth-keyring.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/runtime" "$tmp/services"
  chmod 700 "$tmp/runtime"
  (umask 077 && printf '%s' "${WITH_KEYRING_PASSWORD:-pass}" >"$tmp/password")
  # A bus whose only activatable service is the Secret Service, started by keyring-daemon.sh.
  cat >"$tmp/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/sh $here/keyring-daemon.sh $tmp/password
SERVICE
  cat >"$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <!-- The built-in limits are a system bus's (256 connections per user): the native module
       keeps a connection per call until garbage collection, so the suite needs a session's. -->
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_connections_per_user">100000</limit>
</busconfig>
CONF
  # A keyring daemon already running for the caller (GNOME_KEYRING_CONTROL) must not be the
  # one this run talks to: a nested run, such as the locked-keyring test, would otherwise
  # lock the outer run's keyring.
  unset GNOME_KEYRING_CONTROL
  status=0
  HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" WITH_KEYRING_INNER=1 \
    dbus-run-session --config-file="$tmp/bus.conf" -- sh "$0" "$@" || status=$?
  exit "$status"
fi

# Inside the private session bus.
unset WITH_KEYRING_INNER
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null

# Wait (bounded) until the Secret Service answers on the bus.
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Service \
  string:Collections >/dev/null 2>&1; do
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
# dbus-run-session ends the bus when we return; the daemon exits with it.
exit "$status"
