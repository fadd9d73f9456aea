#!/usr/bin/env bash
# Benchmark (by hand): OVS-DPDK (Debian's openvswitch-switch-dpdk) as an L2 learning bridge (action
# NORMAL) between two memif ports, against testpmd io-forward on the same kind of ports in the same run:
# the peer users would pick instead of meshplane's bridging. Recipe and traps from BENCH.md: ovsdb-server
# and ovs-vswitchd-dpdk run by hand with private directories (the packaged service stays off), DPDK on
# hugepages with dpdk-socket-mem=256, its main thread on CPU 0 and its PMD thread on CPU 1; its ports are
# memif servers with 2 rx queues, and meshgen (the memif client) polls 2 queues because OVS's PMD sends
# on tx queue 1. DESTS stations are first taught to the bridge by a warm-up from the access side.
# Installs openvswitch-switch-dpdk when missing.
# Usage: ovs_bridge.sh [BUILD_DIR] [SECONDS] [SIZE] [DESTS]    (RESULT_JSON=FILE appends a result line)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
SIZE=${3:-64}
DESTS=${4:-1000}
MESHGEN=${MESHGEN:-$BUILD/tools/meshgen/meshgen}
VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
if [ ! -x "$VSWITCHD" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q openvswitch-switch-dpdk >/dev/null
fi
work=$(mktemp -d /tmp/ovs-bench-XXXXXX)
mkdir -p "$work/run" "$work/db" "$work/log"
export OVS_RUNDIR=$work/run OVS_DBDIR=$work/db OVS_LOGDIR=$work/log
db=unix:$work/run/db.sock
vsctl() { ovs-vsctl --db="$db" --timeout=30 "$@"; }
cleanup() {
  for f in "$work"/run/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 1
  rm -rf "$work" /var/run/dpdk/ovsb-*-$$ /dev/hugepages/ovsb-*-$$* 2>/dev/null || true
}
trap cleanup EXIT

ovsdb-tool create "$work/db/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --remote="punix:$work/run/db.sock" --pidfile="$work/run/ovsdb-server.pid" --detach \
  --log-file="$work/log/ovsdb-server.log" "$work/db/conf.db"
vsctl --no-wait init
vsctl --no-wait set Open_vSwitch . other_config:dpdk-init=true \
  other_config:dpdk-extra="--no-pci --file-prefix=ovsb-sw-$$" other_config:dpdk-socket-mem=256 \
  other_config:dpdk-lcore-mask=0x1 other_config:pmd-cpu-mask=0x2
taskset -c 0 "$VSWITCHD" "$db" --pidfile="$work/run/ovs-vswitchd.pid" --detach \
  --log-file="$work/log/ovs-vswitchd.log"
vsctl add-br br0 -- set bridge br0 datapath_type=netdev
for i in 0 1; do
  vsctl add-port br0 "p$i" -- set Interface "p$i" type=dpdk \
    "options:dpdk-devargs=net_memif$i,role=server,id=0,socket=$work/o$i.sock,socket-abstract=no" options:n_rxq=2
done
c0="net_memif0,role=client,id=0,socket=$work/o0.sock,socket-abstract=no"
c1="net_memif1,role=client,id=0,socket=$work/o1.sock,socket-abstract=no"
STA_SRC=0a:01:00:00:00:00 STA_DST=0a:02:00:00:00:00
# Warm-up: the receiving stations speak first, so the bridge knows where they are.
"$MESHGEN" --tx "$c1" --rx "$c0" --queues 2 --kind eth --src "$STA_DST" --dst 0a:0f:00:00:00:00 \
  --stations "$DESTS" --flows "$DESTS" --rate 200000 --count $((DESTS * 2)) --link-wait 20 --lcores 0@1,1@0 \
  --quiet --json "$work/warmup.json" -- --file-prefix="ovsb-warm-$$" >"$work/warmup.log" 2>&1 ||
  { echo "warm-up through OVS failed:"; cat "$work/warmup.log" "$work/log/ovs-vswitchd.log" | tail -30; exit 1; }
"$MESHGEN" --tx "$c0" --rx "$c1" --queues 2 --kind eth --rx-kind eth --src "$STA_SRC" --dst "$STA_DST" \
  --stations "$DESTS" --flows "$DESTS" --size "$SIZE" --rate max --duration "$SECS" --start-delay 1 \
  --lcores 0@1,1@0 --quiet --json "$work/ovs.json" -- --file-prefix="ovsb-gen-$$" >"$work/ovs.log" 2>&1 ||
  { echo "meshgen through OVS failed:"; cat "$work/ovs.log"; exit 1; }
# meshgen's generator runs on CPU 0 beside OVS's mostly idle main thread, the OVS PMD on CPU 1: two
# busy threads, placed as for meshplane and testpmd.
for f in "$work"/run/*.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
sleep 1

# The ceiling in the same run: testpmd io-forward, meshgen as the memif server as in meshgen_bench.sh.
s0="net_memif0,role=server,id=0,socket=$work/t0.sock,socket-abstract=no"
s1="net_memif1,role=server,id=0,socket=$work/t1.sock,socket-abstract=no"
"$MESHGEN" --tx "$s0" --rx "$s1" --kind eth --rx-kind eth --src "$STA_SRC" --dst "$STA_DST" --stations "$DESTS" \
  --flows "$DESTS" --size "$SIZE" --rate max --duration "$SECS" --start-delay 1 --lcores 0@1,1@0 --quiet \
  --json "$work/testpmd.json" -- --file-prefix="ovsb-gen2-$$" >"$work/tp-gen.log" 2>&1 &
gen=$!
sleep 0.3
dpdk-testpmd --no-huge -m 256 --lcores=0@0,1@1 --no-pci --file-prefix="ovsb-tp-$$" --log-level=4 \
  --vdev="${s0/server/client}" --vdev="${s1/server/client}" -- --port-topology=paired --forward-mode=io \
  --total-num-mbufs=16384 --stats-period=1 >"$work/testpmd.log" 2>&1 &
tp=$!
wait "$gen"
kill -INT "$tp"; wait "$tp" 2>/dev/null || true

python3 - "$work" "$SIZE" "$DESTS" "${RESULT_JSON:-}" <<'PY'
import json, sys
work, size, dests, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
o, t = json.load(open(f"{work}/ovs.json")), json.load(open(f"{work}/testpmd.json"))
print(f"lan -> access L2 bridging, {dests} stations, size {size}:")
print(f"  OVS-DPDK   rx {o['rx_mpps']:6.2f} Mpps {o['rx_bps'] / 1e9:6.2f} Gbit/s (loss {o['loss_pct']:.2f} %)")
print(f"  testpmd    rx {t['rx_mpps']:6.2f} Mpps {t['rx_bps'] / 1e9:6.2f} Gbit/s")
ratio = o["rx_pps"] / t["rx_pps"] if t["rx_pps"] else 0
print(f"  ratio OVS-DPDK / testpmd io-forward: {ratio:.2f}")
if out:
    with open(out, "a") as f:
        f.write(json.dumps({"scenario": "ovs", "size": size, "table": dests,
                            "ovs": {"mpps": round(o["rx_mpps"], 3), "gbps": round(o["rx_bps"] / 1e9, 3)},
                            "testpmd": {"mpps": round(t["rx_mpps"], 3), "gbps": round(t["rx_bps"] / 1e9, 3)},
                            "ratio": round(ratio, 3)}) + "\n")
PY
