#!/usr/bin/env python3
"""Raw frame helper for lab_test.sh (runs inside a node namespace).

  frame_tool.py send IFACE HEX            send one frame (hex bytes) on IFACE
  frame_tool.py recv IFACE SECONDS READY  print every frame received on IFACE for SECONDS, one hex
                                          line each; touch READY once the socket listens
"""
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_socket(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    return s


def main():
    mode, iface = sys.argv[1], sys.argv[2]
    s = open_socket(iface)
    if mode == "send":
        s.send(bytes.fromhex(sys.argv[3]))
        return 0
    deadline = time.monotonic() + float(sys.argv[3])
    open(sys.argv[4], "w").close()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([s], [], [], left)
        if not ready:
            continue
        data, addr = s.recvfrom(70000)
        if addr[2] != PACKET_OUTGOING:  # our own sends are not receptions
            print(data.hex(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
