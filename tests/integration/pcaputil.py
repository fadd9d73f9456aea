"""Classic pcap files for the integration tests: write a list of frames, read them back."""
import struct

LINKTYPE_ETHERNET = 1
LINKTYPE_RADIOTAP = 127


def write_pcap(path, frames, linktype=LINKTYPE_ETHERNET):
    """Writes frames (bytes) as a little-endian pcap with the given link type."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for frame in frames:
            f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)


def read_frames(path):
    """Returns the captured bytes of every record of a pcap file (either byte order)."""
    data = open(path, "rb").read()
    endian = "<" if struct.unpack_from("<I", data)[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    out, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(endian + "I", data, off + 8)[0]
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return out
