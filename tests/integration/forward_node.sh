# Sourced by tests: write_forward_node DIR PREFIX writes DIR/node.json, the node of the forwarding
# scenario (gen_forward_case): mesh address 02:..:02, static peers MP1 and MP3, wifi0 (mesh), eth0
# (lan), wifi1 (access) on
# net_pcap ports reading DIR/in_<port>.pcap and writing DIR/out_<port>.pcap.
write_forward_node() {
  local dir=$1 prefix=$2
  port() { echo "net_pcap$2,rx_pcap=$dir/in_$1.pcap,tx_pcap=$dir/out_$1.pcap"; }
  cat > "$dir/node.json" <<JSON
{
  "node": {"name": "fwd", "mesh_mac": "02:00:00:00:00:02", "file_prefix": "$prefix"},
  "mesh": {"mesh_id": "campus-mesh"},
  "ports": [
    {"name": "wifi0", "role": "mesh", "devargs": "$(port wifi0 0)"},
    {"name": "eth0", "role": "lan", "devargs": "$(port eth0 1)"},
    {"name": "wifi1", "role": "access", "devargs": "$(port wifi1 2)"}
  ],
  "static_peers": [
    {"mac": "02:00:00:00:00:01", "port": "wifi0"},
    {"mac": "02:00:00:00:00:03", "port": "wifi0"}
  ],
  "static_paths": [
    {"dest": "02:00:00:00:00:01", "next_hop": "02:00:00:00:00:01", "port": "wifi0"},
    {"dest": "02:00:00:00:00:03", "next_hop": "02:00:00:00:00:03", "port": "wifi0"}
  ],
  "static_proxies": [{"station": "0a:66:77:88:99:aa", "proxy": "02:00:00:00:00:03"}],
  "static_fdb": [{"mac": "0a:00:00:00:0e:02", "port": "eth0"}],
  "hwmp": {"min_discovery_timeout_ms": 10, "max_preq_retries": 0},
  "workers": {"lcores": [1], "idle_sleep_us": 1000, "idle_polls": 16},
  "mempool": {"mbufs": 2047, "cache": 32},
  "eal": {"no_huge": true, "memory_mb": 128},
  "log_level": "warning"
}
JSON
}

# wait_for_telemetry PREFIX: until the node answers /meshplane/info (30 s at most). Its socket comes
# with EAL, seconds before the node's own commands on a loaded machine: a test that asked then got
# "unknown command" (hostile_input under the soak's CPU hog).
wait_for_telemetry() {
  for _ in $(seq 300); do
    [ -S "/var/run/dpdk/$1/dpdk_telemetry.v2" ] && python3 - "/var/run/dpdk/$1/dpdk_telemetry.v2" <<'PY' && return 0
import json, socket, sys
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(2)
    s.connect(sys.argv[1])
    s.recv(4096)
    s.send(b"/meshplane/info")
    sys.exit(0 if json.loads(s.recv(1 << 16)).get("/meshplane/info") else 1)
except (OSError, ValueError):
    sys.exit(1)
PY
    sleep 0.1
  done
  return 1
}
