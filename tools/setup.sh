#!/usr/bin/env bash
# Installs every Debian 12 package meshplane needs and prepares hugepages.
# Idempotent: prints nothing when everything is already in place. Run as root.
set -euo pipefail

PACKAGES=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
  dpdk dpdk-dev libdpdk-dev python3
  libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
  libjansson-dev check libssl-dev
  hostapd wpasupplicant iproute2 iputils-ping tshark ethtool
  dnsmasq-base isc-dhcp-client openssh-server lldpd libipsec-mb-dev
  mandoc debhelper valgrind
)
# Installed without their recommends: the Linux interop lab's (tools/vmlab) qemu (TCG) and the tools
# that build its initramfs (the VM's own software, kernel, busybox, iw, wpa_supplicant, ..., is
# downloaded, never installed: tools/vmlab/build.sh); graphviz for meshctl topology --format svg/png;
# systemd-container (systemd-nspawn) for the package test's node started by systemd.
LEAN_PACKAGES=(qemu-system-x86 cpio kmod gzip graphviz systemd-container)
HUGEPAGES=${MESHPLANE_HUGEPAGES:-512}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=() missing_lean=()
for pkg in "${PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
for pkg in "${LEAN_PACKAGES[@]}"; do installed "$pkg" || missing_lean+=("$pkg"); done
if [ $((${#missing[@]} + ${#missing_lean[@]})) -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    all=("${missing[@]}" "${missing_lean[@]}")
    echo "setup: missing packages (${all[*]}); run this script as root" >&2
    exit 1
  fi
  all=("${missing[@]}" "${missing_lean[@]}")
  echo "setup: installing ${all[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer once, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  log=$(mktemp)
  # Wait for another apt/dpkg run (a concurrent setup) instead of failing on its lock.
  apt_opts=(-y -qq -o DPkg::Lock::Timeout=600)
  if ! { apt-get update -qq &&
         { [ ${#missing[@]} -eq 0 ] || apt-get install "${apt_opts[@]}" "${missing[@]}"; } &&
         # qemu without its GUI, UEFI firmware and block drivers (the lab boots a kernel directly),
         # graphviz without its X and font extras.
         { [ ${#missing_lean[@]} -eq 0 ] ||
           apt-get install "${apt_opts[@]}" --no-install-recommends "${missing_lean[@]}"; }
       } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: package installation failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

# promtool checks `meshctl metrics` (tests/integration/monitor_metrics.sh). Debian ships it only in the
# prometheus package (19 MB, with a server that its postinst enables on a systemd host), so just that
# one binary is unpacked from the package, which is never installed.
PROMTOOL_DIR=/var/cache/meshplane/promtool
if ! command -v promtool >/dev/null && [ ! -x "$PROMTOOL_DIR/usr/bin/promtool" ] && [ "$(id -u)" -eq 0 ]; then
  tmp=$(mktemp -d)
  mkdir -p "$PROMTOOL_DIR"
  if ! { (cd "$tmp" && { apt-get download -qq prometheus 2>/dev/null ||
                         { apt-get update -qq && apt-get download -qq prometheus; }; }) &&
         dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$PROMTOOL_DIR" ./usr/bin/promtool; }; then
    echo "setup: cannot unpack promtool from Debian's prometheus package" >&2
  fi
  rm -rf "$tmp"
fi

# Hugepages: DPDK's normal mode. Where they cannot be had (a container, no privilege), every
# meshplane process still runs with EAL "--no-huge -m <MB>" (conf key eal.no_huge); tests use it.
nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
if [ -w "$nr" ] && [ "$(cat "$nr")" -lt "$HUGEPAGES" ]; then
  echo "$HUGEPAGES" > "$nr" 2>/dev/null || true
  [ "$(cat "$nr")" -ge "$HUGEPAGES" ] || echo "setup: only $(cat "$nr") hugepages available; use eal.no_huge" >&2
fi
if ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
  mkdir -p /dev/hugepages
  mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null ||
    echo "setup: cannot mount hugetlbfs on /dev/hugepages; use eal.no_huge" >&2
fi
exit 0
