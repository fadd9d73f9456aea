#!/usr/bin/env bash
# meshgen end to end: meshgen (memif server) sends mesh-unicast transit frames from MP1 for MP3 to
# MP2; one meshplane node (MP2, memif client, static path to MP3 on that same port) forwards them back
# out; meshgen receives them. Checks: rx > 0, loss < 5 % of 200k frames at 100k pps, no reordering, the JSON summary,
# a received frame decodes as transit (A1 = MP3, A2 = MP2, TTL 31 -> 30), and a bad flag exits 2
# naming it; then the same transit under CCMP (mesh.security "static", meshgen --mtk). Lcores: meshgen's generator on CPU 0, meshplane's worker on CPU 1 (two busy threads).
# Usage: meshgen_smoke.sh MESHPLANE MESHGEN
set -euo pipefail
meshplane=$1
meshgen=$2
work=$(mktemp -d /tmp/meshgen-smoke-XXXXXX)
pids=()
# DPDK leaves its runtime directory behind: remove ours (named by this script's pid).
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work" /var/run/dpdk/mgsmoke-*-$$' EXIT
status=0

# 1. Bad arguments: exit 2 and the flag named.
rc=0
"$meshgen" --tx net_null0 --rate fast 2>"$work/err.txt" || rc=$?
if [ "$rc" -ne 2 ] || ! grep -q -- '--rate' "$work/err.txt"; then
  echo "FAIL bad flag: exit $rc, message: $(cat "$work/err.txt")"; status=1
else
  echo "ok bad flag: $(cat "$work/err.txt")"
fi

