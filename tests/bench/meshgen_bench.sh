#!/usr/bin/env bash
# Benchmark (by hand, not a test): one scenario at max rate, meshgen <-> meshplane (1 worker) against
# meshgen <-> dpdk-testpmd io-forward on the same memif ports, in the same run. meshgen is the memif
# server; the peer forwards back to it. Figures are what meshgen receives back per second. Two busy
# threads only (BENCH.md): meshgen's generator lcore on CPU 0 with its idle main lcore on CPU 1, the
# peer's forwarding lcore on CPU 1 with its main on CPU 0.
# Usage: [SCENARIO=...] meshgen_bench.sh [BUILD_DIR] [SECONDS] [SIZE] [DESTS] [RUNS]
#   SIZE: 64..1518 or imix (default 64); DESTS: table size (default 1); RUNS: alternating
#   testpmd/meshplane rounds, medians reported (default 3).
# Scenarios (SCENARIO=..., default transit):
#   transit  mesh in, mesh out on one port, TTL decremented; DESTS mesh destinations (static paths)
#   encap    Ethernet in on a lan port, mesh data with AE out on a mesh port; DESTS stations behind MP3
#   decap    mesh data with AE in, Ethernet out on a lan port with proxy learning; DESTS stations there
#   bridge   Ethernet from a lan port to stations on an access port, learning; DESTS stations
#   group    mesh group data in, delivered to the lan port (and re-flooded to the mesh) with RMC
#   transit_ccmp, encap_ccmp, decap_ccmp, group_ccmp: the scenario twice in every round, without and
#            with CCMP on the mesh hops: the node with mesh.security "static" (benchmark keys for
#            its static peers, conf/README.md), meshgen with the same keys (--mtk/--mgtk: it encrypts
#            what it sends to the mesh port and verifies and decrypts what it gets back from it).
#            Reports both and the cycles CCMP adds. With CCMP meshgen's own ceiling is measured for
#            transit only (testpmd returns its protected frames, so meshgen encrypts and decrypts each
#            as it does through the node); in encap/decap testpmd would hand back frames that cost
#            meshgen other work than the node's do, so that testpmd run is left out, and the worker's
#            busy share tells who the limit was: near 100 % the node, clearly below it meshgen.
# Up to the static lists' sizes (1,024 proxies, 256 FDB entries) encap and bridge tables come from the
# config; beyond, meshplane learns them first from a warm-up meshgen run at a rate its control thread
# keeps up with (proxies from mesh frames with AE, stations from frames on the access port) and the
# benchmark starts once the table holds them.
# Environment: RESULT_JSON=FILE appends one JSON result line; HALF_LOAD=0 skips the latency run at half
# of meshplane's rate; MESHGEN / MESHPLANE override the binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-3}
SIZE=${3:-64}
DESTS=${4:-1}
RUNS=${5:-3}
SCENARIO=${SCENARIO:-transit}
base=${SCENARIO%_ccmp}   # the scenario; a _ccmp suffix runs it without and with CCMP
ccmp=0
[ "$base" != "$SCENARIO" ] && ccmp=1
# The benchmark keys of mesh.security "static" (not secrets: they only exist in this run).
MTK=000102030405060708090a0b0c0d0e0f
MGTK=f0e1d2c3b4a5968778695a4b3c2d1e0f
HALF_LOAD=${HALF_LOAD:-1}
MESHGEN=${MESHGEN:-$BUILD/tools/meshgen/meshgen}
MESHPLANE=${MESHPLANE:-$BUILD/dataplane/meshplane}
MESHCTL=${MESHCTL:-$BUILD/tools/meshctl/meshctl}
work=$(mktemp -d /tmp/meshgen-bench-XXXXXX)
pids=()
# DPDK leaves its runtime directory behind: remove ours (named by this script's pid).
mp=
trap 'for p in "${pids[@]}" $mp; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work" /var/run/dpdk/mgb-*-$$' EXIT

