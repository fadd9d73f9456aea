/* Topology announcement: one mesh node's view of its neighbourhood (its peers with their airtime
 * metrics, whether it is a gate, the stations its APs serve), flooded hop by hop between meshplane
 * nodes so that each one can draw the whole mesh (meshctl topology), as alfred/batadv-vis do for
 * batman-adv. It travels as unicast mesh data to one peer that announced MESH_EXT_TOPOLOGY (AE none,
 * A3 = that peer, A4 = the sender), EtherType MESH_ECHO_ETHERTYPE, and starts with its own magic. */
#ifndef MESHPLANE_TOPOLOGY_MSG_H
#define MESHPLANE_TOPOLOGY_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define TOPOLOGY_MSG_HDR_LEN 21 /* then the name, the peers, the stations */
#define TOPOLOGY_NAME_MAX 32
#define TOPOLOGY_PEERS_MAX 32
#define TOPOLOGY_STATIONS_MAX 96
#define TOPOLOGY_MSG_MAX_LEN \
	(TOPOLOGY_MSG_HDR_LEN + TOPOLOGY_NAME_MAX + TOPOLOGY_PEERS_MAX * 10 + TOPOLOGY_STATIONS_MAX * 6)

#define TOPOLOGY_FLAG_GATE 0x01      /* the origin has a LAN (mesh.gate) */
#define TOPOLOGY_FLAG_TRUNCATED 0x02 /* it had more peers or stations than one message carries */

struct topology_peer {
	struct mac_addr mac;
	uint32_t metric; /* the origin's airtime metric towards this peer */
};

struct topology_msg {
	struct mac_addr origin;
	uint32_t seq;         /* newer announcements of one origin have larger ones (serial arithmetic) */
	uint16_t interval_s;  /* how often the origin announces; receivers forget it after three */
	uint8_t flags;        /* TOPOLOGY_FLAG_* */
	uint8_t n_peers;
	uint8_t n_stations;
	char name[TOPOLOGY_NAME_MAX + 1]; /* the origin's node.name (printable ASCII), NUL-terminated */
	struct topology_peer peers[TOPOLOGY_PEERS_MAX];
	struct mac_addr stations[TOPOLOGY_STATIONS_MAX];
};

/* True when buf starts with the topology magic (as opposed to a mesh echo). */
bool topology_msg_is(const uint8_t *buf, size_t len);

/* Writes m; returns its length, or CODEC_ERR_NO_SPACE / CODEC_ERR_BAD_COUNT (counts over the maxima)
 * / CODEC_ERR_TOO_LONG (a name over TOPOLOGY_NAME_MAX). */
int topology_msg_encode(uint8_t *out, size_t cap, const struct topology_msg *m);

/* Decodes an announcement (bytes after its last entry are ignored); 0, CODEC_ERR_TRUNCATED,
 * CODEC_ERR_NOT_DATA (magic, version, or a group or all-zero origin), CODEC_ERR_BAD_COUNT (counts over
 * the maxima), CODEC_ERR_TOO_LONG (name over TOPOLOGY_NAME_MAX, or not printable ASCII). */
int topology_msg_decode(const uint8_t *buf, size_t len, struct topology_msg *m);

#endif
