#!/usr/bin/env bash
# meshctl monitor and meshctl metrics against live nodes, no namespaces: three meshplane processes
# A, B, C in a triangle of net_memif links (the A-C link at 6 Mb/s, the others at 54), and a
# stand-in for hostapd's control socket on the access ports of A and C. Node A is watched with
# `meshctl monitor --json` and `meshctl monitor` (text) while things happen: C comes up (peer_up),
# A pings C (path_new, direct), B comes up and offers a cheaper route (peer_up, path_changed C -> B),
# a ping to a mesh node nobody has (discovery_failed), a station connects on A (station_connected),
# then on C (A: station_moved wifi1 -> C and station_steered, the DEAUTHENTICATE its hostapd got),
# B stops (peer_down, path_removed). Then `meshctl metrics` (and its --listen HTTP endpoint) must
# pass `promtool check metrics`, carry every counter of /meshplane/stats and agree with it.
# Usage: monitor_metrics.sh MESHPLANE MESHCTL [PROMTOOL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
meshplane=$1
meshctl=$2
promtool=${3:-$(command -v promtool || echo /var/cache/meshplane/promtool/usr/bin/promtool)}
work=$(mktemp -d /tmp/meshplane-monitor-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" /var/run/dpdk/mon-?-$$
}
trap cleanup EXIT
status=0
check() { # check CONDITION-TEXT COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; status=1; fi
}

for h in a c; do mkfifo "$work/hostapd-$h.fifo"; done
python3 "$here/hostapd_ctrl_stub.py" "$work/hostapd-a.sock" "$work/hostapd-a.fifo" "$work/hostapd-a.log" & pids+=($!)
python3 "$here/hostapd_ctrl_stub.py" "$work/hostapd-c.sock" "$work/hostapd-c.fifo" "$work/hostapd-c.log" & pids+=($!)

