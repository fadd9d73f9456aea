#!/usr/bin/env bash
# Wired mesh links: two nodes joined by a radio link (a veth as their air, radiotap) and by a wire
# (medium ethernet, through a Linux bridge acting as a plain switch), each with a lan host. The peer's
# traffic takes the wire (its metric is lower; tshark decodes the wire's frames); ping runs between the lan hosts every 5 ms while:
# the wire loses carrier (goal: outage < 100 ms), comes back (traffic back on the wire, no loss), goes
# silent in the switch (both directions dropped, carrier up: outage within the hello loss limit),
# comes back, fails one way (the switch delivers nothing to one node: the other stops using the wire
# by the two-way check in the hellos, outage within the hello loss limit), and comes back again. The peering is never lost (one peer, several links). The switch's FDB
# learns only the two mesh nodes' addresses, never the lan hosts' (the encapsulation's point), and
# a plain Ethernet frame sent into the switch is refused by both nodes (drop_not_wired_mesh).
# Usage: wired_mesh.sh MESHPLANE MESHCTL
set -euo pipefail
meshplane=$1
meshctl=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/forward_node.sh"  # wait_for_telemetry
work=$(mktemp -d /tmp/meshplane-wired-XXXXXX)
tag=$$
nsa=mp-wa-$tag nsb=mp-wb-$tag sw=mp-wsw-$tag ha=mp-wha-$tag hb=mp-whb-$tag
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in "$nsa" "$nsb" "$sw" "$ha" "$hb"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for ns in "$nsa" "$nsb" "$sw" "$ha" "$hb"; do
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
# The air, the wire through the switch, the lan hosts.
ip link add wifi0 netns "$nsa" type veth peer name wifi0 netns "$nsb"
ip link add eth1 netns "$nsa" type veth peer name pa netns "$sw"
ip link add eth1 netns "$nsb" type veth peer name pb netns "$sw"
ip -n "$sw" link add br0 type bridge
for p in pa pb; do ip -n "$sw" link set "$p" mtu 1900 master br0 up; done
ip -n "$sw" link set br0 up
ip link add lan0 netns "$nsa" type veth peer name eth0 netns "$ha"
ip link add lan0 netns "$nsb" type veth peer name eth0 netns "$hb"
for ns in "$nsa" "$nsb"; do
  for i in wifi0 eth1 lan0; do ip -n "$ns" link set "$i" mtu 1900 up; done
done
ip -n "$ha" addr add 10.77.0.1/24 dev eth0
ip -n "$hb" addr add 10.77.0.2/24 dev eth0
ip -n "$ha" link set eth0 up
ip -n "$hb" link set eth0 up
mac_a=02:00:00:00:77:0a mac_b=02:00:00:00:77:0b
for n in a b; do
  mac=$mac_a; [ "$n" = b ] && mac=$mac_b
  cat > "$work/$n.json" <<JSON
{
  "node": {"name": "w$n", "mesh_mac": "$mac", "file_prefix": "mp-w$n-$tag"},
  "mesh": {"mesh_id": "wired-test"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1", "link_rate_mbps": 54},
    {"name": "eth1", "role": "mesh", "medium": "ethernet", "devargs": "net_af_packet1,iface=eth1,qpairs=1"},
    {"name": "lan0", "role": "lan", "devargs": "net_af_packet2,iface=lan0,qpairs=1"}
  ],
  "workers": {"lcores": [1], "idle_sleep_us": 200, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 160},
  "log_level": "warning"
}
JSON
  ns=$nsa; [ "$n" = b ] && ns=$nsb
  ip netns exec "$ns" "$meshplane" --config "$work/$n.json" --stats-file "$work/$n-stats.json" > "$work/$n.log" 2>&1 &
  pids+=($!)
done
wait_for_telemetry "mp-wa-$tag"
wait_for_telemetry "mp-wb-$tag"

status=0
fail() { echo "FAIL: $*"; status=1; }
# peer_of NODE: "port links established" of its peer
peer_of() {
  "$meshctl" -n "mp-w$1-$tag" --json peers | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["established"]]
