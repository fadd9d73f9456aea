#!/usr/bin/env bash
# The Linux interop lab (tools/vmlab) end to end: one qemu VM (TCG) with two Linux 6.1 mesh points,
# lx1 and lx2, each with its own hwsim air joined to a host veth; airsim (in namespace vmlab-air)
# is the only way between them.
#  1. the image builds (cached after the first run) and the VM boots; boot time printed;
#  2. isolation: while airsim is not running, each mesh point beacons (its relay forwarded at least
#     3 of its frames to the host) and neither has a peer;
#  3. airsim relays air-lx1 <-> air-lx2: both reach mesh plink ESTAB with each other (time printed),
#     with no failed transmissions (hwsim acknowledges frames to host-side addresses), and ping each
#     other over the mesh; the relays' counters show every injection came back as a TX status copy
#     and was not sent back, and nothing was dropped;
#  4. `airsim cut lx1 lx2`: pings fail; `restore`: pings work again;
#  5. a third node whose mesh wpa_supplicant joins (SAE), configured from the host, starts its group.
# Installs what it needs (tools/setup.sh), removes everything it made on exit.
# Usage: vmlab_smoke.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(cd "$1" && pwd)
AIRSIM="$BUILD/tools/airsim/airsim"
VM=smoke
NS=vmlab-air
VMLAB_RUN=/run/vmlab
export VMLAB_RUN
# the image cache: build/vmlab of the tree unless VMLAB_DIR says otherwise (shared by every build)
IMG=${VMLAB_DIR:-build/vmlab}
WORK="$VMLAB_RUN/$VM-test"
VMCTL=(tools/vmlab/vmctl.py --vm "$VM")
LX1_MAC=02:76:6d:00:00:01 LX2_MAC=02:76:6d:00:00:02
LX1_IP=10.99.0.1 LX2_IP=10.99.0.2

[ "$(id -u)" -eq 0 ] || { echo "FAIL: vmlab_smoke needs root (network namespaces, taps, tc)"; exit 1; }
bash tools/setup.sh
[ -x "$AIRSIM" ] || { echo "FAIL: no airsim at $AIRSIM"; exit 1; }

