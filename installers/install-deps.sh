#!/usr/bin/env bash
# Installs every Debian 12 package the build, the apps and the tests need.
# Idempotent: does nothing when all are present; runs `apt-get update` once
# otherwise. Must run as root (or through sudo).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates clang libclang-rt-14-dev
  # libraries
  libsdl2-dev libx11-dev libimgui-dev libstb-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev
  nlohmann-json3-dev libcpp-httplib-dev libcli11-dev libspdlog-dev libfmt-dev libzstd-dev
  libboost-dev
  # dashboard password strength: libpwquality and the cracklib dictionary it reads
  libpwquality-dev cracklib-runtime
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 procps
  # GUI tests and the headless quick start
  xvfb xauth xdotool imagemagick x11-utils fonts-dejavu-core fonts-noto-core
  # dashboard browser test (Debian's Chromium; playwright-core from npm drives it)
  chromium nodejs
  # package build and package test
  dpkg-dev file systemd openssl adduser
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  echo "install-deps.sh: run as root (or install sudo): apt-get needs it" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Debian's npm is a separate package, but a nodejs from elsewhere may bundle its own
# npm and conflict with Debian's: ask for the package only when there is no npm.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages already installed"
else
  echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# playwright-core for the dashboard test, from the npm registry, pinned by the
# lock file. It never downloads a browser: the test uses /usr/bin/chromium.
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$root/tests/dashboard/node_modules/playwright-core" ]; then
  echo "install-deps: npm ci in tests/dashboard"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$root/tests/dashboard" --no-audit --no-fund
fi
echo "install-deps: done"
