#!/bin/bash
# airsim lab test (root): an `air` namespace with airsim and three node namespaces joined to it by
# veth pairs, all named with a unique suffix and always removed by the EXIT trap. Checks that a
# frame injected at gw1 reaches gw2 and gw3 with each link's rate and the same 802.11 bytes, that a
# cut link stops it, that invalid frames are counted, the pcap (with tshark when present) and a
# clean SIGTERM stop. Exit 77 (meson: skipped) when it cannot run here.
set -euo pipefail

AIRSIM=${1:?usage: lab_test.sh /path/to/airsim}
HERE=$(cd "$(dirname "$0")" && pwd)
TOOL="$HERE/frame_tool.py"

if [ "$(id -u)" != 0 ]; then echo "skip: needs root"; exit 77; fi
for prog in ip python3; do
	command -v "$prog" >/dev/null || { echo "skip: $prog not found"; exit 77; }
done

SUFFIX="$$-$RANDOM"
NS_AIR="airsim-air-$SUFFIX"
NODES=(gw1 gw2 gw3)
TMP=$(mktemp -d /tmp/airsim-lab.XXXXXX)
AIRSIM_PID=""
CREATED=()

cleanup() {
	local rc=$?
	if [ -n "$AIRSIM_PID" ] && kill -0 "$AIRSIM_PID" 2>/dev/null; then
		kill "$AIRSIM_PID" 2>/dev/null || true
		wait "$AIRSIM_PID" 2>/dev/null || true
	fi
	# Deleting a namespace deletes the veth ends in it, and with them their peers.
	for ns in "${CREATED[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*" >&2
	echo "--- airsim log" >&2
	cat "$TMP/airsim.log" >&2 2>/dev/null || true
	exit 1
}

