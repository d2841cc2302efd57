#!/usr/bin/env bash
# Installs what the end-to-end test (test/e2e/) needs: a real VS Code (code-server 4.100.3 from
# npm, the last that runs on Node 20) and Debian's chromium for Playwright. Heavy: ~300 MB, ~1 min.
# Idempotent: does nothing when everything is there. See ../shared/E2E.md for why each step exists.
#
#   NNLENS_E2E_HOME   where code-server goes (default ~/.cache/nnlens-e2e); the test looks there too.
set -euo pipefail

version=4.100.3
home="${NNLENS_E2E_HOME:-$HOME/.cache/nnlens-e2e}"
bin="$home/node_modules/.bin/code-server"

say() { echo "e2e-setup: $*" >&2; }
# code-server writes a default config on any run: keep it out of the user's ~/.config.
version_of() { XDG_CONFIG_HOME="$home/xdg" XDG_DATA_HOME="$home/xdg" "$1" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -1; }

# Debian packages: compilers and Kerberos headers for code-server's native modules (argon2,
# kerberos, node-pty), ripgrep (its rg replaces the GitHub download of @vscode/ripgrep), chromium.
packages=(g++ make python3 libkrb5-dev ripgrep chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -x "$bin" ] && [ "$(version_of "$bin")" = "$version" ]; then
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
      npm install --no-audit --no-fund --unsafe-perm "code-server@$version" >"$log" 2>&1); then
  tail -40 "$log" >&2
  say "npm install failed (full log: $log)"
  exit 1
fi
[ "$(version_of "$bin")" = "$version" ] || { say "installed, but $bin does not report version $version"; exit 1; }
say "done: code-server $version in $bin"
