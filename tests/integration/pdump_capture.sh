#!/usr/bin/env bash
# dpdk-dumpcap on a running node (rte_pdump, telemetry.pdump): a meshplane node (hugepages: a DPDK
# secondary process cannot attach to a --no-huge primary) forwards meshgen's mesh transit frames
# (memif) back out the port they came in on while dpdk-dumpcap, started with the node's
# --file-prefix, captures that port in both directions. tshark must decode every captured frame as
# radiotap + 802.11s: each of the 4,000 frames once inbound (TTL 31, A1 = the node) and once
# outbound (TTL 30, A2 = the node), our beacons and topology announcements outbound; nothing malformed. The capture stops
# after the traffic has ended: DPDK 22.11's pdump can crash the primary when dumpcap stops while a
# worker is inside its capture callback (README "Capturing frames"). Then a secondary process that
# dies holding DPDK's shared memory lock (what a crashed dumpcap leaves): the node must still stop,
# within its 10 s shutdown watchdog, saying why. Exit 77 (skipped) without free hugepages or
# dpdk-dumpcap.
# Usage: pdump_capture.sh MESHPLANE MESHGEN SECONDARY_DIES_LOCKED
set -euo pipefail
meshplane=$1
meshgen=$2
dies_locked=$3
work=$(mktemp -d /tmp/meshplane-pdump-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
      rm -rf "$work" /var/run/dpdk/pdump-*-$$ /dev/hugepages/pdump-node-$$map_*' EXIT
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if ! command -v dpdk-dumpcap >/dev/null || [ "${free:-0}" -lt 64 ] ||
   ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  echo "skipped: needs dpdk-dumpcap and 64 free 2 MB hugepages on /dev/hugepages (have ${free:-0})"
  exit 77
fi
sock="$work/memif.sock"
cat > "$work/node.json" <<JSON
{
  "node": {"name": "pdump", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "pdump-node-$$"},
  "mesh": {"mesh_id": "pdump-test"},
  "ports": [{"name": "wifi0", "role": "mesh",
             "devargs": "net_memif0,role=server,id=0,socket=$sock,socket-abstract=no"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}],
  "workers": {"lcores": [1], "idle_sleep_us": 200, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"memory_mb": 64},
  "log_level": "notice"
}
JSON
chmod 644 "$work/node.json"
# Starts the node; returns once it is up (ports started, pdump registered), not only its EAL.
start_node() {
  # Emptied first: the shell truncates it only in the child, and the wait below would otherwise read
  # the first run's "up" line and let a secondary attach to the stopped node's runtime files.
  : > "$work/node.log"
  "$meshplane" --config "$work/node.json" --stats-file "$work/stats.json" >> "$work/node.log" 2>&1 &
  pids+=($!); node=$!
  for _ in $(seq 300); do grep -q ' up: mesh id' "$work/node.log" && return 0; sleep 0.1; done
  echo "FAIL the node did not come up in 30 s"; cat "$work/node.log"; exit 1
}
# Stops the node with SIGTERM; sets node_rc and node_stop_s. Gives up (FAIL) after 30 s.
stop_node() {
  local start=$SECONDS
  kill -TERM "$node"
  for _ in $(seq 300); do kill -0 "$node" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$node" 2>/dev/null; then echo "FAIL the node did not stop in 30 s"; cat "$work/node.log"; exit 1; fi
  node_rc=0; wait "$node" || node_rc=$?
  node_stop_s=$((SECONDS - start))
}
start_node
timeout 30 dpdk-dumpcap --file-prefix="pdump-node-$$" -D > "$work/interfaces.txt" 2>&1 ||
  { echo "FAIL dpdk-dumpcap -D"; cat "$work/interfaces.txt"; exit 1; }
timeout 30 dpdk-dumpcap --file-prefix="pdump-node-$$" -q -i net_memif0 -a duration:7 -w "$work/capture.pcapng" \
  > "$work/dumpcap.log" 2>&1 &
pids+=($!); dumpcap=$!
sleep 1.5 # dumpcap has enabled the capture when it prints nothing more; give it the time
"$meshgen" --tx "net_memif0,role=client,id=0,socket=$sock,socket-abstract=no" --lcores 0@0,1@1 \
  --kind mesh-unicast --size 64 --rate 2000 --count 4000 --link-wait 10 \
  -- --file-prefix="pdump-gen-$$" > "$work/meshgen.log" 2>&1 || { echo "FAIL meshgen"; cat "$work/meshgen.log"; exit 1; }
rc=0
wait "$dumpcap" || rc=$?
stop_node
[ "$node_rc" -eq 0 ] || { echo "FAIL meshplane exit status $node_rc (crashed?)"; cat "$work/node.log"; exit 1; }
status=0
echo "dpdk-dumpcap -D:"; grep -E '^[0-9]+\.' "$work/interfaces.txt" || true
[ "$rc" -eq 0 ] || { echo "FAIL dpdk-dumpcap exited $rc"; cat "$work/dumpcap.log"; exit 1; }
# dumpcap labels every DPDK port Ethernet; a mesh port carries radiotap + 802.11.
editcap -T ieee-802-11-radiotap "$work/capture.pcapng" "$work/capture-rt.pcapng"
tshark -n -r "$work/capture-rt.pcapng" -T fields -E separator=, \
  -e frame.packet_flags_direction -e wlan.fc.type_subtype -e wlan.ra -e wlan.ta -e wlan.fixed.mesh_ttl -e llc.type \
  -e _ws.expert \
  > "$work/fields.csv" 2> "$work/tshark.err" || { echo "FAIL tshark"; cat "$work/tshark.err"; exit 1; }
python3 - "$work/fields.csv" <<'PY' || status=1
import collections, sys
rows = [l.rstrip("\n").split(",") for l in open(sys.argv[1]) if l.strip()]
count = collections.Counter(); other = []
for direction, subtype, ra, ta, ttl, llc_type, expert in rows:
    direction = int(direction, 16) & 3  # pcapng EPB flags: 1 inbound, 2 outbound
    subtype = int(subtype, 16)
    if expert:
        count["expert"] += 1
    elif subtype == 0x28 and direction == 1 and ra == "02:00:00:00:00:02" and ta == "02:00:00:00:00:01" and int(ttl, 0) == 31:
        count["in"] += 1
    elif subtype == 0x28 and direction == 2 and ra == "02:00:00:00:00:03" and ta == "02:00:00:00:00:02" and int(ttl, 0) == 30:
        count["out"] += 1
    elif subtype == 0x08 and direction == 2 and ta == "02:00:00:00:00:02":
        count["beacon"] += 1
    elif subtype == 0x28 and direction == 2 and ra == "02:00:00:00:00:01" and llc_type == "0x88b5":
        count["topology"] += 1  # our announcement to the static peer, every 5 s
    else:
        count["other"] += 1; other.append((direction, subtype, ra, ta, ttl))
print(f"captured {len(rows)} frames: {dict(count)} {other[:3]}")
ok = count["in"] == 4000 and count["out"] == 4000 and count["beacon"] > 0 and count["expert"] == 0 and count["other"] == 0
print(("ok   " if ok else "FAIL ") + "every transit frame decoded inbound (TTL 31) and outbound (TTL 30), beacons outbound, nothing malformed")
sys.exit(0 if ok else 1)
PY

start_node
"$dies_locked" "pdump-node-$$" > "$work/dies_locked.log" 2>&1 ||
  { echo "FAIL the secondary could not attach"; cat "$work/dies_locked.log"; exit 1; }
stop_node
if [ "$node_rc" -eq 1 ] && [ "$node_stop_s" -le 20 ] && grep -q 'shutdown did not finish in 10 s' "$work/node.log"; then
  echo "ok   a secondary died holding the memory lock: the node stopped after ${node_stop_s} s (watchdog, exit 1)"
else
  echo "FAIL after a secondary died holding the memory lock: exit $node_rc after ${node_stop_s} s"; tail -3 "$work/node.log"
  status=1
fi
exit $status
