#!/usr/bin/env bash
# Hostile input through a live node (issue 8): hostile_input.py plays two honest neighbours and a
# stranger on the far end of the node's mesh veth; the node forwards transit frames for D through every
# attack. Afterwards the node's own counters must account for each attack exactly.
# Usage: hostile_input.sh MESHPLANE MESHCTL
set -euo pipefail
meshplane=$1
meshctl=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/forward_node.sh"  # wait_for_telemetry
work=$(mktemp -d /tmp/meshplane-hostile-XXXXXX)
ns=mp-hostile-$$
prefix=mp-hostile-$$
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link add wifi0 mtu 3000 type veth peer name air0 mtu 3000
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n "$ns" link set wifi0 up
ip -n "$ns" link set air0 up
cat > "$work/node.json" <<JSON
{
  "node": {"name": "hostile", "mesh_mac": "02:00:00:00:00:aa", "file_prefix": "$prefix"},
  "mesh": {"mesh_id": "hostile-mesh", "beacon_loss_limit": 3},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"}],
  "tables": {"path_entries": 64},
  "workers": {"lcores": [1], "idle_sleep_us": 200, "idle_polls": 64},
  "mempool": {"mbufs": 4095, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
# Oversized frames: net_af_packet cuts frames longer than its ring frames without a word, so an
# interface MTU that admits them is refused loudly at start; the test then runs with the lab's MTU.
ip netns exec "$ns" "$meshplane" --config "$work/node.json" --duration 0.3 2>"$work/mtu.log" >/dev/null
if grep -q 'ports\[0\] (wifi0): interface wifi0 has MTU 3000, but this port receives frames of at most' "$work/mtu.log"; then
  echo "ok: MTU 3000 on an af_packet port: warned ($(grep -o 'set the MTU to [0-9]* or less' "$work/mtu.log"))"
else
  echo "FAIL: no warning for an MTU the port cannot receive intact"; cat "$work/mtu.log"; exit 1
fi
ip -n "$ns" link set wifi0 mtu 1900
ip -n "$ns" link set air0 mtu 1900
ip netns exec "$ns" "$meshplane" --config "$work/node.json" --stats-file "$work/stats.json" 2>"$work/node.log" &
pid=$!
wait_for_telemetry "$prefix" || { echo "FAIL: meshplane did not start"; cat "$work/node.log"; exit 1; }
status=0
ip netns exec "$ns" python3 "$here/hostile_input.py" air0 "$meshctl" "$prefix" "$work/report.json" || status=1
kill -TERM "$pid"
wait "$pid" || { echo "FAIL: meshplane did not exit 0"; status=1; }
pid=
python3 - "$work/report.json" "$work/stats.json" <<'PY' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
stats = json.load(open(sys.argv[2]))
a = report["attacks"]
port = stats["ports"][0]
cls, fwd, ctl, hwmp = port["classes"], port["forwarding"], stats["control"], stats["hwmp"]
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
check(ctl["hwmp_from_stranger"] == a["stranger_hwmp"],
      f"stranger's forged PREQ/PREP: {ctl['hwmp_from_stranger']} ignored (hwmp_from_stranger), {a['stranger_hwmp']} sent")
check(fwd["drop_not_peer"] == a["not_peer_data"],
      f"stranger's transit data: {fwd['drop_not_peer']} dropped (drop_not_peer), {a['not_peer_data']} sent")
pe = stats["peering"]
check(pe["open_rx"] >= a["open_storm"] and pe["rx_table_full"] + pe["open_tx"] >= a["open_storm"] and
      pe["established"] == 2 and pe["estab_closed"] <= 2,
      f"peering storm: {pe['open_rx']} Opens taken, {pe['rx_table_full']} refused by the full table, "
      f"{pe['open_tx']} Opens and {pe['close_tx']} Closes sent, {pe['max_retries_reached']} attempts given up; "
      f"established links {pe['established']} (N1, N2), closed {pe['estab_closed']} (N2 falling silent, stop)")
check(hwmp["perr_rx"] >= a["perr_flood"] and hwmp["perr_dests_invalidated"] == 0,
      f"PERR flood from a non-next-hop: {hwmp['perr_rx']} received, {hwmp['perr_dests_invalidated']} paths invalidated")
# Every PREQ reached the engine or was counted where it was dropped (the control thread's ring).
check(hwmp["preq_rx"] + fwd["drop_punt_ring_full"] >= a["preq_storm"],
      f"PREQ storm: {hwmp['preq_rx']} PREQs taken by the engine ({fwd['drop_punt_ring_full']} dropped at the "
      f"full control ring), {hwmp['preq_fwd']} forwarded, {hwmp['preq_rate_limited']} rate-limited, "
      f"{hwmp['path_table_full']} refused by the full path table")
check(hwmp["preq_fwd"] < a["preq_storm"] // 2, "the storm was not amplified: fewer than half the PREQs forwarded")
check(fwd["drop_ttl_expired"] == a["ttl_expired"], f"TTL 0/1: {fwd['drop_ttl_expired']} dropped (drop_ttl_expired)")
check(fwd["drop_own_frame"] == a["own_frames"], f"own frames: {fwd['drop_own_frame']} dropped (drop_own_frame)")
# A radiotap length past the end of the frame is a truncation (README: frame classes); no radiotap
# header here is malformed in itself, so drop_bad_radiotap stays 0.
check(cls["drop_truncated"] == a["truncated"] + a["bad_radiotap_len"] and cls["drop_bad_radiotap"] == 0,
      f"broken frames: {cls['drop_truncated']} truncated (radiotap length past the end included), "
      f"{cls['drop_bad_radiotap']} bad radiotap")
check(cls["drop_bad_ae"] == a["bad_ae"], f"bad AE mode: {cls['drop_bad_ae']} dropped (drop_bad_ae)")
check(fwd["mesh_forward"] >= report["transit_sent"],
      f"transit: {fwd['mesh_forward']} forwarded of {report['transit_sent']} sent")
check(ctl["drop_tx_ring_full"] == 0 and fwd["drop_tx_full"] == 0, "no frame lost to a full ring")
sys.exit(1 if bad else 0)
PY
[ "$status" -eq 0 ] || { echo "--- node log"; cat "$work/node.log"; }
exit $status
