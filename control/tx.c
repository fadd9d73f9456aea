#include "tx.h"

#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "control.h"
#include "node.h"
#include "radiotap.h"

int control_tx_80211(unsigned port, const uint8_t *frame, size_t len)
{
	const struct port_config *pc = &the_node.cfg.ports[port];
	size_t rt_len = pc->radiotap ? RADIOTAP_TX_LEN : 0;
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
	if (rt_len > 0) {
		uint32_t rate = pc->link_rate_100kbps / 5;

		radiotap_build(p, rt_len, (uint8_t)(rate == 0 ? 1 : rate > 255 ? 255 : rate), 0);
	}
	memcpy(p + rt_len, frame, len);
	m->hash.usr = port;
	if (rte_ring_sp_enqueue(the_node.tx_ring, m) != 0) {
		rte_pktmbuf_free(m);
		control_count(CONTROL_drop_tx_ring_full);
		return -1;
	}
	return 0;
}
