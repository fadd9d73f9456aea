#!/usr/bin/env bash
# Long robustness runs (issue 8), by hand: every libFuzzer harness, the fault campaign on the lab,
# the full-rate load with table churn and the SAE Commit flood on a secure mesh (hostile_secure, 1,000
# spoofed Commits a second), each for about MINUTES (default 10), the last three with the ASan/UBSan build. Prints one line per part and exits non-zero if any failed; logs in build-asan/long-run/.
# Do not run the lab parts while tests or a lab run (the lab uses fixed namespace names); the fuzz part
# alone needs no lab: bash tools/long-run.sh 30 fuzz (each of the 9 harnesses MINUTES×60/9 s).
#   bash tools/long-run.sh [MINUTES] [PART...]    PART: fuzz fault_campaign soak_churn sae_flood (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
shift || true
parts=${*:-fuzz fault_campaign soak_churn sae_flood}
for part in $parts; do
  case $part in fuzz | fault_campaign | soak_churn | sae_flood) ;; *) echo "long-run: unknown part '$part'" >&2; exit 2 ;; esac
done
secs=$((MINUTES * 60))
ASAN_BUILD=${MESHPLANE_ASAN_BUILD:-build-asan}
if [ "$parts" != fuzz ]; then
  bash tools/setup.sh
  if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
    meson setup "$ASAN_BUILD" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  fi
  ninja -C "$ASAN_BUILD" >/dev/null
fi
logs=$ASAN_BUILD/long-run
mkdir -p "$logs"
status=0
run() { # run NAME COMMAND...: one line of result, the output in $logs/NAME.log (only the PARTs asked for)
  local name=$1; shift
  local start=$SECONDS
  case " $parts " in *" $name "*) ;; *) return 0 ;; esac
  if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$@" >"$logs/$name.log" 2>&1; then
    echo "$name: passed in $((SECONDS - start)) s"
  else
    echo "$name: FAILED after $((SECONDS - start)) s, see $logs/$name.log"
    status=1
  fi
}
run fuzz bash tools/fuzz.sh $((secs / 9 > 20 ? secs / 9 : 20))
run fault_campaign bash tests/integration/fault_campaign.sh "$PWD/$ASAN_BUILD" $((secs / 2))
run soak_churn bash tests/integration/soak_churn.sh "$ASAN_BUILD/dataplane/meshplane" \
  "$ASAN_BUILD/tools/meshgen/meshgen" "$secs"
run sae_flood bash tests/integration/hostile_secure.sh "$ASAN_BUILD" "$secs" 1000
for part in $parts; do
  grep -hE "^(phase|load|ok: .*(FDB|memif)|fuzz_|flood figures|ok: anti-clogging|ok: HN)" "$logs/$part.log" || true
done
exit $status
