#!/usr/bin/env bash
# What rte_pdump_init (telemetry.pdump) costs the fast path while nobody captures: mesh transit on
# one worker from an in-process net_pcap source (infinite_rx), alternately with telemetry.pdump
# true and false, RUNS times each; prints each run's cycles per packet (busy_cycles / rx_packets
# from --stats-file) and the medians. By hand, on a machine as quiet as can be had.
# Usage: pdump_cost.sh [BUILD_DIR] [SECONDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
RUNS=${3:-3}
work=$(mktemp -d /tmp/meshplane-pdump-cost-XXXXXX)
trap 'rm -rf "$work" /var/run/dpdk/pdcost-$$' EXIT
"$BUILD/tests/bench/gen_transit_pcap" "$work/transit.pcap" 4096
for pdump in true false; do
  cat > "$work/$pdump.json" <<JSON
{
  "node": {"name": "pdcost", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "pdcost-$$"},
  "mesh": {"mesh_id": "bench"},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_pcap0,rx_pcap=$work/transit.pcap,infinite_rx=1"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}],
  "workers": {"lcores": [1]},
  "mempool": {"mbufs": 16383, "cache": 256},
  "telemetry": {"pdump": $pdump},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
  chmod 644 "$work/$pdump.json"
done
for i in $(seq "$RUNS"); do
  for pdump in true false; do
    "$BUILD/dataplane/meshplane" --config "$work/$pdump.json" --duration "$SECS" \
      --stats-file "$work/$pdump-$i.json" >/dev/null 2>&1
  done
done
python3 - "$work" "$RUNS" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
med = {}
for pdump in ("true", "false"):
    cpp = [json.load(open(f"{work}/{pdump}-{i}.json"))["lcores"]["lcore1"]["cycles_per_packet"] for i in range(1, runs + 1)]
    med[pdump] = statistics.median(cpp)
    print(f"telemetry.pdump {pdump:5}: cycles/packet {cpp}, median {med[pdump]}")
print(f"pdump idle cost: {med['true'] - med['false']:+} cycles/packet ({(med['true'] / med['false'] - 1) * 100:+.1f} %)")
PY
