#!/bin/sh
# Started by the private session bus of with-keyring.sh (D-Bus activation of
# org.freedesktop.secrets): a GNOME Keyring daemon in the foreground, with the login keyring
# unlocked by the throw-away password in the file named by $1 (created on first start).
#
# Why activation and not a single daemon started once: gnome-keyring-daemon (42 to 50, an
# upstream race in OpenSession when clients connect and disconnect quickly) can abort with
# "assertion 'client' failed". On a desktop the session restarts it and the login keyring
# comes back locked until the user types the password; here it comes back unlocked, as it
# would on a desktop after that password, and the store's one retry of a call that lost the
# daemon meets the new one.
set -eu
exec gnome-keyring-daemon --foreground --unlock --components=secrets <"$1" >/dev/null
