#!/usr/bin/env bash
# Attacks on a secure mesh (issue 16). Node N (under attack) and node P, both meshplane with SAE, on
# airsim with an attacker X that hears and sends everything; hosts HN and HP behind them ping each
# other every 20 ms throughout. X (hostile_secure.py):
#  1. floods N with SAE Commits from RATE made-up addresses per second for FLOOD_S seconds, real
#     group-19 Commits, echoing every anti-clogging token N sends to those addresses (an attacker on
#     the air hears them all): anti-clogging engages, N's SAE sessions and CPU stay bounded, the N-P
#     link and the hosts' traffic carry on; figures printed;
#  2. captures protected frames P sent N and replays them: every one dropped as a replay;
#  3. sends PREQs and PREPs claiming to be P without protection, and an Open from P's address with a
#     MIC that cannot verify: all dropped, N's paths and its link with P unchanged (in an open mesh the
#     same forged PREQ captures the destination: hostile_input);
#  4. sends truncated, oversized and malformed SAE frames from a stranger: counted, nothing else;
#  5. P restarts (a new SAE, new keys): the frames captured under the old keys are replayed, and none
#     is taken.
# Usage: hostile_secure.sh BUILD_DIR [FLOOD_S] [RATE]
set -euo pipefail
BUILD=$(cd "$1" && pwd)
FLOOD_S=${2:-5}
RATE=${3:-1000}
here=$(cd "$(dirname "$0")" && pwd)
meshplane=$BUILD/dataplane/meshplane
meshctl=$BUILD/tools/meshctl/meshctl
airsim=$BUILD/tools/airsim/airsim
tag=hs$$
work=$(mktemp -d /tmp/meshplane-hostile-secure-XXXXXX)
N=02:00:00:00:00:aa P=02:00:00:00:00:bb
HN_IP=10.97.0.1 HP_IP=10.97.0.2
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; }; done
  wait 2>/dev/null || true
  for ns in air n p x hn hp; do ip netns del "$tag-$ns" 2>/dev/null || true; done
  rm -rf /var/run/dpdk/$tag-*
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
NODES_DIR=$work
source "$here/netns_nodes.sh" # check, veth, start_node, mp_peer, stat_of

make_namespaces air n p x hn hp
for n in n p x; do veth "$n" wifi0 air "air-$n" 1900; done
veth n eth0 hn eth0 1500
veth p eth0 hp eth0 1500
for n in n p; do ip netns exec "$tag-$n" sysctl -qw net.ipv4.conf.wifi0.arp_ignore=8 net.ipv4.conf.eth0.arp_ignore=8; done
ip -n "$tag-hn" addr add $HN_IP/24 dev eth0
ip -n "$tag-hp" addr add $HP_IP/24 dev eth0
cat > "$work/air.json" <<JSON
{"nodes": [{"name": "n", "iface": "air-n"}, {"name": "p", "iface": "air-p"}, {"name": "x", "iface": "air-x"}],
 "default": {"rate_mbps": 54, "loss": 0.0}, "full_mesh": true}
JSON
ip netns exec "$tag-air" "$airsim" --topology "$work/air.json" --control "$work/airsim.sock" --seed 7 \
  >"$work/airsim.log" 2>&1 &
echo $! > "$work/airsim.pid"
umask 077
printf 'hostile secret\n' > "$work/mesh.password"
umask 022
node_conf() { # node_conf NAME MAC
  cat > "$work/$1.json" <<JSON
{
  "node": {"name": "hs$1", "mesh_mac": "$2", "file_prefix": "$tag-$1"},
  "mesh": {"mesh_id": "hostile-secure", "security": "sae", "password_file": "$work/mesh.password"},
  "ports": [{"name": "wifi0", "role": "mesh", "devargs": "net_af_packet0,iface=wifi0,qpairs=1"},
            {"name": "eth0", "role": "lan", "devargs": "net_af_packet1,iface=eth0,qpairs=1"}],
  "workers": {"lcores": [1], "idle_sleep_us": 200},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
}
keyed() { mp_peer "$1" "$2" keyed; } # keyed NODE PEER
wait_keyed() { for _ in $(seq 300); do keyed n $P && keyed p $N && return 0; sleep 0.1; done; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$work/n.pid")/stat"; }
x() { ip netns exec "$tag-x" python3 "$here/hostile_secure.py" wifi0 "$@"; }
node_conf n $N
node_conf p $P
start_node n
start_node p
check 'wait_keyed' "N and P: SAE, AMPE, ESTAB, keyed"
check 'ip netns exec "$tag-hn" ping -c 3 -i 0.2 -W 2 $HP_IP >/dev/null' "HN <-> HP across the secure link"
ip netns exec "$tag-hn" ping -D -i 0.02 -W 1 $HP_IP > "$work/ping.log" 2>&1 &
echo $! > "$work/ping.pid"

# 1. the SAE Commit flood
commit=$("$BUILD/tests/integration/gen_sae_commit" 06:ee:00:00:00:01 $N 'whatever the attacker guesses')
hz=$(getconf CLK_TCK)
t0=$(cpu_ticks)
sleep 2
idle=$(( $(cpu_ticks) - t0 ))
t0=$(cpu_ticks)
x flood "$FLOOD_S" "$RATE" "$commit" $N > "$work/flood.json"
busy=$(( $(cpu_ticks) - t0 ))
cat "$work/flood.json"
flood_s=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$work/flood.json")
cpu_idle=$(awk -v t="$idle" -v hz="$hz" 'BEGIN {printf "%.0f", 100 * t / hz / 2}')
cpu_flood=$(awk -v t="$busy" -v hz="$hz" -v s="$flood_s" 'BEGIN {printf "%.0f", 100 * t / hz / s}')
echo "N's CPU: ${cpu_idle} % of a core before the flood, ${cpu_flood} % during it (workers and control thread)"
check '[ "$(stat_of n security sae_token_req_tx)" -ge 1 ]' \
  "anti-clogging engaged: $(stat_of n security sae_token_req_tx) token requests, $(stat_of n security sae_commit_rx) Commits taken, $(stat_of n security sae_rx_table_full) refused by the full session table"
check 'keyed n $P && keyed p $N' "the N-P link stayed keyed through the flood"
sessions_peak=$(stat_of n security sae_rx_table_full)
# Without anti-clogging and the bounded session table every Commit would cost a PWE derivation and a
# scalar multiplication (about a millisecond each): 1,000 a second would take a whole core.
check '[ "$cpu_flood" -le 50 ]' "N used at most half a core during the flood (${cpu_flood} %)"

# 2. replay
x capture 2 $P $N "$work/captured.hex" > "$work/capture.json"
cat "$work/capture.json"
replay0=$(stat_of n wifi0 drop_replay)
x replay "$work/captured.hex" > "$work/replay.json"
captured=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["captured"])' "$work/capture.json")
sleep 0.5
replayed=$(( $(stat_of n wifi0 drop_replay) - replay0 ))
check '[ "$captured" -ge 10 ] && [ "$replayed" = "$captured" ]' "$captured protected frames from P captured and replayed: $replayed dropped as replays"

