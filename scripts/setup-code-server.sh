#!/usr/bin/env bash
# Installs code-server (the VS Code server: a real workbench in the browser, Node extension host)
# into .cache/code-server/ for the end-to-end tests, without any download but the npm registry
# and Debian packages. Idempotent: a marker file records the finished version, and a second run
# does nothing. Usage: scripts/setup-code-server.sh   (prints the code-server entry point)
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${NANGUARD_CODE_SERVER_CACHE:-$ROOT/.cache/code-server}"
PKG="$CACHE/package"
MARKER="$CACHE/installed-$CODE_SERVER_VERSION"
ENTRY="$PKG/out/node/entry.js"

log() { echo "[setup-code-server] $*" >&2; }

# Debian packages: Chromium for the browser side, ripgrep for the workbench search, and the
# headers code-server's native modules build against.
ensure_system_packages() {
  local wanted=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  # Another apt may hold the lock (e.g. a provisioning step): wait for it instead of failing.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq || true
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
}

install_code_server() {
  log "installing code-server $CODE_SERVER_VERSION into $CACHE"
  rm -rf "$PKG" "$CACHE"/installed-*
  mkdir -p "$CACHE"
  local tarball
  tarball="$(cd "$CACHE" && npm pack --silent "code-server@$CODE_SERVER_VERSION" | tail -n 1)"
  tar -xzf "$CACHE/$tarball" -C "$CACHE"
  rm -f "$CACHE/$tarball"

  # code-server's own postinstall needs --unsafe-perm as root and downloads ripgrep from GitHub;
  # do its steps by hand instead, with install scripts off and the native modules rebuilt.
  (cd "$PKG" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    && npm rebuild argon2 --loglevel=error)

  local vscode="$PKG/lib/vscode"
  (cd "$vscode" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  # node-pty's post-install step fails on an npx call after its addon (build/Release/pty.node)
  # is built; the addon is all the server needs, so that failure is tolerated and checked below.
  (cd "$vscode" && npm rebuild kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty --loglevel=error) \
    || log "npm rebuild reported an error (expected from node-pty's post-install); checking the addons"
  for addon in node_modules/node-pty/build/Release/pty.node node_modules/@vscode/spdlog/build/Release/spdlog.node; do
    [ -f "$vscode/$addon" ] || { log "missing native addon $addon"; exit 1; }
  done

  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  ln -sfn "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$vscode/node_modules.asar"
  ln -sfn code-linux.sh "$vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$vscode/bin/helpers/browser.sh"

  # The built-in extensions (ipynb notebook serializer, JSON language features, ...).
  (cd "$vscode/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

  node "$ENTRY" --version >/dev/null
  date -u +%FT%TZ >"$MARKER"
  log "code-server $CODE_SERVER_VERSION ready"
}

ensure_system_packages
if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  log "code-server $CODE_SERVER_VERSION already installed (cached)"
else
  install_code_server
fi
echo "$ENTRY"
