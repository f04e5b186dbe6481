#!/usr/bin/env bash
# Configures and builds the project into build/ (or $FEEDBACK_BUILD_DIR) with
# warnings as errors. Extra arguments go to cmake's configure step, e.g.
#   installers/build.sh -DFEEDBACK_SANITIZE=ON
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FEEDBACK_BUILD_DIR:-$root/build}"
jobs="$(nproc)"
mkdir -p "$build"
echo "build: configuring $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  echo "build: cmake configure failed (log above)" >&2
  exit 1
}
echo "build: compiling with $jobs jobs"
cmake --build "$build" -j "$jobs"
