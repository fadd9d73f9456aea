#!/usr/bin/env bash
# Benchmark (by hand, not a test): mesh transit at max rate, meshgen <-> meshplane (1 worker) against
# meshgen <-> dpdk-testpmd io-forward on the same memif setup, in the same run. meshgen is the memif
# server and sends mesh-unicast frames from MP1 for MP3 to MP2; meshplane (MP2, static path to MP3)
# or testpmd (port looped to itself) sends them back on the same port. Figures are what meshgen
# receives back per second. Two busy threads only (BENCH.md): meshgen's generator lcore on CPU 0
# with its idle main lcore on CPU 1, the peer's forwarding lcore on CPU 1 with its main on CPU 0.
# Usage: meshgen_transit.sh [BUILD_DIR] [SECONDS] [SIZE] [MESH_DESTS] [RUNS]
#   SIZE: 64..1518 or imix (default 64); MESH_DESTS: mesh destinations / static paths, 1..256
#   (default 1); RUNS: alternating testpmd/meshplane rounds, medians reported (default 3).
#   MESHGEN / MESHPLANE override the binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
SIZE=${3:-64}
DESTS=${4:-1}
RUNS=${5:-3}
MESHGEN=${MESHGEN:-$BUILD/tools/meshgen/meshgen}
MESHPLANE=${MESHPLANE:-$BUILD/dataplane/meshplane}
work=$(mktemp -d /tmp/meshgen-bench-XXXXXX)
pids=()
# DPDK leaves its runtime directory behind: remove ours (named by this script's pid).
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work" /var/run/dpdk/mgb-*-$$' EXIT

if pgrep -f 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen' >/dev/null; then
  echo "warning: other DPDK processes are running; figures will be low:" >&2
  pgrep -af 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen' >&2 || true
fi
sock="$work/memif.sock"
server="net_memif0,role=server,id=0,socket=$sock,socket-abstract=no"
client="net_memif0,role=client,id=0,socket=$sock,socket-abstract=no"

# gen NAME: meshgen in the background, summary in $work/NAME.json.
gen() {
  "$MESHGEN" --tx "$server" --lcores 0@1,1@0 --kind mesh-unicast --size "$SIZE" --rate max \
    --mesh-dests "$DESTS" --flows "$DESTS" --duration "$SECS" --start-delay 1 --quiet \
    --json "$work/$1.json" -- --file-prefix="mgb-gen-$1-$$" >"$work/$1.gen.log" 2>&1 &
  pids=($!)
  sleep 0.3
}
# finish: wait for meshgen, then stop the peer (pids[1]) with SIGINT.
finish() {
  local rc=0
  wait "${pids[0]}" || rc=$?
  kill -INT "${pids[1]}" 2>/dev/null || true
  wait "${pids[1]}" 2>/dev/null || true
  pids=()
  if [ "$rc" -ne 0 ]; then echo "meshgen failed ($rc):" >&2; cat "$work"/*.log >&2; exit 1; fi
}

# 2. meshplane, one busy-polling worker on CPU 1, DESTS static paths on the same port.
paths=$(python3 -c "import sys; n=int(sys.argv[1]); print(','.join(
  '{\"dest\": \"02:00:00:%02x:%02x:%02x\", \"next_hop\": \"02:00:00:00:00:03\", \"port\": \"wifi0\"}'
  % ((3+i)>>16 & 255, (3+i)>>8 & 255, (3+i) & 255) for i in range(n)))" "$DESTS")
cat > "$work/node.json" <<JSON
{
  "node": {"name": "mgbench", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mgb-mp-$$"},
  "mesh": {"mesh_id": "meshgen-bench"},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "$client"}],
  "static_paths": [$paths],
  "workers": {"lcores": [1], "main_lcore": 0},
  "mempool": {"mbufs": 16383, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
for r in $(seq 1 "$RUNS"); do
  # 1. Ceiling: testpmd io-forward, port looped to itself.
  gen "testpmd-$r"
  dpdk-testpmd --no-huge -m 256 --lcores=0@0,1@1 --no-pci --file-prefix="mgb-tp-$$" --log-level=4 \
    --vdev="$client" -- --forward-mode=io --port-topology=loop --total-num-mbufs=16384 \
    --stats-period=1 >"$work/testpmd.log" 2>&1 &
  pids+=($!)
  finish

  gen "meshplane-$r"
  "$MESHPLANE" --config "$work/node.json" --duration $((SECS + 10)) --stats-file "$work/stats-$r.json" \
    >"$work/meshplane.log" 2>&1 &
  pids+=($!)
  finish
done

python3 - "$work" "$RUNS" "$SIZE" "$DESTS" <<'PY'
import json, sys
work, runs = sys.argv[1], int(sys.argv[2])
load = lambda name: [json.load(open(f"{work}/{name}-{r}.json")) for r in range(1, runs + 1)]
tp, mp = load("testpmd"), load("meshplane")
def median_run(rs):
    return sorted(rs, key=lambda s: s["rx_pps"])[len(rs) // 2]
def line(name, rs):
    s = median_run(rs)
    lat = s["latency_us"]
    print(f"  {name:10s} rx {s['rx_mpps']:6.2f} Mpps  {s['rx_bps']/1e9:6.2f} Gbit/s  (runs: "
          + " ".join(f"{x['rx_mpps']:.2f}" for x in rs)
          + f"; loss {s['loss_pct']:.2f} %, latency p50 {lat['p50']:.0f} us p99 {lat['p99']:.0f} us)")
    return s["rx_pps"]
print(f"mesh transit, size {sys.argv[3]}, {sys.argv[4]} mesh destination(s), meshgen at max rate over memif, "
      f"median of {runs}:")
a = line("testpmd", tp)
b = line("meshplane", mp)
fw = {}
try:
    st = json.load(open(f"{work}/stats-{runs}.json"))
    fw = next(p for p in st["ports"] if p["port"] == "wifi0")["forwarding"]
except Exception:
    pass
extra = {k: v for k, v in fw.items() if k in ("mesh_forward", "drop_tx_full", "drop_no_route") and v}
if extra:
    print("  meshplane counters (last run):", ", ".join(f"{k} {v}" for k, v in extra.items()))
print(f"  ratio meshplane / testpmd io-forward: {b / a:.2f}")
PY