memif() { echo "net_memif$1,role=$2,id=0,socket=$work/$3.sock,socket-abstract=no"; }
node() { # node NAME MAC LCORE PORTS-JSON
  cat > "$work/$1.json" <<JSON
{
  "node": {"name": "$1", "mesh_mac": "$2", "file_prefix": "mon-$1-$$"},
  "mesh": {"mesh_id": "monitor-test", "beacon_interval_tu": 100, "beacon_loss_limit": 7},
  "ports": [$4],
  "hwmp": {"active_path_timeout_ms": 2000, "path_refresh_time_ms": 1500, "max_preq_retries": 1},
  "workers": {"lcores": [$3], "idle_sleep_us": 500, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "warning"
}
JSON
}
node a 02:00:00:00:00:0a 1 "
  {\"name\": \"mesh_ab\", \"role\": \"mesh\", \"devargs\": \"$(memif 0 server ab)\"},
  {\"name\": \"mesh_ac\", \"role\": \"mesh\", \"devargs\": \"$(memif 1 server ac)\", \"link_rate_mbps\": 6},
  {\"name\": \"wifi1\", \"role\": \"access\", \"devargs\": \"net_null2,no-rx=1\", \"hostapd_ctrl\": \"$work/hostapd-a.sock\"}"
# A memif client needs its server at start: A, then C, then B.
node b 02:00:00:00:00:0b 1 "
  {\"name\": \"mesh_ab\", \"role\": \"mesh\", \"devargs\": \"$(memif 0 client ab)\"},
  {\"name\": \"mesh_bc\", \"role\": \"mesh\", \"devargs\": \"$(memif 1 client bc)\"}"
node c 02:00:00:00:00:0c 1 "
  {\"name\": \"mesh_ac\", \"role\": \"mesh\", \"devargs\": \"$(memif 0 client ac)\", \"link_rate_mbps\": 6},
  {\"name\": \"mesh_bc\", \"role\": \"mesh\", \"devargs\": \"$(memif 1 server bc)\"},
  {\"name\": \"wifi1\", \"role\": \"access\", \"devargs\": \"net_null2,no-rx=1\", \"hostapd_ctrl\": \"$work/hostapd-c.sock\"}"

wait_for() { # wait_for SECONDS COMMAND...: polls until COMMAND succeeds
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.1
  done
}
has_peers() { [ "$("$meshctl" -n "mon-$1-$$" peers 2>/dev/null | grep -c ESTAB)" -ge "$2" ]; }

"$meshplane" --config "$work/a.json" > "$work/a.log" 2>&1 & pids+=($!); pid_a=$!
wait_for 20 "$meshctl" -n "mon-a-$$" info
"$meshctl" -n "mon-a-$$" --json monitor > "$work/events.jsonl" 2> "$work/monitor.err" & pids+=($!); mon_json=$!
"$meshctl" -n "mon-a-$$" monitor > "$work/events.txt" 2>&1 & pids+=($!); mon_text=$!
sleep 0.3
"$meshplane" --config "$work/c.json" > "$work/c.log" 2>&1 & pids+=($!)
# Pings keep the path in use, so HWMP refreshes it and sees the route through B once B is there.
wait_for 20 has_peers a 1 || { echo "A and C did not peer"; cat "$work/a.log" "$work/c.log"; }
"$meshctl" -n "mon-a-$$" -c 40 ping 02:00:00:00:00:0c > "$work/ping.txt" 2>&1 & pids+=($!); ping_pid=$!
sleep 1.5
"$meshplane" --config "$work/b.json" > "$work/b.log" 2>&1 & pids+=($!); pid_b=$!
wait_for 20 has_peers a 2 || { echo "A and B did not peer"; cat "$work/a.log" "$work/b.log"; }
"$meshctl" -n "mon-a-$$" -c 1 ping 02:00:00:00:00:99 > "$work/ping-nobody.txt" 2>&1 || true
echo "connect 0a:00:00:00:5a:01" > "$work/hostapd-a.fifo"
sleep 1
echo "connect 0a:00:00:00:5a:01" > "$work/hostapd-c.fifo"
wait "$ping_pid" || true
wait_for 10 grep -q station_steered "$work/events.jsonl" || true

# Metrics while all three run, once A's path to C goes through B: rediscovered after the ping ended
# and the path expired, C's answer over the slow direct link may come first (HWMP takes a newer
# sequence number whatever its metric) and the better copy through B follows.
c_via_b() {
  "$meshctl" -n "mon-a-$$" --json paths | python3 -c '
import json, sys
sys.exit(0 if any(p["dest"] == "02:00:00:00:00:0c" and p["next_hop"] == "02:00:00:00:00:0b" for p in json.load(sys.stdin)) else 1)'
}
# (paths live 2 s here: echoes to C keep it active while the metrics are read)
"$meshctl" -n "mon-a-$$" -c 60 ping 02:00:00:00:00:0c > "$work/ping-metrics.txt" 2>&1 & pids+=($!)
# The path may still move between the two routes while HWMP refreshes it (a newer sequence number
# over the slow link is taken at once: README "Path stability"), so the metrics are read again until
# they were taken while it went through B; what is checked is that they then say so.
metrics_via_b() { grep -q 'meshplane_path_info{.*dest="02:00:00:00:00:0c".*next_hop="02:00:00:00:00:0b".*} 1' "$work/metrics.txt"; }
for _ in $(seq 5); do
  wait_for 10 c_via_b || echo "A's path to C did not go through B within 10 s"
  "$meshctl" -n "mon-a-$$" metrics > "$work/metrics.txt" 2> "$work/metrics.err" || { echo "FAIL meshctl metrics: $(cat "$work/metrics.err")"; status=1; }
  metrics_via_b && break
done
"$meshctl" -n "mon-a-$$" --json stats > "$work/stats.json"
port=$((20000 + $$ % 20000))
"$meshctl" -n "mon-a-$$" metrics --listen "127.0.0.1:$port" 2> "$work/listen.err" & pids+=($!); listen_pid=$!
python3 - "$port" "$work" <<'PY' || status=1
import sys, time, urllib.request, urllib.error
port, work = sys.argv[1], sys.argv[2]
for _ in range(50):
    try:
        r = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5)
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.1)
else:
    print("FAIL GET /metrics: no answer"); sys.exit(1)
ok = r.status == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
open(f"{work}/scraped.txt", "wb").write(r.read())
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/other", timeout=5); ok = False
except urllib.error.HTTPError as e:
    ok = ok and e.code == 404
print(("ok   " if ok else "FAIL ") + f"GET /metrics: {r.status} {r.headers['Content-Type']}; GET /other: 404")
sys.exit(0 if ok else 1)
PY
kill -TERM "$listen_pid"; wait "$listen_pid" || { echo "FAIL metrics --listen exit status"; status=1; }

kill -TERM "$pid_b"; wait "$pid_b" || true
wait_for 10 grep -q '"path_removed"\|"event":"path_changed".*"old_next_hop":"02:00:00:00:00:0b"' "$work/events.jsonl" || true
wait_for 5 grep -q '"peer_down"' "$work/events.jsonl" || true
sleep 0.3
kill -TERM "$mon_json" "$mon_text"
wait "$mon_json" || { echo "FAIL monitor --json exit status"; status=1; }
wait "$mon_text" || { echo "FAIL monitor exit status"; status=1; }
echo "--- meshctl monitor (node a):"; cat "$work/events.txt"

python3 - "$work" <<'PY' || status=1
import json, sys
work = sys.argv[1]
events = [json.loads(l) for l in open(f"{work}/events.jsonl")]
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad += not cond
def find(**kw):
    return [e for e in events if all(e.get(k) == v for k, v in kw.items())]
A, B, C, S = "02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c", "0a:00:00:00:5a:01"
seqs = [e["seq"] for e in events]
check(seqs == sorted(seqs) and len(set(seqs)) == len(seqs), f"{len(events)} events, sequence numbers increasing")
check(all(e["time"][:2] == "20" for e in events), "every event has its wall-clock time")
check(bool(find(event="peer_up", peer=C, port="mesh_ac")), "peer_up C on mesh_ac")
check(bool(find(event="peer_up", peer=B, port="mesh_ab")), "peer_up B on mesh_ab")
new = find(event="path_new", dest=C)
check(bool(new) and new[0]["next_hop"] == C and new[0]["hops"] == 1, f"path_new C direct: {new[:1]}")
changed = [e for e in find(event="path_changed", dest=C) if e["old_next_hop"] == C and e["next_hop"] == B]
check(bool(changed) and changed[0]["metric"] < changed[0]["old_metric"] and changed[0]["hops"] == 2,
      f"path_changed C: next hop C -> B, metric down: {changed[:1]}")
check(bool(find(event="discovery_failed", dest="02:00:00:00:00:99")), "discovery_failed 02:00:00:00:00:99")
check(bool(find(event="station_connected", station=S, port="wifi1")), "station_connected on wifi1")
check(bool(find(event="station_moved", station=S, from_port="wifi1", to_node=C)), "station_moved wifi1 -> C")
check(bool(find(event="station_steered", station=S, port="wifi1")), "station_steered on wifi1")
check(bool(find(event="peer_down", peer=B)), "peer_down B")
gone = find(event="path_removed", dest=B) + [e for e in find(event="path_changed") if e["old_next_hop"] == B]
check(bool(gone), f"paths through B removed or moved: {gone[:2]}")
order = [e["event"] for e in events]
check(order.index("peer_up") < order.index("path_new") < order.index("path_changed"), "peer_up, path_new, path_changed in order")
deauth = [l for l in open(f"{work}/hostapd-a.log") if l.startswith("DEAUTHENTICATE ")]
check(deauth == [f"DEAUTHENTICATE {S}\n"], f"A's hostapd got one DEAUTHENTICATE: {deauth}")
text = open(f"{work}/events.txt").read()
check(f"path {C}: next hop {C} -> {B} on mesh_ab" in text and f"peer {B} up on mesh_ab" in text and
      f"station {S} moved from wifi1 to {C}" in text, "the text monitor says the same")
sys.exit(1 if bad else 0)
PY

# Metrics: promtool's own check (syntax and naming lint), every counter there, values as telemetry says.
if [ -x "$promtool" ]; then
  check "promtool check metrics (meshctl metrics)" "$promtool" check metrics < "$work/metrics.txt"
  check "promtool check metrics (GET /metrics)" "$promtool" check metrics < "$work/scraped.txt"
else
  echo "FAIL promtool not found ($promtool): tools/setup.sh fetches it"; status=1
fi
python3 - "$work" <<'PY' || status=1
import json, re, sys
work = sys.argv[1]
stats = json.load(open(f"{work}/stats.json"))
samples, types = {}, {}
for text_file in ("metrics.txt", "scraped.txt"):
    for line in open(f"{work}/{text_file}"):
        if line.startswith("# TYPE "):
            _, _, name, t = line.split()
            types[name] = t
        elif line.strip() and not line.startswith("#"):
            m = re.match(r'([a-z_]+)\{(.*)\} (\S+)$', line.strip())
            assert m, line
            labels = dict(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(2)))
            samples.setdefault(m.group(1), []).append((labels, float(m.group(3))))
bad = 0
def check(cond, what):
    global bad
    print(("ok   " if cond else "FAIL ") + what)
    bad += not cond
def value(name, **labels):
    vals = [v for l, v in samples.get(name, []) if all(l.get(k) == x for k, x in labels.items())]
    return vals[0] if vals else None
check(all(l.get("node") == "a" for ss in samples.values() for l, _ in ss), "every sample has node=\"a\"")
check(all(n.endswith("_total") for n, t in types.items() if t == "counter"), "counters end in _total")
missing = []
for section in ("control", "hwmp", "peering", "security"):
    for k in stats[section]:
        name = f"meshplane_{section}_dropped_frames_total" if k.startswith("drop_") else f"meshplane_{section}_{k}_total"
        name = name.replace("_for_us_", "_for_this_node_")
        if (value(name, reason=k[5:]) if k.startswith("drop_") else value(name)) is None:
            missing.append(f"{section}.{k}")
ports = [k for k in stats if k not in ("control", "hwmp", "peering", "security", "lcores")]
for p in ports:
    for k in stats[p]:
        if k.startswith("drop_"):
            if value("meshplane_port_dropped_frames_total", port=p, reason=k[5:]) is None: missing.append(f"{p}.{k}")
        elif k.startswith(("mesh_", "eth_")):
            if value("meshplane_port_rx_class_frames_total", port=p, **{"class": k}) is None: missing.append(f"{p}.{k}")
        elif not any(value(n, port=p) is not None for n in samples if n.startswith(f"meshplane_port_{k}")):
            missing.append(f"{p}.{k}")
for l in stats["lcores"]:
    if value("meshplane_lcore_busy_cycles_total", lcore=l[5:]) is None: missing.append(l)
check(not missing, f"every counter of /meshplane/stats is a metric ({len(ports)} ports; missing: {missing[:8]})")
check(value("meshplane_control_peers_adopted_total") == stats["control"]["peers_adopted"] >= 2,
      f"peers_adopted {value('meshplane_control_peers_adopted_total')} == telemetry's {stats['control']['peers_adopted']}")
check(value("meshplane_peer_established", peer="02:00:00:00:00:0b") == 1, "peer B established")
check(value("meshplane_peer_link_rate_bytes_per_second", peer="02:00:00:00:00:0c") == 6e6 / 8, "peer C at 6 Mb/s")
check(value("meshplane_path_info", dest="02:00:00:00:00:0c", next_hop="02:00:00:00:00:0b") == 1, "path C via B")
check(value("meshplane_station_info", station="0a:00:00:00:5a:01", origin="remote", mesh_node="02:00:00:00:00:0c") == 1,
      "station behind C")
check(value("meshplane_port_link_up", port="mesh_ab") == 1, "port mesh_ab up")
sys.exit(1 if bad else 0)
PY
exit $status
