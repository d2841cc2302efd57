# Makes a fresh Debian/Ubuntu machine with Node >= 20 ready to run NN Lens. Sourced by
# scripts/demo.sh and scripts/test.sh (`bash scripts/setup.sh` works too). Quiet when nothing is
# to do; every step prints what it does only when it does something, and its log when it fails.
#
#   NNLENS_KEEP_GOING=1   a failed build or end-to-end setup does not stop the caller:
#                         NNLENS_SETUP_FAILED lists it, and a stale dist/ bundle is removed so
#                         nothing tests old code.
#   NNLENS_E2E_SETUP=0    do not install code-server for the end-to-end suites (they then skip,
#                         saying why); scripts/demo.sh sets it for the CLI demo, which needs none.

# Debian packages the project needs at run or test time (python3-torch is only needed to
# regenerate expected outputs, see test/examples/make-expected.py):
# - WebGPU without a GPU (runtime/devices/webgpu.ts, test/runtime/webgpu/): Mesa's llvmpipe
#   through Dawn's OpenGL backend (libegl-mesa0, libgl1-mesa-dri), and SwiftShader, whose Vulkan
#   ICD ships in chromium (/usr/lib/chromium/vk_swiftshader_icd.json) and needs the Vulkan loader
#   (libvulkan1, which chromium only recommends).
NNLENS_DEBIAN_PACKAGES=(chromium libvulkan1 libegl-mesa0 libgl1-mesa-dri)

nnlens_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NNLENS_SETUP_FAILED=()

nnlens_die() {
  echo "setup: $*" >&2
  exit 1
}

# Runs "$@" quietly; prints its output and returns non-zero only when it fails.
nnlens_quiet() {
  local log rc=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || cat "$log" >&2
  rm -f "$log"
  return "$rc"
}

ensure_node() {
  command -v node >/dev/null 2>&1 \
    || nnlens_die "Node.js >= 20 is required but 'node' is not on PATH (Debian/Ubuntu: https://github.com/nodesource/distributions)."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] 2>/dev/null \
    || nnlens_die "Node.js >= 20 is required, found $(node --version) at $(command -v node)."
  command -v npm >/dev/null 2>&1 || nnlens_die "npm is missing (it ships with Node.js; Debian: apt-get install npm)."
}

# ensure_debian_packages PKG...: installs the missing ones when root, else says exactly what to run.
ensure_debian_packages() {
  [ "$#" -gt 0 ] || return 0
  command -v dpkg >/dev/null 2>&1 || nnlens_die "not a Debian/Ubuntu system (no dpkg); install the equivalents of: $*"
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    nnlens_die "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  echo "setup: installing ${missing[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  nnlens_quiet apt-get update && nnlens_quiet apt-get install -y --no-install-recommends "${missing[@]}" \
    || nnlens_die "apt-get install ${missing[*]} failed"
}

ensure_node_modules() {
  local lock="$nnlens_root/package-lock.json" marker="$nnlens_root/node_modules/.package-lock.json"
  if [ -f "$lock" ]; then
    if [ -f "$marker" ] && [ ! "$lock" -nt "$marker" ]; then return 0; fi
    echo "setup: npm ci" >&2
    (cd "$nnlens_root" && nnlens_quiet npm ci --no-audit --no-fund) || nnlens_die "npm ci failed"
  else
    if [ -d "$nnlens_root/node_modules" ] && [ ! "$nnlens_root/package.json" -nt "$nnlens_root/node_modules" ]; then return 0; fi
    echo "setup: npm install (no package-lock.json)" >&2
    (cd "$nnlens_root" && nnlens_quiet npm install --no-audit --no-fund) || nnlens_die "npm install failed"
  fi
}

# Rebuilds dist/ when it is missing or older than anything the bundle is made from.
ensure_build() {
  local bundle="$nnlens_root/dist/cli.mjs"
  if [ -f "$bundle" ]; then
    local newer
    newer="$(cd "$nnlens_root" && find runtime language-server extension webviews scripts/build.mjs package.json package-lock.json \
      -newer "$bundle" -type f -print -quit 2>/dev/null)"
    [ -n "$newer" ] || return 0
  fi
  echo "setup: npm run build" >&2
  (cd "$nnlens_root" && nnlens_quiet npm run --silent build) && return 0
  rm -f "$bundle"
  if [ -n "${NNLENS_KEEP_GOING:-}" ]; then
    echo "setup: build failed (see above); continuing without dist/cli.mjs" >&2
    NNLENS_SETUP_FAILED+=(build)
    return 0
  fi
  nnlens_die "build failed"
}

# The end-to-end suites (test/e2e/, test/extension-host/) need code-server and chromium
# (scripts/e2e-setup.sh: ~300 MB and ~1 min, once). Installed whenever this machine allows it (root,
# or the Debian packages are present), so that a fresh machine runs those suites instead of skipping
# them; NNLENS_E2E=1 then tells them a missing install is a failure, not a reason to skip.
ensure_e2e() {
  [ "${NNLENS_E2E_SETUP:-1}" != 0 ] || return 0
  local status
  status="$(bash "$nnlens_root/scripts/e2e-setup.sh" --status)" || status="error"
  case "$status" in
    installed) export NNLENS_E2E=1; return 0 ;;
    missing-packages:*)
      # Not root: the suites skip and say why; this line says how to make them run.
      echo "setup: the end-to-end suites will be skipped: ${status#missing-packages: } missing; run: sudo apt-get install -y ${status#missing-packages: }, then bash scripts/e2e-setup.sh" >&2
      return 0 ;;
  esac
  echo "setup: installing code-server for the end-to-end suites (scripts/e2e-setup.sh, ~300 MB, once)" >&2
  export NNLENS_E2E=1
  nnlens_quiet bash "$nnlens_root/scripts/e2e-setup.sh" && return 0
  if [ -n "${NNLENS_KEEP_GOING:-}" ]; then
    echo "setup: end-to-end setup failed (see above); the end-to-end suites will fail" >&2
    NNLENS_SETUP_FAILED+=(e2e-setup)
    return 0
  fi
  nnlens_die "end-to-end setup failed (scripts/e2e-setup.sh; NNLENS_E2E_SETUP=0 skips it)"
}

ensure_node
ensure_debian_packages "${NNLENS_DEBIAN_PACKAGES[@]}"
ensure_node_modules
ensure_build
ensure_e2e
