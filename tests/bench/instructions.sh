#!/usr/bin/env bash
# The fast path's cost in instructions per frame: a figure this noisy 2-core machine cannot blur.
# meshplane runs under valgrind (callgrind, counting only inside forward_burst and what it calls: the
# classify, lookup and rewrite passes, not the driver's rx/tx or the polling) on a fixed replay of
# 2,048 64-byte frames from net_pcap, for transit (mesh data through the node, a static path) and for
# bridging (Ethernet from one lan port to another, static FDB entries, so that no learning races the
# count). Instructions per frame = collected Ir / frames received; the same binary gives the same
# figure to the instruction. Fails when a scenario costs more than LIMIT_PCT (5) % above its
# reference in tests/bench/instructions.ref, and says so when one fell below 95 % (update the
# reference: --update). The reference holds for the normal build (meson defaults, Debian 12's gcc
# and DPDK 22.11). Exit 77 (skipped) without valgrind.
# Usage: instructions.sh BUILD_DIR [--update]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$1
UPDATE=${2:-}
REF=tests/bench/instructions.ref
LIMIT_PCT=5
FRAMES=2048
command -v valgrind >/dev/null || { echo "skipped: needs valgrind"; exit 77; }
work=$(mktemp -d /tmp/meshplane-instr-XXXXXX)
trap 'rm -rf "$work" /var/run/dpdk/instr-*-$$' EXIT
"$BUILD/tests/bench/gen_transit_pcap" "$work/transit.pcap" "$FRAMES" >/dev/null
python3 - "$work" "$FRAMES" <<'PY'
import struct, sys
work, n = sys.argv[1], int(sys.argv[2])
hdr = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
eth = bytes.fromhex("0a0000000002" "0a0000000001" "0800") + bytes(50)  # 64 bytes with the FCS
with open(f"{work}/bridge.pcap", "wb") as f:
    f.write(hdr + (struct.pack("<IIII", 0, 0, len(eth), len(eth)) + eth) * n)
open(f"{work}/empty.pcap", "wb").write(hdr)
PY
common='"workers": {"lcores": [1], "idle_sleep_us": 1000, "idle_polls": 4},
  "mempool": {"mbufs": 8191, "cache": 256},
  "telemetry": {"pdump": false, "topology_interval_s": 0},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"'
cat > "$work/transit.json" <<JSON
{
  "node": {"name": "instr", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "instr-transit-$$"},
  "mesh": {"mesh_id": "bench"},
  "ports": [{"name": "wifi0", "role": "mesh",
             "devargs": "net_pcap0,rx_pcap=$work/transit.pcap,tx_pcap=$work/transit-out.pcap"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}],
  $common
}
JSON
cat > "$work/bridging.json" <<JSON
{
  "node": {"name": "instr", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "instr-bridging-$$"},
  "mesh": {"mesh_id": "bench"},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_null0,no-rx=1"},
            {"name": "lan0", "role": "lan", "devargs": "net_pcap0,rx_pcap=$work/bridge.pcap,tx_pcap=$work/lan0-out.pcap"},
            {"name": "lan1", "role": "lan", "devargs": "net_pcap1,rx_pcap=$work/empty.pcap,tx_pcap=$work/lan1-out.pcap"}],
  "static_fdb": [{"mac": "0a:00:00:00:00:01", "port": "lan0"}, {"mac": "0a:00:00:00:00:02", "port": "lan1"}],
  $common
}
JSON
chmod 644 "$work"/*.json
status=0
for scenario in transit bridging; do
  # 8 s: the replay is done within 3 s under valgrind; the rest is EAL start and stop.
  valgrind --tool=callgrind --toggle-collect=forward_burst --callgrind-out-file="$work/$scenario.cg" \
    "$BUILD/dataplane/meshplane" --config "$work/$scenario.json" --duration 8 \
    --stats-file "$work/$scenario-stats.json" > "$work/$scenario.log" 2>&1 ||
    { echo "FAIL $scenario: meshplane under valgrind"; tail -20 "$work/$scenario.log"; exit 1; }
  python3 - "$scenario" "$work" "$FRAMES" "$REF" "$LIMIT_PCT" "$UPDATE" <<'PY' || status=1
import json, re, sys
scenario, work, frames, ref_path, limit, update = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6]
ir = int(re.search(r"Collected : (\d+)", open(f"{work}/{scenario}.log").read()).group(1))
stats = json.load(open(f"{work}/{scenario}-stats.json"))
rx = sum(p["rx_packets"] for p in stats["ports"])
tx = sum(p["forwarding"]["tx_packets"] for p in stats["ports"] if p["port"] != "wifi0" or scenario == "transit")
if rx != frames:
    sys.exit(f"FAIL {scenario}: received {rx} of the replay's {frames} frames")
per = ir / rx
refs = dict(l.split()[:2] for l in open(ref_path) if l.strip() and not l.startswith("#"))
if update == "--update":
    lines = [l for l in open(ref_path) if l.startswith("#")] + [f"{k} {v}\n" for k, v in refs.items() if k != scenario]
    lines.append(f"{scenario} {per:.1f}\n")
    open(ref_path, "w").writelines(lines)
    print(f"updated {scenario}: {per:.1f} instructions per frame")
    sys.exit(0)
ref = float(refs[scenario])
change = (per / ref - 1) * 100
ok = change <= limit
print(("ok   " if ok else "FAIL ") + f"{scenario}: {per:.1f} instructions per frame in forward_burst "
      f"({ir} over {rx} frames), reference {ref:.1f} ({change:+.1f} %, limit +{limit:g} %)")
if change < -limit:
    print(f"     {scenario} is {-change:.1f} % below its reference: run tests/bench/instructions.sh BUILD --update")
sys.exit(0 if ok else 1)
PY
done
exit $status