print(" ".join([rows[0]["port"], ",".join(sorted(rows[0]["links"].split(","))), str(len(rows))]) if rows else "none - 0")'
}
# control_counter NODE NAME: a control thread counter of the node
control_counter() { "$meshctl" -n "mp-w$1-$tag" --json stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["control"].get(sys.argv[1], 0))' "$2"; }
# events_of NODE: the events the node keeps, one JSON object a line
events_of() { timeout 1 "$meshctl" -n "mp-w$1-$tag" --json --history monitor 2>/dev/null || true; }
# last_seq NODE: the sequence number of its newest event (0 for none)
last_seq() { events_of "$1" | python3 -c 'import json,sys; print(max([json.loads(l)["seq"] for l in sys.stdin] or [0]))'; }
# wait_port NODE PORT SECONDS: until NODE's peer goes through PORT; prints the ms it took
wait_port() {
  local start=$(date +%s%N)
  for _ in $(seq $(($3 * 50))); do
    [ "$(peer_of "$1" | cut -d' ' -f1)" = "$2" ] && { echo $((($(date +%s%N) - start) / 1000000)); return 0; }
    sleep 0.02
  done
  return 1
}
for n in a b; do
  ok=0
  for _ in $(seq 250); do [ "$(peer_of $n)" = "eth1 eth1,wifi0 1" ] && { ok=1; break; }; sleep 0.04; done
  [ "$ok" = 1 ] || fail "node $n: peer not over both links with the wire in use ($(peer_of $n))"
done
echo "each node has one peer, heard on eth1 (wire) and wifi0 (radio), traffic on the wire"
"$meshctl" -n "mp-wa-$tag" peers | cut -c1-80
ip netns exec "$ha" ping -c 20 -i 0.05 -W 1 -q 10.77.0.2 > "$work/warm.txt" 2>&1 || true
grep -q " 0% packet loss" "$work/warm.txt" || { fail "lan hosts cannot reach each other across the mesh"; cat "$work/warm.txt"; }

tx_of() { # tx_of NODE PORT: frames the node sent on PORT (the kernel's count of its interface)
  local ns=$nsa; [ "$1" = b ] && ns=$nsb
  ip netns exec "$ns" cat "/sys/class/net/$2/statistics/tx_packets"
}
# outage LABEL ACTION...: ping every 5 ms for 3 s, the action 0.5 s in; prints and returns lost*5 ms
outage() {
  local label=$1; shift
  ip netns exec "$ha" ping -c 600 -i 0.005 -W 1 10.77.0.2 > "$work/ping.txt" 2>&1 &
  local pinger=$!
  sleep 0.5
  date +%s%3N > "$work/action_ms"
  "$@"
  wait "$pinger" || true
  local got
  got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping.txt")
  echo $(((600 - ${got:-0}) * 5))
}
before=$(tx_of a eth1) before_air=$(tx_of a wifi0)
# The wire as the switch sees it, decoded by tshark once the Ethernet header is cut off (README:
# there is no "decode as" from an EtherType to raw 802.11).
ip netns exec "$sw" dumpcap -q -P -i pb -c 60 -a duration:5 -w "$work/wire.pcap" 2>/dev/null &
capture=$!
for _ in $(seq 100); do [ -s "$work/wire.pcap" ] && break; sleep 0.02; done
ip netns exec "$ha" ping -c 200 -i 0.005 -W 1 -q 10.77.0.2 > /dev/null 2>&1 || true
after=$(tx_of a eth1) after_air=$(tx_of a wifi0)
wait "$capture" || true
tshark -r "$work/wire.pcap" -T fields -e eth.type -e eth.src -e eth.dst 2>/dev/null > "$work/wire-eth.txt" || true
editcap -C 14 -T ieee-802-11 "$work/wire.pcap" "$work/air.pcap" 2>/dev/null || true
tshark -r "$work/air.pcap" -T fields -e wlan.fc.type_subtype -e wlan.ta -e wlan.ra -e wlan.fixed.mesh_ttl \
  -e wlan.mesh.id -e llc.type 2>/dev/null > "$work/wire-80211.txt" || true
