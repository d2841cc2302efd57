#!/usr/bin/env bash
# The main job: NN Lens on the examples.
# - In a terminal (stdin and stdout a TTY, not CI): a real VS Code (code-server on 127.0.0.1) with
#   the extension installed and examples/ open; prints the URL and runs until Ctrl-C
#   (scripts/demo-vscode.sh; PORT=8080 picks the port).
# - Headless (no TTY, CI set) or NNLENS_DEMO=cli: what NN Lens reads from the tutorial network,
#   without running Python (`nnlens inspect examples/tutorial_network.py`); extra arguments go to
#   `nnlens inspect` (e.g. `--json`, `--device cpu`). NNLENS_DEMO=vscode forces the editor.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
mode="${NNLENS_DEMO:-}"
if [ -z "$mode" ]; then
  if [ -z "${CI:-}" ] && [ -t 0 ] && [ -t 1 ]; then mode=vscode; else mode=cli; fi
fi
if [ "$mode" = vscode ]; then exec bash scripts/demo-vscode.sh; fi
# The CLI needs no code-server: skip setup.sh's end-to-end install.
NNLENS_E2E_SETUP=0
source scripts/setup.sh || exit 1
exec node bin/nnlens.mjs inspect examples/tutorial_network.py "$@"
