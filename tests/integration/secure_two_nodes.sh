#!/usr/bin/env bash
# The secure mesh between two meshplane processes (mesh ports joined by net_memif, no hugepages):
#  1. same password: SAE, then AMPE-protected peering, ESTAB with the link keyed on both sides
#     (meshctl peers); node A's frames for a station behind B wait for HWMP, whose PREQ goes out under
#     A's MGTK (group addressed privacy) and whose PREP comes back under the link's MTK; B delivers them byte for byte; every mesh data frame
#     crossed encrypted (ccmp_encrypted at A, ccmp_decrypted at B, nothing unprotected taken);
#  2. another password at B: SAE fails on both sides (confirm mismatch, logged with the peer's
#     address), no peering frame is sent, no data crosses;
#  3. a password file readable by others, a missing one, an empty one: the node refuses to start and
#     names the file and what is wrong with it (and never prints the password).
# Usage: secure_two_nodes.sh MESHPLANE MESHCTL
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
meshplane=$1
meshctl=$2
work=$(mktemp -d /tmp/meshplane-secure-XXXXXX)
[ -n "${KEEP:-}" ] && echo "work dir $work"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

python3 - "$work" "$here" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from pcaputil import write_pcap
work = sys.argv[1]
lanhost = bytes.fromhex("0a000000aa01")
station = bytes.fromhex("0a000000bb01")
frames = [station + lanhost + b"\x88\xb5" + bytes([i]) * 46 for i in range(3)]
write_pcap(f"{work}/in_a.pcap", frames)
write_pcap(f"{work}/expected_b.pcap", frames)
write_pcap(f"{work}/empty.pcap", [])
PY
umask 077
printf 'correct horse battery staple\n' > "$work/mesh.password"
printf 'tr0ub4dor&3\n' > "$work/other.password"
umask 022

node() { # node NAME MAC ROLE RX_PCAP PASSWORD_FILE EXTRA
  cat > "$work/$1.json" <<JSON
{
  "node": {"name": "$1", "mesh_mac": "$2", "file_prefix": "mps-$1-$$"},
  "mesh": {"mesh_id": "secure-test", "security": "sae", "password_file": "$5"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "net_memif0,role=$3,id=0,socket=$work/memif.sock,socket-abstract=no"},
    {"name": "eth0", "role": "lan", "devargs": "net_pcap1,rx_pcap=$work/$4,tx_pcap=$work/out_$1.pcap"}
  ],
  $6
  "workers": {"lcores": [1], "idle_sleep_us": 500, "idle_polls": 16},
  "mempool": {"mbufs": 4095, "cache": 64},
  "eal": {"no_huge": true, "memory_mb": 256},
  "log_level": "info"
}
JSON
}

# peer_state NODE: "<plink> <security>" of the node's one peer, or "none"
cat > "$work/peer_state.py" <<'PY'
import json, sys
try:
    rows = json.load(sys.stdin)
except ValueError:
    rows = []
print(f"{rows[0]['plink']} {rows[0].get('security', '-')}" if rows else "none")
PY
peer_state() { "$meshctl" -n "mps-$1-$$" --json peers 2>/dev/null | python3 "$work/peer_state.py"; }

# 1. same password
node a 02:00:00:00:00:0a server in_a.pcap "$work/mesh.password" ''
node b 02:00:00:00:00:0b client empty.pcap "$work/mesh.password" '"static_fdb": [{"mac": "0a:00:00:00:bb:01", "port": "eth0"}],'
# start_b: once A's memif socket listens (B, the client, fails to start without it)
start_b() {
  for _ in $(seq 100); do [ -S "$work/memif.sock" ] && break; sleep 0.1; done
  "$meshplane" "$@"
}
rm -f "$work/memif.sock"
"$meshplane" --config "$work/a.json" --duration 10 --stats-file "$work/a-stats.json" > "$work/a.log" 2>&1 &
pids+=($!)
start_b --config "$work/b.json" --duration 9 --stats-file "$work/b-stats.json" > "$work/b.log" 2>&1 &
pids+=($!)
keyed=0
for _ in $(seq 80); do
  [ "$(peer_state a)" = "ESTAB keyed" ] && [ "$(peer_state b)" = "ESTAB keyed" ] && { keyed=1; break; }
  sleep 0.1
done
if [ "$keyed" = 1 ]; then
  echo "ok: both nodes ESTAB with the link keyed (meshctl peers: $(peer_state a) / $(peer_state b))"
else
  fail "no keyed link while the nodes ran: a $(peer_state a), b $(peer_state b)"
fi
"$meshctl" -n "mps-a-$$" peers || true
wait "${pids[0]}" || fail "node a exited with an error"
wait "${pids[1]}" || fail "node b exited with an error"
pids=()
grep -q "correct horse" "$work/a.log" "$work/b.log" && fail "a log shows the password"
python3 "$here/pcapdiff.py" "b eth0" "$work/out_b.pcap" "$work/expected_b.pcap" || status=1
python3 - "$work/a-stats.json" "$work/b-stats.json" <<'PY' || status=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += 0 if cond else 1
def fwd(s, port, key):
    return next(p for p in s["ports"] if p["port"] == port)["forwarding"][key]
sa, sb = a["security"], b["security"]
check(sa["sae_accepted"] >= 1 and sb["sae_accepted"] >= 1, f"SAE accepted on both sides (a {sa['sae_accepted']}, b {sb['sae_accepted']})")
check(sa["link_frames_protected"] >= 2 and sb["link_frames_verified"] >= 2 and sb["link_frames_protected"] >= 2
      and sa["link_frames_verified"] >= 2, "every Open and Confirm carried MIC and AMPE and verified")
