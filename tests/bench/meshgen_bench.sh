#!/usr/bin/env bash
# Benchmark (by hand, not a test): mesh transit (or lan -> mesh encapsulation) at max rate, meshgen <-> meshplane (1 worker) against
# meshgen <-> dpdk-testpmd io-forward on the same memif setup, in the same run. meshgen is the memif
# server and sends mesh-unicast frames from MP1 for MP3 to MP2; meshplane (MP2, static path to MP3)
# or testpmd (port looped to itself) sends them back on the same port. Figures are what meshgen
# receives back per second. Two busy threads only (BENCH.md): meshgen's generator lcore on CPU 0
# with its idle main lcore on CPU 1, the peer's forwarding lcore on CPU 1 with its main on CPU 0.
# Usage: [SCENARIO=transit|encap] meshgen_bench.sh [BUILD_DIR] [SECONDS] [SIZE] [DESTS] [RUNS]
#   SIZE: 64..1518 or imix (default 64); MESH_DESTS: mesh destinations / static paths, 1..256
#   (default 1); RUNS: alternating testpmd/meshplane rounds, medians reported (default 3).
#   MESHGEN / MESHPLANE override the binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
SIZE=${3:-64}
DESTS=${4:-1}
RUNS=${5:-3}
# SCENARIO=transit (mesh in, mesh out, one memif port); encap (Ethernet in on a lan port, mesh data
# with AE out on a mesh port; DESTS = end stations, each a static proxy behind MP3); decap (mesh data
# with AE for stations on the lan port, out as Ethernet; DESTS = those stations, static FDB entries);
# bridge (Ethernet from the lan port to stations on an access port; DESTS = those stations). All but
# transit use two memif ports, and testpmd forwards between the same two.
SCENARIO=${SCENARIO:-transit}
MESHGEN=${MESHGEN:-$BUILD/tools/meshgen/meshgen}
MESHPLANE=${MESHPLANE:-$BUILD/dataplane/meshplane}
work=$(mktemp -d /tmp/meshgen-bench-XXXXXX)
pids=()
# DPDK leaves its runtime directory behind: remove ours (named by this script's pid).
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work" /var/run/dpdk/mgb-*-$$' EXIT

if pgrep -f 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen' >/dev/null; then
  echo "warning: other DPDK processes are running; figures will be low:" >&2
  pgrep -af 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen' >&2 || true
fi
sock="$work/memif.sock"
server="net_memif0,role=server,id=0,socket=$sock,socket-abstract=no"
client="net_memif0,role=client,id=0,socket=$sock,socket-abstract=no"
server_b="net_memif1,role=server,id=0,socket=$work/memif-b.sock,socket-abstract=no"
client_b="net_memif1,role=client,id=0,socket=$work/memif-b.sock,socket-abstract=no"
if [ "$SCENARIO" = encap ]; then
  GEN_ARGS=(--tx "$server" --rx "$server_b" --kind eth --rx-kind mesh-unicast-ae --stations "$DESTS" --flows "$DESTS")
  TESTPMD_ARGS=(--vdev="$client" --vdev="$client_b" -- --port-topology=paired)
elif [ "$SCENARIO" = decap ]; then
  GEN_ARGS=(--tx "$server" --rx "$server_b" --kind mesh-unicast-ae --mesh-da 02:00:00:00:00:02 --rx-kind eth
            --stations "$DESTS" --flows "$DESTS")
  TESTPMD_ARGS=(--vdev="$client" --vdev="$client_b" -- --port-topology=paired)
elif [ "$SCENARIO" = bridge ]; then
  GEN_ARGS=(--tx "$server" --rx "$server_b" --kind eth --rx-kind eth --stations "$DESTS" --flows "$DESTS")
  TESTPMD_ARGS=(--vdev="$client" --vdev="$client_b" -- --port-topology=paired)
else
  GEN_ARGS=(--tx "$server" --kind mesh-unicast --mesh-dests "$DESTS" --flows "$DESTS")
  TESTPMD_ARGS=(--vdev="$client" -- --port-topology=loop)
fi

