#!/usr/bin/env bash
# meshctl against a live node (the forwarding scenario): tables show what the node knows, --json is
# the node's JSON, errors are clear. Usage: meshctl.sh MESHPLANE GEN_FORWARD_CASE MESHCTL
set -euo pipefail
meshplane=$1
gen=$2
meshctl=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/meshplane-meshctl-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
source "$here/forward_node.sh"

"$gen" "$work"
prefix=mp-meshctl-$$
write_forward_node "$work" "$prefix"
"$meshplane" --config "$work/node.json" --duration 4 >/dev/null 2>&1 &
pid=$!
wait_for_telemetry "$prefix"
sleep 1

fail=0
expect() { # expect LABEL REGEX FILE
  if ! grep -Eq "$2" "$3"; then echo "FAIL meshctl $1: no line matching /$2/ in:"; cat "$3"; fail=1; fi
}
"$meshctl" -n "$prefix" info > "$work/info.txt"
expect info '^mesh-id: +campus-mesh$' "$work/info.txt"
expect info '^mesh-mac: +02:00:00:00:00:02$' "$work/info.txt"
"$meshctl" -n "$prefix" fdb > "$work/fdb.txt"
expect fdb '^MAC +KIND +TYPE +IFACE/PROXY +AGE +FLAGS$' "$work/fdb.txt"
expect fdb '^0a:66:77:88:99:aa +mesh +mesh +02:00:00:00:00:03 +[0-9]+s +static$' "$work/fdb.txt"
expect fdb '^0a:00:00:00:c1:01 +access +direct +wifi1 +[0-9]+s *$' "$work/fdb.txt"
expect fdb '^0a:00:00:00:0e:02 +lan +outsider +eth0 +[0-9]+s +static$' "$work/fdb.txt"
[ "$(grep -c '^0a\|^02' "$work/fdb.txt")" -eq 8 ] || { echo "FAIL meshctl fdb: not 8 rows"; fail=1; }
"$meshctl" -n "$prefix" paths > "$work/paths.txt"
expect paths '^DEST +NEXT HOP +IFACE +SN +METRIC +HOPS +CHANGES +EXPIRES +FLAGS$' "$work/paths.txt"
expect paths '^02:00:00:00:00:03 +02:00:00:00:00:03 +wifi0 +0 +1 +1 +0 +never +static$' "$work/paths.txt"
"$meshctl" -n "$prefix" stats > "$work/stats.txt"
expect stats '^eth0 +7 +[0-9]+ +3 +2$' "$work/stats.txt"
expect stats '^wifi0 +mesh_forward +1$' "$work/stats.txt"
expect stats '^control +mgmt_frames +1$' "$work/stats.txt"
"$meshctl" -n "$prefix" --json fdb | python3 -c 'import json,sys; rows=json.load(sys.stdin); sys.exit(len(rows) != 8)' ||
  { echo "FAIL meshctl --json fdb"; fail=1; }
if "$meshctl" -n no-such-node info 2>"$work/err.txt"; then echo "FAIL: unknown node succeeded"; fail=1; fi
expect error 'node "no-such-node": cannot connect' "$work/err.txt"
wait "$pid"; pid=
[ "$fail" -eq 0 ] && echo "meshctl: info, fdb, paths, stats, --json and errors as expected"
exit $fail
