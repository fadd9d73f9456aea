#!/usr/bin/env bash
# Every benchmark scenario of issue 7 in one run (by hand, on a quiet machine; about 10 minutes with
# the defaults): meshgen_bench.sh for transit (1, 1,000 and 16,384 mesh paths; 64 and 1518 bytes),
# encapsulation (1,000, 65,536 and 1,048,576 stations), decapsulation, bridging (1,000, 65,536 and
# 1,048,576 stations; 64 and 1518 bytes) and group flood, each against testpmd io-forward in the same
# run, plus OVS-DPDK as an L2 learning bridge on the same memif ports (ovs_bridge.sh, when
# openvswitch-switch-dpdk is installed). Writes OUTDIR/results.json (one object per line),
# OUTDIR/results.md (the table for the README) and OUTDIR/mpps.png (gnuplot, when installed).
#   bash tests/bench/run_all.sh [BUILD_DIR] [SECONDS] [RUNS] [OUTDIR]    (defaults: build 3 1 bench-results)
# QUICK=1 runs only the smaller tables. CCMP: transit, encapsulation and decapsulation (1,000 paths or
# stations; 64 and 1518 bytes) each without and with CCMP in the same run (SCENARIO=*_ccmp), into
# OUTDIR/ccmp.json and OUTDIR/ccmp.md (the README's CCMP table); CCMP_ONLY=1 runs only those (and
# leaves results.json alone), CCMP=0 skips them. To show scaling where more cores exist, run meshgen_bench.sh
# with a config of N worker lcores (workers.lcores) and meshgen on its own cores; this machine has 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
RUNS=${3:-1}
OUT=${4:-bench-results}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)   # absolute: the scenarios run from the repository root
export RESULT_JSON=$OUT/results.json
failed=0
bench() { # bench SCENARIO SIZE TABLE: one scenario; a failure is reported and the others still run
  echo "== $1, $2 bytes, table $3" >&2
  SCENARIO=$1 bash tests/bench/meshgen_bench.sh "$BUILD" "$SECS" "$2" "$3" "$RUNS" >&2 ||
    { echo "== FAILED: $1 $2 $3" >&2; failed=$((failed + 1)); }
}
CCMP=${CCMP:-1}
CCMP_ONLY=${CCMP_ONLY:-0}
ccmp_benches() { # each *_ccmp scenario runs its plain twin in the same rounds
  RESULT_JSON=$OUT/ccmp.json
  : > "$RESULT_JSON"
  for size in 64 1518; do
    for sc in transit_ccmp encap_ccmp decap_ccmp; do bench "$sc" "$size" 1000; done
  done
  RESULT_JSON=$OUT/results.json
}
# REPORT_ONLY=1 rebuilds results.md and the plot from an existing results.json.
if [ "${REPORT_ONLY:-0}" != 1 ] && [ "$CCMP_ONLY" = 1 ]; then
  ccmp_benches
elif [ "${REPORT_ONLY:-0}" != 1 ]; then
: > "$OUT/results.json"
big=(65536 1048576)
[ "${QUICK:-0}" = 1 ] && big=()
bench transit 64 1
bench transit 64 1000
bench transit 64 16384
bench transit 1518 1
bench encap 64 1000
for n in "${big[@]}"; do bench encap 64 "$n"; done
bench decap 64 1000
bench bridge 64 1000
for n in "${big[@]}"; do bench bridge 64 "$n"; done
bench bridge 1518 1000
bench group 64 1
if [ -x /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ]; then
  echo "== OVS-DPDK L2 learning bridge, 64 bytes, 1000 stations" >&2
  bash tests/bench/ovs_bridge.sh "$BUILD" "$SECS" 64 1000 >&2 || { echo "== FAILED: OVS" >&2; failed=$((failed + 1)); }
else
  echo "== OVS-DPDK skipped: apt-get install openvswitch-switch-dpdk to compare bridging" >&2
fi
[ "$CCMP" = 1 ] && ccmp_benches
fi

