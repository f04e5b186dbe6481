#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds, and runs the
# whole suite through CTest. Artifacts (screenshots, logs) land in
# build/artifacts/. Exits non-zero if anything fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FEEDBACK_BUILD_DIR:-$root/build}"
bash "$root/installers/install-deps.sh"
bash "$root/installers/build.sh"
mkdir -p "$build/artifacts"
cd "$build"
# Slow soak, fuzz-campaign and benchmark runs are separate commands (see docs/performance.md).
ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@"
