#include "wire.h"

#include <stdlib.h>
#include <string.h>

struct mac_addr wire_addr(uint32_t i)
{
	struct mac_addr a = {{0x02, 0, 0, 0, 0, (uint8_t)i}};
	return a;
}

static void cb_send(void *ctx, const struct mac_addr *ra, const uint8_t *el, size_t len)
{
	struct wire_node *nd = ctx;
	struct wire *w = nd->w;
	struct wire_frame f = {.from = nd->index, .ra = *ra, .len = (uint8_t)len, .at_ms = w->now_ms};

	memcpy(f.data, el, len);
	if (w->n_log < WIRE_MAX_FRAMES)
		w->log[w->n_log++] = f;
	if (w->q_tail < WIRE_MAX_FRAMES)
		w->queue[w->q_tail++] = f;
}

static void cb_done(void *ctx, const struct mac_addr *dest, enum hwmp_discovery_result r, const struct hwmp_route *route)
{
	struct wire_node *nd = ctx;

	(void)route;
	if (nd->n_done < 64)
		nd->done[nd->n_done++] = (struct wire_done){*dest, r, nd->w->now_ms};
}

static void cb_proxy(void *ctx, const struct mac_addr *st, const struct mac_addr *mn)
{
	struct wire_node *nd = ctx;

	nd->proxy_installs++;
	nd->last_proxy_station = *st;
	nd->last_proxy_node = *mn;
}

static void cb_remove(void *ctx, const struct mac_addr *d)
{
	(void)d;
	((struct wire_node *)ctx)->path_removes++;
}

void wire_init_one(struct wire *w, uint32_t n, const struct hwmp_params *params, uint32_t special,
		   const struct hwmp_params *special_params)
{
	struct hwmp_params def;

	memset(w, 0, sizeof(*w));
	hwmp_params_default(&def, 64);
	w->n = n;
	for (uint32_t i = 0; i < n; i++) {
		struct mac_addr a = wire_addr(i);
		const struct hwmp_params *p = (i == special && special_params) ? special_params : (params ? params : &def);
		struct hwmp_callbacks cb = {.ctx = &w->nodes[i], .send = cb_send, .discovery_done = cb_done,
					    .proxy_install = cb_proxy, .path_remove = cb_remove};

		w->nodes[i].w = w;
		w->nodes[i].index = i;
		w->nodes[i].e = hwmp_create(&a, p, &cb, 0);
	}
}

void wire_init(struct wire *w, uint32_t n, const struct hwmp_params *params)
{
	wire_init_one(w, n, params, UINT32_MAX, NULL);
}

void wire_free(struct wire *w)
{
	for (uint32_t i = 0; i < w->n; i++)
		hwmp_destroy(w->nodes[i].e);
}

void wire_link(struct wire *w, uint32_t a, uint32_t b, uint32_t metric)
{
	w->metric[a][b] = metric;
	w->metric[b][a] = metric;
}

uint32_t wire_run(struct wire *w)
{
	uint32_t delivered = 0;

	while (w->q_head < w->q_tail) {
		struct wire_frame f = w->queue[w->q_head++];
		struct mac_addr ta = wire_addr(f.from);

		for (uint32_t i = 0; i < w->n; i++) {
			struct mac_addr me = wire_addr(i);

			if (i == f.from || w->metric[f.from][i] == 0)
				continue;
			if (!mac_is_broadcast(&f.ra) && !mac_equal(&f.ra, &me))
				continue;
			hwmp_rx_element(w->nodes[i].e, &ta, w->metric[f.from][i], f.data[0], f.data + 2, f.data[1], w->now_ms);
			delivered++;
		}
	}
	return delivered;
}

void wire_advance(struct wire *w, uint64_t t_ms)
{
	while (w->now_ms < t_ms) {
		w->now_ms++;
		for (uint32_t i = 0; i < w->n; i++)
			hwmp_tick(w->nodes[i].e, w->now_ms);
		wire_run(w);
	}
}

uint32_t wire_count(const struct wire *w, uint8_t id, uint32_t from)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < w->n_log; i++)
		if (w->log[i].data[0] == id && (from == UINT32_MAX || w->log[i].from == from))
			n++;
	return n;
}