cleanup() {
  [ -f "$WORK/airsim.pid" ] && kill "$(cat "$WORK/airsim.pid")" 2>/dev/null || true
  bash tools/vmlab/vm.sh down --vm "$VM" || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
mkdir -p "$WORK"

fail=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
vmx() { "${VMCTL[@]}" exec --timeout 30 "$@"; }
in_node() { local n=$1; shift; "${VMCTL[@]}" exec --timeout 30 --node "$n" "$@"; }
counter() { # counter NODE NAME: one relay counter, freshly written
  "${VMCTL[@]}" counters "$1" | awk -v k="$2" '$1 == k {print $2}'
}
# plink_estab NODE PEER_MAC: the node's station dump shows PEER_MAC in ESTAB
plink_estab() {
  in_node "$1" 'iw dev mesh0 station dump' 2>/dev/null | awk -v p="$2" '
    /^Station/ {s = $2} /mesh plink:/ {if (s == p && $3 == "ESTAB") ok = 1} END {exit !ok}'
}
peers_of() { in_node "$1" 'iw dev mesh0 station dump' 2>/dev/null | grep -c '^Station' || true; }
# replies NODE DEST COUNT DEADLINE: number of ping replies
replies() {
  in_node "$1" "ping -c $3 -i 0.2 -w $4 $2" 2>/dev/null |
    sed -n 's/.* \([0-9]*\) packets received.*/\1/p' || true
}
# wait_until SECONDS COMMAND...: polls COMMAND (each poll is a VM round trip or an airsim call)
wait_until() {
  local end
  end=$(awk -v n="$(now)" -v s="$1" 'BEGIN {printf "%.3f", n + s}'); shift
  until "$@"; do
    awk -v n="$(now)" -v e="$end" 'BEGIN {exit !(n > e)}' && return 1
    sleep 0.2
  done
}

# 1. image and boot
t0=$(now)
bash tools/vmlab/build.sh
echo "image: $(du -k "$IMG/initrd.img" | cut -f1) KB initrd, $(du -k "$IMG/vmlinuz" | cut -f1) KB kernel (built or checked in $(since "$t0") s)"
ip netns add "$NS"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link set lo up
bash tools/vmlab/vm.sh up --vm "$VM" --timeout 300 \
  --node "lx1 mac=$LX1_MAC ip=$LX1_IP/24 mesh_id=vmlab-smoke freq=2412" --attach "$NS:air-lx1" \
  --node "lx2 mac=$LX2_MAC ip=$LX2_IP/24 mesh_id=vmlab-smoke freq=2412" --attach "$NS:air-lx2"
boot=$(sed -n 's/^boot: ready in \([0-9.]*\) s.*/\1/p' "$VMLAB_RUN/$VM/boot")
qemu_rss=$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$(cat "$VMLAB_RUN/$VM/qemu.pid")/status")
check '[ -n "$boot" ]' "VM booted, both mesh points set up in ${boot} s (qemu resident: ${qemu_rss} MB)"
check '[[ "$(vmx "hostapd -v 2>&1 || true")" == *"hostapd v2"* ]]' "hostapd runs in the VM"

# 2. isolation: the two airs are separate
beaconing() { [ "$(counter lx1 to_nic)" -ge 3 ] && [ "$(counter lx2 to_nic)" -ge 3 ]; }
check 'wait_until 60 beaconing' "both mesh points beacon on their own airs (relays forwarded >= 3 frames each)"
check '[ "$(peers_of lx1)" -eq 0 ] && [ "$(peers_of lx2)" -eq 0 ]' "without airsim, neither hears the other"

# 3. airsim joins the two airs
cat > "$WORK/air.json" <<JSON
{"nodes": [{"name": "lx1", "iface": "air-lx1"}, {"name": "lx2", "iface": "air-lx2"}]}
JSON
t1=$(now)
ip netns exec "$NS" "$AIRSIM" --topology "$WORK/air.json" --control "$WORK/airsim.sock" \
  --pcap "$WORK/air.pcap" --seed 1 > "$WORK/airsim.log" 2>&1 &
echo $! > "$WORK/airsim.pid"
both_estab() { plink_estab lx1 "$LX2_MAC" && plink_estab lx2 "$LX1_MAC"; }
if wait_until 90 both_estab; then
  estab=$(since "$t1")
  echo "ok: lx1 and lx2 in mesh plink ESTAB through airsim, ${estab} s after airsim started"
else
  echo "FAIL: no ESTAB between lx1 and lx2 within 90 s"; fail=1
  in_node lx1 'iw dev mesh0 station dump' || true
fi
air() { "$AIRSIM" --control "$WORK/airsim.sock" "$@"; }
ping_ok() { [ "$(replies lx1 "$LX2_IP" 3 10)" = 3 ] && [ "$(replies lx2 "$LX1_IP" 3 10)" = 3 ]; }
check 'ping_ok' "lx1 and lx2 ping each other over the mesh (3/3 each way)"
tx_failed() { in_node "$1" 'iw dev mesh0 station dump' | awk '/tx failed:/ {s += $3} END {print s + 0}'; }
check '[ "$(tx_failed lx1)" -eq 0 ] && [ "$(tx_failed lx2)" -eq 0 ]' \
  "no failed transmissions (ack interfaces for the host-side addresses)"
for n in lx1 lx2; do
  c=$("${VMCTL[@]}" counters "$n")
  v() { awk -v k="$1" '$1 == k {print $2}' <<< "$c"; }
  check '[ "$(v injected)" -gt 0 ] && [ "$(v loop_tx_status)" -eq "$(v injected)" ] && [ "$(v loop_host_ta)" -eq 0 ]' \
    "$n relay: $(v to_nic) frames to the host, $(v injected) injected, each came back once as TX status and stayed in the VM"
  check '[ $(( $(v drop_mon_invalid) + $(v drop_nic_invalid) + $(v drop_truncated) + $(v to_nic_errors) + $(v inject_errors) + $(v ack_iface_errors) + $(v host_ta_conflicts) + $(v host_table_full) )) -eq 0 ] && [ "$(v ack_ifaces)" -eq 1 ]' \
    "$n relay: nothing dropped or failed, one ack interface (the peer's address)"
done
delivered=$(air stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["delivered"])')
check '[ "$delivered" -gt 0 ]' "airsim delivered $delivered frames between lx1 and lx2"

# 4. cut and restore
air cut lx1 lx2 >/dev/null
check '[ "$(replies lx1 "$LX2_IP" 3 4)" = 0 ]' "after 'airsim cut lx1 lx2' pings fail"
echo "info: after the cut lx1 still lists $(peers_of lx1) peer(s) (Linux keeps an ESTAB link for plink_timeout)"
air restore lx1 lx2 >/dev/null
t2=$(now)
one_reply() { [ "$(replies lx1 "$LX2_IP" 1 3)" = 1 ]; }
if wait_until 60 one_reply; then
  echo "ok: after 'airsim restore' pings work again ($(since "$t2") s)"
else
  echo "FAIL: no ping reply within 60 s of 'airsim restore'"; fail=1
fi
check 'ping_ok' "lx1 and lx2 ping each other again (3/3 each way)"

# 5. the wpa_supplicant plumbing: a node whose mesh is joined by wpa_supplicant (SAE), with the
#    configuration from the host; its air stays in the VM (nic=none)
cat > "$WORK/lx3.conf" <<CONF
ctrl_interface=/run/vmlab/lx3/wpa
network={
	ssid="vmlab-sae"
	mode=5
	frequency=2412
	key_mgmt=SAE
	sae_password="vmlab smoke"
	ieee80211w=2
}
CONF
"${VMCTL[@]}" put "$WORK/lx3.conf" /etc/vmlab/files/lx3.conf
check 'vmx "vmlab-node add lx3 nic=none join=wpa" >/dev/null' "vmlab-node starts wpa_supplicant for lx3"
wpa_started() { vmx 'grep -q MESH-GROUP-STARTED /run/vmlab/lx3/wpa.log'; }
check 'wait_until 60 wpa_started' "wpa_supplicant (SAE, mode=5) started lx3's mesh group"
check 'vmx "vmlab-node del lx3"' "vmlab-node removes lx3"

echo "figures: boot ${boot} s, ESTAB ${estab:-none} s after airsim started, qemu ${qemu_rss} MB resident"
exit "$fail"
