#!/usr/bin/env python3
"""A stand-in for hostapd's control interface (a unix datagram socket), for tests that need station
events without radios: answers what meshplane's hostapd client sends (ATTACH, STA-FIRST/NEXT, PING,
SHOW_NEIGHBOR, SET/REMOVE_NEIGHBOR, DEAUTHENTICATE, DETACH) as hostapd 2.10 does, logs every command
to LOG, and sends AP-STA-CONNECTED / AP-STA-DISCONNECTED to the attached client when a line
"connect MAC" / "disconnect MAC" arrives on the FIFO. The real hostapd is tested in roaming.sh.
Usage: hostapd_ctrl_stub.py SOCKET FIFO LOG"""
import os, select, socket, sys

sock_path, fifo_path, log_path = sys.argv[1:4]
if os.path.exists(sock_path):
    os.unlink(sock_path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
fifo = os.open(fifo_path, os.O_RDWR | os.O_NONBLOCK)  # RDWR: never EOF while the test lives
log = open(log_path, "a", buffering=1)
client = None
stations = []  # associated, as STA-FIRST/STA-NEXT list them
pending = b""
while True:
    ready, _, _ = select.select([s, fifo], [], [])
    if s in ready:
        data, addr = s.recvfrom(4096)
        cmd = data.decode(errors="replace").strip()
        log.write(cmd + "\n")
        reply = b"OK\n"
        if cmd == "ATTACH":
            client = addr
        elif cmd == "PING":
            reply = b"PONG\n"
        elif cmd == "STA-FIRST":
            reply = (stations[0] + "\nflags=[AUTH][ASSOC][AUTHORIZED]\n").encode() if stations else b""
        elif cmd.startswith("STA-NEXT "):
            prev = cmd.split()[1]
            i = stations.index(prev) + 1 if prev in stations else len(stations)
            reply = (stations[i] + "\nflags=[AUTH][ASSOC][AUTHORIZED]\n").encode() if i < len(stations) else b""
        elif cmd == "SHOW_NEIGHBOR":
            reply = b""
        elif cmd.startswith("DEAUTHENTICATE "):
            mac = cmd.split()[1]
            if mac in stations:
                stations.remove(mac)
        s.sendto(reply, addr)
    if fifo in ready:
        pending += os.read(fifo, 4096)
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            verb, mac = line.decode().split()
            if verb == "connect" and mac not in stations:
                stations.append(mac)
            elif verb == "disconnect" and mac in stations:
                stations.remove(mac)
            if client is not None:
                event = "AP-STA-CONNECTED" if verb == "connect" else "AP-STA-DISCONNECTED"
                s.sendto(f"<3>{event} {mac}".encode(), client)
            log.write(f"event {verb} {mac}\n")
