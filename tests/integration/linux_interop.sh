#!/usr/bin/env bash
# meshplane against the real thing (issue 12): two meshplane nodes A and B (hosts HA and HB behind
# them on lan ports) and two Linux 6.1 mesh points LX1 and LX2 (mac80211 + mac80211_hwsim in one qemu
# VM, tools/vmlab, each on its own air), all four on one airsim. One VM boot for the whole run.
#  1. ESTAB whichever side starts first: A runs before LX1 joins the mesh; B starts after LX1 is up.
#     Each within 1 s of the first beacon heard; Linux's station dump says ESTAB, meshctl peers too.
#  2. HA pings LX1's mesh address and back (HWMP path, proxy learning from AE addresses).
#  3. Linux as the transit: A - LX1 - B with A-B cut: HA reaches HB, LX1's mpath dump shows A and B;
#     then meshplane as the transit: LX1 - A - LX2 with LX1-LX2 cut: LX1 pings LX2.
#  4. A stops (SIGTERM): LX1 drops it at once (our Close); A comes back and re-peers. LX1 leaves the
#     mesh: A drops it on its Close.
#  5. A peering storm: Opens from 1,000 made-up addresses within a second at A: LX1 and B stay ESTAB,
#     A's tables stay bounded, every Open counted.
#  6. The air: everything meshplane sent to a Linux peer is in a form Linux accepts (PREQ 37 bytes,
#     PREP 31, PERR 15, element 117 of 4/6/8 bytes), dissected by tshark; Linux's own peering frames
#     decode with our codec exactly as tshark reads them.
# Prints the measured times (to ESTAB, first ping) for the README's interop table.
# Usage: linux_interop.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(cd "$1" && pwd)
meshplane=$BUILD/dataplane/meshplane
meshctl=$BUILD/tools/meshctl/meshctl
airsim=$BUILD/tools/airsim/airsim
decode=$BUILD/tests/integration/decode_peering
VM=lxi
export VMLAB_RUN=/run/vmlab
tag=lxi
WORK=$VMLAB_RUN/$VM-test
VMCTL=(tools/vmlab/vmctl.py --vm "$VM")
A=02:00:00:00:0a:01 B=02:00:00:00:0b:01 LX1=02:00:00:00:11:01 LX2=02:00:00:00:12:01
HA_IP=10.99.0.1 HB_IP=10.99.0.2 LX1_IP=10.99.0.11 LX2_IP=10.99.0.12
MESH_ID=interop

