#!/usr/bin/env bash
# The 3-node lab of DESIGN §6: namespaces gw1, gw2, gw3 (one meshplane each, from conf/, and a real
# hostapd on each access port wifi1: driver=wired, 802.1X, internal EAP server), air (airsim relaying
# their wifi0 ports), a cable between gw1 and gw2 (a wired mesh link, eth1 at both), lan (a host on gw1's wired eth0, with a DHCP server) and client (wpa_supplicant,
# one MAC on its three links; only the link to gw3 is up: roaming moves it). Each node's own kernel
# interface br0 (its host port) carries its management address: gw1 and gw2 static (192.0.2.11, .12),
# gw3 by DHCP from the lan host across the mesh (192.0.2.13); each runs an SSH server and an LLDP agent
# on it (the lan host runs one too: it sees gw1, the node it is wired to).
#
#   tools/lab.sh up      build the lab and start everything; waits until every node has 2 peers
#   tools/lab.sh status  each node's mesh and peers, like "show interface wifi0"
#   tools/lab.sh down    stop everything and remove namespaces, veths and runtime files
#
# The mesh is secure, as the seed's is: SAE with one shared secret, which the first "up" puts in
# /run/meshplane/mesh.password (random, root-only; the configs name it), AMPE, CCMP on every frame.
# The nodes log their keys (meshplane --key-log) to $LAB_DIR/wireshark/80211_keys, so that
#   WIRESHARK_CONFIG_DIR=$LAB_DIR/wireshark tshark -r $LAB_DIR/air.pcap
# reads the air decrypted; without it, nothing on the air but beacons and peering is readable.
# Logs, pids, the air capture (air.pcap) and airsim's control socket live in $LAB_DIR. The node and air
# configs come from $LAB_CONF_DIR (default conf/: gw1.json, gw2.json, gw3.json, lab-air.json).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${MESHPLANE_BUILD:-build}
case "$BUILD" in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$ROOT/$BUILD ;; esac
LAB_DIR=${LAB_DIR:-/run/meshplane/lab}
CONF_DIR=${LAB_CONF_DIR:-conf}
NODES=(gw1 gw2 gw3)
NAMESPACES=(gw1 gw2 gw3 lan air client)
MESHCTL="$BUILD_DIR/tools/meshctl/meshctl"
MESH_PASSWORD_FILE=/run/meshplane/mesh.password # the path conf/gw*.json name
KEY_LOG=$LAB_DIR/wireshark/80211_keys
AIRSIM="$BUILD_DIR/tools/airsim/airsim"

lab_down() {
  for f in "$LAB_DIR"/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  # Give them a moment to stop cleanly, then make sure.
  for _ in $(seq 30); do
    pgrep -f "$BUILD_DIR/(dataplane/meshplane|tools/airsim/airsim)|$LAB_DIR/(hostapd|wpa_supplicant)" >/dev/null || break
    sleep 0.1
  done
  pkill -9 -f "$BUILD_DIR/(dataplane/meshplane|tools/airsim/airsim)|$LAB_DIR/(hostapd|wpa_supplicant)" 2>/dev/null || true
  # dnsmasq, sshd and dhclient name a file in LAB_DIR on their command lines; a namespace's deletion
  # would leave them running.
  pkill -f -- "$LAB_DIR/(dnsmasq|ssh_host|dhclient|lldpd)" 2>/dev/null || true
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  for n in "${NODES[@]}"; do rm -rf "/var/run/dpdk/$n"; done
  rm -f "$LAB_DIR"/*.pid "$LAB_DIR/airsim.sock"
  for n in "${NODES[@]}"; do rm -rf "/run/meshplane/$n"; done
}

peers_of() { "$MESHCTL" -n "$1" --json peers 2>/dev/null | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["established"]))' 2>/dev/null || echo 0; }

stations_of() { "$MESHCTL" -n "$1" --json stations 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["origin"] == "local"))' 2>/dev/null || echo 0; }

# hostapd on NODE's access port, as in HOSTAPD.md
start_hostapd() {
  local n=$1
  mkdir -p "/run/meshplane/$n"
  cat > "$LAB_DIR/hostapd-$n.conf" <<CONF
interface=wifi1
driver=wired
ctrl_interface=/run/meshplane/$n/hostapd
ieee8021x=1
eapol_version=2
eap_server=1
eap_user_file=$LAB_DIR/eap_users
use_pae_group_addr=1
ssid=campus
rrm_neighbor_report=1
bss_transition=1
CONF
  ip netns exec "$n" hostapd -t "$LAB_DIR/hostapd-$n.conf" >>"$LAB_DIR/hostapd-$n.log" 2>&1 &
  echo $! > "$LAB_DIR/hostapd-$n.pid"
}

mgmt_address() { ip -n "$1" -4 -o addr show dev br0 2>/dev/null | awk '{print $4; exit}'; }

lab_status() {
  for n in "${NODES[@]}"; do
    local id
    id=$("$MESHCTL" -n "$n" info 2>/dev/null | sed -n 's/^mesh-id: *//p')
    printf '%s: interface wifi0  mesh-id: %s  peers: %s   interface wifi1  ssid: campus  stations: %s   interface br0  %s\n' \
      "$n" "${id:-?}" "$(peers_of "$n")" "$(stations_of "$n")" "$(mgmt_address "$n" || true)"
  done
}

