#!/usr/bin/env bash
# Builds the Debian packages feedback-common, feedback-central, feedback-sync,
# feedback-kiosk and feedback-agent with CPack (cmake/Packaging.cmake).
#
#   installers/build-packages.sh [--build-dir DIR] [--output DIR] [--jobs N] [--revision N]
#                                [--reuse-build]
#
#   --build-dir DIR   CMake build folder (default: <checkout>/build-deb: RelWithDebInfo,
#                     the project's tested optimisation level, stripped by CPack; no
#                     tests; the kiosk's compiled-in assets folder /usr/share/feedback/assets)
#   --output DIR      where the .deb files go (default: <build dir>/packages)
#   --jobs N          parallel compile jobs (default: number of cores)
#   --revision N      Debian revision, the N in 0.1.0-N (default 1); raise it to rebuild
#                     the same version as an upgrade
#   --reuse-build     do not configure: package an existing build folder as it is (the
#                     package test uses this on the suite's own build)
#
# Needs cmake, a C++ toolchain and the -dev packages (installers/install-deps.sh), plus
# dpkg-dev (dpkg-shlibdeps computes the library Depends) and file.
# Prints the packages made and their Depends; exit code 0 only if every package was made.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$root/build-deb"
output=""
jobs="$(nproc 2>/dev/null || echo 2)"
reuse=0
revision=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --revision) revision="$2"; shift 2 ;;
    --reuse-build) reuse=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build-packages.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$output" ] || output="$build_dir/packages"

for tool in cmake cpack dpkg-shlibdeps dpkg-deb file; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in
      dpkg-shlibdeps) pkg=dpkg-dev ;; cmake|cpack) pkg=cmake ;; dpkg-deb) pkg=dpkg ;; *) pkg=$tool ;;
    esac
    echo "build-packages.sh: '$tool' is missing; install it: apt-get install $pkg" \
         "(or run installers/install-deps.sh)" >&2
    exit 1
  fi
done

# 1. Configure (a dedicated Release build unless --reuse-build).
if [ "$reuse" -eq 1 ]; then
  if [ -n "$revision" ]; then
    echo "build-packages.sh: --revision needs a configure step; drop --reuse-build" >&2
    exit 2
  fi
  if [ ! -f "$build_dir/CPackConfig.cmake" ]; then
    echo "build-packages.sh: $build_dir has no CPackConfig.cmake: configure it first" \
         "(cmake -S $root -B $build_dir) or drop --reuse-build" >&2
    exit 1
  fi
else
  echo "== configure $build_dir"
  # Not Release: GCC 12's -O3 reports a false -Werror=restrict in shared/core/uuid.cpp.
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFEEDBACK_BUILD_TESTS=OFF -DFEEDBACK_BUILD_BENCH=OFF -DFEEDBACK_SANITIZE=OFF \
    -DFEEDBACK_KIOSK_ASSETS_DIR=/usr/share/feedback/assets \
    ${revision:+-DCPACK_DEBIAN_PACKAGE_RELEASE=$revision} >/dev/null
fi

# 2. Build the executables that go into packages (written by cmake/Packaging.cmake).
mapfile -t targets < <(grep -v '^$' "$build_dir/feedback-packaged-targets.txt")
if [ ${#targets[@]} -eq 0 ]; then
  echo "build-packages.sh: no executable targets to package" >&2
  exit 1
fi
echo "== build ${targets[*]} (-j$jobs)"
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"

# 3. Package. dpkg-shlibdeps runs inside CPack; its staging area is under _cpack.
echo "== cpack -> $output"
mkdir -p "$output"
rm -f "$output"/feedback-*.deb
rm -rf "$output/_cpack"
cpack --config "$build_dir/CPackConfig.cmake" -B "$output/_cpack" >"$output/cpack.log" 2>&1 || {
  echo "build-packages.sh: cpack failed; its log:" >&2
  cat "$output/cpack.log" >&2
  exit 1
}
find "$output/_cpack" -maxdepth 1 -name 'feedback-*.deb' -exec mv -t "$output" {} +
rm -rf "$output/_cpack"

# 4. Report.
shopt -s nullglob
debs=("$output"/feedback-*.deb)
if [ ${#debs[@]} -ne $((${#targets[@]} + 1)) ]; then
  echo "build-packages.sh: expected $((${#targets[@]} + 1)) packages, made ${#debs[@]}:" \
       "${debs[*]}; see $output/cpack.log" >&2
  exit 1
fi
for deb in "${debs[@]}"; do
  printf '%s\n    Depends: %s\n' "$deb" "$(dpkg-deb -f "$deb" Depends)"
done
