#!/usr/bin/env bash
# The main job: what NN Lens reads from the tutorial network, without running Python.
# Extra arguments go to `nnlens inspect` (e.g. `--json`, `--device cpu`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
source scripts/setup.sh || exit 1
exec node bin/nnlens.mjs inspect examples/tutorial_network.py "$@"