python3 - "$work/wire-eth.txt" "$work/wire-80211.txt" "$mac_a" "$mac_b" <<'PY' || status=1
import sys
eth = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
dot11 = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
a, b = sys.argv[3], sys.argv[4]
data = [d for e, d in zip(eth, dot11) if d[0] == "0x0028" and d[1] == a and d[2] == b]
ipv4 = [d for d in data if d[5] == "0x0800"]
hellos = [d for d in dot11 if d[0] == "0x0008" and d[4] == "wired-test"]
# The lan hosts send IPv4 and ARP only (IPv6 is off): ARP too when the pinger revalidates its
# neighbour entry, which a slow run reaches within the capture.
problems = [f"EtherType {e[0]}: {e}" for e in eth if e[0] != "0x88b5"]
problems += [f"Ethernet {e[1:3]} against 802.11 {d[1:3]}" for e, d in zip(eth, dot11) if e[1] != d[1] or e[2] != d[2]]
problems += [f"data without Mesh Control TTL or with LLC/SNAP {d[5]!r}: {d}" for d in data
             if d[3] == "" or d[5] not in ("0x0800", "0x0806")]
problems += ["no frames" for _ in [1] if not eth] + ["no IPv4 data a -> b" for _ in [1] if not ipv4]
problems += ["no hellos" for _ in [1] if not hellos] + [f"{len(eth)} frames, {len(dot11)} decoded" for _ in [1] if len(eth) != len(dot11)]
print(("ok: " if not problems else "FAIL: ") + f"tshark on the wire: {len(eth)} frames of EtherType 0x88b5 whose Ethernet addresses "
      f"are their 802.11 transmitter and receiver; {len(data)} QoS data a -> b with Mesh Control (TTL) and LLC/SNAP, "
      f"{len(ipv4)} of them IPv4, {len(hellos)} hellos (beacons of Mesh ID wired-test)" +
      ("".join(f"\n  {p}" for p in problems[:10])))
sys.exit(0 if not problems else 1)
PY
echo "200 pings: node a sent $((after - before)) frames on the wire, $((after_air - before_air)) on the air (beacons)"
[ $((after - before)) -ge 200 ] || fail "the pings did not take the wire"
[ $((after_air - before_air)) -lt 100 ] || fail "the pings took the air too"

# Carrier loss at both ends (the switch loses power): each node moves at once, by the carrier (its
# events: the link_down and the peer's move in one step), not by the silence that follows.
sleep 1.1 # the kernel reports carrier changes at most once a second (linkwatch)
both_down() { ip -n "$sw" link set pa down; ip -n "$sw" link set pb down; }
seq_a=$(last_seq a) seq_b=$(last_seq b)
ms=$(outage "carrier loss" both_down)
echo "switch off (carrier lost at both nodes): outage ${ms} ms (goal < 100)"
[ "$ms" -lt 100 ] || fail "carrier loss outage ${ms} ms"
for n in a b; do
  events_of "$n" | python3 -c '
import datetime, json, sys
since, action_ms, node = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
evs = [e for e in map(json.loads, sys.stdin) if e["seq"] > since]
down = next((e for e in evs if e["event"] == "link_down" and e["port"] == "eth1"), None)
moved = [e for e in evs if e["event"] == "peer_moved" and e["from_port"] == "eth1"]
if down is None or not moved or moved[0]["port"] != "wifi0" or moved[0]["time_ms"] != down["time_ms"]:
    print(f"FAIL: node {node} did not move its peer to wifi0 on the carrier loss (the moves: {moved}; carrier: {down})")
    sys.exit(1)
seen = datetime.datetime.fromisoformat(down["time"]).timestamp() * 1000 - action_ms
print(f"ok: node {node} saw the carrier go {seen:.0f} ms after the command that turned the switch off began, and moved its peer to wifi0 in the same step")
' "$(eval echo \$seq_$n)" "$(cat "$work/action_ms")" "$n" || status=1
done
[ "$(peer_of a)" = "wifi0 wifi0 1" ] || fail "node a: peer not on the radio alone after the carrier loss ($(peer_of a))"
[ "$(peer_of b)" = "wifi0 wifi0 1" ] || fail "node b: peer not on the radio alone after the carrier loss ($(peer_of b))"
sleep 1.1
both_up() { ip -n "$sw" link set pa up; ip -n "$sw" link set pb up; }
ms=$(outage "carrier back" both_up)
ms_back=$(wait_port a eth1 3) || { fail "node a: not back on the wire ($(peer_of a))"; ms_back=-1; }
echo "switch on: traffic on the wire again after ${ms_back} ms; outage ${ms} ms"
[ "$ms" -le 10 ] || fail "bringing the wire back lost ${ms} ms of traffic"
wait_port b eth1 3 >/dev/null || fail "node b: not back on the wire ($(peer_of b))"

