#!/usr/bin/env bash
# The README's first command, headless and bounded: runs installers/quickstart.sh
# (without its install/build steps, which the suite's own build just did) twice
# on a fresh data dir - the second run must reuse it - and checks that each run
# ends with kiosk and call-log records visible through the central store's API
# (quickstart_demo.py asserts that) and leaves no process behind.
set -euo pipefail
root="$1"
build="$2"
data="$(mktemp -d /tmp/feedback-quickstart-XXXXXX)"
trap 'rm -rf "$data"' EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
for run in 1 2; do
  echo "--- quick start, run $run"
  FEEDBACK_QUICKSTART_DIR="$data" FEEDBACK_BUILD_DIR="$build" \
    timeout 240 bash "$root/installers/quickstart.sh" --no-build --exit-after-demo --port "$port" | tee "$data/run$run.log"
  grep -q "central store: [1-9][0-9]* kiosk and [1-9][0-9]* call-log records" "$data/run$run.log"
  if pgrep -f "$data" >/dev/null; then
    echo "FAIL: processes left behind after run $run:"; pgrep -af "$data"; exit 1
  fi
done
grep -q "reusing the existing central store" "$data/run2.log" || { echo "FAIL: run 2 did not reuse the data dir"; exit 1; }
echo "quick start: 2 runs, records flowed end to end, data dir reused, nothing left running"
