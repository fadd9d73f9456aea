# Sourced by the benchmarks that write node configs with many table entries (meshgen_bench.sh, ratio.sh).
# list COUNT FORMAT BASE: a JSON list of COUNT entries, FORMAT with %s for a MAC, the MACs from BASE up.
list() {
  python3 -c '
import sys
n, fmt, base = int(sys.argv[1]), sys.argv[2], int(sys.argv[3].replace(":", ""), 16)
print(",".join(fmt % ":".join(f"{(base + i) >> s & 255:02x}" for s in range(40, -8, -8)) for i in range(n)))' "$@"
}
