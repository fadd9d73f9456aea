#!/usr/bin/env bash
# The test suite under load: runs every test of the normal and the ASan/UBSan build N times back to
# back (default 5) while a CPU hog keeps both cores busy (one busy loop per CPU, at the tests'
# priority), and reports each run's failures by name. A test that passes only on an idle machine
# fails here. Exits non-zero when any run had a failure. Logs in build/soak/.
#   bash tools/soak-tests.sh [N] [HOGS]        (HOGS: busy loops, default one per CPU)
# Needs the builds of tools/run-tests.sh (run that once first, or this script sets them up).
# Each run holds /run/meshplane/lab.lock (flock): anyone else's tests that build the lab's fixed
# namespaces (gw1, gw2, gw3, ...) should take it too, e.g. flock /run/meshplane/lab.lock meson test ...
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5}
HOGS=${2:-$(nproc)}
BUILD=${MESHPLANE_BUILD:-build}
ASAN_BUILD=${BUILD}-asan
bash tools/setup.sh
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" -Dwerror=true -Dtests=true -Dtshark_tests=enabled >/dev/null
[ -f "$ASAN_BUILD/build.ninja" ] || meson setup "$ASAN_BUILD" -Dwerror=true -Dtshark_tests=enabled \
  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C "$BUILD" >/dev/null
ninja -C "$ASAN_BUILD" >/dev/null
logs=$BUILD/soak
mkdir -p "$logs"

hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_hogs EXIT
for _ in $(seq "$HOGS"); do
  ( while :; do :; done ) &
  hogs+=($!)
done

failed_runs=0
for run in $(seq "$N"); do
  start=$SECONDS
  failures=()
  mkdir -p /run/meshplane
  exec 9>/run/meshplane/lab.lock
  flock 9
  for b in "$ASAN_BUILD" "$BUILD"; do
    log="$logs/run$run-$(basename "$b").log"
    # as tools/run-tests.sh splits them: long and package in the normal build, vm and once under ASan
    if [ "$b" = "$ASAN_BUILD" ]; then skip=(--no-suite long --no-suite package); else skip=(--no-suite vm --no-suite once); fi
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C "$b" --num-processes 1 --print-errorlogs \
      "${skip[@]}" --no-suite vmlab \
      >"$log" 2>&1 || true
    while read -r name; do failures+=("$(basename "$b"):$name"); done < <(python3 - "$b/meson-logs/testlog.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["result"] not in ("OK", "EXPECTEDFAIL", "SKIP"):
        print(r["name"])
PY
)
  done
  flock -u 9
  if [ ${#failures[@]} -eq 0 ]; then
    echo "run $run/$N: every test passed in $((SECONDS - start)) s with $HOGS CPU hogs"
  else
    echo "run $run/$N: FAILED ${failures[*]} ($((SECONDS - start)) s; logs in $logs/run$run-*.log)"
    failed_runs=$((failed_runs + 1))
  fi
done
echo "soak: $((N - failed_runs)) of $N runs clean"
[ "$failed_runs" -eq 0 ]
