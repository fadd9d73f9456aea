#!/usr/bin/env bash
# The secure mesh against the real thing (issue 16): two meshplane nodes A and B (hosts HA and HB
# behind them) and three Linux 6.1 mesh points run by wpa_supplicant 2.10 in mesh mode with SAE
# (mode=5, key_mgmt=SAE, ieee80211w=2; tools/vmlab, one VM boot), all on one airsim.
#  1. wpa_supplicant first: LX1 is up when A starts; ESTAB both ways (Linux's station dump, meshctl
#     peers "keyed", wpa_supplicant's MESH-PEER-CONNECTED).
#  2. HA pings LX1's mesh address: data and HWMP under CCMP both ways (MTK, and each sender's MGTK for
#     group frames).
#  3. LX3 has another password: SAE fails on both sides (our counters and log name LX3; its log says
#     MESH-SAE-AUTH-FAILURE for A), no peering, ever.
#  4. meshplane first, and the first Opens lost: B starts before LX2 joins, airsim drops the first
#     Open each way between B and LX2 (hostap's test_wpas_mesh_secure_dropped_frame); ESTAB anyway.
#  5. Linux as the transit: A - LX1 - B (no A-B link): HA reaches HB; meshplane as the transit:
#     LX1 - B - LX2 (no LX1-LX2 link): LX1 pings LX2. Every hop decrypts and encrypts with its link's key.
#  6. A stops: LX1 drops it at once (our protected Close).
#  7. The air: no unprotected mesh data frame from anyone, no unprotected Mesh action frame (group ones
#     under the sender's MGTK, as mac80211 protects them).
#  8. The MGTK refresh (sae.mgtk_refresh_s 1 on A and B): wpa_supplicant has no group key handshake
#     and takes every MGTK as key ID 1, so with Linux peers up the refreshes wait, no Inform goes to
#     Linux, and our group frames are under key ID 1 (the pings above needed Linux to read our group
#     HWMP under it); a node that had refreshed to key ID 2 before its first Linux peer came gave that
#     peer's Open a new key ID 1 MGTK.
# Usage: linux_secure_interop.sh BUILD_DIR   (INTEROP_VM=NAME: another VM and namespace prefix than lxs)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(cd "$1" && pwd)
meshplane=$BUILD/dataplane/meshplane
meshctl=$BUILD/tools/meshctl/meshctl
airsim=$BUILD/tools/airsim/airsim
VM=${INTEROP_VM:-lxs}
export VMLAB_RUN=/run/vmlab
tag=$VM
WORK=$VMLAB_RUN/$VM-test
VMCTL=(tools/vmlab/vmctl.py --vm "$VM")
A=02:00:00:00:0a:01 B=02:00:00:00:0b:01 LX1=02:00:00:00:11:01 LX2=02:00:00:00:12:01 LX3=02:00:00:00:13:01
HA_IP=10.98.0.1 HB_IP=10.98.0.2 LX1_IP=10.98.0.11 LX2_IP=10.98.0.12 LX3_IP=10.98.0.13
MESH_ID=interop-sec
PASSWORD='mesh secret 4 interop'

