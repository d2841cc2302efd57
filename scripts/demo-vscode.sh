#!/usr/bin/env bash
# NN Lens in a real VS Code: code-server 4.100.3 on 127.0.0.1 with the extension (built from this
# checkout into a .vsix) installed and examples/ open. Prints the URL to open in a browser and stays
# in the foreground until Ctrl-C, then stops code-server and removes its run folder. Works on a
# fresh Debian/Ubuntu machine with Node >= 20: scripts/setup.sh installs the project, and
# scripts/e2e-setup.sh installs code-server (~300 MB, once) into ~/.cache/nnlens-e2e.
# Everything code-server writes (user data, extensions, config, caches) stays in a temporary run
# folder; your own VS Code settings and ~/.config are not touched. See ../shared/E2E.md.
#
#   PORT=8080 bash scripts/demo-vscode.sh     (default: a free port)
#   NNLENS_E2E_HOME                            where code-server is installed (default ~/.cache/nnlens-e2e)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
repo="$(pwd)"
source scripts/setup.sh || exit 1

say() { echo "demo-vscode: $*" >&2; }
start=$(date +%s)

bash scripts/e2e-setup.sh
home="${NNLENS_E2E_HOME:-$HOME/.cache/nnlens-e2e}"
code_server="$home/node_modules/.bin/code-server"

run="$(mktemp -d "${TMPDIR:-/tmp}/nnlens-demo-vscode.XXXXXX")"
pid=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'echo; say "stopping"; cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# Isolated homes for code-server (E2E.md: it writes a default config on any run).
for d in xdg-config xdg-data xdg-cache tmp user-data/User extensions; do mkdir -p "$run/$d"; done
export XDG_CONFIG_HOME="$run/xdg-config" XDG_DATA_HOME="$run/xdg-data" XDG_CACHE_HOME="$run/xdg-cache"
echo '{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false }' >"$run/user-data/User/settings.json"

say "building the extension (.vsix)"
vsix="$(TMPDIR="$run/tmp" node scripts/package-extension.mjs "$run/vsix" | awk '{print $1}')"
[ -f "$vsix" ] || { say "no .vsix was built"; exit 1; }

common=(--user-data-dir "$run/user-data" --extensions-dir "$run/extensions")
if ! TMPDIR="$run/tmp" "$code_server" "${common[@]}" --install-extension "$vsix" >"$run/install.log" 2>&1; then
  cat "$run/install.log" >&2
  say "installing the extension failed"
  exit 1
fi

port="${PORT:-$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}"
url="http://127.0.0.1:$port/?folder=$repo/examples"
log="$run/code-server.log"
TMPDIR="$run/tmp" "$code_server" "${common[@]}" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$repo/examples" >"$log" 2>&1 &
pid=$!

# Ready when /healthz answers (60 s at most).
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; say "code-server exited"; exit 1; fi
  if node -e "fetch('http://127.0.0.1:$port/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then break; fi
  sleep 0.5
done
node -e "fetch('http://127.0.0.1:$port/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" \
  || { cat "$log" >&2; say "code-server did not answer /healthz within 60 s"; exit 1; }

say "ready in $(($(date +%s) - start)) s (code-server log: $log)"
echo
echo "  NN Lens in VS Code: $url"
echo "  Open examples/tutorial_network.py: hover a layer, use the CodeLenses above each model."
echo "  Ctrl-C to stop."
echo
wait "$pid" || { rc=$?; [ "$rc" -ge 128 ] || { cat "$log" >&2; say "code-server exited ($rc)"; }; exit "$rc"; }
