#!/usr/bin/env bash
# Live config changes (SIGHUP, meshctl reload) on a node forwarding meshgen's mesh transit over memif:
#  1. SIGHUP with a file that changes the log level, an HWMP timer, a static path's metric and adds a
#     static path, proxy and FDB entry: all applied (the log and /meshplane/config say so, the tables
#     hold the new entries), while traffic keeps flowing;
#  2. meshctl reload with a file that is not JSON, one with a bad value, and one that changes a port's
#     devargs: each refused, naming the problem or the key, and nothing changed;
#  3. a file that drops the added entries again: they are gone, the transit path stays;
#  4. through all of it the node dropped none of the frames it received, and forwarded every one
#     (what the port could not send, a full memif ring under load, is reported, not failed: that is
#     the machine, not the reloads).
# Usage: config_reload.sh MESHPLANE MESHCTL MESHGEN
set -euo pipefail
meshplane=$1
meshctl=$2
meshgen=$3
work=$(mktemp -d /tmp/meshplane-reload-XXXXXX)
prefix="reload-mp-$$"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
      rm -rf "$work" /var/run/dpdk/reload-*-$$' EXIT
status=0
check() { if eval "$1"; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi; }
sock="$work/memif.sock"
# write_config LOG_LEVEL MAX_PREQ_RETRIES METRIC EXTRA_STATIC DEVARGS_SUFFIX
write_config() {
  local extra_path="" extra_proxy="" extra_fdb=""
  if [ "$4" = yes ]; then
    extra_path=', {"dest": "02:00:00:00:00:09", "next_hop": "02:00:00:00:00:01", "port": "wifi0", "metric": 77}'
    extra_proxy='"static_proxies": [{"station": "0a:00:00:00:00:09", "proxy": "02:00:00:00:00:09"}],'
    extra_fdb='"static_fdb": [{"mac": "0a:00:00:00:00:08", "port": "wifi1"}],'
  fi
  cat > "$work/node.json.new" <<JSON
{
  "node": {"name": "reload", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "$prefix"},
  "mesh": {"mesh_id": "reload-test"},
  "ports": [{"name": "wifi0", "role": "mesh",
             "devargs": "net_memif0,role=client,id=0,socket=$sock,socket-abstract=no$5"},
            {"name": "wifi1", "role": "access", "devargs": "net_null0,no-rx=1"}],
  "static_peers": [{"mac": "02:00:00:00:00:01", "port": "wifi0"}],
  "static_paths": [{"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0", "metric": $3}$extra_path],
  $extra_proxy
  $extra_fdb
  "hwmp": {"max_preq_retries": $2},
  "workers": {"lcores": [1], "main_lcore": 0, "idle_sleep_us": 100, "idle_polls": 1000},
  "mempool": {"mbufs": 8191, "cache": 256},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "$1"
}
JSON
  mv "$work/node.json.new" "$work/node.json"
}
rows() { "$meshctl" -n "$prefix" --json "$1"; }
has_path() { rows paths | python3 -c 'import json,sys; r={p["dest"]: p["metric"] for p in json.load(sys.stdin)}; sys.exit(0 if r.get(sys.argv[1]) == (int(sys.argv[2]) if sys.argv[2] != "none" else None) else 1)' "$1" "$2"; }
has_fdb() { rows fdb | python3 -c 'import json,sys; sys.exit(0 if any(e["mac"] == sys.argv[1] for e in json.load(sys.stdin)) == (sys.argv[2] == "yes") else 1)' "$1" "$2"; }
effective() { # the running node's max_preq_retries and log level (meshctl config)
  "$meshctl" -n "$prefix" config | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["hwmp"]["max_preq_retries"], c["log_level"])'
}
reload_says() { # reload_says EXIT_STATUS PATTERN: meshctl reload exits so and prints the pattern
  local rc=0 out
  out=$("$meshctl" -n "$prefix" reload 2>&1) || rc=$?
  echo "     meshctl reload: $out (exit $rc)"
  [ "$rc" -eq "$1" ] && grep -q -- "$2" <<<"$out"
}

write_config warning 4 10 no ""
"$meshgen" --tx "net_memif0,role=server,id=0,socket=$sock,socket-abstract=no" --lcores 0@1,1@0 \
  --link-wait 60 --kind mesh-unicast --size 64 --rate 20000 --count 300000 --json "$work/summary.json" \
  -- --file-prefix="reload-gen-$$" >"$work/meshgen.out" 2>"$work/meshgen.err" &