# The lan host's DHCP server (dnsmasq, no DNS); gw3 always gets 192.0.2.13.
start_dhcp_server() {
  ip netns exec lan dnsmasq --keep-in-foreground --port=0 --interface=lan0 --bind-interfaces \
    --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m --dhcp-host=02:00:00:00:00:03,192.0.2.13 \
    --dhcp-leasefile="$LAB_DIR/dnsmasq.leases" --user=root --conf-file=/dev/null --log-dhcp \
    --log-facility="$LAB_DIR/dnsmasq.log" &
  echo $! > "$LAB_DIR/dnsmasq.pid"
}

# dhclient on NODE's br0 with a script of our own that only sets the address (Debian's would rewrite
# /etc/resolv.conf, shared by every namespace).
start_dhcp_client() {
  local n=$1
  cat > "$LAB_DIR/dhclient-script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
  PREINIT) ip link set dev "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ] && ip addr del "$old_ip_address/$old_subnet_mask" dev "$interface"
    ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP)
    [ -n "$old_ip_address" ] && ip addr del "$old_ip_address/$old_subnet_mask" dev "$interface" ;;
esac
exit 0
SCRIPT
  chmod 755 "$LAB_DIR/dhclient-script"
  ip netns exec "$n" dhclient -4 -nw -sf "$LAB_DIR/dhclient-script" -lf "$LAB_DIR/dhclient-$n.leases" \
    -pf "$LAB_DIR/dhclient-$n.pid" br0 >>"$LAB_DIR/dhclient-$n.log" 2>&1
}

