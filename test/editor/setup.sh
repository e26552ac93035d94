#!/usr/bin/env bash
# Editor-test tooling installer (test layer): installs what test/editor/*.mjs needs and nothing else.
# It must not touch the project's package.json/package-lock.json: code-server has native modules and
# a postinstall that builds VS Code's dependencies, so it lives in its own cache folder, not in
# node_modules (an `npm ci` of the project stays fast and free of native builds).
#
# Idempotent: a second run only checks a marker file and a few commands (well under a second).
# Environment:
#   NETPATH_CODE_SERVER_DIR  where code-server goes (default: ~/.cache/kube-netpath/code-server-<version>)
#   NETPATH_SKIP_APT=1       do not install Debian packages (for machines that provide them otherwise)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3 # newest whose engines.node is 20 (4.103+ need node 22)
RIPGREP_PKG_VERSION=1.15.11 # what code-server 4.100.3's lib/vscode/npm-shrinkwrap.json pins
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/kube-netpath"
DEST="${NETPATH_CODE_SERVER_DIR:-$CACHE_ROOT/code-server-$CODE_SERVER_VERSION}"
MARKER="$DEST/.netpath-installed"

log() { printf '[editor-setup] %s\n' "$*" >&2; }
start=$(date +%s)

# --- Debian packages -------------------------------------------------------------------------
# chromium: the browser Playwright drives (Playwright's own browser download cannot work here).
# ripgrep: seeds @vscode/ripgrep, whose postinstall would otherwise download rg from GitHub.
# libkrb5-dev + pkg-config: code-server's `kerberos` native module builds against them.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
# Fonts: chromium only recommends them; without any, screenshots show boxes instead of text.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
if ((${#need_apt[@]})); then
  if [[ "${NETPATH_SKIP_APT:-}" == 1 ]]; then
    log "missing Debian packages: ${need_apt[*]} (NETPATH_SKIP_APT=1, not installing)"; exit 1
  fi
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  log "apt-get install ${need_apt[*]}"
  t=$(date +%s)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  log "apt packages installed in $(( $(date +%s) - t ))s"
fi

# --- code-server -----------------------------------------------------------------------------
# Native modules whose prebuilt binary cannot be downloaded are built with node-gyp, which fetches Node's
# headers from nodejs.org into ~/.cache/node-gyp unless told where local ones are. A packaged Node (Debian,
# NodeSource) ships them under its prefix: use those when their version is the running Node's, so a fresh
# HOME on a machine without access to nodejs.org or GitHub still builds.
if [[ -z "${npm_config_nodedir:-}" ]]; then
  node_headers="$(node -e '
    const fs = require("fs"), path = require("path");
    const prefixes = [process.config.variables.node_prefix, path.dirname(path.dirname(process.execPath)), "/usr", "/usr/local"];
    for (const prefix of prefixes) {
      try {
        const h = fs.readFileSync(path.join(prefix, "include/node/node_version.h"), "utf8");
        const v = ["MAJOR", "MINOR", "PATCH"].map((k) => new RegExp(`#define NODE_${k}_VERSION (\\d+)`).exec(h)[1]).join(".");
        if (`v${v}` === process.version) { process.stdout.write(prefix); break; }
      } catch {}
    }' 2>/dev/null || true)"
  if [[ -n "$node_headers" ]]; then
    export npm_config_nodedir="$node_headers"
    log "node-gyp builds against the local Node headers in $node_headers/include/node"
  fi
fi
if [[ -f "$MARKER" && -x "$DEST/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $DEST"
else
  log "installing code-server $CODE_SERVER_VERSION into $DEST (takes a few minutes: native modules build)"
  t=$(date +%s)
  rm -rf "$DEST"
  mkdir -p "$DEST"
  # A private TMPDIR holding the tarball @vscode/ripgrep's postinstall looks for in its download
  # cache, so that it "uses the cached download" instead of fetching from GitHub.
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  rgdir="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  mkdir -p "$rgdir/stage"
  cp "$(command -v rg)" "$rgdir/stage/rg"
  tar czf "$rgdir/$RIPGREP_ASSET" -C "$rgdir/stage" rg
  printf '{ "name": "netpath-editor-tools", "private": true }\n' >"$DEST/package.json"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise wait for a prompt and cancel.
  (
    cd "$DEST"
    TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_update_notifier=false \
      npm_config_fund=false npm_config_audit=false \
      npm install --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$tmp/npm.log" 2>&1
  ) || { log "npm install failed; last lines:"; tail -40 "$tmp/npm.log" >&2; exit 1; }
  # Belt and braces: any @vscode/ripgrep copy without a binary gets Debian's rg.
  while IFS= read -r d; do
    if [[ ! -x "$d/bin/rg" ]]; then mkdir -p "$d/bin"; cp "$(command -v rg)" "$d/bin/rg"; fi
  done < <(find "$DEST/node_modules" -type d -path '*/@vscode/ripgrep' 2>/dev/null)
  "$DEST/node_modules/.bin/code-server" --version >/dev/null
  echo "$CODE_SERVER_VERSION" >"$MARKER"
  log "code-server installed in $(( $(date +%s) - t ))s"
fi

log "ready in $(( $(date +%s) - start ))s: $DEST/node_modules/.bin/code-server, $(command -v chromium)"
