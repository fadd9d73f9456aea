#!/usr/bin/env python3
"""Hostile input through a live meshplane node (issue 8); runs inside the test's namespace.

  hostile_input.py IFACE MESHCTL PREFIX REPORT

IFACE is the far end of the node's mesh veth. Two honest neighbours N1 and N2 beacon all along and
answer the node's Mesh Peering Open (Open + Confirm, as Linux does), so they become peers; a path to D
via N1 is set up by a PREQ that N1 relays; N2 sends transit frames for D, which the node must forward to
N1 throughout. Then the attacks, each with transit traffic interleaved: a stranger's (not a peer)
forged PREQ/PREP (huge SN, zero metric) and transit data, a PERR flood from a peer that is not D's next
hop, a PREQ storm, a peering storm (Opens from 1,000 made-up addresses in a second), TTL 0/1, our own
frames heard back, truncated and broken frames. Finally the exposure the standard leaves open: a peer's
forged PREQ does capture D, and the path recovers once that peer is gone. Writes what it sent and saw as
JSON to REPORT; the shell test compares it with the node's counters.
"""
import json
import select
import socket
import struct
import subprocess
import sys
import threading
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
MESH_ID = b"hostile-mesh"

def mac(s):
    return bytes.fromhex(s.replace(":", ""))

NODE = mac("02:00:00:00:00:aa")
N1, N2 = mac("02:00:00:00:00:01"), mac("02:00:00:00:00:02")
D = mac("02:00:00:00:00:0d")
STRANGER = mac("02:00:00:00:00:66")
BCAST = b"\xff" * 6
RADIOTAP = bytes.fromhex("0000080000000000")
# Linux's 2.4 GHz rate set (only 1 Mb/s basic), which the node requires of candidates by default.
RATES = bytes([1, 8, 0x82, 0x04, 0x0B, 0x16, 0x0C, 0x12, 0x18, 0x24, 50, 4, 0x30, 0x48, 0x60, 0x6C])
MESH_IES = bytes([114, len(MESH_ID)]) + MESH_ID + bytes([113, 7, 1, 1, 0, 1, 0, 0, 9])
OPEN, CONFIRM, CLOSE = 1, 2, 3


def beacon(src):
    body = struct.pack("<QHH", 0, 50, 0) + bytes([0, 0]) + RATES + MESH_IES
    return RADIOTAP + bytes([0x80, 0, 0, 0]) + BCAST + src + src + b"\0\0" + body


def peering(ra, ta, kind, llid, plid=None, aid=1):
    """A Mesh Peering Open or Confirm in Linux's layout (capability 0, [AID], rates, Mesh ID, configuration,
    element 117 of length 4 or 6)."""
    body = bytes([15, kind]) + b"\0\0" + (struct.pack("<H", aid) if kind == CONFIRM else b"") + RATES + MESH_IES
    mpm = struct.pack("<HH", 0, llid) + (struct.pack("<H", plid) if plid is not None else b"")
    return RADIOTAP + bytes([0xD0, 0, 0, 0]) + ra + ta + ta + b"\0\0" + body + bytes([117, len(mpm)]) + mpm


def peer_mgmt_element(f):
    """Element 117's body of a peering frame (802.11 header first), or None."""
    off = 26 + {OPEN: 2, CONFIRM: 4}.get(f[25], 0)
    while off + 2 <= len(f):
        eid, elen = f[off], f[off + 1]
        if eid == 117:
            return f[off + 2:off + 2 + elen]
        off += 2 + elen
    return None


def action(ra, ta, element):
    return RADIOTAP + bytes([0xD0, 0, 0, 0]) + ra + ta + ta + b"\0\0" + bytes([13, 1]) + element


def preq(orig, orig_sn, metric, target, ttl=31, hops=1, discovery_id=None):
    body = (bytes([0, hops, ttl]) + struct.pack("<I", orig_sn if discovery_id is None else discovery_id) + orig +
            struct.pack("<III", orig_sn, 4883, metric) + bytes([1, 0x05]) + target + struct.pack("<I", 0))
    return bytes([130, len(body)]) + body


def prep(target, target_sn, metric, orig, orig_sn):
    body = (bytes([0, 1, 31]) + target + struct.pack("<III", target_sn, 4883, metric) + orig +
            struct.pack("<I", orig_sn))
    return bytes([131, len(body)]) + body


