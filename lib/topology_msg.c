#include "topology_msg.h"

#include <string.h>

#include "codec.h"

#define TOPOLOGY_VERSION 1

static const uint8_t magic[4] = {'M', 'P', 'T', 'O'};

bool topology_msg_is(const uint8_t *buf, size_t len)
{
	return len >= sizeof(magic) && memcmp(buf, magic, sizeof(magic)) == 0;
}

int topology_msg_encode(uint8_t *out, size_t cap, const struct topology_msg *m)
{
	size_t name_len = strnlen(m->name, sizeof(m->name));
	size_t len = TOPOLOGY_MSG_HDR_LEN + name_len + (size_t)m->n_peers * 10 + (size_t)m->n_stations * 6;
	uint8_t *p;

	if (m->n_peers > TOPOLOGY_PEERS_MAX || m->n_stations > TOPOLOGY_STATIONS_MAX)
		return CODEC_ERR_BAD_COUNT;
	if (name_len > TOPOLOGY_NAME_MAX)
		return CODEC_ERR_TOO_LONG;
	if (cap < len)
		return CODEC_ERR_NO_SPACE;
	memcpy(out, magic, sizeof(magic));
	out[4] = TOPOLOGY_VERSION;
	out[5] = m->flags;
	put_le16(out + 6, m->interval_s);
	mac_write(out + 8, &m->origin);
	put_le32(out + 14, m->seq);
	out[18] = m->n_peers;
	out[19] = m->n_stations;
	out[20] = (uint8_t)name_len;
	memcpy(out + TOPOLOGY_MSG_HDR_LEN, m->name, name_len);
	p = out + TOPOLOGY_MSG_HDR_LEN + name_len;
	for (unsigned i = 0; i < m->n_peers; i++, p += 10) {
		mac_write(p, &m->peers[i].mac);
		put_le32(p + 6, m->peers[i].metric);
	}
	for (unsigned i = 0; i < m->n_stations; i++, p += 6)
		mac_write(p, &m->stations[i]);
	return (int)len;
}

int topology_msg_decode(const uint8_t *buf, size_t len, struct topology_msg *m)
{
	const uint8_t *p;
	size_t name_len;

	if (len < TOPOLOGY_MSG_HDR_LEN)
		return CODEC_ERR_TRUNCATED;
	if (!topology_msg_is(buf, len) || buf[4] != TOPOLOGY_VERSION)
		return CODEC_ERR_NOT_DATA;
	memset(m, 0, sizeof(*m));
	m->flags = buf[5];
	m->interval_s = get_le16(buf + 6);
	mac_read(&m->origin, buf + 8);
	m->seq = get_le32(buf + 14);
	m->n_peers = buf[18];
	m->n_stations = buf[19];
	name_len = buf[20];
	if (m->n_peers > TOPOLOGY_PEERS_MAX || m->n_stations > TOPOLOGY_STATIONS_MAX)
		return CODEC_ERR_BAD_COUNT;
	if (name_len > TOPOLOGY_NAME_MAX)
		return CODEC_ERR_TOO_LONG;
	if (len < TOPOLOGY_MSG_HDR_LEN + name_len + (size_t)m->n_peers * 10 + (size_t)m->n_stations * 6)
		return CODEC_ERR_TRUNCATED;
	/* The name ends up in telemetry strings and DOT labels: printable ASCII, no quote or backslash. */
	for (size_t i = 0; i < name_len; i++) {
		uint8_t ch = buf[TOPOLOGY_MSG_HDR_LEN + i];

		if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\')
			return CODEC_ERR_TOO_LONG;
	}
	memcpy(m->name, buf + TOPOLOGY_MSG_HDR_LEN, name_len);
	if (mac_is_group(&m->origin) || mac_is_zero(&m->origin))
		return CODEC_ERR_NOT_DATA;
	p = buf + TOPOLOGY_MSG_HDR_LEN + name_len;
	for (unsigned i = 0; i < m->n_peers; i++, p += 10) {
		mac_read(&m->peers[i].mac, p);
		m->peers[i].metric = get_le32(p + 6);
	}
	for (unsigned i = 0; i < m->n_stations; i++, p += 6)
		mac_read(&m->stations[i], p);
	return 0;
}
