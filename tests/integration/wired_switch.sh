#!/usr/bin/env bash
# Three mesh nodes on one switch (a Linux bridge; every node's wired mesh port on it) and on one air
# (airsim, a link between every pair), each with a lan host. Checks: every node has both others as
# peers, each heard on the wire and the radio, traffic on the wire; every lan host reaches the other
# two; 300 broadcast frames from one lan host arrive at each of the other two exactly once (no copy
# twice, though each crosses the switch and the air, and no loop: the nodes' counters are still
# afterwards); the switch learns only the three mesh nodes' addresses, never a lan host's, so
# MikroTik's "problematic example 1" (a switch black-holing a station it learnt behind the wrong
# node) cannot arise.
# Usage: wired_switch.sh MESHPLANE MESHCTL AIRSIM
set -euo pipefail
meshplane=$1
meshctl=$2
airsim=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/forward_node.sh"  # wait_for_telemetry
work=$(mktemp -d /tmp/meshplane-wsw-XXXXXX)
tag=$$
air=mp-sair-$tag sw=mp-ssw-$tag
nodes=(1 2 3)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in "$air" "$sw" $(for n in "${nodes[@]}"; do echo "mp-sn$n-$tag mp-sh$n-$tag"; done); do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
node_ns() { echo "mp-sn$1-$tag"; }
host_ns() { echo "mp-sh$1-$tag"; }
for ns in "$air" "$sw" $(for n in "${nodes[@]}"; do echo "$(node_ns "$n") $(host_ns "$n")"; done); do
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up
for n in "${nodes[@]}"; do
  ns=$(node_ns "$n")
  ip link add wifi0 netns "$ns" mtu 1900 type veth peer name "air-n$n" netns "$air" mtu 1900
  ip link add eth1 netns "$ns" mtu 1900 type veth peer name "p$n" netns "$sw" mtu 1900
  ip link add lan0 netns "$ns" type veth peer name eth0 netns "$(host_ns "$n")"
  for i in wifi0 eth1 lan0; do ip -n "$ns" link set "$i" up; done
  ip -n "$air" link set "air-n$n" up
  ip -n "$sw" link set "p$n" master br0 up
  ip -n "$(host_ns "$n")" addr add "10.78.0.$n/24" dev eth0
  ip -n "$(host_ns "$n")" link set eth0 up
done
cat > "$work/air.json" <<JSON
{"nodes": [{"name": "n1", "iface": "air-n1"}, {"name": "n2", "iface": "air-n2"}, {"name": "n3", "iface": "air-n3"}],
 "default": {"rate_mbps": 54, "loss": 0.0}, "full_mesh": true}
JSON
ip netns exec "$air" "$airsim" --topology "$work/air.json" --control "$work/airsim.sock" --seed 1 > "$work/airsim.log" 2>&1 &
pids+=($!)
for n in "${nodes[@]}"; do
  cat > "$work/n$n.json" <<JSON
{
  "node": {"name": "s$n", "mesh_mac": "02:00:00:00:78:0$n", "file_prefix": "mp-s$n-$tag"},
  "mesh": {"mesh_id": "switch-test"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"},
    {"name": "eth1", "role": "mesh", "medium": "ethernet", "devargs": "net_af_packet1,iface=eth1,qpairs=1"},
    {"name": "lan0", "role": "lan", "devargs": "net_af_packet2,iface=lan0,qpairs=1"}
  ],
  "workers": {"lcores": [1], "idle_sleep_us": 500, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 160},
  "log_level": "warning"
}
JSON
  ip netns exec "$(node_ns "$n")" "$meshplane" --config "$work/n$n.json" --stats-file "$work/n$n-stats.json" \
    > "$work/n$n.log" 2>&1 &
  pids+=($!)
done
for n in "${nodes[@]}"; do wait_for_telemetry "mp-s$n-$tag"; done

status=0
fail() { echo "FAIL: $*"; status=1; }
# peers_of N: one line per established peer, "mac port links"
peers_of() {
  "$meshctl" -n "mp-s$1-$tag" --json peers | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["established"]:
        print(r["mac"], r["port"], ",".join(sorted(r["links"].split(","))))'
}
for n in "${nodes[@]}"; do
  ok=0
  for _ in $(seq 300); do
    [ "$(peers_of "$n" | grep -c ' eth1 eth1,wifi0$')" = 2 ] && { ok=1; break; }
    sleep 0.05
  done
  [ "$ok" = 1 ] || { fail "node $n: not 2 peers over both links, wire in use:"; peers_of "$n"; }