pids+=($!); gen=$!
for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
"$meshplane" --config "$work/node.json" --stats-file "$work/stats.json" >"$work/node.log" 2>&1 &
pids+=($!); node=$!
for _ in $(seq 300); do "$meshctl" -n "$prefix" info >/dev/null 2>&1 && break; sleep 0.1; done
check 'has_path 02:00:00:00:00:03 10' "the node runs with its static path (metric 10)"

# 1. SIGHUP: everything here can change live
write_config info 2 20 yes ""
kill -HUP "$node"
# 30 s at most: the control thread takes it up between two loop turns, slower on a loaded machine.
for _ in $(seq 300); do grep -q "reload: .*applied" "$work/node.log" && break; sleep 0.1; done
sighup_applied() { grep "reload: .*applied 5 changes:" "$work/node.log" | tail -1 | tr ' ' '\n' | sort | tr '\n' ' ' |
  grep -q "hwmp.max_preq_retries log_level .*static_fdb static_paths static_proxies"; }
check 'sighup_applied' "SIGHUP: $(grep "reload:" "$work/node.log" | tail -1)"
check '[ "$(effective)" = "2 info" ]' "the effective config has max_preq_retries 2 and log level info ($(effective))"
check 'has_path 02:00:00:00:00:03 20 && has_path 02:00:00:00:00:09 77' "the static path's metric is 20 and the added one is there"
check 'has_fdb 0a:00:00:00:00:09 yes && has_fdb 0a:00:00:00:00:08 yes' "the added static proxy and FDB entry are in the FDB"

# 2. refused: nothing changes
echo '{"node": ' > "$work/node.json"
check 'reload_says 1 "nothing changed"' "a file that is not JSON is refused"
write_config info 2 20 yes ""
sed -i 's/"max_preq_retries": 2/"max_preq_retries": 300/' "$work/node.json"
check 'reload_says 1 "hwmp.max_preq_retries: 300 is out of range"' "a bad value is refused, naming the key"
write_config info 2 20 yes ",rsize=12"
check 'reload_says 1 "ports\[0\].devargs cannot change while the node runs"' "a port's devargs cannot change live: refused, naming the key"
check '[ "$(effective)" = "2 info" ] && has_path 02:00:00:00:00:03 20 && has_path 02:00:00:00:00:09 77' "after the refusals the node still runs the SIGHUP'd config"

# 3. the added entries go again; the transit path stays
write_config info 2 20 no ""
check 'reload_says 0 "applied 3 changes"' "meshctl reload with the additions removed"
check 'has_path 02:00:00:00:00:09 none && has_fdb 0a:00:00:00:00:09 no && has_fdb 0a:00:00:00:00:08 no && has_path 02:00:00:00:00:03 20' "the removed static entries are gone, the transit path is still there"
check 'reload_says 0 "no change"' "reloading the same file: no change"

wait "$gen" || { echo "FAIL meshgen"; cat "$work/meshgen.err"; exit 1; }
kill -TERM "$node"; wait "$node" || { echo "FAIL meshplane exit status"; cat "$work/node.log"; exit 1; }
pids=()
# 4. nothing the node received was dropped, every frame went on
python3 - "$work/stats.json" "$work/summary.json" <<'PY' || status=1
import json, sys
s = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
p = next(p for p in s["ports"] if p["port"] == "wifi0")
fwd = p["forwarding"]
# What the port could not send (drop_tx_full: a full memif ring under load; drop_port_down: beacons
# queued before meshgen connected) is the machine and the start, not the reloads: reported, not failed.
tx_side = ("drop_tx_full", "drop_port_down")
drops = {k: v for k, v in fwd.items() if k.startswith("drop_") and v and k not in tx_side}
transit = p["classes"]["mesh_data_unicast"]
ok = transit == g["tx_packets"] and fwd["mesh_forward"] == transit and not drops
print(("ok   " if ok else "FAIL ") + f"through 6 reloads the node received {transit} of meshgen's {g['tx_packets']} "
      f"transit frames and forwarded {fwd['mesh_forward']}, dropped {drops or 'none'} "
      f"(not sent: tx ring full {fwd['drop_tx_full']}, port down {fwd['drop_port_down']}; "
      f"meshgen got {g['rx_packets']} back)")
sys.exit(0 if ok else 1)
PY
exit $status
