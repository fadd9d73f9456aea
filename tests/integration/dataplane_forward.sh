#!/usr/bin/env bash
# Functional test of forwarding through the real meshplane binary (net_pcap ports, no hugepages):
# the frames each port sends must equal, byte for byte, what gen_forward_case built independently
# from the lib codecs; every drop must be counted under its own reason; learning must show in the FDB.
# Usage: dataplane_forward.sh MESHPLANE GEN_FORWARD_CASE
set -euo pipefail
meshplane=$1
gen=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/meshplane-forward-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$gen" "$work"
source "$here/forward_node.sh"
write_forward_node "$work" "mp-forward-$$"
"$meshplane" --config "$work/node.json" --duration 3 --stats-file "$work/stats.json" &
pid=$!

# While it runs: the tables through DPDK telemetry, as an operator would read them.
prefix=mp-forward-$$
wait_for_telemetry "$prefix"
sleep 1
printf '/meshplane/fdb\n/meshplane/paths\n/meshplane/fdb,6\n/meshplane/stats\n' | dpdk-telemetry.py -f "$prefix" 2>/dev/null \
  | grep '^{"/' > "$work/telemetry.json" || true
wait "$pid"

status=0
python3 - "$work/telemetry.json" <<'PY' || status=1
import json, sys
replies = [json.loads(line) for line in open(sys.argv[1])]
fdb, paths, fdb_page2, tstats = (next(iter(r.values())) for r in replies)
rows = {row["mac"]: row for key, row in fdb.items() if key.isdigit()}
bad = 0
def check(cond, what):
    global bad
    if not cond:
        print("FAIL telemetry:", what)
        bad += 1
# own address, 2 neighbours, STA2 (static proxy), the printer (static), 3 learned stations
check(fdb["total"] == 8, f"/meshplane/fdb total {fdb['total']}, expected 8")
check(rows.get("0a:66:77:88:99:aa", {}).get("proxy") == "02:00:00:00:00:03", "STA2 behind MP3")
check(rows.get("0a:00:00:00:0e:02", {}).get("port") == "eth0", "printer on eth0")
check(rows.get("02:00:00:00:00:02", {}).get("kind") == "local", "own address is local")
check(fdb_page2["offset"] == 6 and fdb_page2["count"] == 2 and "next_offset" not in fdb_page2,
      f"second page {fdb_page2}")
prow = {row["dest"]: row for key, row in paths.items() if key.isdigit()}
check(paths["total"] == 2 and prow["02:00:00:00:00:03"]["next_hop"] == "02:00:00:00:00:03"
      and prow["02:00:00:00:00:03"]["state"] == "static", f"/meshplane/paths {paths}")
lcore = tstats["lcores"]["lcore1"]
# tx: 12 data frames (checked byte by byte below) plus our beacons and HWMP frames
check(lcore["rx_packets"] == 19 and lcore["tx_packets"] >= 12 and lcore["dropped"] == 9,
      f"per-lcore stats {lcore}")
check(tstats["eth0"]["drop_hairpin"] == 1 and tstats["control"]["mgmt_frames"] == 1, "stats dict")
print("telemetry tables and stats as expected" if bad == 0 else "telemetry mismatches")
sys.exit(1 if bad else 0)
PY

for p in wifi0 eth0 wifi1; do
  python3 "$here/pcapdiff.py" --data-only "$p" "$work/out_$p.pcap" "$work/expected_$p.pcap" || status=1
done

