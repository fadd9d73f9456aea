# Sourced by the tests that run meshplane nodes in network namespaces on airsim (linux_interop,
# linux_secure_interop, hostile_secure). The caller sets: tag (namespace and file-prefix prefix),
# NODES_DIR (configs, logs, pids), meshplane, meshctl; for the VM helpers VMCTL (tools/vmlab/vmctl.py
# --vm NAME). It sources forward_node.sh for wait_for_telemetry.
source "$(dirname "${BASH_SOURCE[0]}")/forward_node.sh"

fail=${fail:-0}
# check CONDITION-TEXT WHAT: evaluates the condition, prints ok/FAIL, remembers a failure in $fail
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }
wait_until() { # wait_until SECONDS COMMAND...: polls every 0.1 s until COMMAND succeeds
  local end
  end=$(awk -v n="$(now)" -v s="$1" 'BEGIN {printf "%.3f", n + s}'); shift
  until "$@"; do
    awk -v n="$(now)" -v e="$end" 'BEGIN {exit !(n > e)}' && return 1
    sleep 0.1
  done
}
make_namespaces() { # make_namespaces NAME...: $tag-NAME each, IPv6 off, lo up
  for ns in "$@"; do
    ip netns add "$tag-$ns"
    ip netns exec "$tag-$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$tag-$ns" link set lo up
  done
}
veth() { # veth NS1 IF1 NS2 IF2 MTU
  ip link add "$2" netns "$tag-$1" mtu "$5" type veth peer name "$4" netns "$tag-$3" mtu "$5"
  ip -n "$tag-$1" link set "$2" up
  ip -n "$tag-$3" link set "$4" up
}
start_node() { # start_node NAME: meshplane from NODES_DIR/NAME.json in $tag-NAME, until its telemetry answers
  ip netns exec "$tag-$1" "$meshplane" --config "$NODES_DIR/$1.json" --stats-file "$NODES_DIR/$1-stats.json" \
    >>"$NODES_DIR/$1.log" 2>&1 &
  echo $! > "$NODES_DIR/$1.pid"
  wait_for_telemetry "$tag-$1" || { echo "FAIL: node $1 did not start"; cat "$NODES_DIR/$1.log"; exit 1; }
}
stop_node() { # stop_node NAME: SIGTERM, and wait for it
  kill -TERM "$(cat "$NODES_DIR/$1.pid")"; wait "$(cat "$NODES_DIR/$1.pid")" 2>/dev/null || true
  rm -f "$NODES_DIR/$1.pid"
}
mp_peer() { # mp_peer NODE PEER [SECURITY]: PEER is ESTAB at NODE (with that security: keyed, open)
  "$meshctl" -n "$tag-$1" --json peers 2>/dev/null | python3 -c '
import json, sys
mac, sec = sys.argv[1], sys.argv[2]
sys.exit(0 if any(r["mac"] == mac and r["plink"] == "ESTAB" and (not sec or r.get("security") == sec)
                  for r in json.load(sys.stdin)) else 1)' "$2" "${3:-}" 2>/dev/null
}
stat_of() { # stat_of NODE SECTION KEY: one counter of NODE's /meshplane/stats
  "$meshctl" -n "$tag-$1" --json stats | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]][sys.argv[2]])' "$2" "$3"
}
# The Linux mesh points in the VM lab
in_node() { local n=$1; shift; "${VMCTL[@]}" exec --timeout 30 --node "$n" "$@"; }
linux_estab() { # linux_estab NODE PEER: PEER in mesh plink ESTAB in NODE's station dump
  in_node "$1" 'iw dev mesh0 station dump' 2>/dev/null | awk -v p="$2" '
    /^Station/ {s = $2} /mesh plink:/ {if (s == p && $3 == "ESTAB") ok = 1} END {exit !ok}'
}
linux_not_estab() { ! linux_estab "$@"; }