# One end unplugged behind the switch: node a loses carrier and moves at once; node b keeps carrier
# and notices the silence within its hello loss limit.
sleep 1.1
ms=$(outage "unplug" ip -n "$sw" link set pa down)
echo "node a's cable out of the switch: outage ${ms} ms (node b notices by hellos; goal <= 400)"
[ "$ms" -le 400 ] || fail "unplug outage ${ms} ms"
[ "$(peer_of b | cut -d' ' -f1)" = wifi0 ] || fail "node b: peer not on the radio after the unplug ($(peer_of b))"
sleep 1.1
ip -n "$sw" link set pa up
wait_port a eth1 3 >/dev/null || fail "node a: not back on the wire after the unplug ($(peer_of a))"
wait_port b eth1 3 >/dev/null || fail "node b: not back on the wire after the unplug ($(peer_of b))"

# A switch that stops forwarding with its ports' carrier up (a bridge taken down: its ports disabled).
ms=$(outage "silent loss" ip -n "$sw" link set br0 down)
echo "switch silent (carrier up; hello_loss_limit 3 x hello_interval_ms 50): outage ${ms} ms (goal <= 400)"
[ "$ms" -le 400 ] || fail "silent loss outage ${ms} ms"
[ "$(peer_of a | cut -d' ' -f1)" = wifi0 ] || fail "node a: not on the radio during the silence ($(peer_of a))"
ip -n "$sw" link set br0 up
wait_port a eth1 3 >/dev/null || fail "node a: not back on the wire after the silence ($(peer_of a))"

# A wire that fails one way: the switch delivers nothing more to node a (no flooding to its port, its
# address pinned to a port that leads nowhere) while node a's frames still reach node b. Node a loses
# its wire link by hello loss; node b still hears node a there, but node a's hellos stop listing it
# (the two-way check), so node b stops using the wire too instead of sending into the dead direction.
ip link add hole netns "$sw" type veth peer name holex netns "$sw"
ip -n "$sw" link set hole mtu 1900 master br0 up
ip -n "$sw" link set holex mtu 1900 up
one_way() { bridge -n "$sw" link set dev pa flood off mcast_flood off bcast_flood off
            bridge -n "$sw" fdb replace "$mac_a" dev hole master static sticky; }
one_way_links() { "$meshctl" -n "mp-w$1-$tag" --json peers | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["established"]]
print(rows[0]["one_way_links"] if rows else "none")'; }
one_way_before=$(control_counter b neighbour_links_one_way)
sleep 1.1
ms=$(outage "one way" one_way)
echo "the switch delivers nothing to node a, node a's frames still reach node b: outage ${ms} ms (goal <= 400)"
[ "$ms" -le 400 ] || fail "one-way wire outage ${ms} ms"
[ "$(peer_of a | cut -d' ' -f1)" = wifi0 ] || fail "node a: not on the radio with the wire dead towards it ($(peer_of a))"
[ "$(peer_of b)" = "wifi0 eth1,wifi0 1" ] || fail "node b: should still hear node a on the wire but use the radio ($(peer_of b))"
[ "$(one_way_links b)" = eth1 ] || fail "node b: the wire not marked one-way ($(one_way_links b))"
[ $(($(control_counter b neighbour_links_one_way) - one_way_before)) -ge 1 ] || fail "node b: neighbour_links_one_way not counted"
echo "node b: peer $(peer_of b) with one-way links '$(one_way_links b)'; neighbour_links_one_way +$(($(control_counter b neighbour_links_one_way) - one_way_before))"
bridge -n "$sw" fdb del "$mac_a" dev hole master
bridge -n "$sw" link set dev pa flood on mcast_flood on bcast_flood on
ip -n "$sw" link del hole
wait_port a eth1 3 >/dev/null || fail "node a: not back on the wire after the one-way fault ($(peer_of a))"
wait_port b eth1 3 >/dev/null || fail "node b: not back on the wire after the one-way fault ($(peer_of b))"
[ "$(one_way_links b)" = "" ] || fail "node b: the wire still one-way after the fault ended ($(one_way_links b))"

