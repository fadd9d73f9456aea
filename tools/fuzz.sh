#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) and runs each for SECONDS (default 30) on a
# copy of its seed corpus (tests/fuzz/corpus/<name>); fails when any harness finds a crash, whose
# input is kept in build-fuzz/crashes/. CI runs it short; run it long by hand: tools/fuzz.sh 3600
# Every crash found becomes a regression test: add the input to the harness's corpus directory.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
BUILD=${MESHPLANE_FUZZ_BUILD:-build-fuzz}

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzzers=true -Dtests=false -Ddataplane=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$BUILD" >/dev/null
mkdir -p "$BUILD/crashes"
status=0
for name in mesh_frame elements config hostapd_msg hwmp_engine hwmp_mesh; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$name/." "$work/"
  if "$BUILD/tests/fuzz/fuzz_$name" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
       -artifact_prefix="$BUILD/crashes/$name-" "$work" >"$BUILD/fuzz_$name.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/fuzz_$name.log")
    echo "fuzz_$name: ${runs:-?} inputs in ${SECONDS_EACH} s, no crash"
  else
    echo "fuzz_$name: FAILED; input in $BUILD/crashes/, log $BUILD/fuzz_$name.log"
    tail -30 "$BUILD/fuzz_$name.log"
    status=1
  fi
  rm -rf "$work"
done
exit $status
