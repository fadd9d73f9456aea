#!/usr/bin/env bash
# Roaming in the lab (issue 6): the client (802.1X through real hostapds, one MAC on all its links)
# moves from gw3 to gw2 while the lan host pings it every 5 ms.
#  1-3. mesh formed, client associated on gw3 (local there, remote on gw1 and gw2), traffic both ways;
#  4.   gw3's AP goes away (hostapd stopped, link down), the client associates on gw2; measured: the
#       time from gw2's AP-STA-CONNECTED to the first frame delivered to the client via gw2 (goal
#       < 20 ms), frames still sent towards gw3 after gw2's announcement (goal 0), the total outage;
#  5.   back to gw3 (hostapd restarted there), gracefully with a logoff first; measured again;
#  6.   hostapd on gw2 is killed (no events) and restarted: meshplane re-attaches and reconciles;
#  7.   802.11k: each hostapd's neighbour list (SHOW_NEIGHBOR) is exactly the other two APs, and after
#       gw3 is stopped only the remaining one (the restarted hostapd of gw2 is refilled too);
#  8.   (before 7's stop) 802.11r over the DS: an RRB frame from gw3's BSSID on gw3's br0 (where a
#       hostapd with bridge=br0 sends it) to gw1's BSSID crosses the mesh and comes out of gw1's br0
#       unchanged; the air capture shows it as 802.11s data with LLC/SNAP 0x890d.
# Usage: roaming.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
export MESHPLANE_BUILD=$1
export LAB_DIR=/run/meshplane/lab-roam
meshctl="$MESHPLANE_BUILD/tools/meshctl/meshctl"
CLIENT=02:00:00:00:c1:01 GW2=02:00:00:00:00:02 GW3=02:00:00:00:00:03
trap 'bash tools/lab.sh down' EXIT
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; else echo "ok: $2"; fi; }
# eventually SECONDS COMMAND: true as soon as COMMAND succeeds, false when it never did in time
eventually() {
  local end=$((SECONDS + $1))
  until "$2"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
origin_of() { # origin_of NODE MAC -> "local PORT", "remote NODE" or "none"
  "$meshctl" -n "$1" --json stations | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["mac"] == sys.argv[1]:
        print(r["origin"], r.get("port") or r.get("node")); break
else:
    print("none")' "$2"
}
control_counter() { "$meshctl" -n "$1" --json stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["control"][sys.argv[1]])' "$2"; }
export WIRESHARK_CONFIG_DIR=$(mktemp -d)

neighbour_list() { # neighbour_list NODE -> the BSSIDs in its hostapd's 802.11k list, sorted
  ip netns exec "$1" hostapd_cli -p "/run/meshplane/$1/hostapd" -i wifi1 show_neighbor 2>/dev/null | awk '{print $1}' | sort | tr '\n' ' '
}
bash tools/lab.sh up
bash tools/lab.sh status
# The lists are refreshed every 200 ms and the station's announcement crosses the mesh in one flood:
# waited for, not assumed (with ASan on a busy machine either takes a while).
lists_gw1() { [ "$(neighbour_list gw1)" = "02:00:00:00:02:01 02:00:00:00:03:01 " ]; }
lists_gw3() { [ "$(neighbour_list gw3)" = "02:00:00:00:01:01 02:00:00:00:02:01 " ]; }
behind_gw3() { [ "$(origin_of gw1 $CLIENT)" = "remote $GW3" ] && [ "$(origin_of gw2 $CLIENT)" = "remote $GW3" ]; }
check 'eventually 10 lists_gw1' "gw1's hostapd lists the APs of gw2 and gw3"
check 'eventually 10 lists_gw3' "gw3's hostapd lists the APs of gw1 and gw2"
check '[ "$(origin_of gw3 $CLIENT)" = "local wifi1" ]' "the client is local on gw3"
check 'eventually 10 behind_gw3' \
  "gw1 and gw2 know it behind gw3"
check 'ip netns exec lan ping -c 3 -i 0.2 -W 2 192.0.2.3 >/dev/null' "lan host <-> client across the mesh"

# roam FROM TO: the client leaves FROM (its AP stopped, or a graceful logoff when FROM's AP stays)
# and associates on TO while the lan host pings every 5 ms; prints the three figures.
roam() {
  local from=$1 to=$2 mode=$3 mac_to
  mac_to=$(python3 -c 'import sys; print("02:00:00:00:00:0" + sys.argv[1][-1])' "$to")
  # The client's link to the new AP comes up first (it sends nothing until wpa_supplicant runs), so
  # the capture is running before the roam starts and the outage measures the system, not the test.
  ip -n client link set "c-$to" up
  ip netns exec client tshark -i "c-$to" -w "$LAB_DIR/client-$to.pcap" -q >/dev/null 2>&1 &
  local tshark_pid=$!
  sleep 1
  ip netns exec lan ping -D -i 0.005 -W 1 -w 4 192.0.2.3 > "$LAB_DIR/roam-ping.log" 2>&1 &
  local ping_pid=$!
  sleep 1
  if [ "$mode" = ap-gone ]; then
    kill -TERM "$(cat "$LAB_DIR/hostapd-$from.pid")"
  else
    ip netns exec client wpa_cli -p "$LAB_DIR/wpa" -i "c-$from" logoff >/dev/null
    sleep 0.05
  fi
  kill -TERM "$(cat "$LAB_DIR/wpa_supplicant.pid")"
  ip -n client link set "c-$from" down
  ip -n client addr flush dev "c-$from"
  ip -n client addr add 192.0.2.3/24 dev "c-$to"
  ip netns exec client wpa_supplicant -Dwired -i "c-$to" -c "$LAB_DIR/wpa_supplicant.conf" \
    >"$LAB_DIR/wpa_supplicant-$to.log" 2>&1 &
  echo $! > "$LAB_DIR/wpa_supplicant.pid"
  # wpa_supplicant waits 2 s before its first EAPOL-Start: send one for it (HOSTAPD.md)
  for _ in $(seq 50); do
    ip netns exec client wpa_cli -p "$LAB_DIR/wpa" -i "c-$to" status 2>/dev/null | grep -q 'wpa_state=ASSOCIATED' && break
    sleep 0.02
  done
  ip netns exec client python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
s.send(bytes.fromhex("0180c2000003" + "020000 00c101".replace(" ", "") + "888e" + "02010000") + bytes(46))' "c-$to"
  for _ in $(seq 100); do [ "$(origin_of "$to" $CLIENT)" = "local wifi1" ] && break; sleep 0.05; done
  check '[ "$(origin_of "$to" $CLIENT)" = "local wifi1" ]' "the client associated on $to"
  check '[ "$(origin_of gw1 $CLIENT)" = "remote $mac_to" ]' "gw1 re-pointed the client to $to"
  wait "$ping_pid" || true
  sleep 0.3
  kill "$tshark_pid" 2>/dev/null || true
  wait "$tshark_pid" 2>/dev/null || true
  python3 - "$LAB_DIR" "$CLIENT" "$from" "$to" <<'PY' || fail=1
import re, subprocess, sys
lab, client, old, new = sys.argv[1:5]
mac = {f"gw{i}": f"02:00:00:00:00:0{i}" for i in (1, 2, 3)}
def tshark(path, filt, field="frame.time_epoch"):
    out = subprocess.run(["tshark", "-r", path, "-Y", filt, "-T", "fields", "-e", field],
                         capture_output=True, text=True).stdout.split()
    return [float(x) for x in out]
log = open(f"{lab}/hostapd-{new}.log").read()
connected = float(re.findall(r"^(\d+\.\d+): wifi1: AP-STA-CONNECTED " + client, log, re.M)[-1])
first = [t for t in tshark(f"{lab}/client-{new}.pcap", "icmp.type == 8") if t >= connected]
# The mesh is secure: the air is read decrypted with the nodes' key log (tests/integration/air.py).
# The announcement is matched by its transmitter, broadcast receiver and the station's address.
sys.path.insert(0, "tests/integration")
import air
frames = air.data_frames(f"{lab}/air.pcap", f"{lab}/wireshark")
client_bytes = bytes.fromhex(client.replace(":", ""))
announce = [f["time"] for f in frames if f["ta"] == mac[new] and f["ra"] == "ff:ff:ff:ff:ff:ff"
            and f["plain"] and client_bytes in f["plain"] and f["time"] >= connected]
stale = [f["time"] for f in frames if f["ra"] == mac[old] and f["mesh"] and f["mesh"][3] == client
         and announce and f["time"] > announce[0]]
replies = [float(x) for x in re.findall(r"^\[(\d+\.\d+)\] \d+ bytes from", open(f"{lab}/roam-ping.log").read(), re.M)]
outage = max(b - a for a, b in zip(replies, replies[1:]))
delivery_ms = (first[0] - connected) * 1000 if first else float("inf")
print(f"roam {old} -> {new}: AP-STA-CONNECTED -> first frame to the client via {new}: {delivery_ms:.1f} ms (goal < 20 ms)")
print(f"roam {old} -> {new}: frames sent towards {old} after {new}'s announcement: {len(stale)} (goal 0)")
print(f"roam {old} -> {new}: total outage seen by the lan host's 5 ms ping: {outage * 1000:.0f} ms")
# The goals are reported above. Required: the move happened within 100 ms, and at most a frame or
# two were already on their way to the old AP while the announcement was being applied (a broken
# re-point would send every frame of the 5 ms ping there).
sys.exit(0 if announce and delivery_ms < 100 and len(stale) <= 2 else 1)
PY
}

# 4. gw3's AP goes away; the client associates on gw2
roam gw3 gw2 ap-gone

# 6. hostapd on gw2 dies without a word (SIGKILL) and comes back: re-attach and reconcile
attached=$(control_counter gw2 hostapd_attached)
kill -KILL "$(cat "$LAB_DIR/hostapd-gw2.pid")"
sleep 0.3
rm -f /run/meshplane/gw2/hostapd/wifi1
bash tools/lab.sh hostapd gw2
for _ in $(seq 50); do [ "$(control_counter gw2 hostapd_attached)" -gt "$attached" ] && break; sleep 0.1; done
check '[ "$(control_counter gw2 hostapd_attached)" -gt "$attached" ]' "gw2 re-attached to the restarted hostapd"
# The client may authenticate again with the new hostapd at any moment (wpa_supplicant's EAPOL-Start):
# whatever hostapd lists, gw2 must come to show the same (3 s at most).
listed_on_gw2() { ip netns exec gw2 hostapd_cli -p /run/meshplane/gw2/hostapd -i wifi1 list_sta 2>/dev/null | grep -c "$CLIENT" || true; }
reconciled=0
for _ in $(seq 30); do
  sleep 0.1
  listed=$(listed_on_gw2)
  want=$([ "$listed" -eq 0 ] && echo none || echo "local wifi1")
  [ "$(origin_of gw2 $CLIENT)" = "$want" ] && [ "$(listed_on_gw2)" = "$listed" ] && { reconciled=1; break; }
done
check '[ "$reconciled" = 1 ]' "reconciled: gw2 shows what the new hostapd lists ($([ "$listed" -eq 0 ] && echo no station || echo the client, local))"
# A frame from a station the attached hostapd does not list is forwarded (the FDB learns it) but makes
# no station: only hostapd's list does (a wired "AP" passes such frames; a radio would not).
if [ "$(listed_on_gw2)" -eq 0 ]; then
  ip netns exec client python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("c-gw2", 0))
