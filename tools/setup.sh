#!/usr/bin/env bash
# Installs every Debian 12 package meshplane needs and prepares hugepages.
# Idempotent: prints nothing when everything is already in place. Run as root.
set -euo pipefail

PACKAGES=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
  dpdk dpdk-dev libdpdk-dev python3
  libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
  libjansson-dev check libssl-dev
  hostapd wpasupplicant iproute2 iputils-ping tshark
)
HUGEPAGES=${MESHPLANE_HUGEPAGES:-512}

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer once, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: package installation failed" >&2
    exit 1
  fi
  rm -f "$log"
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
