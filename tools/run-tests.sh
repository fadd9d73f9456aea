#!/usr/bin/env bash
# Sets up the machine (packages, hugepages), builds meshplane with -Werror, and runs every test twice,
# under ASan/UBSan and in the normal build: the Check suites (codecs with the tshark oracle, config,
# classification, HWMP engine and simulator, airsim, tables), the functional tests through the real
# binaries, the two-node, link, lab and roaming tests in network namespaces; then every fuzz harness
# for a short while. Exits non-zero on any failure.
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
# The long system tests run once: the Linux interop lab (suite vm, one VM boot per test) and the
# attack, fault and lab tests (suite once: hostile_secure, fault_campaign, lab_mesh, roaming, ...) under ASan, path
# stability and the instruction count (suite long) and the Debian package (suite package: built, installed, purged; about two
# minutes) in the normal build. The lab's own check (suite vmlab) is for running by hand.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C "$ASAN_BUILD" --print-errorlogs --num-processes 1 --no-suite long --no-suite vmlab \
    --no-suite package || status=$?
meson test -C "$BUILD" --print-errorlogs --verbose --num-processes 1 --no-suite vm --no-suite once --no-suite vmlab || status=$?

# Every libFuzzer harness for a short while on its seed corpus (tools/fuzz.sh runs them long).
fuzz_status=0
bash tools/fuzz.sh "${MESHPLANE_FUZZ_SECONDS:-20}" > "$BUILD/fuzz.log" 2>&1 || fuzz_status=$?
cat "$BUILD/fuzz.log"
[ "$fuzz_status" -eq 0 ] || status=1

# One closing line for humans and CI: how many test programs passed and failed.
python3 - "$BUILD/fuzz.log" "$ASAN_BUILD/meson-logs/testlog.json" "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
results = [json.loads(line)["result"] for path in sys.argv[2:] for line in open(path) if line.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in results)
fuzz = [l for l in open(sys.argv[1]) if l.startswith("fuzz_")]
fuzz_ok = sum("no crash" in l for l in fuzz)
print(f"meshplane tests: {ok + fuzz_ok} passed, {len(results) - ok + len(fuzz) - fuzz_ok} failed")
PY
exit "$status"