s.send(b"\xff" * 6 + bytes.fromhex("020000" "00c101") + b"\x88\xb6" + bytes(46))'
  fdb_kind() { "$meshctl" -n "$1" --json fdb | python3 -c '
import json, sys
print(next((r["kind"] for r in json.load(sys.stdin) if r["mac"] == sys.argv[1]), "none"))' "$2"; }
  for _ in $(seq 50); do [ "$(fdb_kind gw2 $CLIENT)" = access ] && break; sleep 0.05; done
  if [ "$(listed_on_gw2)" -eq 0 ]; then
    check '[ "$(fdb_kind gw2 $CLIENT)" = access ] && [ "$(origin_of gw2 $CLIENT)" = none ]' \
      "a frame from the client its hostapd no longer lists: learned for forwarding, no station on gw2"
  fi
fi

# 5. back to gw3 (its hostapd restarted), gracefully: logoff from gw2 first
bash tools/lab.sh hostapd gw3
sleep 0.5
roam gw2 gw3 logoff

# 8. 802.11r over the DS: hostapd sends its RRB frames (ethertype 0x890d, here the FT remote request
# layout) from its own BSSID to the other AP's, on the bridge it is given (bridge=br0), and takes them
# there. So: from gw3's br0, source gw3's BSSID, to gw1's BSSID; it must cross the mesh and come out of
# gw1's br0 unchanged. (Our hostapds run driver=wired, which has no FT: the frame is sent where
# hostapd would send it.)
GW1_BSSID=020000000101 GW3_BSSID=020000000301
rrb_body=0100$(printf '%02x00' 18)020000000301060102000000c10102000000020100000000
rrb=${GW1_BSSID}${GW3_BSSID}890d$rrb_body
rm -f "$LAB_DIR/rrb.ready" "$LAB_DIR/rrb-lan.ready"
ip netns exec gw1 python3 tests/airsim/frame_tool.py recv br0 3 "$LAB_DIR/rrb.ready" > "$LAB_DIR/rrb.rx" &
rx=$!
ip netns exec lan python3 tests/airsim/frame_tool.py recv lan0 3 "$LAB_DIR/rrb-lan.ready" > "$LAB_DIR/rrb-lan.rx" &
rx_lan=$!
for _ in $(seq 50); do [ -f "$LAB_DIR/rrb.ready" ] && [ -f "$LAB_DIR/rrb-lan.ready" ] && break; sleep 0.05; done
ip netns exec gw3 python3 tests/airsim/frame_tool.py send br0 "$rrb"
wait "$rx" "$rx_lan" || true
check '! grep -q "$rrb_body" "$LAB_DIR/rrb-lan.rx"' "gw1 kept it off its wired LAN (a frame for its own BSSID is not flooded)"
check 'grep -q "^${rrb}" "$LAB_DIR/rrb.rx"' "an 802.11r RRB frame from gw3's br0 (its BSSID) to gw1's BSSID came out of gw1's br0, unchanged"
rrb_air=$(python3 - "$LAB_DIR/air.pcap" "$rrb_body" <<'PY'
import sys
sys.path.insert(0, "tests/integration")
import air
body = bytes.fromhex(sys.argv[2])
snap = bytes.fromhex("aaaa03000000890d")
frames = air.data_frames(sys.argv[1], sys.argv[1].rsplit("/", 1)[0] + "/wireshark")
print(sum(1 for f in frames if f["protected"] and f["mesh"] and f["mesh"][5].startswith(snap + body)))
PY
)
check '[ "$rrb_air" -ge 1 ]' "the air capture shows it as protected mesh data with LLC/SNAP 0x890d, decrypted ($rrb_air frame(s))"

# 7. gw3 stops: the others' neighbour lists drop its AP
sleep 0.5
check '[ "$(neighbour_list gw2)" = "02:00:00:00:01:01 02:00:00:00:03:01 " ]' "the restarted hostapd of gw2 got its list back"
kill -TERM "$(cat "$LAB_DIR/gw3.pid")"
for _ in $(seq 60); do
  [ "$(neighbour_list gw1)" = "02:00:00:00:02:01 " ] && [ "$(neighbour_list gw2)" = "02:00:00:00:01:01 " ] && break
  sleep 0.1
done
check '[ "$(neighbour_list gw1)" = "02:00:00:00:02:01 " ] && [ "$(neighbour_list gw2)" = "02:00:00:00:01:01 " ]' \
  "gw3 stopped: gw1 and gw2 list only each other's AP (gw1: $(neighbour_list gw1), gw2: $(neighbour_list gw2))"
exit $fail