def perr(dest, sn):
    body = bytes([31, 1, 0]) + dest + struct.pack("<IH", sn, 63)
    return bytes([132, len(body)]) + body


def data(ra, ta, mesh_da, mesh_sa, ttl, seq, payload=b"\x42" * 46):
    qos = bytes([0, 0x01])  # Mesh Control present
    mesh_control = bytes([0, ttl]) + struct.pack("<I", seq)
    llc = bytes.fromhex("aaaa030000000800")
    return (RADIOTAP + bytes([0x88, 0x03, 0, 0]) + ra + ta + mesh_da + b"\0\0" + mesh_sa + qos + mesh_control +
            llc + payload)


class Air:
    """The neighbours' side of the node's mesh port: sends frames, counts the node's transit frames."""

    def __init__(self, iface):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((iface, ETH_P_ALL))
        self.lock = threading.Lock()
        self.forwarded = {}      # next hop (A1) -> transit frames the node sent for D
        self.seqs = set()        # mesh sequence numbers of the transit frames seen
        self.preps_to_n1 = 0
        # N1 answers the node's PREQs for D as D's relay would (the same cost, D's SN raised to what
        # is asked, as a target does): a path in use is refreshed before its 5 s lifetime ends, which a
        # loaded run outlasts. Only while the node asks for D's SN 100 or 101 (101 after a costlier
        # refresh): a node that took one of the forged PERRs (SN 200 and up) would ask for more, and
        # answering that would hide it.
        self.answer_d = True
        self.refreshes_answered = 0
        self.refreshes_asking_newer = 0
        self.llid = {N1: 0x1111, N2: 0x2222}
        self.established = {N1: False, N2: False}
        self.running = True
        self.rx = threading.Thread(target=self.receive, daemon=True)
        self.rx.start()
        self.beaconing = {N1: True, N2: True}
        self.tx = threading.Thread(target=self.beacons, daemon=True)
        self.tx.start()

    def send(self, frame):
        with self.lock:
            self.s.send(frame)

    def beacons(self):
        while self.running:
            for n, on in list(self.beaconing.items()):
                if on:
                    self.send(beacon(n))
            time.sleep(0.05)

    def receive(self):
        while self.running:
            ready, _, _ = select.select([self.s], [], [], 0.1)
            if not ready:
                continue
            frame, addr = self.s.recvfrom(4096)
            if addr[2] == PACKET_OUTGOING:
                continue
            rt_len = struct.unpack_from("<H", frame, 2)[0]
            f = frame[rt_len:]
            if len(f) >= 40 and f[0] == 0x88 and f[16:22] == D and f[10:16] == NODE:
                with self.lock:
                    self.forwarded[f[4:10]] = self.forwarded.get(f[4:10], 0) + 1
                    self.seqs.add(struct.unpack_from("<I", f, 34)[0])
            elif len(f) >= 26 and f[0] == 0xD0 and f[4:10] == N1 and f[26:27] == b"\x83":
                self.preps_to_n1 += 1
            elif self.answer_d and len(f) >= 26 + 39 and f[0] == 0xD0 and f[24:27] == b"\x0d\x01\x82":
                self.answer_refresh(f[26:])
            elif len(f) >= 26 and f[0] == 0xD0 and f[24] == 15 and f[4:10] in self.llid and f[10:16] == NODE:
                self.answer_peering(f[4:10], f)

    def answer_refresh(self, element):
        """The node's own PREQ (no AE) for D, as D's relay N1 hears it: D's PREP comes back through N1."""
        body = element[2:2 + element[1]]
        if len(body) < 37 or body[0] & 0x40 or body[7:13] != NODE or body[25] != 1 or body[27:33] != D:
            return
        orig_sn, target_sn = struct.unpack_from("<I", body, 13)[0], struct.unpack_from("<I", body, 33)[0]
        if target_sn > 101:
            self.refreshes_asking_newer += 1
            return
        self.send(action(NODE, N1, prep(D, max(100, target_sn), 200, NODE, orig_sn)))
        self.refreshes_answered += 1

    def answer_peering(self, me, f):
        """N1/N2's peering side: an Open gets an Open and a Confirm back; a Confirm for our link ID
        establishes; a Close ends it."""
        ie = peer_mgmt_element(f)
        if ie is None or len(ie) < 4:
            return
        their_llid = struct.unpack_from("<H", ie, 2)[0]
        if f[25] == OPEN:
            self.send(peering(NODE, me, OPEN, self.llid[me]))
            self.send(peering(NODE, me, CONFIRM, self.llid[me], their_llid))
        elif f[25] == CONFIRM and len(ie) >= 6 and struct.unpack_from("<H", ie, 4)[0] == self.llid[me]:
            self.established[me] = True
        elif f[25] == CLOSE:
            self.established[me] = False

    def count(self, hop):
        with self.lock:
            return self.forwarded.get(hop, 0)


