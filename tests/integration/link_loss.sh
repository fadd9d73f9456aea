#!/usr/bin/env bash
# Link monitor: two nodes peer over a veth pair (net_af_packet, each in its own network namespace).
# When the far end goes down, the near node loses carrier and must drop the peer at once. Missed
# beacons would take 5 s here (beacon_loss_limit 50), so a drop within the kernel's own carrier
# notification delay (linkwatch: at most one report a second, machine-wide) proves the carrier path.
# When the link comes back, beacons re-adopt the peer.
# Usage: link_loss.sh MESHPLANE MESHCTL
set -euo pipefail
meshplane=$1
meshctl=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/forward_node.sh"  # wait_for_telemetry
work=$(mktemp -d /tmp/meshplane-link-XXXXXX)
nsa=mp-lka-$$ nsb=mp-lkb-$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$nsa"
ip netns add "$nsb"
ip link add wifi0 netns "$nsa" type veth peer name wifi0 netns "$nsb"
for ns in "$nsa" "$nsb"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n "$ns" link set wifi0 up
done
for n in a b; do
  cat > "$work/$n.json" <<JSON
{
  "node": {"name": "lk$n", "mesh_mac": "02:00:00:00:00:$n$n", "file_prefix": "mp-lk$n-$$"},
  "mesh": {"mesh_id": "link-test", "beacon_loss_limit": 50},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"}],
  "workers": {"lcores": [1], "idle_sleep_us": 500, "idle_polls": 16},
  "mempool": {"mbufs": 2047, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
done
ip netns exec "$nsa" "$meshplane" --config "$work/a.json" --duration 12 --stats-file "$work/a-stats.json" &
pids+=($!)
ip netns exec "$nsb" "$meshplane" --config "$work/b.json" --duration 12 &
pids+=($!)
wait_for_telemetry "mp-lka-$$"

peers_of_a() { "$meshctl" -n "mp-lka-$$" --json peers | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["established"]))'; }
# wait_peers N SECONDS: until node a has N peers; prints the milliseconds it took
wait_peers() {
  local start=$(date +%s%N)
  for _ in $(seq $(($2 * 50))); do
    [ "$(peers_of_a)" -eq "$1" ] && { echo $((($(date +%s%N) - start) / 1000000)); return 0; }
    sleep 0.02
  done
  return 1
}
status=0
wait_peers 1 5 >/dev/null || { echo "FAIL: a never adopted b"; exit 1; }
# The kernel's linkwatch reports carrier changes at most once a second: let the set-up's settle.
sleep 1.2
ip -n "$nsb" link set wifi0 down
if ms=$(wait_peers 0 2); then
  echo "carrier lost: peer dropped after ${ms} ms (missed beacons alone would take 5 s)"
else
  echo "FAIL: peer not dropped within 2 s of carrier loss"; status=1
fi
ip -n "$nsb" link set wifi0 up
if ms=$(wait_peers 1 3); then echo "carrier back: peer re-adopted after ${ms} ms"; else echo "FAIL: not re-adopted"; status=1; fi
kill "${pids[0]}" "${pids[1]}"; wait "${pids[0]}" "${pids[1]}" || true; pids=()
python3 - "$work/a-stats.json" <<'PY' || status=1
import json, sys
c = json.load(open(sys.argv[1]))["control"]
# lost twice: at the carrier loss, and when the node stopped (it closed the link)
ok = c["link_down"] == 1 and c["link_up"] == 1 and c["peers_adopted"] == 2 and c["peers_lost"] == 2
print("link counters as expected" if ok else f"FAIL counters: {c}")
sys.exit(0 if ok else 1)
PY
exit $status
