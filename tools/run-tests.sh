#!/usr/bin/env bash
# Sets up the machine (packages, hugepages), builds meshplane with -Werror, and runs every test:
# the Check unit suites (codecs, tshark oracle, config, classification) and the functional tests
# through the real meshplane binary. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

# Runs a command silently; shows everything it printed if it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "run-tests: '$*' failed" >&2
    return 1
  fi
}

BUILD=${MESHPLANE_BUILD:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  quiet meson setup "$BUILD" -Dwerror=true -Dtests=true -Dtshark_tests=enabled
fi
quiet ninja -C "$BUILD"

# Everything again under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included):
# unit tests, the table concurrency test and the real meshplane binary.
ASAN_BUILD=${BUILD}-asan
if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
  quiet meson setup "$ASAN_BUILD" -Dwerror=true -Dtshark_tests=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
quiet ninja -C "$ASAN_BUILD"

status=0
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C "$ASAN_BUILD" --print-errorlogs --num-processes 1 || status=$?
meson test -C "$BUILD" --print-errorlogs --verbose --num-processes 1 || status=$?

# One closing line for humans and CI: how many test programs passed and failed.
python3 - "$ASAN_BUILD/meson-logs/testlog.json" "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
results = [json.loads(line)["result"] for path in sys.argv[1:] for line in open(path) if line.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in results)
print(f"meshplane tests: {ok} passed, {len(results) - ok} failed")
PY
exit "$status"