if pgrep -f 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen|ovs-vswitchd' >/dev/null; then
  echo "warning: other DPDK processes are running; figures will be low:" >&2
  pgrep -af 'dpdk-testpmd|dataplane/meshplane|meshgen/meshgen|ovs-vswitchd' >&2 || true
fi
sock="$work/memif.sock"
server="net_memif0,role=server,id=0,socket=$sock,socket-abstract=no"
client="net_memif0,role=client,id=0,socket=$sock,socket-abstract=no"
server_b="net_memif1,role=server,id=0,socket=$work/memif-b.sock,socket-abstract=no"
client_b="net_memif1,role=client,id=0,socket=$work/memif-b.sock,socket-abstract=no"
STA_SRC=0a:01:00:00:00:00   # end stations that send (distinct ranges: no station is on both sides)
STA_DST=0a:02:00:00:00:00   # end stations that receive
learn=0
case "$base" in
  encap)
    GEN_ARGS=(--tx "$server" --rx "$server_b" --kind eth --rx-kind mesh-unicast-ae)
    [ "$DESTS" -gt 1024 ] && learn=1 ;;
  decap)
    GEN_ARGS=(--tx "$server" --rx "$server_b" --kind mesh-unicast-ae --mesh-da 02:00:00:00:00:02 --rx-kind eth) ;;
  bridge)
    GEN_ARGS=(--tx "$server" --rx "$server_b" --kind eth --rx-kind eth)
    [ "$DESTS" -gt 256 ] && learn=1 ;;
  group)
    GEN_ARGS=(--tx "$server" --rx "$server_b" --kind mesh-group --rx-kind eth) ;;
  transit)
    GEN_ARGS=(--tx "$server" --kind mesh-unicast --mesh-dests "$DESTS") ;;
  *) echo "SCENARIO=$SCENARIO: not one of transit, encap, decap, bridge, group (or transit_ccmp, encap_ccmp, decap_ccmp, group_ccmp)" >&2; exit 2 ;;
esac
if [ "$ccmp" = 1 ] && [ "$base" = bridge ]; then
  echo "SCENARIO=$SCENARIO: bridging has no mesh hop, so nothing for CCMP to protect" >&2; exit 2
fi
GEN_ARGS+=(--src "$STA_SRC" --dst "$STA_DST" --stations "$DESTS" --flows "$DESTS")
if [ "$base" = transit ]; then
  TESTPMD_ARGS=(--vdev="$client" -- --port-topology=loop)
else
  TESTPMD_ARGS=(--vdev="$client" --vdev="$client_b" -- --port-topology=paired)
fi

