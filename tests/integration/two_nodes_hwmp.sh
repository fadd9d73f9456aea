#!/usr/bin/env bash
# Two meshplane processes whose mesh ports are joined by net_memif (no hugepages). Node A gets, on its
# lan port, frames for station S, which node B has on its lan port (static_fdb) and A knows nothing
# about. A must hold them, peer with B (Mesh Peering Management, started by the beacons), find S with
# a PREQ that B answers as S's proxy (PREP with AE: both announce the extensions), install the path
# and the proxy, and release the frames; B must deliver them to S byte for byte. meshctl shows the
# ESTAB peer and the path while they run. B stops first: its Close ends the link at A at once.
# Usage: two_nodes_hwmp.sh MESHPLANE MESHCTL
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
meshplane=$1
meshctl=$2
work=$(mktemp -d /tmp/meshplane-2nodes-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

python3 - "$work" "$here" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from pcaputil import write_pcap
work = sys.argv[1]
lanhost = bytes.fromhex("0a000000aa01")
station = bytes.fromhex("0a000000bb01")
frames = [station + lanhost + b"\x88\xb5" + bytes([i]) * 46 for i in range(3)]
write_pcap(f"{work}/in_a.pcap", frames)
write_pcap(f"{work}/expected_b.pcap", frames)
write_pcap(f"{work}/empty.pcap", [])
PY

node() { # node NAME MAC ROLE
  cat > "$work/$1.json" <<JSON
{
  "node": {"name": "$1", "mesh_mac": "$2", "file_prefix": "mp-$1-$$"},
  "mesh": {"mesh_id": "two-node-test"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_memif0,role=$3,id=0,socket=$work/memif.sock,socket-abstract=no"},
    {"name": "eth0", "role": "lan", "devargs": "net_pcap1,rx_pcap=$work/$4,tx_pcap=$work/out_$1.pcap"}
  ],
  $5
  "workers": {"lcores": [1], "idle_sleep_us": 500, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
}
node a 02:00:00:00:00:0a server in_a.pcap ''
node b 02:00:00:00:00:0b client empty.pcap '"static_fdb": [{"mac": "0a:00:00:00:bb:01", "port": "eth0"}],'

"$meshplane" --config "$work/a.json" --duration 6 --stats-file "$work/a-stats.json" &
pids+=($!)
sleep 0.5
"$meshplane" --config "$work/b.json" --duration 5 --stats-file "$work/b-stats.json" &
pids+=($!)
sleep 2
status=0
"$meshctl" -n "mp-a-$$" peers > "$work/peers.txt" || status=1
"$meshctl" -n "mp-a-$$" paths > "$work/paths.txt" || status=1
if ! grep -Eq '^02:00:00:00:00:0b +wifi0 +radio +wifi0 +ESTAB +open +[0-9a-f]{4}/[0-9a-f]{4} +1 +[0-9]+ +54.0 Mb/s' "$work/peers.txt" ||
   ! grep -Eq '^02:00:00:00:00:0b +02:00:00:00:00:0b +wifi0 +[0-9]+ +[0-9]+ +1 +0 +[0-9]+ ms +active$' "$work/paths.txt"; then
  echo "FAIL meshctl on node a:"; cat "$work/peers.txt" "$work/paths.txt"; status=1
else
  echo "meshctl on node a shows peer b and the path to it:"; cat "$work/peers.txt" "$work/paths.txt"
fi
wait "${pids[0]}"
wait "${pids[1]}"
pids=()

python3 "$(dirname "$0")/pcapdiff.py" "b eth0" "$work/out_b.pcap" "$work/expected_b.pcap" || status=1
python3 - "$work/a-stats.json" "$work/b-stats.json" <<'PY' || status=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = 0
def check(cond, what):
    global bad
    if not cond:
        print("FAIL", what)
        bad += 1
ca, cb = a["control"], b["control"]
check(ca["peers_adopted"] == 1 and cb["peers_adopted"] == 1, f"peering: a {ca['peers_adopted']}, b {cb['peers_adopted']}")
pa, pb = a["peering"], b["peering"]
check(pa["established"] == 1 and pb["established"] == 1 and pa["open_tx"] >= 1 and pb["open_tx"] >= 1
      and pa["confirm_rx"] >= 1 and pb["confirm_rx"] >= 1, f"MPM: a {pa}, b {pb}")
check(ca["pending_held"] == 3 and ca["pending_released"] == 3 and ca["drop_no_path"] == 0,
      f"a held/released {ca['pending_held']}/{ca['pending_released']}, dropped {ca['drop_no_path']}")
check(ca["paths_installed"] >= 1 and ca["proxies_installed"] >= 1, f"a paths {ca['paths_installed']} proxies {ca['proxies_installed']}")
check(cb["hwmp_frames_rx"] >= 1 and ca["hwmp_frames_rx"] >= 1, "HWMP frames both ways")
check(a["hwmp"]["preq_tx"] >= 1 and b["hwmp"]["prep_tx"] >= 1 and b["hwmp"]["proxy_replies"] >= 1
      and a["hwmp"]["discovery_ok"] >= 1, f"hwmp counters: a {a['hwmp']}, b {b['hwmp']}")
# b stopped first and said so: a took its Close, dropped the peer and every path through it.
check(pb["close_tx"] >= 1 and pa["close_rx"] >= 1 and pa["estab_closed"] == 1 and ca["peers_lost"] == 1,
      f"b's Close on stop: b close_tx {pb['close_tx']}, a close_rx {pa['close_rx']}, a lost {ca['peers_lost']}")
check(all(p["next_hop"] != "02:00:00:00:00:0b" for p in a["paths"]), f"a still routes through b: {a['paths']}")
fdb = {e["mac"]: e for e in a["fdb"]}
check(fdb.get("0a:00:00:00:bb:01", {}).get("proxy") == "02:00:00:00:00:0b", "a: station behind b")
check("02:00:00:00:00:0b" not in fdb or fdb["02:00:00:00:00:0b"]["kind"] != "neighbour", "a: b still a neighbour")
bfdb = {e["mac"]: e for e in b["fdb"]}
check(bfdb.get("0a:00:00:00:aa:01", {}).get("proxy") == "02:00:00:00:00:0a", "b learned lanhost behind a")
print("two nodes: peered, discovered, delivered" if bad == 0 else f"{bad} failures")
sys.exit(1 if bad else 0)
PY
exit $status
