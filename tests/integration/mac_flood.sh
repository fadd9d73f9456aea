#!/usr/bin/env bash
# Hostile input (issue 8): a MAC flood on the lan port against a small FDB. New sources beyond the
# table are refused and counted, the node's own address, its static station and the reserved room
# stay, and a frame to the static station after the flood is still bridged (a station merely learned
# after the flood is refused like any other source: nothing is evicted; stations hostapd reports get
# the reserved room). A beacon with another
# Mesh ID is counted and adopts no peer. Usage: mac_flood.sh MESHPLANE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
meshplane=$1
work=$(mktemp -d /tmp/meshplane-flood-XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$here" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
from pcaputil import write_pcap
work = sys.argv[1]
printer = bytes.fromhex("0a000000ee02")
flood = [printer + bytes([0x0a, 0x55, 0, i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff]) + b"\x08\x00" + bytes(46)
         for i in range(2000)]
# After the flood, a station on wifi1 sends to the printer on eth0: it must still be bridged.
after = [printer + bytes.fromhex("0a000000c101") + b"\x08\x00" + bytes([0x77]) * 46]
write_pcap(f"{work}/eth.pcap", flood)
write_pcap(f"{work}/access.pcap", after)
# A beacon of another mesh (Mesh ID "evil-mesh") behind a minimal radiotap header.
mesh_id = b"evil-mesh"
beacon = (bytes([0x80, 0]) + b"\0\0" + b"\xff" * 6 + bytes.fromhex("02000000000e") * 2 + b"\0\0" +
          bytes(8) + struct.pack("<HH", 100, 0) + b"\0\0" + bytes([114, len(mesh_id)]) + mesh_id +
          bytes([113, 7, 1, 1, 0, 1, 0, 0, 9]))
write_pcap(f"{work}/mesh.pcap", [bytes.fromhex("0000080000000000") + beacon], 127)
write_pcap(f"{work}/empty.pcap", [])
PY
cat > "$work/node.json" <<JSON
{
  "node": {"name": "flood", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mp-flood-$$"},
  "mesh": {"mesh_id": "campus-mesh"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_pcap0,rx_pcap=$work/mesh.pcap,tx_pcap=$work/out0.pcap"},
    {"name": "eth0", "role": "lan", "devargs": "net_pcap1,rx_pcap=$work/eth.pcap,tx_pcap=$work/out1.pcap"},
    {"name": "wifi1", "role": "access", "devargs": "net_pcap2,rx_pcap=$work/access.pcap,tx_pcap=$work/out2.pcap"}
  ],
  "static_fdb": [{"mac": "0a:00:00:00:ee:02", "port": "eth0"}],
  "tables": {"fdb_entries": 64},
  "workers": {"lcores": [1], "idle_sleep_us": 1000, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
"$meshplane" --config "$work/node.json" --duration 2.5 --stats-file "$work/stats.json"
python3 - "$work/stats.json" "$work/out1.pcap" "$here" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
from pcaputil import read_frames
stats = json.load(open(sys.argv[1]))
c = stats["control"]
fdb = {e["mac"]: e for e in stats["fdb"]}
ports = {p["port"]: p for p in stats["ports"]}
frames = read_frames(sys.argv[2])
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
learned = sum(1 for e in stats["fdb"] if e["kind"] == "lan" and not e["static"])
check(c["fdb_refused"] > 0, f"flood of 2000 sources: {c['fdb_refused']} refused and counted, {learned} learned")
check(learned <= 64, "no more dynamic entries than fdb_entries (64)")
check(fdb.get("0a:00:00:00:ee:02", {}).get("static") is True, "the static station stayed")
check(fdb.get("02:00:00:00:00:02", {}).get("kind") == "local", "the node's own address stayed")
check(any(f[6:12] == bytes.fromhex("0a000000c101") for f in frames), "a frame to the static station after the flood was bridged")
check(c["beacons_other_mesh"] == 1 and c["peers_adopted"] == 0, "the foreign Mesh ID beacon was counted and ignored")
check(ports["eth0"]["classes"]["eth_unicast"] == 2000, "every flood frame was received and classified")
sys.exit(1 if bad else 0)
PY
