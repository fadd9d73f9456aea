#include "relay.h"

#include "frame_rewrite.h"

void relay_init(struct relay *r, struct medium *m, const struct relay_ops *ops)
{
	r->medium = m;
	r->ops = *ops;
}

int relay_frame(struct relay *r, unsigned from, const uint8_t *frame, size_t len)
{
	struct medium *m = r->medium;
	struct medium_node *sender = &m->nodes[from];
	struct radiotap_info info;
	int delivered = 0;

	sender->rx++;
	if (len > RELAY_MAX_FRAME || frame_check(frame, len, &info) < 0) {
		sender->invalid++;
		return -1;
	}
	/* A node that is down has its radio off: nothing it sends reaches the air, not even the pcap. */
	if (!sender->up) {
		sender->sent_while_down++;
		return 0;
	}
	if (r->ops.capture != NULL)
		r->ops.capture(r->ops.ctx, from, frame, len);
	for (unsigned to = 0; to < m->n_nodes; to++) {
		int out_len;

		if (to == from || medium_rule_drops(m, from, to, frame + info.header_len, len - info.header_len) ||
		    medium_decide(m, from, to) != MEDIUM_DELIVER)
			continue;
		out_len = frame_rewrite_radiotap(frame, len, &info, medium_link(m, from, to)->rate_500kbps,
						 r->out, sizeof(r->out));
		if (out_len < 0 || r->ops.transmit(r->ops.ctx, to, r->out, (size_t)out_len) < 0) {
			m->nodes[to].tx_errors++;
			continue;
		}
		delivered++;
	}
	return delivered;
}
