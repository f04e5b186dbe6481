#!/usr/bin/env bash
# A long libFuzzer campaign for one fuzz target (docs/reliability.md "Fuzzing"):
#   bash tests/fuzz/run-campaign.sh TARGET SECONDS [extra libFuzzer flags...]
# Configures (once) a clang build with -DFEEDBACK_FUZZ=ON in build-fuzz/ (or
# $FEEDBACK_FUZZ_BUILD_DIR), builds only TARGET, and fuzzes it for SECONDS
# with one job. New inputs go to build-fuzz/fuzz-work/TARGET/ (the committed
# seed corpus tests/fuzz/corpus/TARGET/ is only read); a crash leaves its
# input in build-fuzz/fuzz-work/TARGET/crash-* and the script exits non-zero.
# The last lines printed are libFuzzer's final stats (executions, coverage).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer flags...]   e.g. $0 fuzz_staff_csv 600" >&2
  exit 2
fi
target="$1"
seconds="$2"
shift 2
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FEEDBACK_FUZZ_BUILD_DIR:-$root/build-fuzz}"
corpus="$root/tests/fuzz/corpus/$target"
[ -d "$corpus" ] || { echo "run-campaign: no seed corpus $corpus" >&2; exit 2; }
command -v clang++ >/dev/null || { echo "run-campaign: clang++ not found (bash installers/install-deps.sh)" >&2; exit 2; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DCMAKE_CXX_COMPILER=clang++ -DFEEDBACK_FUZZ=ON -DFEEDBACK_BUILD_BENCH=OFF "${launcher[@]}" \
        >"$build.configure.log" 2>&1 || { cat "$build.configure.log" >&2; exit 1; }
fi
cmake --build "$build" -j "$(nproc)" --target "$target"

work="$build/fuzz-work/$target"
mkdir -p "$work/corpus"
exe="$(find "$build/tests/fuzz" -maxdepth 1 -type f -name "$target" | head -1)"
echo "run-campaign: $target for $seconds s (corpus $work/corpus + $corpus)"
cd "$work"
# -rss_limit_mb: the store-backed targets keep a SQLite store for the run.
"$exe" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 \
       -artifact_prefix="$work/" "$@" "$work/corpus" "$corpus" 2>&1 | tee "$work/last-run.log" | tail -40
status=${PIPESTATUS[0]}
echo "run-campaign: corpus now $(ls "$work/corpus" | wc -l) files; exit $status; log $work/last-run.log"
exit "$status"
