#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan, every target instrumented for coverage) and runs
# each for SECONDS (default 30) on a copy of its seed corpus (tests/fuzz/corpus/<name>); fails when any
# harness finds a crash, whose input is kept in build-fuzz/crashes/, or ends below its coverage floor
# (tests/fuzz/floors.txt: a run that sees too few edges is blind, e.g. a build without coverage
# instrumentation, or a corpus that lost its seeds). CI runs it short; run it long by hand:
# tools/fuzz.sh 3600. Every crash found becomes a regression test: add the input to the harness's corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
BUILD=${MESHPLANE_FUZZ_BUILD:-build-fuzz}
FLOORS=tests/fuzz/floors.txt

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzzers=true -Dtests=false -Ddataplane=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$BUILD" >/dev/null
mkdir -p "$BUILD/crashes"
# The floors hold for runs at least as long as the one they were measured with ("seconds N").
floor_seconds=$(awk '$1 == "seconds" { print $2 }' "$FLOORS")
status=0
for name in mesh_frame elements config hostapd_msg hwmp_engine hwmp_mesh peering sae ampe group_key; do
  work=$(mktemp -d)
  log="$BUILD/fuzz_$name.log"
  cp -r "tests/fuzz/corpus/$name/." "$work/"
  if "$BUILD/tests/fuzz/fuzz_$name" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
       -artifact_prefix="$BUILD/crashes/$name-" "$work" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/..."
    last=$(sed -n '/ cov: [0-9]/h; ${x;p}' "$log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    floor=$(awk -v h="fuzz_$name" '$1 == h { print $2 }' "$FLOORS")
    figures="${runs:-?} inputs in ${SECONDS_EACH} s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
    if [ -z "$floor" ]; then
      echo "fuzz_$name: FAILED: no coverage floor for fuzz_$name in $FLOORS ($figures)"
      status=1
    elif [ "$SECONDS_EACH" -lt "${floor_seconds:-0}" ]; then
      echo "fuzz_$name: $figures, no crash (floor $floor not checked: runs under $floor_seconds s)"
    elif [ -z "$cov" ] || [ "$cov" -lt "$floor" ]; then
      echo "fuzz_$name: FAILED: coverage cov ${cov:-none} is below the floor $floor ($FLOORS) after" \
        "$SECONDS_EACH s; is every target built with -fsanitize=fuzzer-no-link? log $log"
      status=1
    else
      echo "fuzz_$name: $figures (floor $floor), no crash"
    fi
  else
    echo "fuzz_$name: FAILED; input in $BUILD/crashes/, log $log"
    tail -30 "$log"
    status=1
  fi
  rm -rf "$work"
done
exit $status
