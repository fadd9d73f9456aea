#!/usr/bin/env bash
# The Linux interop lab VM: a Linux 6.1 mesh point (mac80211 + mac80211_hwsim) per node, in qemu
# (TCG), each node's air joined to a host veth so that it can be one more node of airsim.
#
#   tools/vmlab/vm.sh up --vm NAME --node 'NODE [key=value ...]' [--attach NS:IFNAME] [--node ...]
#                        [--file NAME=PATH] [--mem MB] [--timeout SEC] [--trace] [--keep]
#   tools/vmlab/vm.sh down --vm NAME
#   tools/vmlab/vm.sh status --vm NAME
#
# up builds the image if needed (build.sh), then for each node i: a tap vl<vm>t<i> (the VM's i-th
# virtio NIC) tied by tc (ingress u32 match-all + mirred redirect, both ways) to a veth vl<vm>v<i>,
# whose far end is moved into namespace NS and named IFNAME (--attach after that --node, or the
# node key attach=NS:IFNAME; default: left in this namespace as vl<vm>a<i>). MTU 1900 on the whole
# path (radiotap + 802.11 + 1500 bytes), ARP and IPv6 off on every interface, taps promiscuous.
# It boots the VM, waits until every node is set up (vmctl.py wait-ready) and prints the boot time.
# Node keys are vmlab-node's (tools/vmlab/README.md); vm.sh adds nic= and defaults for
# mac=02:76:6d:<vm id>:<i+1>:00 and ip=10.99.<vm id>.<i+1>/16 (vm id: a byte derived from NAME),
# and wpa=HOST_FILE, which copies a wpa_supplicant configuration into the VM and sets join=wpa.
# --file NAME=PATH puts PATH at /etc/vmlab/files/NAME in the VM. --trace: relays log every frame.
# --keep: a VM whose nodes failed stays up for a look (vm.sh down removes it).
# down removes everything up made (qemu, taps, veths with their far ends, qdiscs, the run
# directory /run/vmlab/NAME), also after a failed up. Two VMs with different names coexist.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUN_BASE=${VMLAB_RUN:-/run/vmlab}
export VMLAB_RUN=$RUN_BASE
VMCTL="$HERE/vmctl.py"

die() { echo "vm.sh: $*" >&2; exit 1; }
usage() { sed -n '5,8p' "$0" >&2; exit 2; }

VM='' MEM=256 TIMEOUT=300 TRACE=0 KEEP=0
NODES=() ATTACH=() FILES=()
CMD=${1:-}
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case $1 in
    --vm) VM=$2; shift 2 ;;
    --node) NODES+=("$2"); ATTACH+=(""); shift 2 ;;
    --attach) [ ${#NODES[@]} -gt 0 ] || die "--attach belongs after a --node"
      ATTACH[${#NODES[@]}-1]=$2; shift 2 ;;
    --file) FILES+=("$2"); shift 2 ;;
    --mem) MEM=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --trace) TRACE=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) usage ;;
  esac
done
[ -n "$VM" ] || usage
[[ $VM =~ ^[a-z0-9]{1,8}$ ]] || die "VM name '$VM': 1 to 8 characters a-z 0-9 (it prefixes interface names)"
RUN="$RUN_BASE/$VM"
PFX="vl$VM"
VMID=$(printf '%02x' $(( $(printf '%s' "$VM" | cksum | cut -d' ' -f1) % 256 )))

# The record of what up made, one "kind value" per line, undone in reverse by down.
made() { echo "$*" >> "$RUN/made"; }

qemu_pid() { # the pid of this VM's qemu, if it runs
  local pid
  [ -f "$RUN/qemu.pid" ] || return 1
  pid=$(cat "$RUN/qemu.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-name vmlab-$VM " || return 1
  echo "$pid"
}

vm_down() {
  local pid
  if pid=$(qemu_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [ -f "$RUN/made" ]; then
    tac "$RUN/made" | while read -r kind a b; do
      case $kind in
        link) ip link del "$a" 2>/dev/null || true ;;
        farlink) ip -n "$a" link del "$b" 2>/dev/null || true ;; # if its pair is already gone
      esac
    done
  fi
  # leftovers of a run whose record was lost
  local l
  for l in $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^${PFX}[tvpa][0-9]+$" || true); do
    ip link del "$l" 2>/dev/null || true
  done
  rm -rf "$RUN"
}

vm_status() {
  local pid
  if ! pid=$(qemu_pid); then echo "vm $VM: not running"; return 1; fi
  echo "vm $VM: qemu pid $pid, $(awk '/VmRSS/ {print $2 / 1024 " MB resident"}' "/proc/$pid/status")"
  [ -f "$RUN/boot" ] && cat "$RUN/boot"
  "$VMCTL" --vm "$VM" exec --timeout 30 'vmlab-node status'
}

# setup_link I NS IFNAME: tap I of the VM tied to a veth whose far end is NS/IFNAME
setup_link() {
  local i=$1 ns=$2 far=$3 tap="${PFX}t$1" hv="${PFX}v$1" peer="${PFX}p$1" ifc
  if [ -n "$ns" ]; then
    ip netns list | awk '{print $1}' | grep -qx "$ns" || die "no network namespace $ns (for $far)"
    ! ip -n "$ns" link show "$far" >/dev/null 2>&1 || die "$ns already has an interface $far"
  else
    ! ip link show "$far" >/dev/null 2>&1 || die "an interface $far exists already"
  fi
  ip tuntap add dev "$tap" mode tap
  made link "$tap"
  ip link add "$hv" mtu 1900 type veth peer name "$peer" mtu 1900
  made link "$hv"
  for ifc in "$tap" "$hv" "$peer"; do sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1"; done
  ip link set "$tap" mtu 1900 arp off promisc on up
  ip link set "$hv" arp off promisc on up
  if [ -n "$ns" ]; then
    ip link set "$peer" netns "$ns"
    ip -n "$ns" link set "$peer" name "$far"
    made farlink "$ns" "$far"
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1"
    ip -n "$ns" link set "$far" arp off up
  else
    ip link set "$peer" name "$far"
    made link "$far"
    sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1"
    ip link set "$far" arp off up
  fi
  # this host kernel has no matchall classifier: u32 matching every packet
  local pair
  for pair in "$tap $hv" "$hv $tap"; do
    set -- $pair
    tc qdisc add dev "$1" ingress
    tc filter add dev "$1" parent ffff: protocol all prio 1 u32 match u32 0 0 \
      action mirred egress redirect dev "$2"
  done
}