# The variant of the current run: "" (plain) or "-ccmp"; VARIANT_ARGS are meshgen's keys then, NODE the
# node's config.
VARIANT=
VARIANT_ARGS=()
NODE="$work/node.json"
set_variant() {
  VARIANT=$1
  if [ "$VARIANT" = -ccmp ]; then VARIANT_ARGS=(--mtk "$MTK" --mgtk "$MGTK"); NODE="$work/node-ccmp.json"
  else VARIANT_ARGS=(); NODE="$work/node.json"; fi
}
# gen NAME [ARGS...]: meshgen in the background, summary in $work/NAME.json.
gen() {
  local name=$1; shift
  "$MESHGEN" "${GEN_ARGS[@]}" "${VARIANT_ARGS[@]}" --lcores 0@1,1@0 --size "$SIZE" --rate max \
    --duration "$SECS" --start-delay 1 --quiet "$@" \
    --json "$work/$name.json" -- --file-prefix="mgb-gen-$$" >"$work/$name.gen.log" 2>&1 &
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

# The node: MP2 (02:00:00:00:00:02), one worker on CPU 1. It sleeps only after 1,000 empty polls (never
# under load), so that it is not inside a memif burst when meshgen leaves: DPDK 22.11's memif PMD
# unmaps the rings from its interrupt thread then, and a burst caught in that instant faults.
source tests/bench/mac_list.sh # list COUNT FORMAT BASE
case "$base" in
  transit)
    ports="{\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client\"}"
    tables="\"static_paths\": [$(list "$DESTS" '{"dest": "%s", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}' 02:00:00:00:00:03)]," ;;
  encap)
    ports="{\"name\": \"eth0\", \"role\": \"lan\", \"devargs\": \"$client\"},
           {\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client_b\"}"
    tables="\"static_paths\": [{\"dest\": \"02:00:00:00:00:03\", \"next_hop\": \"02:00:00:00:00:03\", \"port\": \"wifi0\"}],"
    [ "$learn" = 0 ] && tables="$tables \"static_proxies\": [$(list "$DESTS" '{"station": "%s", "proxy": "02:00:00:00:00:03"}' $STA_DST)]," ;;
  decap|group)
    ports="{\"name\": \"wifi0\", \"role\": \"mesh\", \"devargs\": \"$client\"},
           {\"name\": \"eth1\", \"role\": \"lan\", \"devargs\": \"$client_b\"}"
    tables=""
    [ "$base" = decap ] && tables="\"static_fdb\": [$(list "$(( DESTS < 256 ? DESTS : 256 ))" '{"mac": "%s", "port": "eth1"}' $STA_DST)]," ;;
  bridge)
    ports="{\"name\": \"eth0\", \"role\": \"lan\", \"devargs\": \"$client\"},
           {\"name\": \"wifi1\", \"role\": \"access\", \"devargs\": \"$client_b\"}"
    tables=""
    [ "$learn" = 0 ] && tables="\"static_fdb\": [$(list "$DESTS" '{"mac": "%s", "port": "wifi1"}' $STA_DST)]," ;;
esac
# meshgen's transmitters (MP1, and MP3 for decapsulation) are peers without a peering handshake.
[ "$base" = bridge ] || tables="\"static_peers\": [{\"mac\": \"02:00:00:00:00:01\", \"port\": \"wifi0\"},
  {\"mac\": \"02:00:00:00:00:03\", \"port\": \"wifi0\"}], $tables"
# Room for the learned stations on both sides; memory for the tables beyond the mbufs.
fdb_entries=$(( 2 * DESTS + 4096 ))
path_entries=$([ "$base" = transit ] && echo $(( DESTS + 4096 )) || echo 4096)
mem_mb=$(( 256 + fdb_entries / 4096 * 1 ))
# Large tables live on hugepages when there are enough free (HUGE=0 forbids): with 4 KB pages every
# lookup in a table of hundreds of MB also misses the TLB. meshgen and testpmd stay off hugepages.
free_huge=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
no_huge=true
if [ "${HUGE:-1}" = 1 ] && [ "$DESTS" -gt 4096 ] && [ $(( free_huge * 2 )) -ge "$mem_mb" ]; then no_huge=false; fi
cat > "$work/node.json" <<JSON
{
  "node": {"name": "mgbench", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mgb-mp-$$"},
  "mesh": {"mesh_id": "meshgen-bench"},
  "ports": [$ports],
  $tables
  "tables": {"fdb_entries": $fdb_entries, "path_entries": $path_entries, "fdb_aging_s": 3600,
             "pending_dests": 0},
  "workers": {"lcores": [1], "main_lcore": 0, "idle_sleep_us": 100, "idle_polls": 1000},
  "mempool": {"mbufs": 16383, "cache": 256},
  "eal": {"no_huge": $no_huge, "memory_mb": $mem_mb},
  "log_level": "warning"
}
JSON
# The CCMP twin: the same node keyed statically for its static peers (MP1 and MP3, meshgen's addresses).
python3 - "$work/node.json" "$work/node-ccmp.json" "$MTK" "$MGTK" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["mesh"].update({"security": "static", "static_keys": {"mtk": sys.argv[3], "mgtk": sys.argv[4]}})
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY

# fdb_size: FDB entries of the running node, by kind ("proxy" for stations behind mesh nodes).
fdb_size() {
  "$MESHCTL" -n "mgb-mp-$$" --json info | python3 -c 'import json, sys; print(json.load(sys.stdin)["fdb_entries"])'
}
# start_meshplane STATS: meshplane in the background (pid in $mp). With learned tables, a warm-up
# teaches it the DESTS receiving stations first: meshgen sends from them, slowly enough for the control
# thread, until the FDB holds them all (6 rounds at most; meshplane's memif ports reconnect to each new
# meshgen by themselves).
start_meshplane() {
  local args round have=0
  if [ "$learn" = 0 ]; then
    "$MESHPLANE" --config "$NODE" --stats-file "$1" >"$work/meshplane.log" 2>&1 &
    mp=$!
    return
  fi
  if [ "$base" = encap ]; then   # proxies: mesh frames with AE from MP3 on the mesh port
    args=(--tx "$server_b" --rx "$server" --kind mesh-unicast-ae --mesh-da 02:00:00:00:00:02 --mesh-ta 02:00:00:00:00:03
          --mesh-sa 02:00:00:00:00:03 --src "$STA_DST" --dst 0a:0f:00:00:00:00)
  else                               # stations on the access port
    args=(--tx "$server_b" --rx "$server" --kind eth --src "$STA_DST" --dst 0a:0f:00:00:00:00)
  fi
  for round in 1 2 3 4 5 6; do
    # Under CCMP each round's PNs start above the last round's (the node keeps its replay counters).
    local pn=()
    [ "$VARIANT" = -ccmp ] && pn=(--pn-start $(( round << 32 )))
    "$MESHGEN" "${args[@]}" "${VARIANT_ARGS[@]}" "${pn[@]}" --stations "$DESTS" --flows "$DESTS" --rate 400000 --count $(( DESTS + DESTS / 4 )) \
      --link-wait 20 --start-delay 0.5 --lcores 0@1,1@0 --quiet --json "$work/warmup.json" \
      -- --file-prefix="mgb-warm-$$" >"$work/warmup.log" 2>&1 &
    local warm=$!
    if [ "$round" = 1 ]; then
      sleep 0.3
      "$MESHPLANE" --config "$NODE" --stats-file "$1" >"$work/meshplane.log" 2>&1 &
      mp=$!
    fi
    wait "$warm" || { echo "warm-up failed:" >&2; cat "$work/warmup.log" "$work/meshplane.log" >&2; exit 1; }
    have=$(fdb_size)
    [ "$have" -ge "$DESTS" ] && break
  done
  echo "  warm-up: the FDB holds $have entries after $round round(s)" >&2
}

variants=("")
[ "$ccmp" = 1 ] && variants=("" -ccmp)
for r in $(seq 1 "$RUNS"); do
  for v in "${variants[@]}"; do
    set_variant "$v"
    # 1. Ceiling: testpmd io-forward between the same memif ports.
    if [ -z "$v" ] || [ "$base" = transit ]; then
      gen "testpmd$v-$r"
      dpdk-testpmd --no-huge -m 256 --lcores=0@0,1@1 --no-pci --file-prefix="mgb-tp-$$" --log-level=4 \
        "${TESTPMD_ARGS[@]}" --forward-mode=io --total-num-mbufs=16384 \
        --stats-period=1 >"$work/testpmd.log" 2>&1 &
      pids+=($!)
      finish
    fi

    # 2. meshplane (after the warm-up, when its tables are learned).
    if [ "$learn" = 0 ]; then gen "meshplane$v-$r"; start_meshplane "$work/stats$v-$r.json"
    else start_meshplane "$work/stats$v-$r.json"; gen "meshplane$v-$r"; fi
    pids+=($mp)
    finish
  done
done

# 3. Latency at half of meshplane's median rate (meshplane once more, with its warm-up; with CCMP, of
# the protected twin).
if [ "$HALF_LOAD" = 1 ]; then
  set_variant "${variants[-1]}"
  half=$(python3 -c '
import json, sys
rs = sorted(json.load(open(f"{sys.argv[1]}/meshplane{sys.argv[3]}-{r}.json"))["tx_pps"] for r in range(1, int(sys.argv[2]) + 1))
print(int(rs[len(rs) // 2] / 2))' "$work" "$RUNS" "$VARIANT")
  [ "$learn" = 1 ] && start_meshplane "$work/stats-half.json"
  "$MESHGEN" "${GEN_ARGS[@]}" "${VARIANT_ARGS[@]}" --lcores 0@1,1@0 --size "$SIZE" --rate "$half" --duration "$SECS" --start-delay 1 \
    --quiet --json "$work/half.json" -- --file-prefix="mgb-gen-$$" >"$work/half.gen.log" 2>&1 &
  pids=($!)
  [ "$learn" = 0 ] && { sleep 0.3; start_meshplane "$work/stats-half.json"; }
  pids+=($mp)
  finish
fi

python3 - "$work" "$RUNS" "$SIZE" "$DESTS" "$SCENARIO" "${RESULT_JSON:-}" <<'PY'
import json, os, sys
work, runs, size, dests, scenario, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
base = scenario[:-len("_ccmp")] if scenario.endswith("_ccmp") else scenario
variants = ["", "-ccmp"] if base != scenario else [""]
def load(name):
    if not os.path.exists(f"{work}/{name}-1.json"):
        return None
    return [json.load(open(f"{work}/{name}-{r}.json")) for r in range(1, runs + 1)]
def median_run(rs):
    return sorted(rs, key=lambda s: s["rx_pps"])[len(rs) // 2]
def line(name, rs):
    s = median_run(rs)
    lat = s["latency_us"]
    print(f"  {name:16s} rx {s['rx_mpps']:6.2f} Mpps  {s['rx_bps']/1e9:6.2f} Gbit/s  (runs: "
          + " ".join(f"{x['rx_mpps']:.2f}" for x in rs)
          + f"; loss {s['loss_pct']:.2f} %, latency p50 {lat['p50']:.0f} us p99 {lat['p99']:.0f} us)")
    c = s.get("ccmp")
    if c:
        print(f"  {'':16s} meshgen CCMP: {c['tx_encrypted']} encrypted, {c['rx_decrypted']} verified and decrypted, "
              f"{c['rx_mic_failure']} MIC failures, {c['rx_replay']} replays")
    return s
what = {"encap": "lan -> mesh encapsulation (AE), {} station(s) behind MP3",
        "decap": "mesh -> lan decapsulation (AE), {} station(s) on the lan port",
        "bridge": "lan -> access bridging, {} station(s) on the access port",
        "group": "mesh group data -> lan delivery and re-flood (RMC), {} flow(s)"}.get(
            base, "mesh transit, {} mesh destination(s)").format(dests)
print(f"{what}, size {size}, meshgen at max rate over memif, median of {runs}"
      + (", without and with CCMP (mesh.security static) in each round:" if len(variants) > 1 else ":"))
COUNTERS = ("mesh_forward", "encap_unicast", "decap_unicast", "decap_group", "mesh_reflood", "bridge_forward",
            "bridge_flood", "punt_no_path", "drop_tx_full", "drop_no_route", "drop_duplicate", "ccmp_decrypted",
            "ccmp_encrypted", "drop_no_key", "drop_no_headroom", "drop_unprotected", "drop_unknown_key",
            "drop_mic_failure", "drop_replay")
res = {}
for v in variants:
    tag = "CCMP" if v else "plain"
    tp, mp = load(f"testpmd{v}"), load(f"meshplane{v}")
    a = line(f"testpmd{' (CCMP)' if v else ''}", tp) if tp else None
    b = line(f"meshplane{' (CCMP)' if v else ''}", mp)
    # cycles per packet from the dataplane's own counters (median run's node)
    best = sorted(range(runs), key=lambda r: mp[r]["rx_pps"])[runs // 2] + 1
    try:
        st = json.load(open(f"{work}/stats{v}-{best}.json"))
    except OSError:
        st = {"ports": []}   # the node did not write its counters (see meshplane.log)
    lc = next(iter(st.get("lcores", {}).values()), {})
    cpp = lc.get("cycles_per_packet", 0)
    hz = st.get("tsc_hz", 0)
    fw = {}
    for p in st["ports"]:
        for k, val in list(p["forwarding"].items()) + list(p.get("classes", {}).items()):
            fw[k] = fw.get(k, 0) + val
    extra = {k: val for k, val in fw.items() if k in COUNTERS and val}
    print(f"  meshplane{' (CCMP)' if v else ''} counters:", ", ".join(f"{k} {val}" for k, val in extra.items()))
    # What one worker could forward if it were never idle (TSC / busy cycles per packet), and the share of
    # the run it was busy (polls that found frames): near 100 % it was the limit, clearly below, meshgen was.
    cap = hz / cpp / 1e6 if cpp else 0
    busy = 100 * b["rx_mpps"] / cap if cap else 0
    print(f"  meshplane{' (CCMP)' if v else ''} cycles per packet (busy_cycles / rx_packets): {cpp} at {hz / 1e9:.2f} GHz TSC"
          f" (never idle: {cap:.2f} Mpps; busy {busy:.0f} % of the run)")
    ratio = b["rx_pps"] / a["rx_pps"] if a and a["rx_pps"] else 0
    if a:
        print(f"  ratio meshplane / testpmd io-forward{' (both with CCMP at meshgen)' if v else ''}: {ratio:.2f}")
    res[tag] = {"testpmd": {"mpps": round(a["rx_mpps"], 3), "gbps": round(a["rx_bps"] / 1e9, 3),
                            "p50_us": a["latency_us"]["p50"], "p99_us": a["latency_us"]["p99"]} if a else None,
                "meshplane": {"mpps": round(b["rx_mpps"], 3), "gbps": round(b["rx_bps"] / 1e9, 3),
                              "p50_us": b["latency_us"]["p50"], "p99_us": b["latency_us"]["p99"],
                              "loss_pct": b["loss_pct"], "cycles_per_packet": cpp,
                              "worker_capacity_mpps": round(cap, 3), "busy_pct": round(busy, 1), "counters": extra},
                "meshgen": {"tx_mpps": round(b["tx_mpps"], 3), "ccmp": b.get("ccmp")},
                "ratio": round(ratio, 3)}
half = None
if os.path.exists(f"{work}/half.json"):
    h = json.load(open(f"{work}/half.json"))
    half = {"offered_mpps": round(h["tx_pps"] / 1e6, 3), "p50_us": h["latency_us"]["p50"], "p99_us": h["latency_us"]["p99"],
            "loss_pct": h["loss_pct"]}
    print(f"  meshplane{' (CCMP)' if len(variants) > 1 else ''} at half load ({half['offered_mpps']:.2f} Mpps): latency p50 {half['p50_us']:.0f} us, "
          f"p99 {half['p99_us']:.0f} us, loss {half['loss_pct']:.2f} %")
if len(variants) > 1:
    p, c = res["plain"]["meshplane"], res["CCMP"]["meshplane"]
    added = c["cycles_per_packet"] - p["cycles_per_packet"] if p["cycles_per_packet"] and c["cycles_per_packet"] else None
    print(f"  CCMP adds {added} cycles per packet ({p['cycles_per_packet']} -> {c['cycles_per_packet']}); "
          f"Mpps {p['mpps']:.2f} -> {c['mpps']:.2f}" + (f"; the generator's own ceiling {res['plain']['testpmd']['mpps']:.2f} -> "
          f"{res['CCMP']['testpmd']['mpps']:.2f} Mpps" if res["CCMP"]["testpmd"] else ""))
if out:
    top = res["CCMP" if len(variants) > 1 else "plain"]
    r = {"scenario": scenario, "size": size, "table": dests, "runs": runs,
         "testpmd": top["testpmd"], "meshplane": top["meshplane"], "half_load": half, "ratio": top["ratio"]}
    if len(variants) > 1:
        r["ccmp"] = res["CCMP"]
        r["plain"] = res["plain"]
        r["ccmp_added_cycles"] = added
    with open(out, "a") as f:
        f.write(json.dumps(r) + "\n")
PY