# 3. forged HWMP and peering frames from P's address
unprot0=$(stat_of n security mgmt_unprotected)
mic0=$(stat_of n security link_rx_mic_failure)
x forge_preq $N $P > "$work/forge.json"
sleep 0.5
check '[ $(( $(stat_of n security mgmt_unprotected) - unprot0 )) -ge 100 ]' \
  "unprotected PREQs and PREPs claiming to be P: $(( $(stat_of n security mgmt_unprotected) - unprot0 )) of 100 dropped"
check '[ $(( $(stat_of n security link_rx_mic_failure) + $(stat_of n security link_rx_bad_ampe) + $(stat_of n security link_rx_bad_pmkid) - mic0 )) -ge 20 ]' \
  "Opens from P's address that do not verify: dropped (bad PMKID $(stat_of n security link_rx_bad_pmkid), MIC failures $(stat_of n security link_rx_mic_failure))"
check 'keyed n $P && keyed p $N' "the N-P link unchanged"

# 4. malformed SAE from a stranger
x garbage $N > "$work/garbage.json"
sleep 0.5
check '[ "$(stat_of n security sae_rx_bad_frame)" -ge 1 ] && [ "$(stat_of n security auth_other_algorithm)" -ge 10 ]' \
  "malformed SAE frames counted (bad frames $(stat_of n security sae_rx_bad_frame), bad Commits $(stat_of n security sae_rx_bad_commit), other algorithms $(stat_of n security auth_other_algorithm))"

# 5. P restarts: new keys; the old frames are worth nothing
kill -TERM "$(cat "$work/p.pid")"; wait "$(cat "$work/p.pid")" 2>/dev/null || true
start_node p
check 'wait_keyed' "P back: a new SAE, keyed again"
before=$(( $(stat_of n wifi0 drop_replay) + $(stat_of n wifi0 drop_mic_failure) + $(stat_of n wifi0 drop_unknown_key) ))
x replay "$work/captured.hex" > /dev/null
sleep 0.5
stale=$(( $(stat_of n wifi0 drop_replay) + $(stat_of n wifi0 drop_mic_failure) + $(stat_of n wifi0 drop_unknown_key) - before ))
check '[ "$stale" = "$captured" ]' "$captured frames under P's old keys replayed: $stale dropped (drop_mic_failure $(stat_of n wifi0 drop_mic_failure))"

kill "$(cat "$work/ping.pid")" 2>/dev/null || true
wait "$(cat "$work/ping.pid")" 2>/dev/null || true
python3 - "$work/ping.log" "$FLOOD_S" <<'PY' || fail=1
import re, sys
text = open(sys.argv[1]).read()
sent = len(re.findall(r"^\[\d+\.\d+\] .*icmp_seq=", text, re.M)) + len(re.findall(r"no answer yet", text))
got = len(re.findall(r"bytes from .*icmp_seq=(\d+)", text))
seqs = [int(s) for s in re.findall(r"bytes from .*icmp_seq=(\d+)", text)]
dups = len(re.findall(r"DUP!", text))
total = (max(seqs) if seqs else 0)
loss = 100.0 * (1 - len(set(seqs)) / total) if total else 100.0
ok = total > 0 and loss < 10 and dups == 0
print(("ok: " if ok else "FAIL: ") + f"HN -> HP every 20 ms through everything (P's restart included): {len(set(seqs))} of {total} answered ({loss:.1f} % lost), {dups} duplicates")
sys.exit(0 if ok else 1)
PY
for n in n p; do kill -TERM "$(cat "$work/$n.pid")" 2>/dev/null || true; wait "$(cat "$work/$n.pid")" 2>/dev/null || true; done
check '! grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$work/n.log" "$work/p.log"' "no sanitizer report"
echo "flood figures: $(cat "$work/flood.json"), N's CPU ${cpu_idle} % idle -> ${cpu_flood} % under the flood"
exit $fail
