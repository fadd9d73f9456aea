#include "tx.h"

#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "control.h"
#include "mesh_data.h"
#include "node.h"
#include "radiotap.h"

int control_tx_80211(unsigned port, const uint8_t *frame, size_t len)
{
	const struct port_config *pc = &the_node.cfg.ports[port];
	size_t rt_len = pc->link == MESH_LINK_RADIOTAP ? RADIOTAP_TX_LEN : pc->link == MESH_LINK_ETHERNET ? WIRED_MESH_HDR_LEN : 0;
	struct rte_mbuf *m = rte_pktmbuf_alloc(the_node.pool);
	uint8_t *p;

	if (m == NULL) {
		control_count(CONTROL_drop_tx_no_mbuf);
		return -1;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(rt_len + len));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		control_count(CONTROL_drop_tx_no_mbuf);
		return -1;
	}
	memcpy(p + rt_len, frame, len);
	if (pc->link == MESH_LINK_RADIOTAP) {
		uint32_t rate = pc->link_rate_100kbps / 5;

		radiotap_build(p, rt_len, (uint8_t)(rate == 0 ? 1 : rate > 255 ? 255 : rate), 0);
	} else if (pc->link == MESH_LINK_ETHERNET) {
		if (len < 16) { /* no frame we send is shorter: Frame Control, Duration, Addresses 1 and 2 */
			rte_pktmbuf_free(m);
			return -1;
		}
		wired_mesh_build(p, p + rt_len);
	}
	m->hash.usr = port;
	if (rte_ring_sp_enqueue(the_node.tx_ring, m) != 0) {
		rte_pktmbuf_free(m);
		control_count(CONTROL_drop_tx_ring_full);
		return -1;
	}
	return 0;
}

int control_tx_mesh_data(unsigned port, const struct mac_addr *next_hop, const struct mac_addr *dest, uint8_t ttl,
			 uint16_t ethertype, const uint8_t *payload, size_t len)
{
	uint8_t frame[MESH_DATA_UNICAST_HDR_LEN + MESH_CONTROL_BASE_LEN + LLC_SNAP_LEN + CONTROL_TX_PAYLOAD_MAX];
	struct mesh_data_hdr h;
	int n;

	if (len > CONTROL_TX_PAYLOAD_MAX)
		return -1;
	memset(&h, 0, sizeof(h));
	h.addr1 = *next_hop;
	h.addr2 = the_node.cfg.node.mesh_mac;
	h.addr3 = *dest;
	h.addr4 = the_node.cfg.node.mesh_mac;
	h.mc.ttl = ttl;
	h.mc.seq = __atomic_fetch_add(&the_node.mesh_seq, 1, __ATOMIC_RELAXED);
	h.has_snap = true;
	h.ethertype = ethertype;
	n = mesh_data_encode_header(frame, sizeof(frame), &h);
	if (n < 0)
		return -1;
	memcpy(frame + n, payload, len);
	return control_tx_80211(port, frame, (size_t)n + len);
}
