#!/usr/bin/env bash
# Builds the Linux interop lab's VM image from Debian 12 packages: a kernel (the linux-image-6.1.0-*
# package the linux-image-amd64 metapackage points to) and a gzip'ed cpio initramfs with busybox
# init, cfg80211/mac80211/mac80211_hwsim and their dependencies, iw, wpa_supplicant, wpa_cli,
# hostapd, hostapd_cli (with the shared libraries they need, from their packages' dependencies),
# the regulatory database, and our static programs (vmlab-relay, vmlab-agent, hwsimctl).
#
#   tools/vmlab/build.sh [--out DIR] [--quiet]
#
# Packages are fetched with `apt-get download` (never installed) into DIR/debs and unpacked with
# `dpkg -x` into DIR/pkgs. DIR defaults to $VMLAB_DIR, else build/vmlab of the tree. The image is
# rebuilt only when an input changes (package versions, the guest files, our sources, this script).
# Prints the paths of vmlinuz and initrd.img (--quiet: only on a rebuild, to stderr).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${VMLAB_DIR:-$ROOT/build/vmlab}
QUIET=0
ARGS=("$@")
while [ $# -gt 0 ]; do
  case $1 in
    --out) OUT=$2; shift 2 ;;
    --quiet) QUIET=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# one build at a time per cache (two VMs coming up at once share it)
exec 9> "$OUT/.lock"
flock 9
say() { [ "$QUIET" = 1 ] || echo "vmlab build: $*"; }

for tool in apt-get apt-cache dpkg-deb cpio gzip depmod gcc readelf sha256sum; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool missing; run tools/setup.sh" >&2; exit 1; }
done

# What the VM runs (from these packages and the libraries their binaries need).
BINARIES=(sbin/iw sbin/wpa_supplicant sbin/wpa_cli usr/sbin/hostapd usr/sbin/hostapd_cli)
TOP_PACKAGES=(busybox-static iw libnl-3-200 libnl-genl-3-200 wireless-regdb wpasupplicant hostapd)