check(sa["keys_installed"] == 1 and sb["keys_installed"] == 1, "the link was keyed once on each side")
check(a["peering"]["established"] == 1 and b["peering"]["established"] == 1, "MPM established on both sides")
check(sa["mgmt_group_tx"] >= 1 and sb["mgmt_group_decrypted"] >= 1,
      f"A's PREQ (group) went out under A's MGTK and B decrypted it ({sa['mgmt_group_tx']}, {sb['mgmt_group_decrypted']})")
check(sb["mgmt_protected_tx"] >= 1 and sa["mgmt_decrypted"] >= 1,
      f"B's PREP went out under CCMP and A decrypted it ({sb['mgmt_protected_tx']}, {sa['mgmt_decrypted']})")
check(sa["mgmt_unprotected"] == 0 and sb["mgmt_unprotected"] == 0 and sa["mgmt_mic_failure"] == 0
      and sb["mgmt_mic_failure"] == 0, "no unprotected or forged HWMP frame")
check(fwd(a, "wifi0", "ccmp_encrypted") >= 3 and fwd(b, "wifi0", "ccmp_decrypted") >= 3,
      f"the data crossed encrypted (a encrypted {fwd(a, 'wifi0', 'ccmp_encrypted')}, b decrypted {fwd(b, 'wifi0', 'ccmp_decrypted')})")
for s, n in ((a, "a"), (b, "b")):
    port = next(p for p in s["ports"] if p["port"] == "wifi0")
    for k in ("drop_unprotected", "drop_unknown_key", "drop_mic_failure", "drop_replay"):
        check(port["classes"][k] == 0, f"{n}: {k} 0")
    check(fwd(s, "wifi0", "drop_no_key") == 0, f"{n}: drop_no_key 0")
check(a["control"]["pending_released"] == 3, "A's 3 frames waited for the path and were released")
sys.exit(1 if bad else 0)
PY

# 2. another password at B
node b 02:00:00:00:00:0b client empty.pcap "$work/other.password" '"static_fdb": [{"mac": "0a:00:00:00:bb:01", "port": "eth0"}],'
rm -f "$work/out_b.pcap" "$work/memif.sock"
"$meshplane" --config "$work/a.json" --duration 6 --stats-file "$work/a2-stats.json" > "$work/a.log" 2>&1 &
pids+=($!)
start_b --config "$work/b.json" --duration 5 --stats-file "$work/b2-stats.json" > "$work/b.log" 2>&1 &
pids+=($!)
wait "${pids[0]}" || fail "node a exited with an error"
wait "${pids[1]}" || fail "node b exited with an error"
pids=()
grep -q "peer 02:00:00:00:00:0b: SAE failed" "$work/a.log" && echo "ok: a logs the refused peer: $(grep -m1 'SAE failed' "$work/a.log")" ||
  fail "a does not log the failed SAE with b's address"
python3 - "$work/a2-stats.json" "$work/b2-stats.json" "$work/out_b.pcap" "$here" <<'PY' || status=1
import json, sys
sys.path.insert(0, sys.argv[4])
from pcaputil import read_frames
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += 0 if cond else 1
for s, n in ((a, "a"), (b, "b")):
    sec = s["security"]
    check(sec["sae_accepted"] == 0 and sec["sae_confirm_mismatch"] >= 1 and sec["password_refused"] >= 1,
          f"{n}: SAE refused (confirm mismatch {sec['sae_confirm_mismatch']}, refused {sec['password_refused']})")
    check(sec["link_frames_protected"] == 0 and s["peering"]["open_tx"] == 0, f"{n}: no peering frame sent")
    check(s["peering"]["established"] == 0, f"{n}: no link")
check(len(read_frames(sys.argv[3])) == 0, "nothing reached b's LAN")
sys.exit(1 if bad else 0)
PY

# 3. password files the node must refuse
chmod 644 "$work/mesh.password"
if "$meshplane" --config "$work/a.json" --duration 1 > "$work/a.log" 2>&1; then
  fail "a started with a password file readable by everyone"
elif grep -q "mesh.password_file $work/mesh.password: open to group or others (mode 0644): chmod 600 it" "$work/a.log"; then
  echo "ok: refused: $(grep -m1 'password_file' "$work/a.log")"
else
  fail "no message naming the file and its mode: $(cat "$work/a.log")"
fi
grep -q "correct horse" "$work/a.log" && fail "the refusal shows the password"
chmod 600 "$work/mesh.password"
: > "$work/mesh.password"
"$meshplane" --config "$work/a.json" --duration 1 > "$work/a.log" 2>&1 && fail "a started with an empty password file"
grep -q "password_file $work/mesh.password: empty" "$work/a.log" && echo "ok: refused: $(grep -m1 'password_file' "$work/a.log")" ||
  fail "empty file not named: $(cat "$work/a.log")"
rm -f "$work/mesh.password"
"$meshplane" --config "$work/a.json" --duration 1 > "$work/a.log" 2>&1 && fail "a started without its password file"
grep -q "password_file $work/mesh.password: cannot open: No such file or directory" "$work/a.log" &&
  echo "ok: refused: $(grep -m1 'password_file' "$work/a.log")" || fail "missing file not named: $(cat "$work/a.log")"
exit $status
