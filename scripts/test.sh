#!/usr/bin/env bash
# Every check: setup, typecheck, lint, then all test/**/*.test.ts through node's test runner, whose
# summary (ℹ tests / pass / fail) is the last thing printed. Extra arguments go to scripts/test.mjs
# (test files or directories, --test-name-pattern PATTERN). Exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
NNLENS_KEEP_GOING=1
source scripts/setup.sh || exit 1
failed=("${NNLENS_SETUP_FAILED[@]}")

node_modules/.bin/tsc --noEmit -p tsconfig.json || failed+=(typecheck)
node_modules/.bin/eslint --max-warnings 0 . || failed+=(lint)
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test.sh: FAILED: ${failed[*]} (see above); running the tests anyway" >&2
fi

node scripts/test.mjs "$@"
rc=$?
[ "${#failed[@]}" -eq 0 ] || exit 1
exit "$rc"
