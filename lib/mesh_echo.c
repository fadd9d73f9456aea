#include "mesh_echo.h"

#include <string.h>

#include "codec.h"

static const uint8_t magic[6] = {'M', 'P', 'E', 'C', 'H', 'O'};

int mesh_echo_encode(uint8_t *out, size_t cap, const struct mesh_echo *e)
{
	if (cap < MESH_ECHO_LEN)
		return CODEC_ERR_NO_SPACE;
	memcpy(out, magic, sizeof(magic));
	out[6] = e->type;
	out[7] = e->ttl_sent;
	put_le16(out + 8, e->id);
	put_le16(out + 10, e->seq);
	put_le32(out + 12, (uint32_t)e->sent_us);
	put_le32(out + 16, (uint32_t)(e->sent_us >> 32));
	mac_write(out + 20, &e->responder);
	out[26] = 0;
	out[27] = 0;
	return MESH_ECHO_LEN;
}

int mesh_echo_decode(const uint8_t *buf, size_t len, struct mesh_echo *e)
{
	if (len < MESH_ECHO_LEN)
		return CODEC_ERR_TRUNCATED;
	if (memcmp(buf, magic, sizeof(magic)) != 0 || buf[6] < MESH_ECHO_REQUEST || buf[6] > MESH_ECHO_TTL_EXCEEDED)
		return CODEC_ERR_NOT_DATA;
	e->type = buf[6];
	e->ttl_sent = buf[7];
	e->id = get_le16(buf + 8);
	e->seq = get_le16(buf + 10);
	e->sent_us = (uint64_t)get_le32(buf + 12) | (uint64_t)get_le32(buf + 16) << 32;
	mac_read(&e->responder, buf + 20);
	return 0;
}
