#!/usr/bin/env bash
# The main job, at this stage of the project: set the machine up, build, and run gw1 from the
# shipped conf/gw1.json in its own network namespace with veths for its three ports; send traffic
# from the lan host, show the node through DPDK telemetry, then stop it and clean everything up.
# (The 3-node mesh lab with airsim replaces this once the live-mesh issue lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${MESHPLANE_BUILD:-build}
NODE=gw1
SECONDS_TO_RUN=${MESHPLANE_DEMO_SECONDS:-6}

bash tools/setup.sh
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" -Dwerror=true >/dev/null
fi
ninja -C "$BUILD" >/dev/null

pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for ns in $NODE lan air client; do ip netns del "demo-$ns" 2>/dev/null || true; done
  rm -rf "/var/run/dpdk/$NODE"
}
trap cleanup EXIT
cleanup

# gw1's ports: wifi0 (mesh, towards the air), wifi1 (access, towards the client), eth0 (lan).
for ns in $NODE lan air client; do ip netns add "demo-$ns"; done
link() { # link <gw ifname> <peer ns> <peer ifname>
  ip link add "$1" netns "demo-$NODE" type veth peer name "$3" netns "demo-$2"
  ip -n "demo-$NODE" link set "$1" up
  ip -n "demo-$2" link set "$3" up
}
link wifi0 air air-gw1
link wifi1 client client0
link eth0 lan lan0
ip -n demo-lan addr add 192.0.2.1/24 dev lan0
# Keep the kernel's own IPv6 chatter off the veths so the counters show only the demo's traffic.
for ns in $NODE lan air client; do ip netns exec "demo-$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done

echo "== meshplane $NODE (conf/$NODE.json) in namespace demo-$NODE"
ip netns exec "demo-$NODE" "$ROOT/$BUILD/dataplane/meshplane" --config "conf/$NODE.json" \
  --duration "$SECONDS_TO_RUN" &
pid=$!
telemetry() { printf '%s\n' "$@" | dpdk-telemetry.py -f "$NODE" 2>/dev/null | grep '^{"/'; }
for _ in $(seq 100); do
  telemetry /meshplane/info >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== lan host 192.0.2.1 pings 192.0.2.3 behind the mesh: its ARP broadcasts reach gw1's eth0"
ip netns exec demo-lan ping -c 2 -W 1 192.0.2.3 >/dev/null 2>&1 || true

echo "== dpdk-telemetry.py -f $NODE"
telemetry /meshplane/info /meshplane/ports "/meshplane/stats,eth0"

wait "$pid"
pid=
echo "== $NODE stopped cleanly. Look around yourself: run meshplane in a namespace as above and use"
echo "   dpdk-telemetry.py -f $NODE  (commands: /meshplane/info, /meshplane/ports, /meshplane/stats, /meshplane/config)"
