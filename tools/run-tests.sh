#!/usr/bin/env bash
# Sets up the machine (packages, hugepages), builds meshplane with -Werror, and runs every test:
# the Check unit suites (codecs, tshark oracle, config, classification) and the functional tests
# through the real meshplane binary. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

BUILD=${MESHPLANE_BUILD:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" -Dwerror=true -Dtests=true -Dtshark_tests=enabled >/dev/null
fi
ninja -C "$BUILD" >/dev/null

# The pure-logic code again under AddressSanitizer + UndefinedBehaviorSanitizer (no DPDK needed).
ASAN_BUILD=${BUILD}-asan
if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
  meson setup "$ASAN_BUILD" -Dwerror=true -Ddataplane=disabled -Dtshark_tests=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$ASAN_BUILD" >/dev/null

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
