#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, and runs the whole
# product on this machine - a central store (SQLite, HTTPS on 127.0.0.1), one
# kiosk and one agent desktop each with its sync daemon. With a display the two
# apps open as windows; without one they run under Xvfb through a short scripted
# session so records flow end to end. Prints the dashboard URL and the admin
# credentials; Ctrl-C stops everything. Data lives in var/quickstart/ (or
# $FEEDBACK_QUICKSTART_DIR) and is reused by the next run.
#
#   installers/quickstart.sh [--no-build] [--headless] [--exit-after-demo] [--port N]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FEEDBACK_BUILD_DIR:-$root/build}"
data="${FEEDBACK_QUICKSTART_DIR:-$root/var/quickstart}"
port=8443
do_build=1
headless=0
exit_after_demo=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) do_build=0 ;;
    --headless) headless=1 ;;
    --exit-after-demo) exit_after_demo=1; headless=1 ;;
    --port) port="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "quickstart: $*" >&2; exit 1; }

pids=()
cleanup() {
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "quickstart: stopping ${#pids[@]} processes"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive -eq 0 ] && break
      sleep 0.2
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $do_build -eq 1 ]; then
  step "1/6 Installing Debian packages (first run only)"
  bash "$root/installers/install-deps.sh"
  step "2/6 Building (warnings are errors; the first build takes several minutes)"
  mkdir -p "$build"
  cmake -S "$root" -B "$build" >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; fail "cmake configure failed"; }
  cmake --build "$build" -j "$(nproc)" --target feedback-central feedback-sync feedback-kiosk feedback-agent
else
  step "1-2/6 Skipping install and build (--no-build): using $build"
fi
central="$build/sync/central/feedback-central"
sync="$build/sync/daemon/feedback-sync"
kiosk="$build/kiosk/feedback-kiosk"
agent="$build/agent-client/feedback-agent"
for b in "$central" "$sync" "$kiosk" "$agent"; do [ -x "$b" ] || fail "$b is missing: run without --no-build"; done
mkdir -p "$data/logs"
url="https://127.0.0.1:$port"

step "3/6 Central store in $data/central"
if [ ! -f "$data/central/central.db" ]; then
  "$central" init --data-dir "$data/central" --site store-1 | tee "$data/logs/init.log"
  grep "admin password:" "$data/logs/init.log" | awk '{print $3}' > "$data/admin-password"
  chmod 600 "$data/admin-password" "$data/logs/init.log"
  "$central" survey publish --data-dir "$data/central" "$root/assets/surveys/retail_kiosk.json" --all
  "$central" survey publish --data-dir "$data/central" "$root/assets/surveys/call_log.json" --all
  "$central" staff import --data-dir "$data/central" "$root/assets/demo/staff.csv"
else
  echo "reusing the existing central store"
fi

step "4/6 Starting feedback-central on $url"
"$central" serve --data-dir "$data/central" --listen "127.0.0.1:$port" \
  --dashboard-dir "$root/assets/dashboard" >"$data/logs/central.out" 2>"$data/logs/central.log" &
pids+=($!)
for _ in $(seq 100); do
  grep -q "listening on" "$data/logs/central.out" 2>/dev/null && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$data/logs/central.log" >&2; fail "feedback-central did not start (log above; is port $port free? use --port)"; }
  sleep 0.1
done
grep -q "listening on" "$data/logs/central.out" || fail "feedback-central did not report listening within 10 s"

step "5/6 Enrolling and starting the kiosk and agent devices"
enroll() {  # kind dir [team]
  local kind=$1 dir=$2 team=${3:-}
  if [ -f "$dir/device.json" ]; then echo "$kind: already enrolled ($dir)"; return; fi
  local token
  token=$("$central" enroll-token --data-dir "$data/central" --site store-1 --kind "$kind" ${team:+--team "$team"} 2>/dev/null)
  (umask 077; "$sync" enroll --server "$url" --token "$token" --dir "$dir" --kind "$kind")
}
enroll kiosk "$data/kiosk"
enroll agent "$data/agent" care
[ -f "$data/kiosk/admin.pin" ] || echo 2468 | "$kiosk" set-pin --admin-pin-file "$data/kiosk/admin.pin" >/dev/null
for dev in kiosk agent; do
  "$sync" run --device-config "$data/$dev/device.json" --interval 5s >"$data/logs/sync-$dev.log" 2>&1 &
  pids+=($!)
done

step "6/6 Opening the apps"
if [ $headless -eq 0 ] && [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then
  "$kiosk" --device-config "$data/kiosk/device.json" --admin-pin-file "$data/kiosk/admin.pin" \
    --assets "$root/assets" --window 1280x800 --show-cursor >"$data/logs/kiosk.log" 2>&1 &
  pids+=($!)
  "$agent" --device-config "$data/agent/device.json" --assets "$root/assets" \
    >"$data/logs/agent.log" 2>&1 &
  pids+=($!)
  echo "kiosk and agent windows are open (agent: sign in as A1001; kiosk admin PIN 2468)"
else
  echo "no display (or --headless): a scripted customer and rep use the apps under Xvfb"
  python3 "$root/installers/quickstart_demo.py" --kiosk "$kiosk" --agent "$agent" --assets "$root/assets" \
    --data "$data" --central "$central" --url "$url"
fi

cat <<INFO

  Dashboard:  $url/dashboard/   (self-signed certificate; its pin is in $data/logs/init.log)
  User:       admin
  Password:   $(cat "$data/admin-password")
  Logs:       $data/logs/
INFO
if [ $exit_after_demo -eq 1 ]; then exit 0; fi
echo "Press Ctrl-C to stop everything."
wait
