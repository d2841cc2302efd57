#!/usr/bin/env bash
# Installs what the end-to-end suites (test/e2e/, test/extension-host/) need: a real VS Code
# (code-server 4.100.3 from npm, the last that runs on Node 20) and Debian's chromium for Playwright.
# Heavy: ~300 MB, ~1 min, once. Idempotent and quick (no process started) when everything is there.
# scripts/setup.sh runs it whenever it can. See ../shared/E2E.md for why each step exists.
#
#   bash scripts/e2e-setup.sh            install what is missing (Debian packages need root)
#   bash scripts/e2e-setup.sh --status   print one line and change nothing: `installed`,
#                                        `not-installed` (this script can install it: root, or the
#                                        packages are present) or `missing-packages: PKG...`
#   NNLENS_E2E_HOME   where code-server goes (default ~/.cache/nnlens-e2e); the tests look there too.
set -euo pipefail

version=4.100.3
home="${NNLENS_E2E_HOME:-$HOME/.cache/nnlens-e2e}"
bin="$home/node_modules/.bin/code-server"

say() { echo "e2e-setup: $*" >&2; }
# code-server writes a default config on any run: keep it out of the user's ~/.config.
version_of() { XDG_CONFIG_HOME="$home/xdg" XDG_DATA_HOME="$home/xdg" "$1" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
# The installed version from its package.json: no process to start, so a setup that finds
# everything in place stays quick.
installed_version() {
  [ -x "$bin" ] || return 0
  sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$home/node_modules/code-server/package.json" 2>/dev/null | head -1
}

# Debian packages: chromium drives the workbench; to install code-server, compilers and Kerberos
# headers for its native modules (argon2, kerberos, node-pty) and ripgrep (its rg replaces the
# GitHub download of @vscode/ripgrep).
packages=(chromium)
[ "$(installed_version)" = "$version" ] || packages+=(g++ make python3 libkrb5-dev ripgrep)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done

if [ "${1:-}" = --status ]; then
  if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" -ne 0 ]; then echo "missing-packages: ${missing[*]}"
  elif [ "${#missing[@]}" -eq 0 ] && [ "$(installed_version)" = "$version" ]; then echo installed
  else echo not-installed
  fi
  exit 0
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(installed_version)" = "$version" ]; then
  say "code-server $version already installed in $home"
  exit 0
fi

mkdir -p "$home"
tmp="$home/tmp"
mkdir -p "$tmp"
# @vscode/ripgrep downloads rg from GitHub unless this cached asset exists: give it Debian's rg.
cache="$tmp/vscode-ripgrep-cache-1.15.11"
asset="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
# The archive holds `rg` at its top level (it is unpacked into @vscode/ripgrep/bin).
if [ ! -f "$asset" ]; then
  mkdir -p "$cache" "$tmp/rg"
  cp /usr/bin/rg "$tmp/rg/rg"
  tar -czf "$asset" -C "$tmp/rg" rg
fi

say "npm install code-server@$version into $home (~300 MB)"
[ -f "$home/package.json" ] || echo '{ "name": "nnlens-e2e", "private": true }' >"$home/package.json"
log="$home/install.log"
# Native modules build against the local Node headers; node-pty's postinstall runs `npx node-gyp`.
if ! (cd "$home" && TMPDIR="$tmp" npm_config_nodedir=/usr npm_config_yes=true \
      npm install --no-audit --no-fund --unsafe-perm --save-exact "code-server@$version" >"$log" 2>&1); then
  tail -40 "$log" >&2
  say "npm install failed (full log: $log)"
  exit 1
fi
# Started once here, after an install: the package is there and the program runs.
[ "$(version_of "$bin")" = "$version" ] || { say "installed, but $bin does not report version $version"; exit 1; }
say "done: code-server $version in $bin"
