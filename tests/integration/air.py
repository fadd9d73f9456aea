"""The lab's air capture read through the nodes' key log (meshplane --key-log): each data frame's
addresses and its decrypted body, with the Mesh Control header parsed. tshark decrypts CCMP with the
logged keys but does not dissect Mesh Control in a decrypted frame, so that part is ours."""
import os
import re
import shutil
import struct
import subprocess
import tempfile

FIELDS = ("frame.number", "frame.time_epoch", "wlan.ta", "wlan.ra", "wlan.da", "wlan.sa", "wlan.fc.protected")


def _tshark(pcap, keys_dir, args):
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=keys_dir)
    return subprocess.run(["tshark", "-r", pcap, "-o", "wlan.enable_decryption:TRUE"] + args,
                          capture_output=True, text=True, env=env, check=True).stdout


def _hex_blocks(text):
    """The -x output, frame by frame: {frame number: decrypted bytes} (frames in filter order)."""
    out, current, block = [], None, None
    for line in text.splitlines():
        if line.startswith("Frame ("):
            current = {"raw": b"", "plain": None}
            out.append(current)
            block = "raw"
        elif line.startswith("Decrypted CCMP data"):
            current["plain"] = b""
            block = "plain"
        elif re.match(r"^[0-9a-f]{4}  ", line) and current is not None:
            hexpart = line[6:54]
            data = bytes.fromhex("".join(hexpart.split()))
            current[block] = (current[block] or b"") + data
        elif line.strip() == "":
            block = None
    return out


def mesh_control(body):
    """(flags, ttl, seq, addr5, addr6, rest) of a mesh data frame's decrypted body."""
    flags, ttl = body[0], body[1]
    seq = int.from_bytes(body[2:6], "little")
    ae = flags & 3
    a5 = a6 = None
    off = 6
    if ae == 1:
        a5, off = body[6:12], 12
    elif ae == 2:
        a5, a6, off = body[6:12], body[12:18], 18
    fmt = lambda a: ":".join(f"{b:02x}" for b in a) if a is not None else None
    return flags, ttl, seq, fmt(a5), fmt(a6), body[off:]


def data_frames(pcap, keys_dir, filt="wlan.fc.type == 2"):
    """Every data frame matching filt: dicts with the FIELDS (short names), 'plain' (the decrypted
    body, None when it could not be decrypted) and, when decrypted, 'mesh' (mesh_control)."""
    filt = f"({filt}) && !(wlan.fc.type_subtype == 0x0024 || wlan.fc.type_subtype == 0x002c)"
    # airsim may still be writing the capture: both passes read one copy of it
    with tempfile.NamedTemporaryFile(suffix=".pcap") as copy:
        shutil.copyfile(pcap, copy.name)
        return _data_frames(copy.name, keys_dir, filt)


def _data_frames(pcap, keys_dir, filt):
    rows = [l.split("\t") for l in _tshark(pcap, keys_dir, ["-Y", filt, "-T", "fields"] +
                                             sum((["-e", f] for f in FIELDS), [])).splitlines()]
    blocks = _hex_blocks(_tshark(pcap, keys_dir, ["-Y", filt, "-x"]))
    if len(rows) != len(blocks):
        raise RuntimeError(f"tshark gave {len(rows)} frames and {len(blocks)} dumps")
    out = []
    for row, blk in zip(rows, blocks):
        f = dict(zip(("number", "time", "ta", "ra", "da", "sa", "protected"), row))
        f["time"] = float(f["time"])
        f["protected"] = f["protected"] in ("1", "True")
        f["plain"] = blk["plain"]
        f["mesh"] = mesh_control(blk["plain"]) if blk["plain"] and len(blk["plain"]) >= 6 else None
        out.append(f)
    return out


def wire_to_80211(src, dst, cut=14):
    """A pcap of a wired mesh port (Ethernet, the 802.11 frame after the 14-byte wired mesh header) as
    raw 802.11 (link type 105). editcap -C 14 -T ieee-802-11 does the same but keeps each record's
    original length, so tshark sees every frame as cut short and will not decrypt it."""
    with open(src, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError(f"{src}: not a pcap file")
    header = bytearray(data[:24])
    struct.pack_into(end + "I", header, 20, 105)
    out, off = [bytes(header)], 24
    while off + 16 <= len(data):
        sec, frac, caplen, origlen = struct.unpack_from(end + "IIII", data, off)
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(frame) < caplen or caplen <= cut:
            continue
        out.append(struct.pack(end + "IIII", sec, frac, caplen - cut, origlen - cut) + frame[cut:])
    with open(dst, "wb") as f:
        f.write(b"".join(out))
