#!/usr/bin/env bash
# Smoke benchmark (not a timed test): mesh transit forwarding on one worker, against testpmd's
# io-forward on the very same vdev in the same run (the machine's ceiling for that port).
# Frames come from net_pcap with infinite_rx=1 (replayed from memory, copied into fresh mbufs,
# which both sides pay) and leave through the same port, whose tx side drops them.
# Usage: smoke_transit.sh [BUILD_DIR] [SECONDS]     Prints Mpps and the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
work=$(mktemp -d /tmp/meshplane-bench-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

if pgrep -f 'dpdk-testpmd|dataplane/meshplane' >/dev/null; then
  echo "warning: other DPDK processes are running; figures will be low" >&2
fi
"$BUILD/tests/bench/gen_transit_pcap" "$work/transit.pcap" 4096
devargs="net_pcap0,rx_pcap=$work/transit.pcap,infinite_rx=1"

# Baseline: testpmd io-forward, port looped to itself, one forwarding core.
dpdk-testpmd --no-huge -m 256 -l 0,1 --no-pci --file-prefix="bench-tp-$$" --log-level=4 --vdev="$devargs" \
  -- --port-topology=loop --forward-mode=io --stats-period=1 --total-num-mbufs=16384 >"$work/testpmd.log" 2>&1 &
pids+=($!)
sleep $((SECS + 1))
kill -INT "${pids[0]}"; wait "${pids[0]}" || true
testpmd_pps=$(grep -o 'Rx-pps: *[0-9]*' "$work/testpmd.log" | awk '{print $2}' | sort -n | tail -1)

# meshplane: the same port as a mesh port, a static path to the frames' mesh DA.
cat > "$work/node.json" <<JSON
{
  "node": {"name": "bench", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "bench-mp-$$"},
  "mesh": {"mesh_id": "bench"},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "$devargs"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}],
  "workers": {"lcores": [1]},
  "mempool": {"mbufs": 16383, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
"$BUILD/dataplane/meshplane" --config "$work/node.json" --duration $((SECS + 2)) >/dev/null 2>&1 &
pids+=($!)
stat() { echo /meshplane/stats | dpdk-telemetry.py -f "bench-mp-$$" 2>/dev/null | grep '^{"/' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["/meshplane/stats"]["wifi0"]["mesh_forward"])'; }
sleep 1
a=$(stat); t0=$(date +%s.%N)
sleep "$SECS"
b=$(stat); t1=$(date +%s.%N)
wait "${pids[1]}" || true

python3 - "$a" "$b" "$t0" "$t1" "$testpmd_pps" <<'PY'
import sys
a, b, t0, t1, base = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
ours = (b - a) / (t1 - t0)
print(f"transit forwarding, 1 worker, 64-byte-equivalent frames: meshplane {ours/1e6:.2f} Mpps, "
      f"testpmd io-forward {base/1e6:.2f} Mpps on the same vdev, ratio {ours/base:.2f}")
PY
