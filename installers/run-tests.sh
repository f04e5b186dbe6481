#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs the
# whole suite through CTest:
#   1. the normal build (build/, or $FEEDBACK_BUILD_DIR);
#   2. with FEEDBACK_SANITIZER_RUN=1, the same suite built with AddressSanitizer
#      + UndefinedBehaviorSanitizer (+ LeakSanitizer at exit) into build-asan/
#      (or $FEEDBACK_ASAN_BUILD_DIR), with the options of
#      installers/sanitizer-env.sh. Not yet the default: the whole suite has not
#      passed under the sanitizers once (docs/reliability.md "Sanitizers");
#      it becomes the default, and so part of CI, when it has.
# Artifacts (screenshots, logs) land in <build>/artifacts/. Exits non-zero if
# anything failed in either run. Arguments go to both ctest runs (e.g.
# -R central). Timings of each part are printed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FEEDBACK_BUILD_DIR:-$root/build}"
asan_build="${FEEDBACK_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="$(nproc)"
timings=()
failed=()

# Runs "$@" and records its wall time under the label $1 (the rest is the command).
timed() {
  local label="$1"
  shift
  local start=$SECONDS rc=0
  "$@" || rc=$?
  timings+=("$(printf '%-28s %5d s  %s' "$label" $((SECONDS - start)) "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  return $rc
}

run_ctest() {
  local dir="$1"
  shift
  mkdir -p "$dir/artifacts"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600 "$@")
}

timed "install-deps" bash "$root/installers/install-deps.sh"

# 1. The normal build and its run.
timed "build" env FEEDBACK_BUILD_DIR="$build" bash "$root/installers/build.sh"
timed "ctest" run_ctest "$build" "$@" || failed+=("ctest in $build")

# 2. The sanitizer build and its run. Benchmarks are not built there (no test
#    uses them; they are measured from the normal build, docs/performance.md).
if [ "${FEEDBACK_SANITIZER_RUN:-0}" != "0" ]; then
  if timed "build (ASan+UBSan)" env FEEDBACK_BUILD_DIR="$asan_build" bash "$root/installers/build.sh" \
       -DFEEDBACK_SANITIZE=ON -DFEEDBACK_BUILD_BENCH=OFF; then
    # shellcheck source=installers/sanitizer-env.sh
    source "$root/installers/sanitizer-env.sh"
    timed "ctest (ASan+UBSan)" run_ctest "$asan_build" "$@" || failed+=("ctest in $asan_build (sanitizers)")
  else
    failed+=("the sanitizer build")
  fi
fi

echo
echo "run-tests: timings"
printf '  %s\n' "${timings[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-tests: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "run-tests: all passed"
