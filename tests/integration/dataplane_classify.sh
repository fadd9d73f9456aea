#!/usr/bin/env bash
# Functional test through the real meshplane binary: frames of every class, valid and malformed,
# enter through net_pcap ports; the counters meshplane reports on exit must match frame by frame,
# and the process must stop cleanly. Usage: dataplane_classify.sh MESHPLANE GEN_CLASSIFY_PCAPS
set -euo pipefail
meshplane=$1
gen=$2
work=$(mktemp -d /tmp/meshplane-classify-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$gen" "$work" > "$work/expected.json"
cat > "$work/node.json" <<JSON
{
  "node": {"name": "classify", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "mp-classify-$$"},
  "mesh": {"mesh_id": "campus-mesh"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_pcap0,rx_pcap=$work/mesh.pcap,tx_pcap=$work/out0.pcap"},
    {"name": "eth0", "role": "lan", "devargs": "net_pcap1,rx_pcap=$work/eth.pcap,tx_pcap=$work/out1.pcap"}
  ],
  "workers": {"lcores": [1], "idle_sleep_us": 1000, "idle_polls": 16},
  "mempool": {"mbufs": 2047, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
"$meshplane" --config "$work/node.json" --duration 1.5 --stats-file "$work/stats.json"

# SIGTERM (and SIGINT) stop it cleanly: exit 0 and the counters written.
"$meshplane" --config "$work/node.json" --stats-file "$work/stats-signal.json" 2>"$work/signal.log" &
pid=$!
sleep 1.5
kill -TERM "$pid"
if ! wait "$pid"; then
  echo "FAIL: meshplane did not exit 0 after SIGTERM"; cat "$work/signal.log"; exit 1
fi
python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["ports"]; sys.exit(p[0]["rx_packets"] != 20)' \
  "$work/stats-signal.json" || { echo "FAIL: counters after SIGTERM"; cat "$work/signal.log"; exit 1; }
echo "SIGTERM: clean exit, counters written"

python3 - "$work/expected.json" "$work/stats.json" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
stats = {p["port"]: p for p in json.load(open(sys.argv[2]))["ports"]}
failures = 0
for exp in expected:
    got = dict(stats[exp["port"]]["classes"], rx_packets=stats[exp["port"]]["rx_packets"])
    total = 0
    for key, value in exp.items():
        if key == "port":
            continue
        total += value
        if got.get(key) != value:
            print(f"FAIL {exp['port']}.{key}: meshplane counted {got.get(key)}, expected {value}")
            failures += 1
    # Every class we did not send must stay at zero, and every frame must be counted once.
    for key, value in got.items():
        if key not in exp and key != "rx_packets" and value != 0:
            print(f"FAIL {exp['port']}.{key}: meshplane counted {value}, expected 0")
            failures += 1
    if got["rx_packets"] != total:
        print(f"FAIL {exp['port']}.rx_packets: {got['rx_packets']}, expected {total}")
        failures += 1
    print(f"{exp['port']}: {total} frames, every class counted as expected" if not failures else "")
sys.exit(1 if failures else 0)
PY

# A port that cannot start stops meshplane with status 1 and an error naming the port.
sed -e "s|rx_pcap=$work/eth.pcap|rx_pcap=$work/missing.pcap|" -e "s/mp-classify-$$/mp-badport-$$/" \
  "$work/node.json" > "$work/badport.json"
set +e
"$meshplane" --config "$work/badport.json" --duration 1 2>"$work/badport.log"
rc=$?
set -e
if [ "$rc" -ne 1 ] || ! grep -q 'ports\[1\] (eth0): cannot attach' "$work/badport.log"; then
  echo "FAIL: bad port gave status $rc:"; cat "$work/badport.log"; exit 1
fi
echo "bad port: status 1, $(grep -o 'ports\[1\] (eth0): cannot attach[^(]*' "$work/badport.log")"