def meshctl(tool, prefix, what):
    out = subprocess.run([tool, "-n", prefix, "--json", what], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def path_to_d(tool, prefix):
    for p in meshctl(tool, prefix, "paths"):
        if p["dest"] == "02:00:00:00:00:0d":
            return p["next_hop"]
    return None


def wait(cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def main():
    iface, tool, prefix, report_path = sys.argv[1:5]
    air = Air(iface)
    report = {"checks": []}
    seq = [1000]

    def check(ok, what):
        report["checks"].append({"ok": bool(ok), "what": what})
        print(("ok: " if ok else "FAIL: ") + what, flush=True)

    def transit(n, ttl=5, pace=0.0005):
        for _ in range(n):
            seq[0] += 1
            air.send(data(NODE, N2, D, N2, ttl, seq[0]))
            time.sleep(pace)
        return n

    def peers():
        return sum(1 for p in meshctl(tool, prefix, "peers") if p["established"])

    check(wait(lambda: peers() == 2 and all(air.established.values()), 5),
          "N1 and N2 are peers: their beacons, then Mesh Peering Open/Confirm both ways (ESTAB)")
    # N1 relays D's PREQ for us: the node installs D via N1 and answers with a PREP to N1.
    air.send(action(NODE, N1, preq(D, 100, 200, NODE)))
    check(wait(lambda: path_to_d(tool, prefix) == "02:00:00:00:00:01", 3), "path to D via N1 from a relayed PREQ")
    check(wait(lambda: air.preps_to_n1 >= 1, 2), "the node answered D's PREQ with a PREP to N1")

    sent = transit(200)
    check(wait(lambda: air.count(N1) == sent, 2), f"baseline: {air.count(N1)}/{sent} transit frames forwarded to N1")

    attacks = {}
    # A stranger (no beacons: not a peer) forges D's PREQ and a PREP with a huge SN and metric 0.
    for i in range(50):
        air.send(action(BCAST, STRANGER, preq(D, 0x7FFFFF00 + i, 0, NODE)))
        air.send(action(NODE, STRANGER, prep(D, 0x7FFFFF00 + i, 0, NODE, 1)))
    attacks["stranger_hwmp"] = 100
    # ... and sends transit data for D, which only a peer may: dropped (not forwarded to N1).
    for _ in range(50):
        seq[0] += 1
        air.send(data(NODE, STRANGER, D, STRANGER, 5, seq[0]))
    attacks["not_peer_data"] = 50
    sent += transit(100)
    # A PERR flood for D from N2, which is not D's next hop: the standard ignores it.
    for i in range(500):
        air.send(action(BCAST, N2, perr(D, 200 + i)))
        if i % 5 == 0:
            sent += transit(1, pace=0)
    attacks["perr_flood"] = 500
    # A PREQ storm from N2: 3,000 different originators, our table holds 64 paths.
    storm_start = time.monotonic()
    storm_transit = 0
    for i in range(3000):
        orig = bytes([0x02, 0x10, 0, 0, i >> 8, i & 0xFF])
        air.send(action(BCAST, N2, preq(orig, 1, 300, mac("02:00:00:00:77:77"))))
        if i % 10 == 0:
            storm_transit += transit(1, pace=0)
    storm_s = time.monotonic() - storm_start
    sent += storm_transit
    attacks["preq_storm"] = 3000
    check(wait(lambda: air.count(N1) == sent, 3),
          f"PREQ storm (3000 PREQs in {storm_s:.2f} s): {air.count(N1)}/{sent} transit frames still forwarded to N1")
    report["storm"] = {"preqs": 3000, "seconds": round(storm_s, 3), "transit_sent": storm_transit}
    # A peering storm: Opens from 1,000 made-up addresses (matching our mesh) within a second.
    storm_start = time.monotonic()
    for i in range(1000):
        fake = bytes([0x02, 0xEE, 0, 0, i >> 8, i & 0xFF])
        air.send(peering(NODE, fake, OPEN, 0x4000 + i))
        if i % 10 == 0:
            sent += transit(1, pace=0)
        time.sleep(0.0008)
    open_storm_s = time.monotonic() - storm_start
    attacks["open_storm"] = 1000
    rows = meshctl(tool, prefix, "peers")
    report["open_storm"] = {"opens": 1000, "seconds": round(open_storm_s, 3), "neighbour_rows": len(rows)}
    check(peers() == 2 and all(air.established.values()) and
          all(r["plink"] == "ESTAB" for r in rows if r["mac"] in ("02:00:00:00:00:01", "02:00:00:00:00:02")),
          f"peering storm (1000 Opens in {open_storm_s:.2f} s): N1 and N2 still ESTAB")
    check(len(rows) <= 64 + 2, f"peering storm: {len(rows)} neighbour entries, bounded by the peering table")
    check(wait(lambda: len(meshctl(tool, prefix, "peers")) == 2, 5),
          "peering storm: every made-up entry gone once its one attempt ended")
    # TTL 1 and 0: the node must not forward them (TTL would reach 0).
    for ttl in (1, 0):
        for _ in range(20):
            seq[0] += 1
            air.send(data(NODE, N2, D, N2, ttl, seq[0]))
    attacks["ttl_expired"] = 40
    # Our own frames come back (mesh source = the node: a loop somewhere else).
    for _ in range(20):
        seq[0] += 1
        air.send(data(NODE, N2, D, NODE, 5, seq[0]))
    attacks["own_frames"] = 20
    # Broken frames: cut inside the 802.11 header (a veth carries 14 bytes at least), radiotap length beyond the frame, bad AE mode.
    good = data(NODE, N2, D, N2, 5, 1)
    for cut in range(14, 40, 3):
        air.send(good[:cut])
    attacks["truncated"] = len(range(14, 40, 3))
    air.send(RADIOTAP[:2] + b"\xff\x00" + good[4:])
    attacks["bad_radiotap_len"] = 1
    bad_ae = bytearray(good)
    bad_ae[8 + 32] = 3
    air.send(bytes(bad_ae))
    attacks["bad_ae"] = 1
    sent += transit(100)
    check(wait(lambda: air.count(N1) == sent, 3), f"after every attack: {air.count(N1)}/{sent} transit frames forwarded to N1")
    check(air.count(N2) == 0 and air.count(STRANGER) == 0, "no transit frame went to N2 or the stranger")
    check(path_to_d(tool, prefix) == "02:00:00:00:00:01",
          f"the path to D still leads to N1 (refreshed by the node {air.refreshes_answered} times)")
    report["attacks"] = attacks
    check(air.refreshes_asking_newer == 0,
          f"the node's refreshes of D never asked for a newer SN than D's ({air.refreshes_asking_newer} did): "
          "no forged PERR was taken")
    report["refreshes_answered"] = air.refreshes_answered
    air.answer_d = False

    # The exposure: a peer's PREQ with a far higher SN is valid HWMP, and captures D.
    air.send(action(BCAST, N2, preq(D, 0x7FFFFF00, 0, NODE)))
    captured = wait(lambda: path_to_d(tool, prefix) == "02:00:00:00:00:02", 2)
    if not captured:
        print("paths (storm entries left out):", [(p["dest"], p["next_hop"], p["sn"]) for p in meshctl(tool, prefix, "paths")
               if not p["dest"].startswith("02:10")])
    check(captured, "a peer's forged PREQ (SN + 2^31 - 356, metric 0) moves D to that peer, as the standard allows")
    # ... for as long as that peer stays: when N2 falls silent, its paths go, and D's real SN is taken
    # again after two net diameter traversals.
    air.beaconing[N2] = False
    gone_at = time.monotonic()
    check(wait(lambda: peers() == 1, 3), "N2 falls silent and is dropped")
    time.sleep(0.3)
    air.send(action(NODE, N1, preq(D, 101, 200, NODE)))
    recovered = wait(lambda: path_to_d(tool, prefix) == "02:00:00:00:00:01", 2)
    check(recovered, f"D's genuine PREQ (SN 101) restores the path via N1 {time.monotonic() - gone_at:.2f} s after N2 fell silent")
    report["transit_sent"] = sent
    report["transit_forwarded_n1"] = air.count(N1)
    air.running = False
    json.dump(report, open(report_path, "w"), indent=2)
    return 0 if all(c["ok"] for c in report["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
