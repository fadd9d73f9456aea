/* Result codes shared by every frame codec in lib/ (no DPDK). Decoders never read past len. */
#ifndef MESHPLANE_CODEC_H
#define MESHPLANE_CODEC_H

#include <stddef.h>
#include <stdint.h>

enum codec_status {
	CODEC_OK = 0,
	CODEC_ERR_TRUNCATED = -1,        /* buffer ends before the structure does */
	CODEC_ERR_NO_SPACE = -2,         /* encoder output buffer too small */
	CODEC_ERR_BAD_VERSION = -3,      /* radiotap version or 802.11 protocol version not 0 */
	CODEC_ERR_BAD_HEADER_LEN = -4,   /* radiotap it_len shorter than its own fields */
	CODEC_ERR_NOT_DATA = -5,         /* not a QoS data frame */
	CODEC_ERR_NO_MESH_CONTROL = -6,  /* QoS Mesh Control Present bit clear */
	CODEC_ERR_BAD_DS = -7,           /* ToDS/FromDS combination not used by mesh data */
	CODEC_ERR_BAD_AE = -8,           /* address extension mode invalid for this frame kind */
	CODEC_ERR_NOT_MGMT = -9,         /* not a management frame of the expected subtype */
	CODEC_ERR_ELEMENT_OVERRUN = -10, /* an information element runs past the end */
	CODEC_ERR_BAD_ELEMENT_ID = -11,  /* element ID differs from the one asked for */
	CODEC_ERR_BAD_LENGTH = -12,      /* element length does not match its content */
	CODEC_ERR_BAD_COUNT = -13,       /* PREQ target / PERR destination count out of range */
	CODEC_ERR_TOO_LONG = -14,        /* a field exceeds its maximum (e.g. Mesh ID > 32) */
	CODEC_ERR_BAD_ETHER = -15,       /* Ethernet frame: 802.3 length field larger than the frame */
	CODEC_ERR_PROTECTED = -16,       /* Protected bit set: we carry no keys */
	CODEC_ERR_NULL_DATA = -17,       /* (QoS) Null data frame: no payload (power-save signalling) */
	CODEC_ERR_AMSDU = -18,           /* QoS data carrying an A-MSDU (not decoded) */
};

/* Returns a short fixed description of a codec_status ("truncated frame", ...). */
const char *codec_strerror(int status);

/* Little-endian and big-endian loads/stores on unaligned byte buffers. */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#endif
