#!/usr/bin/env python3
"""Independent AEK / MTK / AMPE vectors for peering/tests/test_ampe.c.

Written from the formulas (802.11-2020 12.7.1.7.2 KDF, wpa_supplicant 2.10 mesh_rsn.c layouts),
not from our C code: the 802.11 KDF over Python's hmac/hashlib, AES-SIV from the cryptography
module (python3-cryptography). Run it and paste the output into test_ampe.c when an input changes.
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESSIV


def kdf_sha256(key, label, context, bits):
    out = b""
    i = 1
    while len(out) * 8 < bits:
        out += hmac.new(key, struct.pack("<H", i) + label.encode() + context + struct.pack("<H", bits),
                        hashlib.sha256).digest()
        i += 1
    return out[: bits // 8]


def minmax(a, b):
    return (a + b) if a < b else (b + a)


AKM_SAE = bytes.fromhex("000fac08")
PMK = bytes.fromhex("4e4dfab1a2dd8ac1a91790f953faaa452ae5c6873ab75b63605ba663f8a7fe59")
SELF = bytes.fromhex("020000000001")
PEER = bytes.fromhex("020000000002")
LOCAL_NONCE = bytes(range(0x10, 0x30))
PEER_NONCE = bytes(range(0x40, 0x60))
LOCAL_LID, PEER_LID = 0x1234, 0x0ABC

aek = kdf_sha256(PMK, "AEK Derivation", AKM_SAE + minmax(SELF, PEER), 256)
lids = struct.pack("<HH", min(LOCAL_LID, PEER_LID), max(LOCAL_LID, PEER_LID))
mtk = kdf_sha256(PMK, "Temporal Key Derivation",
                 minmax(LOCAL_NONCE, PEER_NONCE) + lids + AKM_SAE + minmax(SELF, PEER), 128)

# An Open from SELF to PEER up to element 117 (AMPE form, PMKID = the Annex J.10 one).
header = bytes.fromhex("d0000000") + PEER + SELF + SELF + bytes.fromhex("0000")
body = bytes([15, 1]) + bytes.fromhex("1000")                     # category, Open, capability (Privacy)
body += bytes([114, 11]) + b"campus-mesh"                          # Mesh ID
body += bytes([117, 20]) + struct.pack("<HH", 1, LOCAL_LID) + bytes.fromhex("8747a600eea3f9f22475df58ca1e5498")
frame = header + body

mgtk = bytes(range(0xA0, 0xB0))
rsc = bytes.fromhex("0102030405060000")
igtk = bytes(range(0xC0, 0xD0))
ampe_body = bytes.fromhex("000fac04") + LOCAL_NONCE + bytes(32) + mgtk + rsc + struct.pack("<I", 0xFFFFFFFF)
ampe_body += struct.pack("<H", 4) + bytes.fromhex("0a0b0c0d0e0f") + igtk
ampe = bytes([139, len(ampe_body)]) + ampe_body
siv = AESSIV(aek).encrypt(ampe, [SELF, PEER, body])
protected = frame + bytes([140, 16]) + siv

print("AEK", aek.hex())
print("MTK", mtk.hex())
print("FRAME", frame.hex())
print("PROTECTED", protected.hex())
