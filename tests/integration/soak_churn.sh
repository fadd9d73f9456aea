#!/usr/bin/env bash
# Load with table churn (issue 8): four rounds of meshgen, each sending Ethernet at full rate from its
# own 65,536 source MACs (to as many unknown destinations) into a lan port; meshplane (one worker)
# floods them to an access port with a 4,096-entry FDB aged after 1 s, so learning, refusal (table
# full), aging, flooding and memif reconnects all happen under load. Under the ASan/UBSan build (CI runs every test there too) any memory or UB error fails
# the run. Afterwards: clean exit, no sanitizer report, every frame in exactly one class, the FDB within
# its capacity, and learning, refusals and aging all seen.
# Usage: soak_churn.sh MESHPLANE MESHGEN [SECONDS]   (CI: 8 s; long runs: 600 or more)
set -euo pipefail
meshplane=$1
meshgen=$2
secs=${3:-8}
work=$(mktemp -d /tmp/meshplane-soak-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true;
      rm -rf "$work" /var/run/dpdk/soak-*-$$' EXIT
mem() { echo "net_memif$1,role=$2,id=0,socket=$work/m$1.sock,socket-abstract=no"; }
cat > "$work/node.json" <<JSON
{
  "node": {"name": "soak", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "soak-mp-$$"},
  "mesh": {"mesh_id": "soak"},
  "ports": [
    {"name": "eth0", "role": "lan", "devargs": "$(mem 0 client)"},
    {"name": "wifi1", "role": "access", "devargs": "$(mem 1 client)"}
  ],
  "tables": {"fdb_entries": 4096, "fdb_aging_s": 1},
  "workers": {"lcores": [1], "main_lcore": 0, "idle_sleep_us": 100, "idle_polls": 1000},
  "mempool": {"mbufs": 16383, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 512},
  "log_level": "warning"
}
JSON
"$meshplane" --config "$work/node.json" --stats-file "$work/stats.json" >"$work/node.log" 2>&1 &
pids=($!)
status=0
here=$(cd "$(dirname "$0")" && pwd)
source "$here/forward_node.sh" # wait_for_telemetry
# The node comes up before its memif servers (meshgen) exist, so it must start with both client ports
# paused and connect them when meshgen comes (a loaded machine once let it reach its ports first, and
# it exited); meshgen's link wait starts only then.
wait_for_telemetry "soak-mp-$$" || { echo "FAIL: meshplane did not start within 30 s"; cat "$work/node.log"; exit 1; }
if grep -q 'ports\[0\] (eth0): cannot start yet' "$work/node.log"; then
  echo "ok: the node started before its memif server and waits for it ($(grep -o 'ports\[0\] (eth0): cannot start yet.*' "$work/node.log"))"
else
  echo "FAIL: no warning about the memif port without a server:"; cat "$work/node.log"; status=1
fi
# Rounds of meshgen, each with its own 65,536 sources: the previous round's entries age out while the
# next round's are refused and learned; between rounds the memif link goes down and comes back. The
# worker sleeps when idle (only after 1,000 empty polls: it never does under load) so that it is rarely
# inside a memif burst when meshgen leaves: DPDK 22.11's memif PMD unmaps its rings from the interrupt
# thread then, and a burst caught in that instant faults (see the README's robustness table).
round_s=$(( secs / 4 > 1 ? secs / 4 : 1 ))
for r in 1 2 3 4; do
  "$meshgen" --tx "$(mem 0 server)" --rx "$(mem 1 server)" --kind eth --rx-kind eth \
    --src "0a:0$r:00:00:00:00" --flows 65536 --stations 65536 --size 64 --rate max --duration "$round_s" \
    --start-delay 0.5 --quiet --lcores 0@1,1@0 --json "$work/gen-$r.json" -- --file-prefix="soak-gen-$$" \
    >"$work/gen-$r.log" 2>&1 || { echo "FAIL: meshgen round $r failed"; cat "$work/gen-$r.log"; status=1; }
done
kill -INT "${pids[0]}"
wait "${pids[0]}" || { echo "FAIL: meshplane did not exit 0"; status=1; }
pids=()
if grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$work/node.log"; then
  echo "FAIL: sanitizer report:"; cat "$work/node.log"; status=1
else
  echo "ok: no sanitizer report, clean exit"
fi
python3 - "$work" "$work/stats.json" "$((round_s * 4))" <<'PY' || status=1
import glob, json, sys
rounds = [json.load(open(f)) for f in sorted(glob.glob(f"{sys.argv[1]}/gen-*.json"))]
gen = {k: sum(r[k] for r in rounds) for k in ("tx_packets", "rx_packets")}
st = json.load(open(sys.argv[2]))
c = st["control"]
ports = {p["port"]: p for p in st["ports"]}
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
for name, p in ports.items():
    check(sum(p["classes"].values()) == p["rx_packets"], f"{name}: {p['rx_packets']} frames, each in one class")
lan = ports["eth0"]["forwarding"]
dynamic = sum(1 for e in st["fdb"] if not e["static"] and e["kind"] != "local")
print(f"load: meshgen sent {gen['tx_packets']} frames in {sys.argv[3]} s ({gen['tx_packets'] / float(sys.argv[3]) / 1e6:.2f} Mpps), "
      f"received {gen['rx_packets']} back; meshplane bridged {lan['bridge_forward']}, flooded {lan['bridge_flood']}")
check(gen["rx_packets"] > 0 and lan["bridge_flood"] + lan["bridge_forward"] > 0, "traffic crossed the node")
check(c["fdb_learned"] > 4096 and c["fdb_aged"] > 0 and c["fdb_refused"] > 0,
      f"churn: FDB learned {c['fdb_learned']}, aged {c['fdb_aged']}, refused {c['fdb_refused']} "
      f"(learn reports lost to a full ring: {lan['drop_event_ring_full']})")
check(c["port_restarts"] >= 3, f"the memif ports reconnected after each round: {c['port_restarts']} restarts, "
      f"{lan['drop_port_down']} frames dropped while restarting")
check(dynamic <= 4096, f"FDB within capacity at the end: {dynamic} of 4096")
sys.exit(1 if bad else 0)
PY
exit $status
