#!/usr/bin/env bash
# The MGTK refresh under traffic (issue 16): two meshplane nodes A and B in a secure mesh (SAE, AMPE,
# CCMP; their mesh ports joined by a veth) refresh their MGTKs every second (sae.mgtk_refresh_s 1)
# while the host behind A broadcasts 500 numbered frames a second for 12 s. Every one of them crosses
# the mesh as a group data frame under A's MGTK of the moment, so each refresh is a key change under
# load. Asserted: every frame arrives at the host behind B exactly once (no frame lost to a key
# change), each node switched keys at least 8 times through the Inform/Acknowledge handshake, neither
# refused a frame for want of a key, a MIC or a replay, and the link was never closed on the way.
# Usage: mgtk_refresh.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(cd "$1" && pwd)
meshplane=$BUILD/dataplane/meshplane
meshctl=$BUILD/tools/meshctl/meshctl
tag=mgk
NODES_DIR=$(mktemp -d /tmp/meshplane-mgk-XXXXXX)
A=02:00:00:00:0a:01 B=02:00:00:00:0b:01
FRAMES=6000 RATE=500

[ "$(id -u)" -eq 0 ] || { echo "FAIL: mgtk_refresh needs root"; exit 1; }
cleanup() {
  for f in "$NODES_DIR"/*.pid; do [ -f "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; }; done
  sleep 0.2
  for ns in a b ha hb; do ip netns del "$tag-$ns" 2>/dev/null || true; done
  rm -rf /var/run/dpdk/$tag-*
  [ -n "${KEEP:-}" ] && echo "work dir $NODES_DIR" || rm -rf "$NODES_DIR"
}
trap cleanup EXIT
for ns in a b ha hb; do ip netns del "$tag-$ns" 2>/dev/null || true; done
source tests/integration/netns_nodes.sh

make_namespaces a b ha hb
veth a wifi0 b wifi0 1900
veth a eth0 ha eth0 1500
veth b eth0 hb eth0 1500
umask 077
head -c 24 /dev/urandom | base64 > "$NODES_DIR/mesh.password"
umask 022
node_conf() { # node_conf NAME MAC
  cat > "$NODES_DIR/$1.json" <<JSON
{
  "node": {"name": "mgk$1", "mesh_mac": "$2", "file_prefix": "$tag-$1"},
  "mesh": {"mesh_id": "rekey", "security": "sae", "password_file": "$NODES_DIR/mesh.password"},
  "sae": {"mgtk_refresh_s": 1},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"},
            {"name": "eth0", "role": "lan", "devargs": "net_af_packet1,iface=eth0,qpairs=1"}],
  "workers": {"lcores": [1], "idle_sleep_us": 200},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "info"
}
JSON
}
node_conf a $A
node_conf b $B
start_node a
start_node b
check 'wait_until 30 mp_peer a $B keyed && wait_until 10 mp_peer b $A keyed' "A and B ESTAB with the link keyed"

# The receiver counts the numbered frames it gets; the sender broadcasts them at RATE a second.
ip netns exec "$tag-hb" python3 - "$FRAMES" "$NODES_DIR/sent" > "$NODES_DIR/rx.txt" <<'PY' &
import os, socket, struct, sys, time
want, sent = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
# a busy machine may not run us for a while: room for the whole run's frames (SO_RCVBUFFORCE, root)
s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
s.bind(("eth0", 0))
s.settimeout(1.0)
seen, dup, last = set(), 0, time.monotonic()
# until everything came, or the sender is done and nothing more came for 3 s
while len(seen) < want and not (os.path.exists(sent) and time.monotonic() - last > 3):
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    if len(f) < 18 or f[12:14] != b"\x88\xb5" or f[14:18] != b"MGK1":
        continue
    n = struct.unpack_from("!I", f, 18)[0]
    dup += n in seen
    seen.add(n)
    last = time.monotonic()
print(len(seen), dup)
PY
rx=$!
sleep 0.5
t_load=$(now)
ip netns exec "$tag-ha" python3 - "$FRAMES" "$RATE" <<'PY'
import socket, struct, sys, time
n, rate = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = bytes.fromhex("0a000000aa01")
start = time.monotonic()
for i in range(n):
    s.send(b"\xff" * 6 + src + b"\x88\xb5" + b"MGK1" + struct.pack("!I", i) + bytes(40))
    time.sleep(max(0, start + (i + 1) / rate - time.monotonic()))
PY
touch "$NODES_DIR/sent"
wait "$rx" || true
read -r got dup < "$NODES_DIR/rx.txt" || { got=0; dup=0; }
check '[ "$got" = "$FRAMES" ] && [ "$dup" = 0 ]' \
  "every broadcast frame crossed while the keys changed: $got of $FRAMES at B's host, $dup duplicates ($(since "$t_load") s)"
"$meshctl" -n "$tag-a" --json stats > "$NODES_DIR/a-live.json"
"$meshctl" -n "$tag-b" --json stats > "$NODES_DIR/b-live.json"
stop_node a
stop_node b
python3 - "$NODES_DIR/a-stats.json" "$NODES_DIR/b-stats.json" <<'PY' || fail=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += 0 if cond else 1
for s, n, o in ((a, "A", b), (b, "B", a)):
    sec, osec = s["security"], o["security"]
    check(sec["link_mgtk_refreshes"] >= 8, f"{n} switched to a new MGTK {sec['link_mgtk_refreshes']} times")
    # the refreshes before the peering needed no handshake; every one after it went through the peer
    check(osec["link_group_key_inform_rx"] >= 8 and sec["link_group_key_ack_rx"] >= osec["link_group_key_inform_rx"],
          f"{n}'s keys went to its peer first: {osec['link_group_key_inform_rx']} Informs taken there, {sec['link_group_key_ack_rx']} Acknowledges back")
    check(sec["link_group_key_rx_refused"] == 0 and sec["link_group_key_failed"] == 0,
          f"{n}: no handshake frame refused, no peer given up on")
    check(s["peering"]["established"] == 1 and s["peering"]["estab_closed"] == 1 and sec["keys_installed"] == 1,
          f"{n}: one peering, keyed once, closed only at the stop (established {s['peering']['established']}, closed {s['peering']['estab_closed']})")
    port = next(p for p in s["ports"] if p["port"] == "wifi0")
    for k in ("drop_unprotected", "drop_unknown_key", "drop_mic_failure", "drop_replay"):
        check(port["classes"][k] == 0, f"{n}: {k} 0")
    check(sec["mgmt_no_key"] == 0 and sec["mgmt_mic_failure"] == 0 and sec["mgmt_replay"] == 0,
          f"{n}: every protected HWMP frame taken (no unknown key, MIC failure or replay)")
fa = next(p for p in a["ports"] if p["port"] == "eth0")["forwarding"]
fb = next(p for p in b["ports"] if p["port"] == "wifi0")["forwarding"]
check(fa["encap_group"] >= 6000 and fb["ccmp_decrypted"] >= 6000,
      f"the frames crossed as protected group data (A encap_group {fa['encap_group']}, B ccmp_decrypted {fb['ccmp_decrypted']})")
sys.exit(1 if bad else 0)
PY
check '! grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$NODES_DIR/a.log" "$NODES_DIR/b.log"' \
  "no sanitizer report in the nodes' logs"
grep -m3 "MGTK" "$NODES_DIR/a.log" || true
exit $fail
