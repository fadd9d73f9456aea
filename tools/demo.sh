#!/usr/bin/env bash
# The main job: set the machine up, build, and start the 3-node mesh lab from the shipped configs
# (conf/gw1.json, gw2.json, gw3.json; airsim relays their radios, a cable joins gw1 and gw2; the mesh
# secured by SAE, AMPE and CCMP with one shared secret, as the seed's is). Shows each node's mesh and its keyed peers,
# pings from the lan host (wired to gw1) to the host behind gw3 across the mesh, reaches gw3's own
# management address (DHCP-leased across the mesh) by ping and SSH, and leaves the lab
# running for you to look around. Stop it with: bash tools/lab.sh down
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MESHPLANE_BUILD:-build}

bash tools/setup.sh
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" -Dwerror=true >/dev/null
fi
ninja -C "$BUILD" >/dev/null

echo "== starting the lab: gw1 (wired to the lan), gw2 and gw3 (mesh only; a cable joins gw1 and gw2 as a wired mesh link), hostapd on each, airsim, a lan host, a client associating on gw3"
bash tools/lab.sh up
echo
bash tools/lab.sh status
echo
echo "== the secure mesh: gw3's peers, each authenticated by SAE with the lab's one mesh secret and keyed (meshctl -n gw3 peers)"
"$BUILD/tools/meshctl/meshctl" -n gw3 peers
echo
echo "== the cable between gw1 and gw2: gw1's peer gw2 heard on the wire (eth1) and the radio (wifi0), its traffic on the wire (meshctl -n gw1 peers)"
for _ in $(seq 50); do
  "$BUILD/tools/meshctl/meshctl" -n gw1 peers | grep -q "^02:00:00:00:00:02 .* eth1 " && break
  sleep 0.1
done
"$BUILD/tools/meshctl/meshctl" -n gw1 peers
echo
echo "== ping from the lan host (192.0.2.1, behind gw1) to the client associated on gw3 (192.0.2.3), across the mesh"
ip netns exec lan ping -c 4 -i 0.5 -W 2 192.0.2.3
echo
echo "== gw3's own management address (its br0, leased by DHCP from the lan host, across the mesh): ping and SSH from the lan host"
ip netns exec lan ping -c 2 -i 0.5 -W 2 192.0.2.13
printf 'SSH server on 192.0.2.13 says: '
ip netns exec lan timeout 5 bash -c 'exec 3<>/dev/tcp/192.0.2.13/22 && head -1 <&3'
echo
echo "== gw3's mesh paths and forwarding database (meshctl -n gw3 paths / fdb)"
"$BUILD/tools/meshctl/meshctl" -n gw3 paths
echo
"$BUILD/tools/meshctl/meshctl" -n gw3 fdb
echo
echo "== the client as gw1 sees it (meshctl -n gw1 stations)"
"$BUILD/tools/meshctl/meshctl" -n gw1 stations
echo
echo "== the mesh as gw1 draws it from the nodes' announcements (meshctl -n gw1 topology; DOT, metrics of both ends)"
# The announcements go every 5 s: wait until gw1 has heard both other nodes.
for _ in $(seq 100); do
  [ "$("$BUILD/tools/meshctl/meshctl" -n gw1 --json topology | grep -c '"kind": "node"')" -ge 3 ] && break
  sleep 0.1
done
"$BUILD/tools/meshctl/meshctl" -n gw1 topology
if command -v dot >/dev/null; then
  "$BUILD/tools/meshctl/meshctl" -n gw1 topology --format svg -o /run/meshplane/lab/mesh.svg
  echo "(drawn: /run/meshplane/lab/mesh.svg)"
fi
cat <<TXT

The lab is running. Look around:
  $BUILD/tools/meshctl/meshctl -n gw1 info | peers | paths | fdb | stations | stats | ping MAC | traceroute MAC
  $BUILD/tools/meshctl/meshctl -n gw1 topology --path 02:00:00:00:00:03 --format svg -o mesh.svg
                                                            the mesh's picture, the route to gw3 in red
  dpdk-telemetry.py -f gw2                                  (/meshplane/info, /meshplane/peers, ...)
  ip netns exec lan ping 192.0.2.3                          traffic across the mesh
  ip netns exec lan ping 192.0.2.11 | .12 | .13             each node's own management address (br0)
  ip netns exec gw3 ip addr show br0                        a node's own interface, its host port
  $BUILD/tools/airsim/airsim --control /run/meshplane/lab/airsim.sock cut gw1 gw3
                                                            cut a radio link (restore gw1 gw3 to heal)
  ip -n gw2 link set eth1 down                              pull the cable gw1-gw2 (up to plug it back)
  tshark -r /run/meshplane/lab/air.pcap                     the air: beacons, SAE, peering; the rest encrypted
  WIRESHARK_CONFIG_DIR=/run/meshplane/lab/wireshark tshark -r /run/meshplane/lab/air.pcap
                                                            the air decrypted with the nodes' key log
  logs: /run/meshplane/lab/*.log
Stop it: bash tools/lab.sh down
TXT