up_failed() {
  [ "$1" -eq 0 ] && return 0
  echo "vm.sh: up failed, tearing down" >&2
  vm_down
}

vm_up() {
  [ ${#NODES[@]} -gt 0 ] || die "at least one --node"
  [ "$(id -u)" -eq 0 ] || die "run as root"
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing; run tools/setup.sh"
  ! qemu_pid >/dev/null || die "vm $VM is running; 'vm.sh down --vm $VM' first"
  vm_down
  local img=${VMLAB_DIR:-$HERE/../../build/vmlab}
  bash "$HERE/build.sh" --out "$img" --quiet
  mkdir -p "$RUN/etc/vmlab/files"
  : > "$RUN/made"
  # any failure from here on (a failed command under set -e, or die) undoes everything
  trap 'up_failed $?' EXIT

  local f
  for f in "${FILES[@]+"${FILES[@]}"}"; do
    [ -r "${f#*=}" ] || die "--file $f: cannot read ${f#*=}"
    cp "${f#*=}" "$RUN/etc/vmlab/files/${f%%=*}"
  done
  local i name rest kv spec attach nicmac netargs=() has_mac has_ip
  : > "$RUN/etc/vmlab/nodes"
  for i in "${!NODES[@]}"; do
    spec=${NODES[$i]}
    read -r name rest <<< "$spec"
    attach=${ATTACH[$i]}
    has_mac=0 has_ip=0
    local keys=()
    for kv in $rest; do
      case $kv in
        attach=*) attach=${kv#attach=} ;;
        wpa=*) [ -r "${kv#wpa=}" ] || die "node $name: cannot read ${kv#wpa=}"
          cp "${kv#wpa=}" "$RUN/etc/vmlab/files/$name.conf"; keys+=(join=wpa) ;;
        *) case $kv in mac=*) has_mac=1 ;; ip=*) has_ip=1 ;; esac; keys+=("$kv") ;;
      esac
    done
    [ "$has_mac" = 1 ] || keys+=("mac=02:76:6d:$VMID:$(printf '%02x' $((i + 1))):00")
    [ "$has_ip" = 1 ] || keys+=("ip=10.99.$((16#$VMID)).$((i + 1))/16")
    [ "$TRACE" = 0 ] || keys+=(trace=1)
    nicmac="52:54:00:$VMID:$(printf '%02x' "$i"):01"
    case $attach in
      "") setup_link "$i" "" "${PFX}a$i" ;;
      *:*) setup_link "$i" "${attach%%:*}" "${attach#*:}" ;;
      *) die "node $name: attach=$attach is not NS:IFNAME" ;;
    esac
    echo "node $name nic=$nicmac ${keys[*]}" >> "$RUN/etc/vmlab/nodes"
    netargs+=(-netdev "tap,id=n$i,ifname=${PFX}t$i,script=no,downscript=no"
              -device "virtio-net-pci,netdev=n$i,mac=$nicmac,romfile=")
  done
  tar -cf "$RUN/etc.tar" -C "$RUN" etc
  local t0
  t0=$(date +%s.%N)
  qemu-system-x86_64 -name "vmlab-$VM" -machine pc -accel tcg,tb-size=64 -smp 1 -m "$MEM" \
    -nodefaults -no-user-config -display none -no-reboot \
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
    -append "console=ttyS0 quiet panic=-1 mitigations=off" \
    -serial "file:$RUN/console.log" \
    -device virtio-serial-pci,id=vser \
    -chardev "socket,id=ctl,path=$RUN/ctl.sock,server=on,wait=off" \
    -device virtserialport,bus=vser.0,chardev=ctl,name=vmlab.ctl \
    -fw_cfg "name=opt/vmlab/etc.tar,file=$RUN/etc.tar" \
    "${netargs[@]}" \
    -pidfile "$RUN/qemu.pid" -daemonize
  made qemu
  local ready
  if ! ready=$("$VMCTL" --vm "$VM" wait-ready --timeout "$TIMEOUT"); then
    echo "vm.sh: vm $VM not ready${ready:+: $ready}; console:" >&2
    tail -n 30 "$RUN/console.log" >&2 || true
    "$VMCTL" --vm "$VM" exec --timeout 10 'for f in /run/vmlab/add-*.log /run/vmlab/*/relay.log; do
      [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done' >&2 || true
    if [ "$KEEP" = 1 ]; then trap - EXIT; echo "vm.sh: --keep: left running for a look" >&2; fi
    false
  fi
  trap - EXIT
  local secs
  secs=$(echo "$(date +%s.%N) $t0" | awk '{printf "%.1f", $1 - $2}')
  echo "boot: ready in $secs s (guest: ${ready#ok })" | tee "$RUN/boot"
}

case $CMD in
  up) vm_up ;;
  down) vm_down ;;
  status) vm_status ;;
  *) usage ;;
esac
