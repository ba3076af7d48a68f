#!/usr/bin/env bash
# Sourced by scripts/start.sh and scripts/test.sh. Brings what a fresh machine lacks, without touching the
# system: Node 22 (from the npm registry, into .tools/), yarn from the committed release, and the workspace
# dependencies from the committed lock file. Safe to run again: each step is skipped when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
# Pinned: the Node 22 release the lock file and native addons are built for.
NODE_VERSION="22.23.3"

log() { printf '\033[1;34m[privatelink]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge 22 ]; then
    return
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) log "unsupported CPU $(uname -m): install Node 22 yourself"; exit 1 ;;
  esac
  # The npm package node@22 is a thin wrapper around this platform package, which ships the binary and
  # Node's headers (include/) that node-gyp needs to build better-sqlite3 without downloading anything.
  local pkg="node-linux-$arch"
  local dir="$TOOLS/node"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ] ||
    [ "$("$dir/node_modules/$pkg/bin/node" -v)" != "v$NODE_VERSION" ]; then
    log "system Node is $(node -v 2>/dev/null || echo missing); installing Node $NODE_VERSION into .tools/node"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$pkg@$NODE_VERSION" >&2
  fi
  export PATH="$dir/node_modules/$pkg/bin:$PATH"
  export npm_config_nodedir="$dir/node_modules/$pkg"
}

ensure_yarn() {
  local release
  release="$(ls "$ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
  mkdir -p "$TOOLS/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$release" >"$TOOLS/bin/yarn"
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$PATH"
}

ensure_dependencies() {
  local stamp="$ROOT/node_modules/.privatelink-install-stamp"
  local want
  want="$(cat "$ROOT/yarn.lock" "$ROOT/package.json" "$ROOT"/packages/*/package.json "$ROOT"/plugins/*/package.json | sha1sum | cut -d' ' -f1)-$(node -v)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "installing dependencies (yarn install)"
  local flags=()
  if [ "${CI:-}" = "true" ]; then flags+=(--immutable); fi
  (cd "$ROOT" && YARN_ENABLE_TELEMETRY=0 yarn install "${flags[@]}" >&2)
  echo "$want" >"$stamp"
}

ensure_node
ensure_yarn
ensure_dependencies
export PATH="$ROOT/node_modules/.bin:$PATH"
log "node $(node -v), yarn $(yarn --version)"
