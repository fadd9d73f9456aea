#!/usr/bin/env bash
# The Debian package: built from a copy of the source tree with dpkg-buildpackage -us -uc -b (Debian
# 12's debhelper), its contents listed, installed on this machine with dpkg -i (skipped when a
# meshplane package is installed already: it is not ours to replace), `systemd-analyze verify` on an
# instance of meshplane@.service, the installed binary run against the shipped example
# (--check-config, then 3 s on its net_null ports with meshctl from the package reading it; the
# unit's ExecStartPre helper prepares it), the node started, reloaded, restarted and stopped by systemd
# as PID 1 of a container of this machine (systemd_service.sh), man pages found by man, then purged:
# nothing left.
# Prints how long the build took. Usage: deb_package.sh SOURCE_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/meshplane-deb-XXXXXX)
installed_here=0
cleanup() {
  [ "$installed_here" -eq 0 ] || dpkg --purge meshplane >/dev/null 2>&1 || true
  rm -rf "$work" /etc/meshplane/pkgtest.json /var/run/dpdk/example
}
trap cleanup EXIT
status=0
check() { local what=$1; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; status=1; fi; }

if dpkg-query -W -f='${Status}' meshplane 2>/dev/null | grep -q 'install ok installed'; then
  echo "skipped: a meshplane package is installed on this machine already"; exit 77
fi
mkdir "$work/src"
(cd "$src" && git ls-files --cached --others --exclude-standard -z | cpio -0 -pdm "$work/src" 2>/dev/null)
start=$(date +%s)
if ! (cd "$work/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log"; echo "FAIL dpkg-buildpackage"; exit 1
fi
echo "package built in $(( $(date +%s) - start )) s"
deb=$(ls "$work"/meshplane_*_*.deb)
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents.txt"
for f in ./usr/bin/meshplane ./usr/bin/meshctl ./lib/systemd/system/meshplane@.service \
         ./usr/share/man/man8/meshplane.8.gz ./usr/share/man/man8/meshctl.8.gz ./usr/share/man/man5/meshplane.json.5.gz \
         ./usr/share/doc/meshplane/examples/example.json ./usr/lib/meshplane/prepare-node; do
  check "package has $f" grep -qx "$f" "$work/contents.txt"
done
# No test programs in the package.
check "no test binaries" bash -c "! grep -E 'tests|gen_' '$work/contents.txt'"

dpkg -i "$deb" > "$work/install.log" 2>&1 || { cat "$work/install.log"; echo "FAIL dpkg -i"; exit 1; }
installed_here=1
cp /usr/share/doc/meshplane/examples/example.json /etc/meshplane/pkgtest.json
chmod 644 /etc/meshplane/pkgtest.json
unit=/lib/systemd/system/meshplane@.service
ln -s "$unit" "$work/meshplane@pkgtest.service"
check "systemd-analyze verify meshplane@pkgtest.service" \
  bash -c "systemd-analyze verify '$work/meshplane@pkgtest.service' > '$work/verify.log' 2>&1 && ! grep -v '^$' '$work/verify.log'"
[ -s "$work/verify.log" ] && cat "$work/verify.log"
check "meshplane --check-config on the shipped example" \
  bash -c "/usr/bin/meshplane --config /etc/meshplane/pkgtest.json --check-config > '$work/effective.json'"
check "the unit's ExecStartPre helper" /usr/lib/meshplane/prepare-node /etc/meshplane/pkgtest.json
/usr/bin/meshplane --config /etc/meshplane/pkgtest.json --duration 3 --stats-file "$work/stats.json" > "$work/run.log" 2>&1 &
node=$!
for _ in $(seq 50); do [ -S /var/run/dpdk/example/dpdk_telemetry.v2 ] && break; sleep 0.1; done
# The socket comes up a moment before the /meshplane/ commands are registered.
for _ in $(seq 50); do /usr/bin/meshctl -n example info > "$work/info.txt" 2>&1 && break; sleep 0.1; done
check "meshctl (installed) reads the running node" grep -q 'mesh-id: *example-mesh' "$work/info.txt"
rc=0; wait "$node" || rc=$?
check "a 3 s run on net_null ports ends cleanly (exit $rc)" test "$rc" -eq 0
check "it sent beacons" python3 -c "import json,sys; s=json.load(open('$work/stats.json')); sys.exit(0 if s['control']['beacons_tx'] >= 20 else 1)"
# Started by systemd as PID 1 (a container of this machine's installed system): start, reload,
# restart after a crash, the sandbox in force, stop, a bad config not restarted.
check "the node under systemd (systemd_service.sh)" bash "$(dirname "$0")/systemd_service.sh" /etc/meshplane/pkgtest.json
check "man finds meshplane(8), meshctl(8), meshplane.json(5)" bash -c "man -w meshplane && man -w meshctl && man -w 5 meshplane.json" >/dev/null
dpkg --purge meshplane > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; status=1; }
installed_here=0
check "purged: no files left" bash -c "! ls /usr/bin/meshplane /usr/bin/meshctl '$unit' /usr/lib/meshplane 2>/dev/null"
exit $status
