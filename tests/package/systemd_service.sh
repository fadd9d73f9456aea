#!/usr/bin/env bash
# The installed package run by systemd as an operator runs it. Boots this machine's own installed
# system as a container with systemd as PID 1 (systemd-nspawn --volatile=yes: this machine's /usr
# read-only, a fresh /etc and /run; the configs bound in at /etc/meshplane, private network), then:
# systemctl start meshplane@NAME, active and read by meshctl; systemctl reload re-reads the config
# (the node's "reload:" line in the journal); a SIGKILLed node restarted by Restart=on-failure; the
# sandbox in force in the running process (capability bounding set, no_new_privs, seccomp, /etc
# read-only and /run/dpdk writable in its mount namespace); systemctl stop ends it with status 0; an
# instance whose config is bad fails with exit status 2 and is not restarted. Prints the unit's
# `systemd-analyze security` exposure figure.
# Usage: systemd_service.sh CONFIG   (a config that runs anywhere, e.g. the shipped example.json;
# the meshplane package installed). Needs systemd-nspawn (Debian package systemd-container).
set -euo pipefail
config=$1
for f in /usr/bin/meshplane /usr/bin/meshctl /lib/systemd/system/meshplane@.service; do
  [ -e "$f" ] || { echo "FAIL $f is not installed"; exit 1; }