[ "$(id -u)" -eq 0 ] || { echo "FAIL: linux_secure_interop needs root"; exit 1; }
bash tools/setup.sh
cleanup() {
  for f in "$WORK"/*.pid; do [ -f "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; }; done
  sleep 0.2
  [ "${KEEP_VM:-0}" = 1 ] || bash tools/vmlab/vm.sh down --vm "$VM" >/dev/null 2>&1 || true
  for ns in air a b ha hb; do ip netns del "$tag-$ns" 2>/dev/null || true; done
  rm -rf /var/run/dpdk/$tag-*
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
mkdir -p "$WORK"
NODES_DIR=$WORK
source tests/integration/netns_nodes.sh # check, wait_until, veth, start_node, mp_peer, in_node, linux_estab
air() { "$airsim" --control "$WORK/airsim.sock" "$@" >/dev/null; }
mp_keyed() { mp_peer "$1" "$2" keyed; } # meshplane's view: PEER ESTAB at NODE with its link keyed
mp_estab_any() { mp_peer "$1" "$2"; }
wpa_log() { in_node "$1" "cat /run/vmlab/$1/wpa.log" 2>/dev/null; }

# wpa_supplicant's mesh network, as hostap's tests run it (its default basic rates are ERP's:
# 1, 2, 5.5, 11, 6, 12, 24 Mb/s, so meshplane's config names the same set)
wpa_conf() { # wpa_conf FILE PASSWORD
  cat > "$1" <<CONF
user_mpm=1
network={
	ssid="$MESH_ID"
	mode=5
	frequency=2412
	key_mgmt=SAE
	psk="$2"
	ieee80211w=2
	disable_ht40=1
	disable_vht=1
}
CONF
}
wpa_conf "$WORK/lx1.conf" "$PASSWORD"
wpa_conf "$WORK/lx2.conf" "$PASSWORD"
wpa_conf "$WORK/lx3.conf" "not the mesh's secret"
umask 077
printf '%s\n' "$PASSWORD" > "$WORK/mesh.password"
umask 022

make_namespaces air a b ha hb
veth a wifi0 air air-a 1900
veth b wifi0 air air-b 1900
veth a eth0 ha eth0 1500
veth b eth0 hb eth0 1500
for n in a b; do ip netns exec "$tag-$n" sysctl -qw net.ipv4.conf.wifi0.arp_ignore=8 net.ipv4.conf.eth0.arp_ignore=8; done
ip -n "$tag-ha" addr add $HA_IP/16 dev eth0
ip -n "$tag-hb" addr add $HB_IP/16 dev eth0
export WIRESHARK_CONFIG_DIR=$WORK/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"

t_boot=$(now)
bash tools/vmlab/vm.sh up --vm "$VM" --timeout 300 \
  --node "lx1 mac=$LX1 ip=$LX1_IP/16 mesh_id=$MESH_ID freq=2412 wpa=$WORK/lx1.conf" --attach "$tag-air:air-lx1" \
  --node "lx2 mac=$LX2 ip=$LX2_IP/16 mesh_id=$MESH_ID freq=2412 join=none" --attach "$tag-air:air-lx2" \
  --node "lx3 mac=$LX3 ip=$LX3_IP/16 mesh_id=$MESH_ID freq=2412 wpa=$WORK/lx3.conf" --attach "$tag-air:air-lx3" \
  --file "lx2.conf=$WORK/lx2.conf" >"$WORK/vm.log" 2>&1 ||
  { cat "$WORK/vm.log"; echo "FAIL: the VM did not come up"; exit 1; }
echo "VM up in $(since "$t_boot") s: LX1 (wpa_supplicant, the mesh's password), LX2 (not joined yet), LX3 (another password)"
echo "Linux $(in_node lx1 'uname -r'), $(in_node lx1 'wpa_supplicant -v' | head -1)"
if [ "${WPA_DEBUG:-0}" = 1 ]; then # wpa_supplicant's debug log on LX1, for a look at SAE and AMPE
  in_node lx1 'kill $(cat /run/vmlab/lx1/wpa.pid); sleep 0.5; wpa_supplicant -B -dd -D nl80211 -i mesh0 -c /etc/vmlab/files/lx1.conf -P /run/vmlab/lx1/wpa.pid -f /run/vmlab/lx1/wpa.log -t </dev/null >/dev/null 2>&1' || true
fi
cat > "$WORK/air.json" <<JSON
{"nodes": [{"name": "a", "iface": "air-a"}, {"name": "b", "iface": "air-b"},
           {"name": "lx1", "iface": "air-lx1"}, {"name": "lx2", "iface": "air-lx2"}, {"name": "lx3", "iface": "air-lx3"}],
 "default": {"rate_mbps": 54, "loss": 0.0}, "full_mesh": false,
 "links": [{"a": "a", "b": "lx1"}, {"a": "b", "b": "lx1"}, {"a": "a", "b": "lx3"}, {"a": "b", "b": "lx2"}]}
JSON
ip netns exec "$tag-air" "$airsim" --topology "$WORK/air.json" --control "$WORK/airsim.sock" \
  --pcap "$WORK/air.pcap" --seed 5 >"$WORK/airsim.log" 2>&1 &
echo $! > "$WORK/airsim.pid"

node_conf() { # node_conf NAME MAC
  cat > "$WORK/$1.json" <<JSON
{
  "node": {"name": "lxs$1", "mesh_mac": "$2", "file_prefix": "$tag-$1"},
  "mesh": {"mesh_id": "$MESH_ID", "channel": 1, "basic_rates": [1, 2, 5.5, 11, 6, 12, 24],
           "security": "sae", "password_file": "$WORK/mesh.password"},
  "sae": {"mgtk_refresh_s": 1},
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

# --- 1. wpa_supplicant first
t_a=$(now)
start_node a
if wait_until 30 mp_keyed a $LX1 && wait_until 10 linux_estab lx1 $A; then
  t_estab=$(since "$t_a")
  echo "ok: LX1 (wpa_supplicant) first, A starts: SAE, AMPE, ESTAB both ways and the link keyed ${t_estab} s after A started"
else
  echo "FAIL: A and LX1 did not reach a keyed ESTAB"; fail=1; t_estab=-
fi
check 'wpa_log lx1 | grep -q "MESH-PEER-CONNECTED $A"' "wpa_supplicant on LX1 reports MESH-PEER-CONNECTED $A"
"$meshctl" -n "$tag-a" peers | tee "$WORK/a-peers.txt"

# --- 2. traffic under CCMP
first_ping=$(ip netns exec "$tag-ha" ping -c 1 -W 5 $LX1_IP 2>/dev/null | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' || true)
check '[ -n "$first_ping" ]' "HA -> LX1: first ping answered in ${first_ping:-?} ms (HWMP under BIP/CCMP, data under CCMP)"
check 'ip netns exec "$tag-ha" ping -c 5 -i 0.2 -W 2 $LX1_IP >/dev/null' "HA <-> LX1: 5 of 5"
check '[ "$(stat_of a security mgmt_group_decrypted)" -ge 1 ]' \
  "A took Linux's group HWMP under its MGTK ($(stat_of a security mgmt_group_decrypted)) and unicast HWMP under the MTK ($(stat_of a security mgmt_decrypted))"
check '[ "$(stat_of a wifi0 ccmp_decrypted)" -ge 5 ] && [ "$(stat_of a wifi0 ccmp_encrypted)" -ge 5 ]' \
  "A decrypted $(stat_of a wifi0 ccmp_decrypted) and encrypted $(stat_of a wifi0 ccmp_encrypted) data frames with LX1"

# --- 3. another password
refused_lx3() { [ "$(stat_of a security password_refused)" -ge 1 ]; }
check 'wait_until 20 refused_lx3' \
  "A refused LX3's SAE (password_refused $(stat_of a security password_refused), confirm mismatch $(stat_of a security sae_confirm_mismatch))"
check 'grep -q "peer $LX3: SAE failed" "$WORK/a.log"' "A's log names LX3: $(grep -m1 "peer $LX3: SAE failed" "$WORK/a.log" || true)"
# (wpa_supplicant reports it only when its own retransmissions run out, 10-15 s after the start)
lx3_failed() { wpa_log lx3 | grep -q "MESH-SAE-AUTH-FAILURE addr=$A"; }
check 'wait_until 40 lx3_failed' "wpa_supplicant on LX3 reports MESH-SAE-AUTH-FAILURE addr=$A"
check '! mp_estab_any a $LX3 && linux_not_estab lx3 $A' "no peering between A and LX3"

# --- 4. meshplane first, first Opens lost
air drop-opens b lx2 1
air drop-opens lx2 b 1
start_node b
sleep 1
t_join=$(now)
# (its output closed: vmctl exec waits for the end of the output, which a daemon would hold open)
wpa_dd=; [ "${WPA_DEBUG:-0}" = 1 ] && wpa_dd=-dd
in_node lx2 "wpa_supplicant -B $wpa_dd -D nl80211 -i mesh0 -c /etc/vmlab/files/lx2.conf -P /run/vmlab/lx2/wpa.pid -f /run/vmlab/lx2/wpa.log -t </dev/null >/dev/null 2>&1" || true
if wait_until 40 mp_keyed b $LX2 && wait_until 10 linux_estab lx2 $B; then
  echo "ok: B first, LX2 joins, its first Open and ours lost on the air: keyed ESTAB $(since "$t_join") s after LX2 joined"
else
  echo "FAIL: B and LX2 did not reach a keyed ESTAB after the lost Opens"; fail=1
fi
rule=$("$airsim" --control "$WORK/airsim.sock" stats | python3 -c '
import json, sys
print(sum(l["dropped_rule"] for l in json.load(sys.stdin)["links"]))')
check '[ "$rule" = 2 ]' "airsim dropped exactly the two first Opens ($rule)"
check 'wait_until 30 mp_keyed b $LX1 && wait_until 10 linux_estab lx1 $B' "B and LX1: keyed ESTAB"

# --- 5. transit both ways
check 'ip netns exec "$tag-ha" ping -c 5 -i 0.2 -W 3 $HB_IP >/dev/null' "HA -> HB through LX1 (A - LX1 - B): 5 of 5"
got=$(in_node lx1 "ping -c 5 -i 0.3 -w 20 $LX2_IP" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p' || true)
check '[ "${got:-0}" -ge 3 ]' "meshplane as the transit: LX1 -> LX2 through B (LX1 - B - LX2): ${got:-0} of 5"
check '[ "$(stat_of b wifi0 mesh_forward)" -ge 3 ]' "B forwarded the Linux mesh points' frames, decrypted and encrypted per hop (mesh_forward $(stat_of b wifi0 mesh_forward))"

# --- 8. the MGTK refresh with wpa_supplicant peers (before A stops)
info_of() { "$meshctl" -n "$tag-$1" --json info | python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1]))' "$2"; }
for n in a b; do
  check '[ "$(info_of $n mgtk_key_id)" = 1 ] && [ "$(stat_of $n security link_group_key_inform_tx)" = 0 ] &&
         [ "$(stat_of $n security link_mgtk_refresh_deferred)" -ge 1 ]' \
    "$n: refreshes wait while wpa_supplicant peers are up (deferred $(stat_of $n security link_mgtk_refresh_deferred), our group key ID $(info_of $n mgtk_key_id), no Inform sent; $(stat_of $n security link_mgtk_refreshes) refreshes in all)"
done

# --- 6. A stops
t_stop=$(now)
stop_node a
check 'wait_until 3 linux_not_estab lx1 $A' "A stopped: LX1 dropped it within $(since "$t_stop") s (our protected Close)"
stop_node b

# --- 7. the air
python3 - "$WORK/air.pcap" <<'PY' || fail=1
import subprocess, sys
pcap = sys.argv[1]
def count(flt):
    out = subprocess.run(["tshark", "-r", pcap, "-Y", flt, "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True, check=True).stdout
    return len(out.split())
data = count("wlan.fc.type == 2 && !(wlan.fc.type_subtype == 0x0024 || wlan.fc.type_subtype == 0x002c)")
plain = count("wlan.fc.type == 2 && wlan.fc.protected == 0 && !(wlan.fc.type_subtype == 0x0024 || wlan.fc.type_subtype == 0x002c)")
mesh_ucast = count("wlan.fixed.category_code == 13 && wlan.fc.protected == 0 && !(wlan.da == ff:ff:ff:ff:ff:ff)")
mesh_group = count("wlan.fixed.category_code == 13 && wlan.da == ff:ff:ff:ff:ff:ff")
group_protected = count("wlan.fc.type_subtype == 0x000d && wlan.fc.protected == 1 && wlan.da == ff:ff:ff:ff:ff:ff")
protected_mgmt = count("wlan.fc.type == 0 && wlan.fc.protected == 1")
bad = 0
for ok, what in ((data >= 20 and plain == 0, f"{data} mesh data frames on the air, {plain} without protection"),
                 (mesh_ucast == 0, f"{mesh_ucast} individually addressed Mesh action frames without protection ({protected_mgmt} protected management frames)"),
                 (mesh_group == 0 and group_protected >= 1, f"{mesh_group} group Mesh action frames readable on the air, {group_protected} protected (group addressed privacy)")):
    print(("ok: " if ok else "FAIL: ") + "the air: " + what)
    bad += not ok
sys.exit(1 if bad else 0)
PY
check '! grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$WORK/a.log" "$WORK/b.log"' \
  "no sanitizer report in the meshplane nodes' logs"
echo "secure interop figures: keyed ESTAB ${t_estab} s after A started; first ping HA -> LX1 ${first_ping:-?} ms"
exit $fail