# An SSH server on each node's management address (the lab's own host key, no logins configured).
start_sshd() {
  local n=$1
  [ -f "$LAB_DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$LAB_DIR/ssh_host_ed25519_key"
  mkdir -p /run/sshd
  ip netns exec "$n" /usr/sbin/sshd -f /dev/null -h "$LAB_DIR/ssh_host_ed25519_key" \
    -o PidFile="$LAB_DIR/sshd-$n.pid" -o ListenAddress=0.0.0.0 -o UsePAM=no -E "$LAB_DIR/sshd-$n.log"
}

# lldpd NS IFACE NAME: an LLDP agent on IFACE in NS, announcing NAME every 5 s (its own socket per
# namespace).
start_lldpd() {
  printf 'configure system hostname %s\nconfigure lldp tx-interval 5\n' "$3" > "$LAB_DIR/lldpd-$1.conf"
  ip netns exec "$1" lldpd -u "$LAB_DIR/lldpd-$1.socket" -p "$LAB_DIR/lldpd-$1.pid" -I "$2" \
    -O "$LAB_DIR/lldpd-$1.conf" >>"$LAB_DIR/lldpd-$1.log" 2>&1
}

# veth NS1 IF1 NS2 IF2 [MTU]: a veth pair between two namespaces, both ends up. Ethernet links keep
# 1500; the mesh links carry 1900 for the radiotap and 802.11 headers around a 1500-byte payload, and
# no more: meshplane's net_af_packet ports receive frames of up to about 1950 bytes intact (framesz
# 2048) and would see longer ones cut short (meshplane warns about such an MTU at start).
veth() {
  local mtu=${5:-1500}
  ip link add "$2" netns "$1" mtu "$mtu" type veth peer name "$4" netns "$3" mtu "$mtu"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# The mesh's shared secret: made once, kept across runs (every node of the lab must have the same)
mesh_secret() {
  mkdir -p "$(dirname "$MESH_PASSWORD_FILE")"
  if [ ! -s "$MESH_PASSWORD_FILE" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 > "$MESH_PASSWORD_FILE.new" && mv "$MESH_PASSWORD_FILE.new" "$MESH_PASSWORD_FILE")
  fi
  chown root:root "$MESH_PASSWORD_FILE"
  chmod 600 "$MESH_PASSWORD_FILE"
}

# meshplane NODE: the node's dataplane, from its config, keys logged for the air's capture
start_meshplane() {
  ip netns exec "$1" "$BUILD_DIR/dataplane/meshplane" --config "$CONF_DIR/$1.json" --key-log "$KEY_LOG" \
    >>"$LAB_DIR/$1.log" 2>&1 &
  echo $! > "$LAB_DIR/$1.pid"
}

lab_up() {
  [ -x "$BUILD_DIR/dataplane/meshplane" ] || { echo "lab: build first (meson/ninja in $BUILD_DIR)" >&2; exit 1; }
  lab_down
  mkdir -p "$LAB_DIR"
  mesh_secret
  rm -rf "$LAB_DIR/wireshark"
  (umask 077; mkdir -p "$LAB_DIR/wireshark")
  for n in "${NODES[@]}"; do : > "$LAB_DIR/$n.log"; done
  trap 'echo "lab: setup failed, tearing down" >&2; lab_down' ERR
  for ns in "${NAMESPACES[@]}"; do
    ip netns add "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  local i=0
  for n in "${NODES[@]}"; do
    i=$((i + 1))
    veth "$n" wifi0 air "air-$n" 1900
    veth "$n" wifi1 client "c-$n"
    # the AP's BSSID is its interface address: the one conf/gwN.json announces (ap.bssid)
    ip -n "$n" link set wifi1 address "02:00:00:00:0$i:01"
  done
  veth gw1 eth0 lan lan0
  # A cable between gw1 and gw2: a wired mesh link (medium ethernet, port eth1 in both configs), the
  # peers' traffic takes it and falls back to the radio when it goes.
  veth gw1 eth1 gw2 eth1 1900
  # meshplane's af_packet ports are kernel interfaces too, in the node's namespace: left alone, the
  # kernel would answer ARP for br0's management address on them (with their own MACs) and take the
  # traffic past the dataplane. They belong to meshplane: the kernel never answers ARP on them.
  for n in "${NODES[@]}"; do
    for ifc in wifi0 wifi1 eth0 eth1; do
      ip netns exec "$n" test -e "/proc/sys/net/ipv4/conf/$ifc" || continue
      ip netns exec "$n" sysctl -qw "net.ipv4.conf.$ifc.arp_ignore=8"
    done
  done
  ip -n lan addr add 192.0.2.1/24 dev lan0
  # A veth leaves UDP/TCP checksums to "hardware" that is not there: the frames the hosts send reach
  # meshplane's af_packet ports with partial checksums, and a receiver across the mesh would drop them.
  ip netns exec lan ethtool -K lan0 tx off >/dev/null
  start_dhcp_server
  # One roaming station: the same MAC on the client's three links, one up at a time.
  for n in "${NODES[@]}"; do
    ip -n client link set "c-$n" down
    ip -n client link set "c-$n" address 02:00:00:00:c1:01
  done
  for n in "${NODES[@]}"; do ip netns exec client ethtool -K "c-$n" tx off >/dev/null; done
  ip -n client link set c-gw3 up
  ip -n client addr add 192.0.2.3/24 dev c-gw3
  echo '"alice" MD5 "alicepass"' > "$LAB_DIR/eap_users"
  cat > "$LAB_DIR/wpa_supplicant.conf" <<CONF
ctrl_interface=$LAB_DIR/wpa
ap_scan=0
network={
	key_mgmt=IEEE8021X
	eap=MD5
	identity="alice"
	password="alicepass"
	eapol_flags=0
}
CONF

  ip netns exec air "$AIRSIM" --topology "$CONF_DIR/lab-air.json" --control "$LAB_DIR/airsim.sock" \
    --pcap "$LAB_DIR/air.pcap" --seed 1 >"$LAB_DIR/airsim.log" 2>&1 &
  echo $! > "$LAB_DIR/airsim.pid"
  for n in "${NODES[@]}"; do
    start_hostapd "$n"
    start_meshplane "$n"
  done
  ip netns exec client wpa_supplicant -Dwired -i c-gw3 -c "$LAB_DIR/wpa_supplicant.conf" \
    >"$LAB_DIR/wpa_supplicant.log" 2>&1 &
  echo $! > "$LAB_DIR/wpa_supplicant.pid"
  trap - ERR
  for _ in $(seq 100); do
    local ready=0
    for n in "${NODES[@]}"; do [ "$(peers_of "$n")" -eq 2 ] && ready=$((ready + 1)); done
    [ "$ready" -eq 3 ] && break
    sleep 0.1
  done
  [ "$ready" -eq 3 ] || { echo "lab: not every node has 2 peers after 10 s; logs in $LAB_DIR" >&2; return 1; }
  # Management: gw3 asks the lan host for its address, across the mesh; every node runs sshd.
  start_dhcp_client gw3
  for n in "${NODES[@]}"; do start_sshd "$n"; start_lldpd "$n" br0 "$n"; done
  start_lldpd lan lan0 lan
  for _ in $(seq 150); do
    [ -n "$(mgmt_address gw3)" ] && break
    sleep 0.1
  done
  [ -n "$(mgmt_address gw3)" ] || { echo "lab: gw3 got no management address by DHCP within 15 s; logs in $LAB_DIR" >&2; return 1; }
  # wpa_supplicant waits 2 s before its first EAPOL-Start; 802.1X then takes a few milliseconds.
  for _ in $(seq 100); do
    [ "$(stations_of gw3)" -ge 1 ] && return 0
    sleep 0.1
  done
  echo "lab: the client did not associate on gw3 within 10 s; logs in $LAB_DIR" >&2
  return 1
}

case "${1:-}" in
  up) lab_up ;;
  hostapd) start_hostapd "$2" ;;
  down) lab_down ;;
  status) lab_status ;;
  *) echo "usage: $0 up|status|down|hostapd NODE" >&2; exit 2 ;;
esac
