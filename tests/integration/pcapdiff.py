#!/usr/bin/env python3
"""Compares the frames a port sent (a pcap) with the expected ones, as multisets: frames from
different ingress ports may interleave in any order, but each must appear exactly as expected.
Usage: pcapdiff.py [--data-only] LABEL GOT.pcap EXPECTED.pcap   (exit 1 and a hex listing on mismatch)
--data-only: for radiotap pcaps, ignore 802.11 management frames (beacons, HWMP action frames), which
the control thread sends on its own schedule."""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcaputil import read_frames  # noqa: E402


def is_mgmt(frame):
    """True for an 802.11 management frame behind a radiotap header."""
    if len(frame) < 4 or frame[0] != 0:
        return False
    it_len = frame[2] | frame[3] << 8
    return len(frame) > it_len and (frame[it_len] & 0x0C) == 0


def main():
    args = sys.argv[1:]
    data_only = args[0] == "--data-only"
    label, got_path, want_path = args[1:4] if data_only else args[0:3]
    keep = (lambda f: not is_mgmt(f)) if data_only else (lambda f: True)
    got = Counter(f for f in read_frames(got_path) if keep(f))
    want = Counter(f for f in read_frames(want_path) if keep(f))
    if got == want:
        print(f"{label}: {sum(want.values())} frames sent, byte-exact as expected")
        return 0
    for frame, n in (want - got).items():
        print(f"{label}: MISSING x{n}: {frame.hex()}")
    for frame, n in (got - want).items():
        print(f"{label}: UNEXPECTED x{n}: {frame.hex()}")
    return 1


sys.exit(main())