# Package resolution takes a few seconds of apt-cache; its result is kept while the package lists
# (and apt's configuration) stay the same.
lists_sig=$( { stat -c '%n %s %Y' /var/lib/apt/lists/*Packages* /var/lib/apt/lists/*Release* 2>/dev/null
               cat /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/apt/preferences* 2>/dev/null
               sha256sum < "$0"; } | sha256sum | cut -d" " -f1)
declare -A VERSION=()
PACKAGES=()
if [ -f "$OUT/resolved" ] && [ "$(head -1 "$OUT/resolved")" = "$lists_sig" ]; then
  while read -r p v; do PACKAGES+=("$p"); VERSION[$p]=$v; done < <(tail -n +2 "$OUT/resolved")
  KPKG=${PACKAGES[0]}
else
  # apt-cache needs package lists; a fresh machine may have none yet.
  if ! apt-cache show --no-all-versions linux-image-amd64 >/dev/null 2>&1; then
    say "no package lists, running apt-get update"
    apt-get update -qq
  fi
  kernel_pkg() { apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\./ {print $2; exit}'; }
  KPKG=$(kernel_pkg)
  [ -n "$KPKG" ] || { echo "build.sh: linux-image-amd64 points to no linux-image-6.1 package" >&2; exit 1; }

  # The shared-library packages the binaries' packages depend on, transitively (Depends and
  # PreDepends whose names start with lib; the first of alternatives). Which of their files are really
  # needed is decided later from the binaries' ELF NEEDED entries.
  declare -A seen=()
  queue=(iw wpasupplicant hostapd libnl-3-200 libnl-genl-3-200)
  LIBS=()
  while [ ${#queue[@]} -gt 0 ]; do
    next=()
    while read -r dep; do
      [ -n "$dep" ] || continue
      [ -z "${seen[$dep]:-}" ] || continue
      seen[$dep]=1
      LIBS+=("$dep")
      next+=("$dep")
    done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
               --no-enhances "${queue[@]}" |
             awk '/^[^ ]/ {alt = 0; next}
                  $1 ~ /^\|?(Pre)?Depends:$/ { if (!alt && $2 ~ /^lib/ && $2 !~ /^</) print $2; alt = ($1 ~ /^\|/) }')
    queue=("${next[@]+"${next[@]}"}")
  done
  PACKAGES=("$KPKG" "${TOP_PACKAGES[@]}")
  for p in "${LIBS[@]}"; do
    case " ${PACKAGES[*]} " in *" $p "*) ;; *) PACKAGES+=("$p") ;; esac
  done

  # candidate versions, one apt-cache call
  while read -r p v; do VERSION[$p]=$v; done < <(apt-cache show --no-all-versions "${PACKAGES[@]}" |
    awk '/^Package:/ {p = $2} /^Version:/ {print p, $2}')
  for p in "${PACKAGES[@]}"; do
    [ -n "${VERSION[$p]:-}" ] || { echo "build.sh: no candidate version for $p" >&2; exit 1; }
  done
  { echo "$lists_sig"; for p in "${PACKAGES[@]}"; do echo "$p ${VERSION[$p]}"; done; } > "$OUT/resolved"
fi

# Inputs of the image: the exact packages and everything of ours that goes in.
inputs=$( {
  for p in "${PACKAGES[@]}"; do echo "$p=${VERSION[$p]}"; done | LC_ALL=C sort
  cd "$HERE" && sha256sum build.sh ./*.c ./*.h guest/*
} )
STAMP=$(printf '%s\n' "$inputs" | sha256sum | cut -d' ' -f1)
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$STAMP" ] && [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initrd.img" ]; then
  [ "$QUIET" = 1 ] || { echo "vmlinuz: $OUT/vmlinuz"; echo "initrd:  $OUT/initrd.img"; }
  exit 0
fi
[ "$QUIET" = 0 ] || echo "vmlab build: building the VM image in $OUT" >&2
QUIET_SAVED=$QUIET

# Download (only what is not there yet) and unpack.
mkdir -p "$OUT/debs" "$OUT/pkgs"
deb_of() { # the downloaded file of package $1 version $2, if any
  local v=${2//:/%3a}
  compgen -G "$OUT/debs/${1}_${v}_*.deb" | head -1 || true
}
want=()
for p in "${PACKAGES[@]}"; do
  [ -n "$(deb_of "$p" "${VERSION[$p]}")" ] || want+=("$p=${VERSION[$p]}")
done
if [ ${#want[@]} -gt 0 ]; then
  say "downloading ${#want[@]} packages"
  if ! (cd "$OUT/debs" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >/dev/null); then
    # stale lists (the archive moved on to newer versions): refresh once and resolve again
    [ -z "${VMLAB_BUILD_RETRY:-}" ] || { echo "build.sh: download failed" >&2; exit 1; }
    echo "build.sh: download failed; refreshing the package lists" >&2
    apt-get update -qq
    VMLAB_BUILD_RETRY=1 exec "$0" "${ARGS[@]+"${ARGS[@]}"}"
  fi
fi
declare -A DIR=()
for p in "${PACKAGES[@]}"; do
  d="$OUT/pkgs/${p}_${VERSION[$p]//:/%3a}"
  if [ ! -f "$d/.unpacked" ]; then
    rm -rf "$d"
    dpkg -x "$(deb_of "$p" "${VERSION[$p]}")" "$d"
    touch "$d/.unpacked"
  fi
  DIR[$p]=$d
done

KDIR=${DIR[$KPKG]}
KVER=$(basename "$(ls -d "$KDIR"/lib/modules/*/ | head -1)")
[ -f "$KDIR/lib/modules/$KVER/modules.dep" ] || depmod -b "$KDIR" "$KVER"

# The root file system.
STAGE="$OUT/rootfs"
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,lib/x86_64-linux-gnu,lib64,lib/firmware,etc/vmlab/files}
mkdir -p "$STAGE"/{proc,sys,dev,run,tmp,root,var,mnt}
ln -s ../run "$STAGE/var/run"