new_ns() {
	ip netns add "$1"
	CREATED+=("$1")
	ip -n "$1" link set lo up
	# No IPv6 autoconfiguration chatter (RS, MLD, DAD) on the veths: only our frames cross the air.
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

ns_of() { echo "airsim-$1-$SUFFIX"; }

new_ns "$NS_AIR"
for node in "${NODES[@]}"; do
	ns=$(ns_of "$node")
	new_ns "$ns"
	ip -n "$NS_AIR" link add "air-$node" mtu 1900 type veth peer name wifi0 netns "$ns" mtu 1900
	ip -n "$NS_AIR" link set "air-$node" up
	ip -n "$ns" link set wifi0 up
done

cat >"$TMP/topology.json" <<JSON
{"nodes": [{"name": "gw1", "iface": "air-gw1"}, {"name": "gw2", "iface": "air-gw2"},
           {"name": "gw3", "iface": "air-gw3"}],
 "links": [{"a": "gw1", "b": "gw2", "rate_mbps": 6}, {"a": "gw1", "b": "gw3", "rate_mbps": 24}],
 "default": {"rate_mbps": 54, "loss": 0.0}}
JSON

CTL="$TMP/airsim.sock"
ip netns exec "$NS_AIR" "$AIRSIM" --topology "$TMP/topology.json" --control "$CTL" \
	--pcap "$TMP/air.pcap" --seed 1 --log-level info 2>"$TMP/airsim.log" &
AIRSIM_PID=$!

ctl() { "$AIRSIM" --control "$CTL" "$@"; }

for _ in $(seq 50); do
	ctl stats >/dev/null 2>&1 && break
	kill -0 "$AIRSIM_PID" 2>/dev/null || fail "airsim exited at start"
	sleep 0.1
done
ctl stats >/dev/null || fail "control socket does not answer"

# Sender's radiotap (19 bytes): TSFT, Flags 0x02 (short preamble: must be kept), Rate 1 Mb/s (0x02),
# signal -60 dBm; then an action frame whose last 4 bytes are a nonce so each injection is recognisable.
RADIOTAP_IN="000013002700000001020304050607080202c4"
dot11() { echo "d0000000ffffffffffff02000000000102000000000110000d01$1"; }

# inject FROM HEX: records every node's receptions from before one injection from FROM until 1.5 s
# after it (the receivers listen until stopped: on a loaded machine they may take seconds to start).
inject() {
	local from=$1 hex=$2 node pids=()
	rm -f "$TMP"/*.ready "$TMP"/*.rx
	for node in "${NODES[@]}"; do
		ip netns exec "$(ns_of "$node")" python3 "$TOOL" recv wifi0 60 "$TMP/$node.ready" >"$TMP/$node.rx" &
		pids+=($!)
	done
	for node in "${NODES[@]}"; do
		for _ in $(seq 200); do [ -e "$TMP/$node.ready" ] && break; sleep 0.05; done
		[ -e "$TMP/$node.ready" ] || fail "receiver on $node did not start within 10 s"
	done
	ip netns exec "$(ns_of "$from")" python3 "$TOOL" send wifi0 "$hex"
	sleep 1.5 # the relay's delay and loss settings apply; a frame not there by now is not coming
	kill "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
}

# expect NODE DOT11HEX RATE: NODE received exactly one copy: our 10-byte header with the sender's
# Flags (0x02) and RATE (500 kb/s units, hex), then the 802.11 bytes unchanged. RATE "none": nothing received.
expect() {
	local node=$1 body=$2 rate=$3 got
	got=$(grep -c -- "$body\$" "$TMP/$node.rx" || true)
	if [ "$rate" = none ]; then
		[ "$got" = 0 ] || fail "$node received the frame ($got copies), expected none"
		echo "ok: $node did not get the frame"
		return
	fi
	[ "$got" = 1 ] || fail "$node received $got copies, expected 1: $(cat "$TMP/$node.rx")"
	grep -qx -- "00000a000600000002$rate$body" "$TMP/$node.rx" ||
		fail "$node: wrong radiotap or 802.11 bytes: $(cat "$TMP/$node.rx"), expected rate 0x$rate"
	echo "ok: $node got the frame at rate 0x$rate with identical 802.11 bytes"
}

# 1. gw1 -> gw2 (6 Mb/s = 0x0c) and gw3 (24 Mb/s = 0x30); no echo to gw1.
F1=$(dot11 11111111)
inject gw1 "$RADIOTAP_IN$F1"
expect gw2 "$F1" 0c
expect gw3 "$F1" 30
expect gw1 "$F1" none

# 2. cut gw1-gw3: only gw2 hears gw1.
[ "$(ctl cut gw1 gw3)" = ok ] || fail "cut gw1 gw3 not ok"
F2=$(dot11 22222222)
inject gw1 "$RADIOTAP_IN$F2"
expect gw2 "$F2" 0c
expect gw3 "$F2" none

# 3. gw3 still reaches gw2 at the default 54 Mb/s (0x6c), not gw1.
F3=$(dot11 33333333)
inject gw3 "$RADIOTAP_IN$F3"
expect gw2 "$F3" 6c
expect gw1 "$F3" none

# 4. not radiotap (an Ethernet broadcast): counted, relayed nowhere.
F4="ffffffffffff0200000000990800450000140000000040ff0000"
inject gw2 "$F4"
for node in gw1 gw3; do [ ! -s "$TMP/$node.rx" ] || fail "$node received the invalid frame"; done

# 5. counters.
ctl stats >"$TMP/stats.json"
python3 - "$TMP/stats.json" <<'PY' || fail "stats: $(cat "$TMP/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
links = {(l["a"], l["b"]): l for l in s["links"]}
nodes = {n["name"]: n for n in s["nodes"]}
checks = [
    (links[("gw1", "gw2")]["delivered"], 2),
    (links[("gw1", "gw3")]["delivered"], 1),
    (links[("gw1", "gw3")]["dropped_cut"], 2),
    (links[("gw1", "gw3")]["up"], False),
    (links[("gw2", "gw3")]["delivered"], 1),
    (links[("gw1", "gw2")]["rate_mbps"], 6),
    (nodes["gw2"]["invalid"], 1),
    (s["totals"]["invalid"], 1),
    (s["totals"]["dropped_loss"], 0),
]
bad = [(got, want) for got, want in checks if got != want]
sys.exit(1 if bad else 0)
PY
echo "ok: stats counters"
[ "$(ctl restore gw1 gw3)" = ok ] || fail "restore not ok"
ctl jump gw1 >/dev/null && fail "unknown command accepted"
echo "ok: control replies"

# 6. bytes 12-13 of the sender's frame read 0x8100: the kernel takes them for a VLAN tag and strips
# them; airsim must put them back (PACKET_AUXDATA), or the frame would arrive 4 bytes short.
RADIOTAP_VLAN="000013002700000001020304810007080202c4"
F6=$(dot11 66666666)
inject gw2 "$RADIOTAP_VLAN$F6"
expect gw1 "$F6" 0c
expect gw3 "$F6" 6c

# 7. the pcap holds the 4 valid transmissions as sent (sender's rate 1 Mb/s), flushed while running.
python3 - "$TMP/air.pcap" "$RADIOTAP_VLAN$F6" <<'PY' || fail "pcap content"
import struct, sys
data = open(sys.argv[1], "rb").read()
magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", data[:24])
assert magic == 0xA1B2C3D4 and linktype == 127, (hex(magic), linktype)
off, records = 24, []
while off < len(data):
    incl = struct.unpack("<IIII", data[off:off + 16])[2]
    records.append(data[off + 16:off + 16 + incl])
    off += 16 + incl
assert len(records) == 4, len(records)
assert records[3].hex() == sys.argv[2], records[3].hex()
PY
if command -v tshark >/dev/null; then
	rates=$(WIRESHARK_CONFIG_DIR="$TMP" tshark -r "$TMP/air.pcap" -T fields -e radiotap.datarate \
		2>/dev/null | tr '\n' ' ')
	[ "$rates" = "1 1 1 1 " ] || fail "tshark datarates '$rates', expected '1 1 1 1 '"
	echo "ok: tshark reads the pcap (datarate 1 1 1 1)"
else
	echo "note: tshark not found, pcap checked by structure only"
fi

# 8. SIGTERM stops cleanly and removes the control socket.
kill -TERM "$AIRSIM_PID"
rc=0
wait "$AIRSIM_PID" || rc=$?
AIRSIM_PID=""
[ "$rc" = 0 ] || fail "airsim exited with $rc on SIGTERM"
[ ! -e "$CTL" ] || fail "control socket left behind"
echo "ok: SIGTERM stop"
echo "PASS"