# gen NAME: meshgen in the background, summary in $work/NAME.json.
gen() {
  "$MESHGEN" "${GEN_ARGS[@]}" --lcores 0@1,1@0 --size "$SIZE" --rate max \
    --duration "$SECS" --start-delay 1 --quiet \
    --json "$work/$1.json" -- --file-prefix="mgb-gen-$1-$$" >"$work/$1.gen.log" 2>&1 &
  pids=($!)
  sleep 0.3
}
# finish: wait for meshgen, then stop the peer (pids[1]) with SIGINT.
finish() {
  local rc=0
  wait "${pids[0]}" || rc=$?
  kill -INT "${pids[1]}" 2>/dev/null || true
  wait "${pids[1]}" 2>/dev/null || true
  pids=()
  if [ "$rc" -ne 0 ]; then echo "meshgen failed ($rc):" >&2; cat "$work"/*.log >&2; exit 1; fi
}

# 2. meshplane, one busy-polling worker on CPU 1, DESTS static paths on the same port.
paths=$(python3 -c "import sys; n=int(sys.argv[1]); print(','.join(
  '{\"dest\": \"02:00:00:%02x:%02x:%02x\", \"next_hop\": \"02:00:00:00:00:03\", \"port\": \"wifi0\"}'
  % ((3+i)>>16 & 255, (3+i)>>8 & 255, (3+i) & 255) for i in range(n)))" "$DESTS")
if [ "$SCENARIO" = encap ]; then
  proxies=$(python3 -c "import sys; n=int(sys.argv[1]); print(','.join(
    '{\"station\": \"0a:00:00:00:%02x:%02x\", \"proxy\": \"02:00:00:00:00:03\"}'
    % ((0xb000 + i) >> 8 & 255, (0xb000 + i) & 255) for i in range(n)))" "$DESTS")
  ports="{\"name\": \"eth0\", \"role\": \"lan\", \"devargs\": \"$client\"},
         {\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client_b\"}"
  tables="\"static_paths\": [{\"dest\": \"02:00:00:00:00:03\", \"next_hop\": \"02:00:00:00:00:03\", \"port\": \"wifi0\"}],
  \"static_proxies\": [$proxies],"
elif [ "$SCENARIO" = decap ] || [ "$SCENARIO" = bridge ]; then
  # the destination stations sit on the second port (lan for decap, access for bridge)
  out_port=$([ "$SCENARIO" = decap ] && echo eth1 || echo wifi1)
  fdb=$(python3 -c "import sys; n=int(sys.argv[1]); print(','.join(
    '{\"mac\": \"0a:00:00:00:%02x:%02x\", \"port\": \"%s\"}'
    % ((0xb000 + i) >> 8 & 255, (0xb000 + i) & 255, sys.argv[2]) for i in range(n)))" "$DESTS" "$out_port")
  if [ "$SCENARIO" = decap ]; then
    ports="{\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client\"},
           {\"name\": \"eth1\", \"role\": \"lan\", \"devargs\": \"$client_b\"}"
  else
    ports="{\"name\": \"eth0\", \"role\": \"lan\", \"devargs\": \"$client\"},
           {\"name\": \"wifi1\", \"role\": \"access\", \"devargs\": \"$client_b\"}"
  fi
  tables="\"static_fdb\": [$fdb],"
else
  ports="{\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client\"}"
  tables="\"static_paths\": [$paths],"
fi
cat > "$work/node.json" <<JSON
{
  "node": {"name": "mgbench", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mgb-mp-$$"},
  "mesh": {"mesh_id": "meshgen-bench"},
  "ports": [$ports],
  $tables
  "workers": {"lcores": [1], "main_lcore": 0},
  "mempool": {"mbufs": 16383, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
for r in $(seq 1 "$RUNS"); do
  # 1. Ceiling: testpmd io-forward, port looped to itself.
  gen "testpmd-$r"
  dpdk-testpmd --no-huge -m 256 --lcores=0@0,1@1 --no-pci --file-prefix="mgb-tp-$$" --log-level=4 \
    "${TESTPMD_ARGS[@]}" --forward-mode=io --total-num-mbufs=16384 \
    --stats-period=1 >"$work/testpmd.log" 2>&1 &
  pids+=($!)
  finish

  gen "meshplane-$r"
  "$MESHPLANE" --config "$work/node.json" --duration $((SECS + 10)) --stats-file "$work/stats-$r.json" \
    >"$work/meshplane.log" 2>&1 &
  pids+=($!)
  finish
done

python3 - "$work" "$RUNS" "$SIZE" "$DESTS" "$SCENARIO" <<'PY'
import json, sys
work, runs = sys.argv[1], int(sys.argv[2])
load = lambda name: [json.load(open(f"{work}/{name}-{r}.json")) for r in range(1, runs + 1)]
tp, mp = load("testpmd"), load("meshplane")
def median_run(rs):
    return sorted(rs, key=lambda s: s["rx_pps"])[len(rs) // 2]
def line(name, rs):
    s = median_run(rs)
    lat = s["latency_us"]
    print(f"  {name:10s} rx {s['rx_mpps']:6.2f} Mpps  {s['rx_bps']/1e9:6.2f} Gbit/s  (runs: "
          + " ".join(f"{x['rx_mpps']:.2f}" for x in rs)
          + f"; loss {s['loss_pct']:.2f} %, latency p50 {lat['p50']:.0f} us p99 {lat['p99']:.0f} us)")
    return s["rx_pps"]
what = {"encap": "lan -> mesh encapsulation (AE), {} station(s) behind MP3",
        "decap": "mesh -> lan decapsulation (AE), {} station(s) on the lan port",
        "bridge": "lan -> access bridging, {} station(s) on the access port"}.get(
            sys.argv[5], "mesh transit, {} mesh destination(s)").format(sys.argv[4])
print(f"{what}, size {sys.argv[3]}, meshgen at max rate over memif, median of {runs}:")
a = line("testpmd", tp)
b = line("meshplane", mp)
fw = {}
try:
    st = json.load(open(f"{work}/stats-{runs}.json"))
    fw = {}
    for p in st["ports"]:
        for k, v in p["forwarding"].items():
            fw[k] = fw.get(k, 0) + v
except Exception:
    pass
extra = {k: v for k, v in fw.items() if k in ("mesh_forward", "encap_unicast", "decap_unicast", "bridge_forward",
                                              "bridge_flood", "punt_no_path", "drop_tx_full", "drop_no_route") and v}
if extra:
    print("  meshplane counters (last run):", ", ".join(f"{k} {v}" for k, v in extra.items()))
print(f"  ratio meshplane / testpmd io-forward: {b / a:.2f}")
PY
