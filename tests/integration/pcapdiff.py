#!/usr/bin/env python3
"""Compares the frames a port sent (a pcap) with the expected ones, as multisets: frames from
different ingress ports may interleave in any order, but each must appear exactly as expected.
Usage: pcapdiff.py LABEL GOT.pcap EXPECTED.pcap   (exit 1 and a hex listing on mismatch)"""
import struct
import sys
from collections import Counter


def frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data)[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    out, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(endian + "I", data, off + 8)[0]
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out


def main():
    label, got_path, want_path = sys.argv[1:4]
    got, want = Counter(frames(got_path)), Counter(frames(want_path))
    if got == want:
        print(f"{label}: {sum(want.values())} frames sent, byte-exact as expected")
        return 0
    for frame, n in (want - got).items():
        print(f"{label}: MISSING x{n}: {frame.hex()}")
    for frame, n in (got - want).items():
        print(f"{label}: UNEXPECTED x{n}: {frame.hex()}")
    return 1


sys.exit(main())