# The switch learnt the mesh nodes only; a plain frame into the switch is refused by both nodes.
learnt=$(ip -n "$sw" -j link show | python3 -c 'import json,sys; print(" ".join(l["address"] for l in json.load(sys.stdin)))')
fdb=$(bridge -n "$sw" fdb show br br0 | awk '$3 != "permanent" && $NF != "permanent" {print $1}' | sort -u | grep -v -F -e "${learnt// / -e }" | paste -sd' ')
echo "the switch's FDB: $fdb"
[ "$fdb" = "$mac_a $mac_b" ] || [ "$fdb" = "$mac_b $mac_a" ] || fail "the switch learnt more than the two mesh nodes: $fdb"
ha_mac=$(ip -n "$ha" -j link show eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
case " $fdb " in *" $ha_mac "*) fail "the switch learnt lan host a's address" ;; esac
refused() { "$meshctl" -n "mp-w$1-$tag" --json stats eth1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["eth1"]["drop_not_wired_mesh"])'; }
refused_a=$(refused a) refused_b=$(refused b)
ip netns exec "$sw" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 # no IPv6 chatter from the new veth
ip link add plain netns "$sw" type veth peer name pc netns "$sw"
ip -n "$sw" link set pc master br0 up
ip -n "$sw" link set plain up
for _ in $(seq 100); do
  [ "$(cat "/sys/class/net/pc/operstate" 2>/dev/null || ip netns exec "$sw" cat /sys/class/net/pc/operstate)" = up ] && break
  sleep 0.02
done
python3 - "$sw" <<'PY'
import socket, subprocess, sys
# A plain Ethernet frame to the broadcast address, as a host on the segment sends one (EtherType
# 0x88B6, not IPv4: a bridge with br_netfilter drops an IPv4 frame without a valid header).
frame = b"\xff" * 6 + bytes.fromhex("0affeeddccbb") + b"\x88\xb6" + bytes(46)
subprocess.run(["ip", "netns", "exec", sys.argv[1], "python3", "-c",
  "import socket,sys; s=socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('plain', 0)); "
  f"[s.send(bytes.fromhex('{frame.hex()}')) for _ in range(10)]"], check=True)
PY
for _ in $(seq 100); do
  [ $(($(refused a) - refused_a)) -ge 10 ] && [ $(($(refused b) - refused_b)) -ge 10 ] && break
  sleep 0.05
done
got_a=$(($(refused a) - refused_a)) got_b=$(($(refused b) - refused_b))
echo "10 plain Ethernet frames into the switch: node a refused $got_a frames meanwhile, node b $got_b (drop_not_wired_mesh; the new port's own chatter counts too)"
[ "$got_a" -ge 10 ] && [ "$got_b" -ge 10 ] || fail "the plain frames were not all refused by each node"

for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
python3 - "$work/a-stats.json" "$work/b-stats.json" <<'PY' || status=1
import json, sys
ok = True
for f in sys.argv[1:]:
    s = json.load(open(f))
    c = s["control"]
    cls = next(p["classes"] for p in s["ports"] if p["port"] == "eth1")
    name = f.split("/")[-1].split("-")[0]
    print(f"node {name}: peers_adopted {c['peers_adopted']} peers_lost {c['peers_lost']} "
          f"peer_link_changes {c['peer_link_changes']} neighbour_links_lost {c['neighbour_links_lost']}; "
          f"wire: drop_not_wired_mesh {cls.get('drop_not_wired_mesh')} drop_bad_wired_header {cls.get('drop_bad_wired_header')}")
    # one peering for the whole run (lost once: at the stop, with its Close)
    if c["peers_adopted"] != 1 or c["peers_lost"] > 1:
        print(f"FAIL node {name}: the peering was lost and made again"); ok = False
    if c["peer_link_changes"] < 6 or c["neighbour_links_lost"] < 3:
        print(f"FAIL node {name}: the link changes were not seen"); ok = False
    for p in s["ports"]:
        print(f"  {p['port']}: " + " ".join(f"{k} {v}" for k, v in p["forwarding"].items() if v))
    if cls.get("drop_bad_wired_header", 0) != 0:
        print(f"FAIL node {name}: frames of our own mesh refused as a bad wired header"); ok = False
sys.exit(0 if ok else 1)
PY
exit $status