[ "$(id -u)" -eq 0 ] || { echo "FAIL: linux_interop needs root"; exit 1; }
bash tools/setup.sh
cleanup() {
  for f in "$WORK"/*.pid; do [ -f "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; }; done
  sleep 0.2
  bash tools/vmlab/vm.sh down --vm "$VM" >/dev/null 2>&1 || true
  for ns in air a b ha hb storm; do ip netns del "$tag-$ns" 2>/dev/null || true; done
  rm -rf /var/run/dpdk/$tag-*
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
mkdir -p "$WORK"
NODES_DIR=$WORK
source tests/integration/netns_nodes.sh # check, wait_until, veth, start_node, mp_peer, in_node, linux_estab
air() { "$airsim" --control "$WORK/airsim.sock" "$@" >/dev/null; }
mp_estab() { mp_peer "$1" "$2"; } # meshplane's view: PEER established at NODE (a or b)
mp_not_estab() { ! mp_estab "$@"; }
# first beacon of TA on the air after time T (seconds since the epoch), from airsim's capture
first_beacon_after() {
  tshark -r "$WORK/air.pcap" -Y "wlan.fc.type_subtype == 0x0008 && wlan.ta == $1 && frame.time_epoch >= $2" \
    -T fields -e frame.time_epoch 2>/dev/null | head -1
}

# --- the lab: airsim, the VM with LX1 and LX2, meshplane nodes A and B with hosts behind them
make_namespaces air a b ha hb storm
veth a wifi0 air air-a 1900
veth b wifi0 air air-b 1900
veth storm wifi0 air air-storm 1900
veth a eth0 ha eth0 1500
veth b eth0 hb eth0 1500
ip -n "$tag-ha" addr add $HA_IP/16 dev eth0
ip -n "$tag-hb" addr add $HB_IP/16 dev eth0
export WIRESHARK_CONFIG_DIR=$WORK/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"

t_boot=$(now)
bash tools/vmlab/vm.sh up --vm "$VM" --timeout 300 \
  --node "lx1 mac=$LX1 ip=$LX1_IP/16 mesh_id=$MESH_ID freq=2412 join=none" --attach "$tag-air:air-lx1" \
  --node "lx2 mac=$LX2 ip=$LX2_IP/16 mesh_id=$MESH_ID freq=2412" --attach "$tag-air:air-lx2" >"$WORK/vm.log" 2>&1 ||
  { cat "$WORK/vm.log"; echo "FAIL: the VM did not come up"; exit 1; }
echo "VM up in $(since "$t_boot") s: LX1 (not joined yet) and LX2 (joined), Linux $(in_node lx2 'uname -r')"
cat > "$WORK/air.json" <<JSON
{"nodes": [{"name": "a", "iface": "air-a"}, {"name": "b", "iface": "air-b"},
           {"name": "lx1", "iface": "air-lx1"}, {"name": "lx2", "iface": "air-lx2"},
           {"name": "storm", "iface": "air-storm"}],
 "default": {"rate_mbps": 54, "loss": 0.0}, "full_mesh": false,
 "links": [{"a": "a", "b": "lx1"}, {"a": "b", "b": "lx1"}, {"a": "a", "b": "storm"}]}
JSON
ip netns exec "$tag-air" "$airsim" --topology "$WORK/air.json" --control "$WORK/airsim.sock" \
  --pcap "$WORK/air.pcap" --seed 3 >"$WORK/airsim.log" 2>&1 &
echo $! > "$WORK/airsim.pid"

node_conf() { # node_conf NAME MAC
  cat > "$WORK/$1.json" <<JSON
{
  "node": {"name": "lxi$1", "mesh_mac": "$2", "file_prefix": "$tag-$1"},
  "mesh": {"mesh_id": "$MESH_ID", "channel": 1},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"},
            {"name": "eth0", "role": "lan", "devargs": "net_af_packet1,iface=eth0,qpairs=1"}],
  "workers": {"lcores": [1], "idle_sleep_us": 200},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "info"
}
JSON
}
node_conf a $A
node_conf b $B

# --- 1. ESTAB whichever side starts first
start_node a
sleep 1
t_join=$(now)
in_node lx1 "iw dev mesh0 mesh join $MESH_ID freq 2412 HT20" >/dev/null
if wait_until 15 mp_estab a $LX1 && wait_until 5 linux_estab lx1 $A; then
  first=$(first_beacon_after $LX1 "$t_join")
  t_estab_a=$(awk -v a="$first" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}')
  echo "ok: meshplane first, Linux joins: ESTAB both ways ${t_estab_a} s after Linux's first beacon (at most, polling included)"
else
  echo "FAIL: A and LX1 did not reach ESTAB"; fail=1; t_estab_a=-
fi
# A's Open reaches Linux within a beacon of Linux's: the exchange itself takes milliseconds on the air.
estab_air() { # the time from TA's first beacon after T to the second Confirm between TA and PEER
  python3 - "$WORK/air.pcap" "$1" "$2" "$3" <<'PY'
import subprocess, sys
pcap, ta, peer, t0 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e", "frame.time_epoch", "-e", "wlan.ta", "-e", "wlan.ra",
                      "-e", "wlan.fc.type_subtype", "-e", "wlan.fixed.selfprot_action", "-Y",
                      f"(wlan.ta == {ta} || wlan.ta == {peer}) && frame.time_epoch >= {t0}"],
                     capture_output=True, text=True).stdout.split("\n")
beacon = confirms = None
seen = set()
for line in out:
    f = line.split("\t")
    if len(f) < 5:
        continue
    t, src, dst, st, act = float(f[0]), f[1], f[2], f[3], f[4]
    if beacon is None and st == "0x0008":
        beacon = t
    if act == "0x02" and {src, dst} == {ta, peer}:
        seen.add(src)
        if len(seen) == 2:
            confirms = t
            break
print(f"{confirms - beacon:.3f}" if beacon is not None and confirms is not None else "none")
PY
}
air_a=$(estab_air $LX1 $A "$t_join")
check '[ "$air_a" != none ] && awk -v t="$air_a" "BEGIN {exit !(t < 1.0)}"' \
  "on the air: first beacon to both Confirms in ${air_a} s (< 1 s)"
t_start_b=$(now)
start_node b
if wait_until 15 mp_estab b $LX1 && wait_until 5 linux_estab lx1 $B; then
  t_estab_b=$(since "$t_start_b")
  echo "ok: Linux first, meshplane starts: ESTAB both ways ${t_estab_b} s after B started"
else
  echo "FAIL: B and LX1 did not reach ESTAB"; fail=1; t_estab_b=-
fi
air_b=$(estab_air $LX1 $B "$t_start_b")
check '[ "$air_b" != none ] && awk -v t="$air_b" "BEGIN {exit !(t < 1.0)}"' \
  "on the air: the first beacon heard to both Confirms in ${air_b} s (< 1 s)"
"$meshctl" -n "$tag-a" peers > "$WORK/a-peers.txt"
check "grep -Eq '^$LX1 +wifi0 +radio +wifi0 +ESTAB +open +[0-9a-f]{4}/[0-9a-f]{4} +[0-9]+ .* 1000 TU +[0-9.]+ s *$' '$WORK/a-peers.txt'" \
  "meshctl peers on A lists LX1: ESTAB, link IDs, AID, Linux's 1000 TU beacon interval"
cat "$WORK/a-peers.txt"
in_node lx1 'iw dev mesh0 station dump' > "$WORK/lx1-stations.txt"
check "grep -A30 'Station $A' '$WORK/lx1-stations.txt' | grep -q 'mesh plink:.*ESTAB'" "Linux's station dump: A in ESTAB"

# --- 2. a host behind A pings Linux's mesh address
t_ping=$(now)
first_ping=$(ip netns exec "$tag-ha" ping -c 1 -W 5 $LX1_IP 2>/dev/null | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')
check '[ -n "$first_ping" ]' "HA -> LX1's mesh address: first ping answered in ${first_ping:-?} ms (ARP, HWMP discovery, proxy learning)"
check 'ip netns exec "$tag-ha" ping -c 5 -i 0.2 -W 2 $LX1_IP >/dev/null' "HA <-> LX1: 5 of 5"
check 'in_node lx1 "iw dev mesh0 mpp dump" | grep -qi "$(ip netns exec "$tag-ha" cat /sys/class/net/eth0/address)"' \
  "Linux learned HA behind A (mpp dump) from our AE addresses"

# --- 3. Linux as the transit between A and B (no A-B link in the topology)
check 'ip netns exec "$tag-ha" ping -c 5 -i 0.2 -W 3 $HB_IP >/dev/null' "HA -> HB through LX1 (A - LX1 - B): 5 of 5"
in_node lx1 'iw dev mesh0 mpath dump' > "$WORK/lx1-mpath.txt"
check "grep -qi '^$A ' '$WORK/lx1-mpath.txt' && grep -qi '^$B ' '$WORK/lx1-mpath.txt'" "LX1's mpath dump shows A and B"
check '[ "$("$meshctl" -n "$tag-a" --json paths | python3 -c "import json,sys; print({r[\"dest\"]: r[\"next_hop\"] for r in json.load(sys.stdin)}.get(\"$B\"))")" = $LX1 ]' \
  "A's path to B goes through LX1"
# meshplane as the transit between the two Linux mesh points
air restore a lx2
air cut b lx1
in_node lx1 'ip neigh flush dev mesh0' >/dev/null 2>&1 || true
got=$(in_node lx1 "ping -c 5 -i 0.3 -w 15 $LX2_IP" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
check '[ "${got:-0}" -ge 3 ]' "LX1 -> LX2 through A (LX1 - A - LX2): ${got:-0} of 5 pings answered"
check 'in_node lx1 "iw dev mesh0 mpath dump" | grep -qi "^$LX2 $A "' "LX1's path to LX2 has A as its next hop"
check '[ "$("$meshctl" -n "$tag-a" --json stats | python3 -c "import json,sys; print(json.load(sys.stdin)[\"wifi0\"][\"mesh_forward\"])")" -ge 3 ]' \
  "A forwarded the Linux mesh points' frames (mesh_forward)"
air restore b lx1

# --- 4. Close on stop, re-peering, Linux leaving
t_stop=$(now)
stop_node a
check 'wait_until 2 linux_not_estab lx1 $A' "A stopped (SIGTERM): LX1 dropped it within $(since "$t_stop") s (our Close)"
t_back=$(now)
start_node a
check 'wait_until 15 mp_estab a $LX1 && wait_until 5 linux_estab lx1 $A' "A back: re-peered with LX1 in $(since "$t_back") s"
t_leave=$(now)
in_node lx1 'iw dev mesh0 mesh leave' >/dev/null
check 'wait_until 3 mp_not_estab a $LX1' "LX1 left the mesh: A dropped it on its Close within $(since "$t_leave") s"
in_node lx1 "iw dev mesh0 mesh join $MESH_ID freq 2412 HT20" >/dev/null
check 'wait_until 15 mp_estab a $LX1 && wait_until 5 linux_estab lx1 $A' "LX1 rejoined: ESTAB again"

# --- 5. a peering storm at A from 1,000 made-up addresses
ip netns exec "$tag-storm" python3 - <<PY
import socket, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("wifi0", 0))
node = bytes.fromhex("${A//:/}")
rates = bytes([1, 8, 0x82, 0x04, 0x0B, 0x16, 0x0C, 0x12, 0x18, 0x24, 50, 4, 0x30, 0x48, 0x60, 0x6C])
mesh = bytes([114, len(b"$MESH_ID")]) + b"$MESH_ID" + bytes([113, 7, 1, 1, 0, 1, 0, 0, 9])
start = time.monotonic()
for i in range(1000):
    fake = bytes([0x02, 0xEE, 0, 0, i >> 8, i & 0xFF])
    body = bytes([15, 1, 0, 0]) + rates + mesh + bytes([117, 4]) + struct.pack("<HH", 0, 0x4000 + i)
    s.send(bytes.fromhex("0000080000000000") + bytes([0xD0, 0, 0, 0]) + node + fake + fake + b"\0\0" + body)
    time.sleep(max(0, start + (i + 1) / 1000 - time.monotonic()))
print(f"storm: 1000 Opens in {time.monotonic() - start:.2f} s")
PY
check 'mp_estab a $LX1 && linux_estab lx1 $A && mp_estab b $LX1' "after the storm: A-LX1 and B-LX1 still ESTAB"
rows=$("$meshctl" -n "$tag-a" --json peers | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check '[ "$rows" -le 66 ]' "A's neighbour table bounded during the storm ($rows rows; 64 peering entries at most)"
check 'ip netns exec "$tag-ha" ping -c 3 -i 0.2 -W 2 $LX1_IP >/dev/null' "HA <-> LX1 still works after the storm"

stop_node a
stop_node b
python3 - "$WORK/a-stats.json" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
p, c = s["peering"], s["control"]
ok = p["open_rx"] >= 1000 and p["rx_table_full"] > 0
print(("ok: " if ok else "FAIL: ") + f"storm counted at A: {p['open_rx']} Opens taken, {p['rx_table_full']} refused (table full), "
      f"{p['open_tx']} Opens sent; legacy HWMP frames for Linux: {c['hwmp_legacy_frames']}, strangers' HWMP ignored: {c['hwmp_from_stranger']}")
sys.exit(0 if ok else 1)
PY

# --- 6. what crossed the air
python3 - "$WORK/air.pcap" "$A" "$B" <<'PY' || fail=1
import subprocess, sys
pcap, ours = sys.argv[1], set(sys.argv[2:4])
fields = ["wlan.ta", "wlan.fixed.category_code", "wlan.tag.number", "wlan.tag.length", "wlan.fixed.selfprot_action"]
out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"] +
                     sum((["-e", f] for f in fields), []) + ["-Y", "wlan.fixed.category_code == 13 || wlan.fixed.category_code == 15"],
                     capture_output=True, text=True, check=True).stdout
want = {"130": "37", "131": "31", "132": "15"}
bad, counts = [], {}
for line in out.splitlines():
    ta, cat, tags, lens, act = (line.split("\t") + [""] * 5)[:5]
    if ta not in ours:
        continue
    for t, l in zip(tags.split(","), lens.split(",")):
        if t in want:
            counts[t] = counts.get(t, 0) + 1
            if l != want[t]:
                bad.append(f"{ta} sent element {t} of {l} bytes")
        if t == "117" and l not in ("4", "6", "8"):
            bad.append(f"{ta} sent element 117 of {l} bytes")
print(("ok: " if not bad else "FAIL: ") + f"every HWMP element A and B sent is in Linux's form "
      f"(PREQ {counts.get('130', 0)}, PREP {counts.get('131', 0)}, PERR {counts.get('132', 0)}): {bad[:3] or 'none other'}")
sys.exit(1 if bad else 0)
PY
decoded=0
"$decode" "$WORK/air.pcap" $LX1 > "$WORK/lx1-peering.txt" 2>&1 && decoded=1
check '[ "$decoded" = 1 ]' \
  "Linux's own Open/Confirm/Close frames decode with our codec as tshark reads them ($(grep -c '^same' "$WORK/lx1-peering.txt") frames)"
[ "$decoded" = 1 ] || head -5 "$WORK/lx1-peering.txt"
check '! grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$WORK/a.log" "$WORK/b.log"' \
  "no sanitizer report in the meshplane nodes' logs"
echo "interop figures: ESTAB after Linux's first beacon ${t_estab_a} s (air ${air_a} s); after meshplane's start ${t_estab_b} s (air ${air_b} s); first ping HA -> LX1 ${first_ping:-?} ms"
exit $fail