python3 - "$work/stats.json" <<'PY' || status=1
import json, sys
stats = json.load(open(sys.argv[1]))
ports = {p["port"]: dict(p["classes"], **p["forwarding"], rx_packets=p["rx_packets"]) for p in stats["ports"]}
bad = 0
expected = {
    "wifi0": {"rx_packets": 11, "decap_unicast": 2, "drop_to_self": 1, "bridge_forward": 1,
              "mesh_forward": 1, "drop_ttl_expired": 1, "drop_not_for_us": 1, "decap_group": 1,
              "mesh_reflood": 1, "bridge_flood": 2, "drop_duplicate": 1, "drop_bad_ae": 1,
              "drop_own_frame": 1, "punt_mgmt": 1, "drop_not_peer": 1},
    "eth0": {"rx_packets": 7, "encap_unicast": 3, "encap_group": 1, "bridge_flood": 2,
             "drop_link_local": 1, "drop_hairpin": 1, "punt_no_path": 1, "tx_packets": 3},
    "wifi1": {"rx_packets": 1, "bridge_forward": 1, "tx_packets": 3},
}
# MP1 and MP3 are static peers from the start and stay. The beacon (W9) is from our mesh: the node
# opens a peering with MP4 (a Close for any stale link first), which never answers (no peer);
# HWMP looks for the unknown station (E6), finds nothing, and its frame is dropped.
control = {"mgmt_frames": 1, "pending_held": 1, "drop_no_path": 1, "pending_released": 0,
           "peers_adopted": 2, "peers_lost": 0, "discoveries_failed": 1, "beacons_rx": 1}
if not (stats["peering"]["open_tx"] >= 1 and stats["peering"]["stale_close_tx"] == 1
        and stats["peering"]["established"] == 0):
    print(f"FAIL peering with the candidate MP4: {stats['peering']}")
    bad += 1
if stats["control"]["beacons_tx"] < 10:
    print(f"FAIL control.beacons_tx = {stats['control']['beacons_tx']}, expected one per 100 TU")
    bad += 1
for port, want in expected.items():
    for key, value in want.items():
        if ports[port][key] != value:
            print(f"FAIL {port}.{key} = {ports[port][key]}, expected {value}")
            bad += 1
for key, value in control.items():
    if stats["control"][key] != value:
        print(f"FAIL control.{key} = {stats['control'][key]}, expected {value}")
        bad += 1
fdb = {e["mac"]: e for e in stats["fdb"]}
learned = {
    "0a:00:00:00:0e:01": ("lan", "eth0", None),                  # lanhost, from its frames on eth0
    "0a:00:00:00:c1:01": ("access", "wifi1", None),              # the AP client
    "0a:11:22:33:44:55": ("mesh", "", "02:00:00:00:00:01"),      # STA1 behind MP1, from AE addresses
}
for mac, (kind, port, proxy) in learned.items():
    e = fdb.get(mac)
    if e is None or e["kind"] != kind or e["port"] != port or e.get("proxy") != proxy or e["static"]:
        print(f"FAIL fdb {mac}: {e}, expected learned {kind} {port} {proxy}")
        bad += 1
print("counters and learned FDB entries as expected" if bad == 0 else f"{bad} counter/FDB mismatches")
sys.exit(1 if bad else 0)
PY
# Aging: the same traffic with fdb_aging_s = 1; after a few seconds of silence the learned entries
# are gone and counted, while static ones and our own address stay.
sed -e 's/"hwmp":/"tables": {"fdb_aging_s": 1}, "hwmp":/' -e "s/mp-forward-$$/mp-aging-$$/" \
  "$work/node.json" > "$work/aging.json"
"$meshplane" --config "$work/aging.json" --duration 4 --stats-file "$work/aging-stats.json"
python3 - "$work/aging-stats.json" <<'PY' || status=1
import json, sys
stats = json.load(open(sys.argv[1]))
kinds = sorted((e["kind"], e["static"]) for e in stats["fdb"])
want = sorted([("local", True), ("neighbour", True), ("neighbour", True), ("mesh", True), ("lan", True)])
ok = kinds == want and stats["control"]["fdb_aged"] == 3
print("aging: learned entries aged out, static ones kept" if ok else f"FAIL aging: {kinds}, {stats['control']}")
sys.exit(0 if ok else 1)
PY
exit $status