done
work=$(mktemp -d /tmp/meshplane-systemd-XXXXXX)
machine=meshplane-test-$$
nspawn=
cleanup() {
  [ -z "$nspawn" ] || { kill "$nspawn" 2>/dev/null; wait "$nspawn" 2>/dev/null || true; }
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
status=0
check() { local what=$1; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; status=1; fi; }

mkdir "$work/etc-meshplane"
cp "$config" "$work/etc-meshplane/node.json"
node=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['node']['name'])" "$config")
# A config meshplane refuses (a port without devargs): the instance must fail with status 2.
python3 - "$config" "$work/etc-meshplane/bad.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
del c["ports"][0]["devargs"]
json.dump(c, open(sys.argv[2], "w"))
PY
chmod 644 "$work/etc-meshplane"/*.json
# The container boots to a target of its own: basic.target and nothing else the machine enables.
cat > "$work/meshplane-test.target" <<'EOF'
[Unit]
Description=meshplane package test
Requires=basic.target
After=basic.target
EOF

# nspawn's /sys holds block, bus, class, dev, devices, fs and kernel only; DPDK's EAL stats /sys/module
# (its VFIO check) and gives up without it ("Cannot init VFIO"), so it is bound in, as a machine has it.
systemd-nspawn -q -M "$machine" --keep-unit --register=no -D / --volatile=yes --private-network \
  --bind-ro=/sys/module --bind-ro="$work/etc-meshplane:/etc/meshplane" \
  --bind-ro="$work/meshplane-test.target:/etc/systemd/system/meshplane-test.target" \
  -b systemd.unit=meshplane-test.target systemd.firstboot=off > "$work/boot.log" 2>&1 &
nspawn=$!
leader=
for _ in $(seq 300); do
  leader=$(pgrep -P "$nspawn" -x systemd || true)
  [ -n "$leader" ] && nsenter -t "$leader" -a systemctl is-system-running --wait >/dev/null 2>&1 && break
  kill -0 "$nspawn" 2>/dev/null || break
  sleep 0.1
done
inside() { nsenter -t "$leader" -a "$@"; }
if [ -z "$leader" ] || ! inside systemctl is-system-running >/dev/null 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$work/boot.log" | tail -30
  echo "FAIL systemd did not boot in the container"; exit 1
fi
echo "systemd $(inside systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') is PID 1 of the container"
unit=meshplane@node.service
prop() { inside systemctl show -p "$1" --value "$unit"; }

inside mkdir -p /home/operator
inside touch /home/operator/notes
check "systemctl start $unit" inside systemctl start "$unit"
up=0
for _ in $(seq 100); do
  inside meshctl -n "$node" info > "$work/info.txt" 2>&1 && { up=1; break; }
  sleep 0.1
done
check "the node answers meshctl -n $node info" test "$up" -eq 1
[ "$up" -eq 1 ] || { inside systemctl status --no-pager "$unit" | tail -20; inside journalctl -q -o cat | grep -v systemd | tail -30; }
check "it is active under systemd" test "$(prop ActiveState)" = active
pid=$(prop MainPID)

# The sandbox as the running process has it (systemd applies it; systemd-analyze verify cannot tell).
st=$(inside cat "/proc/$pid/status")
check "capability bounding set CAP_NET_ADMIN CAP_NET_RAW only" \
  test "$(awk '/^CapBnd:/ {print $2}' <<<"$st")" = 0000000000003000
check "no_new_privs" test "$(awk '/^NoNewPrivs:/ {print $2}' <<<"$st")" = 1
check "a seccomp filter" test "$(awk '/^Seccomp:/ {print $2}' <<<"$st")" = 2
check "/etc read-only for the node (ProtectSystem=strict)" \
  bash -c "! nsenter -t '$leader' -a nsenter -t '$pid' -m touch /etc/meshplane-write-test 2>/dev/null"
check "/run/dpdk writable for the node" \
  bash -c "nsenter -t '$leader' -a nsenter -t '$pid' -m sh -c 'touch /run/dpdk/write-test && rm /run/dpdk/write-test'"
check "/home hidden from the node (ProtectHome)" \
  bash -c "nsenter -t '$leader' -a test -e /home/operator/notes && ! nsenter -t '$leader' -a nsenter -t '$pid' -m test -e /home/operator/notes"

check "systemctl reload $unit" inside systemctl reload "$unit"
reloaded=0
for _ in $(seq 100); do
  inside journalctl -q -u "$unit" -o cat | grep -Eq 'meshplane: notice: reload: .*(no change|applied)' && { reloaded=1; break; }
  sleep 0.1
done
check "the node re-read its config (its journal: reload: ...)" test "$reloaded" -eq 1

inside systemctl kill -s KILL --kill-who=main "$unit"
restarted=0
for _ in $(seq 200); do
  if [ "$(prop NRestarts)" = 1 ] && [ "$(prop ActiveState)" = active ] && [ "$(prop MainPID)" != "$pid" ] &&
     inside meshctl -n "$node" info >/dev/null 2>&1; then restarted=1; break; fi
  sleep 0.1
done
check "a killed node is restarted (Restart=on-failure) and answers again" test "$restarted" -eq 1

check "systemctl stop $unit" inside systemctl stop "$unit"
check "it stopped cleanly: status 0, result success" \
  test "$(prop ExecMainStatus)/$(prop Result)/$(prop ActiveState)" = "0/success/inactive"

bad=meshplane@bad.service
inside systemctl start "$bad" 2>/dev/null || true
for _ in $(seq 100); do [ "$(inside systemctl show -p ActiveState --value "$bad")" = failed ] && break; sleep 0.1; done
check "a bad config: the node names the field in the journal" \
  bash -c "nsenter -t '$leader' -a journalctl -q -u '$bad' -o cat | grep -q 'ports\[0\].devargs: missing'"
# The absence of a restart can only be waited for: RestartSec is 2 s, so 5 s is more than twice it.
sleep 5
bad_state=$(for p in ActiveState NRestarts ExecMainStatus Result; do inside systemctl show -p "$p" --value "$bad"; done | paste -sd/)
check "its failure is exit status 2 and it was not restarted (RestartPreventExitStatus=2): $bad_state" \
  test "$bad_state" = "failed/0/2/exit-code"

inside systemd-analyze security "$unit" 2>/dev/null | tail -1 | sed 's/\x1b\[[0-9;]*m//g; s/^/  /'
inside journalctl -q -u "$unit" -o cat > "$work/journal.txt" || true
[ "$status" -eq 0 ] || { echo "the unit's journal:"; tail -30 "$work/journal.txt"; }
inside systemctl poweroff --no-block >/dev/null 2>&1 || true
wait "$nspawn" 2>/dev/null || true
nspawn=
exit $status