# busybox and its applets
BB="${DIR[busybox-static]}/bin/busybox"
cp "$BB" "$STAGE/bin/busybox"
while read -r applet; do
  [ "$applet" != bin/busybox ] || continue
  slashes=${applet//[!\/]/}
  rel=
  for ((i = 0; i < ${#slashes}; i++)); do rel+=../; done
  [ -e "$STAGE/$applet" ] || ln -s "${rel}bin/busybox" "$STAGE/$applet"
done < <("$BB" --list-full)
ln -sf bin/busybox "$STAGE/init"

# the wireless tools and the libraries they need (ELF NEEDED, resolved in the unpacked packages)
LIBDIRS=()
for p in "${PACKAGES[@]}"; do
  for sub in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64; do
    [ -d "${DIR[$p]}/$sub" ] && LIBDIRS+=("${DIR[$p]}/$sub")
  done
done
find_lib() {
  local dir
  for dir in "${LIBDIRS[@]}"; do
    [ -e "$dir/$1" ] && { echo "$dir/$1"; return 0; }
  done
  return 1
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
declare -A have=()
todo=()
for b in "${BINARIES[@]}"; do
  src=
  for p in iw wpasupplicant hostapd; do [ -f "${DIR[$p]}/$b" ] && src="${DIR[$p]}/$b"; done
  [ -n "$src" ] || { echo "build.sh: $b not found in its package" >&2; exit 1; }
  cp "$src" "$STAGE/$b"
  todo+=("$src")
done
while [ ${#todo[@]} -gt 0 ]; do
  f=${todo[0]}
  todo=("${todo[@]:1}")
  while read -r so; do
    [ -n "$so" ] && [ -z "${have[$so]:-}" ] || continue
    lib=$(find_lib "$so") || { echo "build.sh: no package provides $so (needed by ${f##*/})" >&2; exit 1; }
    have[$so]=1
    cp -L "$lib" "$STAGE/lib/x86_64-linux-gnu/$so"
    todo+=("$(readlink -f "$lib")")
  done < <(needed "$f")
done
# the dynamic loader, where the binaries' PT_INTERP says
interp=$(readelf -l "$STAGE/sbin/iw" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
ld=$(find_lib "$(basename "$interp")") || { echo "build.sh: no dynamic loader $interp" >&2; exit 1; }
mkdir -p "$STAGE/$(dirname "$interp")"
cp -L "$ld" "$STAGE/$interp"
[ -e "$STAGE/lib/x86_64-linux-gnu/$(basename "$interp")" ] || cp -L "$ld" "$STAGE/lib/x86_64-linux-gnu/"

# regulatory database (Debian's default alternative, signed with a key the Debian kernel trusts)
RDB=${DIR[wireless-regdb]}/lib/firmware
cp "$RDB/regulatory.db-debian" "$STAGE/lib/firmware/regulatory.db"
cp "$RDB/regulatory.db.p7s-debian" "$STAGE/lib/firmware/regulatory.db.p7s"

# kernel modules: the boot list and everything it depends on
MDIR="$KDIR/lib/modules/$KVER"
SMDIR="$STAGE/lib/modules/$KVER"
mkdir -p "$SMDIR"
cp "$MDIR"/modules.order "$MDIR"/modules.builtin "$MDIR"/modules.builtin.modinfo "$SMDIR/"
: > "$STAGE/etc/vmlab/modules"
declare -A copied=()
copy_module() { # $1: path relative to the modules dir
  [ -z "${copied[$1]:-}" ] || return 0
  copied[$1]=1
  mkdir -p "$SMDIR/$(dirname "$1")"
  cp "$MDIR/$1" "$SMDIR/$1"
}
while read -r mod args; do
  case $mod in ''|'#'*) continue ;; esac
  pat="/${mod//[_-]/[_-]}\\.ko"
  if grep -Eq "$pat\$" "$MDIR/modules.builtin"; then continue; fi
  line=$(grep -E "^[^:]*$pat:" "$MDIR/modules.dep") || { echo "build.sh: no module $mod in $KPKG" >&2; exit 1; }
  for m in ${line/:/}; do copy_module "$m"; done
  echo "$mod${args:+ $args}" >> "$STAGE/etc/vmlab/modules"
done < "$HERE/guest/modules"
depmod -b "$STAGE" "$KVER"

# our programs, static
CFLAGS=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -static -s)
gcc "${CFLAGS[@]}" -o "$STAGE/sbin/vmlab-relay" "$HERE/relay.c" "$HERE/nl.c"
gcc "${CFLAGS[@]}" -o "$STAGE/sbin/hwsimctl" "$HERE/hwsimctl.c" "$HERE/nl.c"
gcc "${CFLAGS[@]}" -o "$STAGE/sbin/vmlab-agent" "$HERE/vmagent.c"

# init and the node script
cp "$HERE/guest/inittab" "$STAGE/etc/inittab"
install -m 0755 "$HERE/guest/rc" "$HERE/guest/nodes-up" "$STAGE/etc/vmlab/"
install -m 0755 "$HERE/guest/vmlab-node" "$STAGE/sbin/vmlab-node"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$STAGE/etc/passwd"
printf 'root:x:0:\n' > "$STAGE/etc/group"
printf '%s\n' "$inputs" > "$STAGE/etc/vmlab/image-inputs"

# every binary must find its libraries in the image (checked here, not at the first boot)
for b in "${BINARIES[@]}"; do
  for so in $(needed "$STAGE/$b"); do
    [ -e "$STAGE/lib/x86_64-linux-gnu/$so" ] || { echo "build.sh: $b: $so missing from the image" >&2; exit 1; }
  done
done

(cd "$STAGE" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
  cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) | gzip -6n > "$OUT/initrd.img.tmp"
mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
cp "$KDIR/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
printf '%s\n' "$inputs" > "$OUT/inputs"
echo "$STAMP" > "$OUT/stamp"
QUIET=$QUIET_SAVED
say "kernel $KVER ($KPKG ${VERSION[$KPKG]}), initrd $(du -k "$OUT/initrd.img" | cut -f1) KB," \
  "${#PACKAGES[@]} packages, ${#copied[@]} modules"
[ "$QUIET" = 1 ] || { echo "vmlinuz: $OUT/vmlinuz"; echo "initrd:  $OUT/initrd.img"; }