# 2. Transit through one meshplane node. Its worker sleeps after 1,000 empty polls: when meshgen (the
# memif server) leaves, DPDK 22.11's memif PMD unmaps the rings from its interrupt thread, and a
# worker busy-polling rx_burst at that instant faults (seen in about one run in ten; the benchmark's
# nodes sleep the same way).
sock="$work/memif.sock"
cat > "$work/node.json" <<JSON
{
  "node": {"name": "mgsmoke", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mgsmoke-mp-$$"},
  "mesh": {"mesh_id": "meshgen-smoke"},
  "ports": [{"name": "wifi0", "role": "mesh",
             "devargs": "net_memif0,role=client,id=0,socket=$sock,socket-abstract=no"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}],
  "workers": {"lcores": [1], "main_lcore": 0, "idle_sleep_us": 100, "idle_polls": 1000},
  "mempool": {"mbufs": 8191, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
# through_node WHAT STATS_FILE MESHGEN_ARGS...: meshgen (the memif server) through the node until
# meshgen has sent its frames (however long a busy machine made that take); exits on its failure.
through_node() {
  local what=$1 stats=$2 rc=0
  shift 2
  rm -f "$sock"
  "$meshgen" --tx "net_memif0,role=server,id=0,socket=$sock,socket-abstract=no" --lcores 0@1,1@0 \
    --link-wait 60 "$@" -- --file-prefix="mgsmoke-gen-$$" >"$work/meshgen.out" 2>"$work/meshgen.err" &
  pids+=($!)
  # meshplane is the memif client: it connects once meshgen's socket listens (on a loaded machine,
  # with ASan, either side may take seconds to start; --link-wait is only the deadline).
  for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
  "$meshplane" --config "$work/node.json" --stats-file "$stats" >"$work/meshplane.log" 2>&1 &
  pids+=($!)
  wait "${pids[0]}" || rc=$?
  kill -TERM "${pids[1]}" 2>/dev/null || true
  wait "${pids[1]}" || true
  pids=()
  if [ "$rc" -ne 0 ]; then
    echo "FAIL meshgen$what exited $rc"; cat "$work/meshgen.err" "$work/meshplane.log"; exit 1
  fi
}
through_node "" "$work/stats.json" --kind mesh-unicast --size 64 --rate 100000 --count 200000 \
  --json "$work/summary.json" --capture "$work/rx.pcap" --capture-count 4
cat "$work/meshgen.err"

python3 - "$work/summary.json" "$work/rx.pcap" <<'PY' || status=1
import json, struct, sys
s = json.load(open(sys.argv[1]))
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad += not cond
check(s["rx_packets"] > 0, f"rx_packets {s['rx_packets']} > 0 (tx {s['tx_packets']})")
# A count, not a duration: a busy 2-core machine preempts the generator, which then takes longer.
check(s["tx_packets"] == 200000, f"tx_packets {s['tx_packets']} == 200000 (--count)")
check(s["loss_pct"] < 5, f"loss {s['loss_pct']:.2f} % < 5 %")
check(s["reordered"] == 0, f"reordered {s['reordered']} == 0")
check(s["latency_us"]["samples"] == s["rx_packets"], "one latency sample per received frame")
check(0 < s["latency_us"]["p50"] <= s["latency_us"]["p99"], f"latency p50 {s['latency_us']['p50']:.1f} us <= p99 {s['latency_us']['p99']:.1f} us")
# Decode the first captured frame: radiotap, then 4-address mesh data with Mesh Control.
data = open(sys.argv[2], "rb").read()
magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
_, _, incl, _ = struct.unpack("<IIII", data[24:40])
f = data[40:40 + incl]
rt_len = struct.unpack("<H", f[2:4])[0]
w = f[rt_len:]
mac = lambda b: ":".join(f"{x:02x}" for x in b)
a1, a2, a3, a4 = mac(w[4:10]), mac(w[10:16]), mac(w[16:22]), mac(w[24:30])
ttl = w[33]
check(linktype == 127 and w[0] == 0x88 and (w[1] & 3) == 3, "captured frame is radiotap + 4-address QoS data")
check((a1, a2, a3, a4) == ("02:00:00:00:00:03", "02:00:00:00:00:02", "02:00:00:00:00:03", "02:00:00:00:00:01"),
      f"transit addresses A1 {a1} A2 {a2} A3 {a3} A4 {a4}")
check(ttl == 30, f"TTL {ttl} == 30 (sent with 31)")
sys.exit(1 if bad else 0)
PY
# 3. The same transit under CCMP: meshplane with mesh.security "static" (benchmark keys for its static
# peers MP1 and MP3), meshgen sending under the MTK (--mtk) and verifying what comes back. Every frame
# must be decrypted by meshplane (from MP1) and encrypted again (to MP3), and verify at meshgen
# (--pn-start 1000: a receiver wants increasing PNs, not PNs from 1).
MTK=000102030405060708090a0b0c0d0e0f
MGTK=f0e1d2c3b4a5968778695a4b3c2d1e0f
python3 - "$work/node.json" "$MTK" "$MGTK" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["mesh"].update({"security": "static", "static_keys": {"mtk": sys.argv[2], "mgtk": sys.argv[3]}})
c["static_peers"].append({"mac": "02:00:00:00:00:03", "port": "wifi0"})
c["node"]["file_prefix"] = c["node"]["file_prefix"].replace("-mp-", "-mpc-")
json.dump(c, open(sys.argv[1], "w"))
PY
through_node " (CCMP)" "$work/ccmp-stats.json" --kind mesh-unicast --size 200 --rate 50000 --count 50000 \
  --mtk "$MTK" --pn-start 1000 --json "$work/ccmp.json" --capture "$work/ccmp.pcap" --capture-count 2
python3 - "$work/ccmp.json" "$work/ccmp-stats.json" "$work/ccmp.pcap" "$work/meshplane.log" <<'PY' || status=1
import json, struct, sys
s, st = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
log = open(sys.argv[4]).read()
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad += not cond
c = s["ccmp"]
fw = st["ports"][0]["forwarding"]
cl = st["ports"][0]["classes"]
check(s["rx_packets"] > 0 and s["loss_pct"] < 5, f"CCMP transit: rx {s['rx_packets']} of {s['tx_packets']}, loss {s['loss_pct']:.2f} % < 5 %")
check(c["tx_protected"] and c["tx_encrypted"] == s["tx_packets"], f"meshgen encrypted every frame ({c['tx_encrypted']})")
check(c["rx_decrypted"] == s["rx_packets"] and c["rx_mic_failure"] == 0 and c["rx_no_key"] == 0 and c["rx_replay"] == 0,
      f"meshgen verified every frame back ({c['rx_decrypted']} decrypted, MIC failures {c['rx_mic_failure']}, replays {c['rx_replay']})")
check(fw.get("ccmp_decrypted", 0) == cl["mesh_data_unicast"] >= s["rx_packets"],
      f"meshplane decrypted every mesh data frame ({fw.get('ccmp_decrypted', 0)})")
check(fw.get("ccmp_encrypted", 0) >= s["rx_packets"], f"meshplane encrypted what came back ({fw.get('ccmp_encrypted', 0)})")
check(cl["drop_unprotected"] == 0 and cl["drop_mic_failure"] == 0 and cl["drop_replay"] == 0 and cl["drop_unknown_key"] == 0,
      "no frame refused by link crypto")
check(st["security"]["keys_installed"] == 2, f"both static peers keyed ({st['security']['keys_installed']})")
check("FOR BENCHMARKS AND TESTS ONLY" in log, "the static keys warning is logged")
data = open(sys.argv[3], "rb").read()
_, _, incl, _ = struct.unpack("<IIII", data[24:40])
f = data[40:40 + incl]
w = f[struct.unpack("<H", f[2:4])[0]:]
pn = w[32] | w[33] << 8 | w[36] << 16
check((w[1] & 0x40) and (w[35] & 0x20) and (w[35] >> 6) == 0 and pn >= 1,
      f"captured frame is protected (Protected bit, CCMP header with ExtIV, key ID 0, PN {pn})")
check(b"MGEN" not in f, "its payload is not readable")
sys.exit(1 if bad else 0)
PY

[ "$status" -eq 0 ] && echo "meshgen smoke: passed" || echo "meshgen smoke: FAILED"
exit "$status"