python3 - "$OUT" "$CCMP_ONLY" <<'PY'
import json, os, sys
out, ccmp_only = sys.argv[1], sys.argv[2] == "1"
# CCMP: each protected scenario against its unprotected twin of the same rounds.
if os.path.exists(f"{out}/ccmp.json"):
    names = {"transit_ccmp": "mesh transit", "encap_ccmp": "lan → mesh encap (AE)", "decap_ccmp": "mesh → lan decap (AE)",
             "group_ccmp": "group flood (RMC)"}
    units = {"transit_ccmp": "paths", "encap_ccmp": "stations", "decap_ccmp": "stations", "group_ccmp": "flows"}
    lines = ["| scenario | table | size | Mpps plain / CCMP | cycles/pkt plain / CCMP | added by CCMP | "
             "worker busy plain / CCMP | never idle: TSC / cycles, Mpps | meshgen alone (testpmd loop) plain / CCMP, Mpps |",
             "|---|---|---|---|---|---|---|---|---|"]
    ceiling = lambda v: f"{v['testpmd']['mpps']:.2f}" if v.get("testpmd") else "–"
    for r in (json.loads(l) for l in open(f"{out}/ccmp.json") if l.strip()):
        p, c = r["plain"], r["ccmp"]
        pm, cm = p["meshplane"], c["meshplane"]
        added = r.get("ccmp_added_cycles")
        lines.append(f"| {names.get(r['scenario'], r['scenario'])} | {r['table']:,} {units.get(r['scenario'], '')} | {r['size']} | "
                     f"{pm['mpps']:.2f} / {cm['mpps']:.2f} | {pm['cycles_per_packet'] or '–'} / {cm['cycles_per_packet'] or '–'} | "
                     f"{'+' + str(added) if added is not None else '–'} | "
                     f"{pm.get('busy_pct', 0):.0f} % / {cm.get('busy_pct', 0):.0f} % | "
                     f"{pm.get('worker_capacity_mpps', 0):.2f} / {cm.get('worker_capacity_mpps', 0):.2f} | "
                     f"{ceiling(p)} / {ceiling(c)} |")
    open(f"{out}/ccmp.md", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
if ccmp_only or not os.path.exists(f"{out}/results.json"):
    sys.exit(0)
rows = [json.loads(l) for l in open(f"{out}/results.json") if l.strip()]
names = {"transit": "mesh transit", "encap": "lan → mesh encap (AE)", "decap": "mesh → lan decap (AE)",
         "bridge": "lan → access bridging", "group": "group flood (RMC)", "ovs": "OVS-DPDK L2 bridge"}
units = {"transit": "paths", "encap": "stations", "decap": "stations", "bridge": "stations", "group": "flows",
         "ovs": "stations"}
lines = ["| scenario | table | size | meshplane Mpps | Gbit/s | testpmd Mpps | ratio | cycles/pkt | p50 / p99 µs at 50 % load |",
         "|---|---|---|---|---|---|---|---|---|"]
plot = []
ovs = next((r for r in rows if r["scenario"] == "ovs"), None)
for r in rows:
    if r["scenario"] == "ovs":
        continue
    m, t, h = r["meshplane"], r["testpmd"], r.get("half_load") or {}
    lat = f"{h['p50_us']:.0f} / {h['p99_us']:.0f}" if h else "–"
    unit = units[r["scenario"]] if r["table"] != 1 else units[r["scenario"]].rstrip("s")
    lines.append(f"| {names[r['scenario']]} | {r['table']:,} {unit} | {r['size']} | {m['mpps']:.2f} | "
                 f"{m['gbps']:.2f} | {t['mpps']:.2f} | {r['ratio']:.2f} | {m['cycles_per_packet'] or '–'} | {lat} |")
    if str(r["size"]) == "64":
        plot.append((f"{r['scenario']} {r['table']}", m["mpps"], t["mpps"]))
if ovs:
    bridge = next((r for r in rows if r["scenario"] == "bridge" and r["table"] == ovs["table"] and str(r["size"]) == "64"), None)
    vs = f"; meshplane bridging / OVS = {bridge['meshplane']['mpps'] / ovs['ovs']['mpps']:.2f}" if bridge and ovs["ovs"]["mpps"] else ""
    lines.append(f"| {names['ovs']} | {ovs['table']:,} stations | 64 | {ovs['ovs']['mpps']:.2f} (OVS) | "
                 f"{ovs['ovs']['gbps']:.2f} | {ovs['testpmd']['mpps']:.2f} | {ovs['ratio']:.2f} | – | –{vs} |")
    plot.append((f"OVS {ovs['table']}", ovs["ovs"]["mpps"], ovs["testpmd"]["mpps"]))
open(f"{out}/results.md", "w").write("\n".join(lines) + "\n")
with open(f"{out}/plot.dat", "w") as f:
    for label, a, b in plot:
        f.write(f'"{label}" {a} {b}\n')
print("\n".join(lines))
PY
if [ "$CCMP_ONLY" = 1 ]; then
  :
elif command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal png size 1200,500
set output "$OUT/mpps.png"
set title "64-byte frames, one worker: meshplane and testpmd io-forward over the same memif ports"
set ylabel "Mpps"
set yrange [0:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30
set key outside top center horizontal
plot "$OUT/plot.dat" using 2:xtic(1) title "meshplane (or OVS)", "" using 3 title "testpmd io-forward"
GP
  echo "plot: $OUT/mpps.png" >&2
else
  echo "plot skipped: apt-get install gnuplot-nox" >&2
fi
echo "results: $OUT/results.json, $OUT/results.md, $OUT/ccmp.json, $OUT/ccmp.md" >&2
[ "$failed" -eq 0 ] || { echo "$failed scenario(s) failed" >&2; exit 1; }