done
echo "every node has both others as peers, each heard on eth1 (wire) and wifi0 (radio), traffic on the wire"

for n in "${nodes[@]}"; do
  for m in "${nodes[@]}"; do
    [ "$n" = "$m" ] && continue
    ip netns exec "$(host_ns "$n")" ping -c 3 -i 0.1 -W 2 -q "10.78.0.$m" > "$work/ping.txt" 2>&1 ||
      { fail "lan host $n cannot reach lan host $m"; cat "$work/ping.txt"; }
  done
done
echo "every lan host reaches the other two"

# 300 broadcast frames (EtherType 0x88B6, a sequence number each) from lan host 1; lan hosts 2 and 3
# count what arrives.
receivers=()
for m in 2 3; do
  ip netns exec "$(host_ns "$m")" python3 - "$work/rx$m.txt" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B6))
s.bind(("eth0", 0))
s.settimeout(0.2)
open(sys.argv[1] + ".ready", "w").close()
seen, end = [], time.time() + 8
while time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        if len(seen) >= 300 and time.time() > last + 1.0:
            break
        continue
    if f[12:14] == b"\x88\xb6" and f[14:18] == b"MPBC":
        seen.append(int.from_bytes(f[18:22], "big"))
        last = time.time()
open(sys.argv[1], "w").write(" ".join(map(str, seen)))
PY
  receivers+=($!)
done
for m in 2 3; do for _ in $(seq 100); do [ -e "$work/rx$m.txt.ready" ] && break; sleep 0.02; done; done
ip netns exec "$(host_ns 1)" python3 - <<'PY'
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = open("/sys/class/net/eth0/address").read().strip().replace(":", "")
for i in range(300):
    s.send(b"\xff" * 6 + bytes.fromhex(src) + b"\x88\xb6" + b"MPBC" + i.to_bytes(4, "big") + bytes(40))
    time.sleep(0.002)
PY
for r in "${receivers[@]}"; do wait "$r" || true; done
for m in 2 3; do
  python3 - "$work/rx$m.txt" "$m" <<'PY' || status=1
import sys
seen = [int(x) for x in open(sys.argv[1]).read().split()]
ok = sorted(seen) == list(range(300))
print(("ok: " if ok else "FAIL: ") + f"lan host {sys.argv[2]}: {len(seen)} broadcast frames for 300 sent, "
      f"{len(set(seen))} distinct, {len(seen) - len(set(seen))} twice")
sys.exit(0 if ok else 1)
PY
done
# No loop: with the burst over, no node keeps reflooding it.
floods() {
  local total=0
  for n in "${nodes[@]}"; do
    total=$((total + $("$meshctl" -n "mp-s$n-$tag" --json stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(sum(v.get("mesh_reflood", 0) for k, v in s.items() if isinstance(v, dict) and "mesh_reflood" in v))')))
  done
  echo "$total"
}
f1=$(floods); sleep 1; f2=$(floods)
echo "mesh reflood counters across the three nodes: $f1, a second later $f2"
[ "$f1" = "$f2" ] || fail "group frames are still being reflooded after the burst (a loop)"

learnt=$(ip -n "$sw" -j link show | python3 -c 'import json,sys; print(" ".join(l["address"] for l in json.load(sys.stdin)))')
# learnt entries only: not the switch's own (permanent) addresses
fdb=$(bridge -n "$sw" fdb show br br0 | awk '$NF != "permanent" {print $1}' | sort -u | grep -v -F -e "${learnt// / -e }" |
      grep -v '^33:33\|^01:00' | paste -sd' ')
echo "the switch's FDB after all of it: $fdb"
[ "$fdb" = "02:00:00:00:78:01 02:00:00:00:78:02 02:00:00:00:78:03" ] ||
  fail "the switch learnt other addresses than the three mesh nodes'"

for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
python3 - "$work"/n1-stats.json "$work"/n2-stats.json "$work"/n3-stats.json <<'PY' || status=1
import json, sys
ok = True
for f in sys.argv[1:]:
    s = json.load(open(f))
    c = s["control"]
    dup = sum(p["forwarding"].get("drop_duplicate", 0) for p in s["ports"])
    name = f.split("/")[-1].split("-")[0]
    print(f"node {name}: peers_adopted {c['peers_adopted']}, duplicates caught by the RMC {dup}")
    if c["peers_adopted"] != 2:
        print(f"FAIL node {name}: peerings lost and made again"); ok = False
sys.exit(0 if ok else 1)
PY
exit $status
