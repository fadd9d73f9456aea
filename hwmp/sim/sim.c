#include "sim.h"

#include <stdlib.h>
#include <string.h>

enum ev_type { EV_DELIVER = 0, EV_TICK, EV_LINK, EV_NODE, EV_NEED_PATH };

struct frame {
	uint32_t refs;
	uint32_t from;
	uint16_t len;
	uint8_t data[2 + 255];
};

struct event {
	uint64_t t_us;
	uint64_t seq;        /* FIFO among equal times: determinism */
	uint8_t type;
	bool flag;
	uint32_t node;
	uint32_t aux;        /* link index / destination / sender link */
	struct frame *f;
};

struct link {
	uint32_t a, b;
	uint32_t metric, loss_ppm, delay_us;
	bool up;
};

struct node {
	struct sim *s;
	uint32_t index;
	struct mac_addr addr;
	struct hwmp_engine *e;
	struct hwmp_params params;
	bool up;
	uint64_t tick_at;    /* time of the live tick event (UINT64_MAX: none) */
	uint32_t adj_start, adj_count;
};

struct sim {
	uint32_t n;
	struct node *nodes;
	struct link *links;
	uint32_t n_links, cap_links;
	uint32_t *adj;       /* link indices, CSR by node */
	struct event *heap;
	uint32_t heap_len, heap_cap;
	uint64_t seq;
	uint64_t now_us;
	uint64_t rng;
	bool started;
	struct sim_stats st;
	sim_discovery_fn on_disc;
	void *on_disc_arg;
	uint32_t *visit;     /* trace: generation stamps */
	uint32_t visit_gen;
};

uint64_t sim_rand(struct sim *s)
{
	uint64_t z = (s->rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

struct mac_addr sim_addr(uint32_t node)
{
	struct mac_addr a = {{0x02, 0x00, (uint8_t)(node >> 24), (uint8_t)(node >> 16), (uint8_t)(node >> 8),
			      (uint8_t)node}};
	return a;
}

uint32_t sim_index(const struct mac_addr *a)
{
	if (a->bytes[0] != 0x02 || a->bytes[1] != 0x00)
		return SIM_NONE;
	return (uint32_t)a->bytes[2] << 24 | (uint32_t)a->bytes[3] << 16 | (uint32_t)a->bytes[4] << 8 | a->bytes[5];
}

/* ---- event heap ---- */

static bool ev_before(const struct event *x, const struct event *y)
{
	return x->t_us < y->t_us || (x->t_us == y->t_us && x->seq < y->seq);
}

static void push(struct sim *s, struct event ev)
{
	uint32_t i;

	if (s->heap_len == s->heap_cap) {
		uint32_t cap = s->heap_cap ? s->heap_cap * 2 : 1024;
		struct event *h = realloc(s->heap, sizeof(*h) * cap);

		if (h == NULL)
			abort(); /* the simulator cannot continue deterministically without the event */
		s->heap = h;
		s->heap_cap = cap;
	}
	ev.seq = s->seq++;
	i = s->heap_len++;
	while (i > 0 && ev_before(&ev, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = ev;
}

static struct event pop(struct sim *s)
{
	struct event top = s->heap[0], last = s->heap[--s->heap_len];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= s->heap_len)
			break;
		if (c + 1 < s->heap_len && ev_before(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!ev_before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->heap_len > 0)
		s->heap[i] = last;
	return top;
}

/* ---- engine glue ---- */

static void schedule_tick(struct node *nd)
{
	uint64_t dl;
	uint64_t now_ms = nd->s->now_us / 1000;

	if (nd->e == NULL)
		return;
	dl = hwmp_next_deadline(nd->e);
	if (dl == UINT64_MAX)
		return;
	/* Engine time has ms resolution: a deadline already past runs at the next ms, never in a loop. */
	if (dl <= now_ms)
		dl = now_ms + 1;
	if (dl * 1000 >= nd->tick_at)
		return;
	nd->tick_at = dl * 1000;
	push(nd->s, (struct event){.t_us = nd->tick_at, .type = EV_TICK, .node = nd->index});
}

static bool lost(struct sim *s, uint32_t loss_ppm, bool unicast)
{
	int tries = unicast ? 4 : 1;

	if (loss_ppm == 0)
		return false;
	for (int i = 0; i < tries; i++)
		if (sim_rand(s) % 1000000u >= loss_ppm)
			return false;
	return true;
}

static void cb_send(void *ctx, const struct mac_addr *ra, const uint8_t *elem, size_t len)
{
	struct node *nd = ctx;
	struct sim *s = nd->s;
	struct frame *f;
	bool bcast = mac_is_broadcast(ra);
	uint32_t target = bcast ? SIM_NONE : sim_index(ra);

	if (len < 2 || len > sizeof(f->data))
		return;
	s->st.tx_by_id[elem[0]]++;
	s->st.tx_total++;
	f = malloc(sizeof(*f));
	if (f == NULL)
		abort();
	f->refs = 1; /* held while queuing */
	f->from = nd->index;
	f->len = (uint16_t)len;
	memcpy(f->data, elem, len);
	for (uint32_t i = 0; i < nd->adj_count; i++) {
		uint32_t li = s->adj[nd->adj_start + i];
		const struct link *l = &s->links[li];
		uint32_t peer = l->a == nd->index ? l->b : l->a;

		if (!bcast && peer != target)
			continue;
		if (!l->up || !s->nodes[peer].up)
			continue;
		if (lost(s, l->loss_ppm, !bcast)) {
			s->st.lost++;
			continue;
		}
		f->refs++;
		push(s, (struct event){.t_us = s->now_us + l->delay_us, .type = EV_DELIVER, .node = peer, .aux = li, .f = f});
	}
	if (--f->refs == 0)
		free(f);
}

static void cb_path_install(void *ctx, const struct hwmp_path_info *p)
{
	(void)p;
	((struct node *)ctx)->s->st.path_installs++;
}

static void cb_path_remove(void *ctx, const struct mac_addr *d)
{
	(void)d;
	((struct node *)ctx)->s->st.path_removes++;
}

static void cb_proxy_install(void *ctx, const struct mac_addr *st, const struct mac_addr *mn)
{
	(void)st;
	(void)mn;
	((struct node *)ctx)->s->st.proxy_installs++;
}

static void cb_discovery(void *ctx, const struct mac_addr *dest, enum hwmp_discovery_result r,
			 const struct hwmp_route *route)
{
	struct node *nd = ctx;

	(void)route;
	if (nd->s->on_disc)
		nd->s->on_disc(nd->s->on_disc_arg, nd->index, dest, r, nd->s->now_us);
}

/* ---- setup ---- */

struct sim *sim_create(uint32_t n, uint64_t seed, const struct hwmp_params *params)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (s == NULL || n == 0)
		goto fail;
	s->n = n;
	s->rng = seed;
	s->nodes = calloc(n, sizeof(*s->nodes));
	s->visit = calloc(n, sizeof(*s->visit));
	if (s->nodes == NULL || s->visit == NULL)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		s->nodes[i].s = s;
		s->nodes[i].index = i;
		s->nodes[i].addr = sim_addr(i);
		s->nodes[i].params = *params;
		s->nodes[i].up = true;
		s->nodes[i].tick_at = UINT64_MAX;
	}
	return s;
fail:
	sim_destroy(s);
	return NULL;
}

void sim_destroy(struct sim *s)
{
	if (s == NULL)
		return;
	while (s->heap_len > 0) {
		struct event ev = pop(s);

		if (ev.f != NULL && --ev.f->refs == 0)
			free(ev.f);
	}
	for (uint32_t i = 0; s->nodes != NULL && i < s->n; i++)
		hwmp_destroy(s->nodes[i].e);
	free(s->nodes);
	free(s->links);
	free(s->adj);
	free(s->heap);
	free(s->visit);
	free(s);
}

void sim_set_params(struct sim *s, uint32_t node, const struct hwmp_params *params)
{
	if (!s->started && node < s->n)
		s->nodes[node].params = *params;
}

uint32_t sim_find_link(const struct sim *s, uint32_t a, uint32_t b)
{
	if (s->started) {
		const struct node *nd = &s->nodes[a];

		for (uint32_t i = 0; i < nd->adj_count; i++) {
			const struct link *l = &s->links[s->adj[nd->adj_start + i]];

			if ((l->a == a && l->b == b) || (l->a == b && l->b == a))
				return s->adj[nd->adj_start + i];
		}
		return SIM_NONE;
	}
	for (uint32_t i = 0; i < s->n_links; i++)
		if ((s->links[i].a == a && s->links[i].b == b) || (s->links[i].a == b && s->links[i].b == a))
			return i;
	return SIM_NONE;
}

uint32_t sim_add_link(struct sim *s, uint32_t a, uint32_t b, uint32_t metric, uint32_t loss_ppm, uint32_t delay_us)
{
	if (s->started || a == b || a >= s->n || b >= s->n)
		return SIM_NONE;
	if (s->n_links == s->cap_links) {
		uint32_t cap = s->cap_links ? s->cap_links * 2 : 256;
		struct link *l = realloc(s->links, sizeof(*l) * cap);

		if (l == NULL)
			return SIM_NONE;
		s->links = l;
		s->cap_links = cap;
	}
	s->links[s->n_links] = (struct link){.a = a, .b = b, .metric = metric ? metric : 1, .loss_ppm = loss_ppm,
					      .delay_us = delay_us, .up = true};
	return s->n_links++;
}

int sim_start(struct sim *s)
{
	struct hwmp_callbacks cb = {
		.send = cb_send,
		.path_install = cb_path_install,
		.path_remove = cb_path_remove,
		.proxy_install = cb_proxy_install,
		.discovery_done = cb_discovery,
	};
	uint32_t *fill;

	if (s->started)
		return -1;
	s->adj = malloc(sizeof(*s->adj) * (2 * (size_t)s->n_links + 1));
	fill = calloc(s->n, sizeof(*fill));
	if (s->adj == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	for (uint32_t i = 0; i < s->n_links; i++) {
		s->nodes[s->links[i].a].adj_count++;
		s->nodes[s->links[i].b].adj_count++;
	}
	for (uint32_t i = 0, off = 0; i < s->n; i++) {
		s->nodes[i].adj_start = off;
		off += s->nodes[i].adj_count;
	}
	for (uint32_t i = 0; i < s->n_links; i++) {
		uint32_t a = s->links[i].a, b = s->links[i].b;

		s->adj[s->nodes[a].adj_start + fill[a]++] = i;
		s->adj[s->nodes[b].adj_start + fill[b]++] = i;
	}
	free(fill);
	s->started = true;
	for (uint32_t i = 0; i < s->n; i++) {
		cb.ctx = &s->nodes[i];
		s->nodes[i].e = hwmp_create(&s->nodes[i].addr, &s->nodes[i].params, &cb, 0);
		if (s->nodes[i].e == NULL)
			return -1;
		schedule_tick(&s->nodes[i]);
	}
	return 0;
}

/* ---- running ---- */

static void notify_link_down(struct sim *s, uint32_t a, uint32_t b)
{
	struct mac_addr ma = sim_addr(a), mb = sim_addr(b);
	uint64_t now_ms = s->now_us / 1000;

	if (s->nodes[a].up) {
		hwmp_neighbour_lost(s->nodes[a].e, &mb, now_ms);
		schedule_tick(&s->nodes[a]);
	}
	if (s->nodes[b].up) {
		hwmp_neighbour_lost(s->nodes[b].e, &ma, now_ms);
		schedule_tick(&s->nodes[b]);
	}
}

static void run_event(struct sim *s, struct event *ev)
{
	struct node *nd = &s->nodes[ev->node];
	uint64_t now_ms = s->now_us / 1000;

	s->st.events++;
	switch (ev->type) {
	case EV_DELIVER: {
		const struct link *l = &s->links[ev->aux];
		struct mac_addr ta = sim_addr(ev->f->from);

		/* A frame in the air when the link or a node went down is lost. */
		if (nd->up && l->up && s->nodes[ev->f->from].up) {
			s->st.deliveries++;
			s->st.last_control_us = s->now_us;
			hwmp_rx_element(nd->e, &ta, l->metric, ev->f->data[0], ev->f->data + 2, ev->f->data[1], now_ms);
			schedule_tick(nd);
		}
		if (--ev->f->refs == 0)
			free(ev->f);
		break;
	}
	case EV_TICK:
		if (ev->t_us != nd->tick_at)
			break; /* superseded by an earlier one */
		nd->tick_at = UINT64_MAX;
		if (nd->up)
			hwmp_tick(nd->e, now_ms);
		schedule_tick(nd);
		break;
	case EV_LINK: {
		struct link *l = &s->links[ev->aux];

		if (l->up == ev->flag)
			break;
		l->up = ev->flag;
		if (!l->up)
			notify_link_down(s, l->a, l->b);
		break;
	}
	case EV_NODE:
		if (nd->up == ev->flag)
			break;
		if (!ev->flag) {
			/* Neighbours notice the loss; the node itself is silent. */
			for (uint32_t i = 0; i < nd->adj_count; i++) {
				const struct link *l = &s->links[s->adj[nd->adj_start + i]];
				uint32_t peer = l->a == ev->node ? l->b : l->a;
				struct mac_addr ma = nd->addr;

				if (l->up && s->nodes[peer].up) {
					hwmp_neighbour_lost(s->nodes[peer].e, &ma, now_ms);
					schedule_tick(&s->nodes[peer]);
				}
			}
		}
		nd->up = ev->flag;
		schedule_tick(nd);
		break;
	case EV_NEED_PATH: {
		struct mac_addr d = sim_addr(ev->aux);

		if (nd->up) {
			hwmp_need_path(nd->e, &d, now_ms);
			schedule_tick(nd);
		}
		break;
	}
	}
}

void sim_run_until(struct sim *s, uint64_t t_us)
{
	while (s->heap_len > 0 && s->heap[0].t_us <= t_us) {
		struct event ev = pop(s);

		s->now_us = ev.t_us;
		run_event(s, &ev);
	}
	if (t_us > s->now_us)
		s->now_us = t_us;
}

uint64_t sim_now(const struct sim *s)
{
	return s->now_us;
}

void sim_schedule_link(struct sim *s, uint64_t t_us, uint32_t link, bool up)
{
	if (link < s->n_links)
		push(s, (struct event){.t_us = t_us, .type = EV_LINK, .aux = link, .flag = up});
}

void sim_schedule_node(struct sim *s, uint64_t t_us, uint32_t node, bool up)
{
	if (node < s->n)
		push(s, (struct event){.t_us = t_us, .type = EV_NODE, .node = node, .flag = up});
}

void sim_schedule_need_path(struct sim *s, uint64_t t_us, uint32_t src, uint32_t dst)
{
	if (src < s->n && dst < s->n)
		push(s, (struct event){.t_us = t_us, .type = EV_NEED_PATH, .node = src, .aux = dst});
}

/* ---- data ---- */

void sim_trace(const struct sim *s, uint32_t src, uint32_t dst, struct sim_trace *out)
{
	struct sim *ms = (struct sim *)s; /* visit stamps only */
	uint64_t now_ms = s->now_us / 1000;
	struct mac_addr d = sim_addr(dst);
	uint32_t cur = src;

	memset(out, 0, sizeof(*out));
	out->mesh_da = dst;
	if (++ms->visit_gen == 0) {
		memset(ms->visit, 0, sizeof(*ms->visit) * s->n);
		ms->visit_gen = 1;
	}
	for (;;) {
		struct hwmp_route r;
		uint32_t next, li;

		out->at = cur;
		if (cur == out->mesh_da) {
			out->result = out->mesh_da == dst ? SIM_DELIVERED : SIM_VIA_GATE;
			return;
		}
		ms->visit[cur] = ms->visit_gen;
		/* Only the source may take a gate's default route (control/hwmp_glue.c turns it into an FDB
		 * entry "dst behind the gate", so the frame is addressed to the gate as mesh DA). A transit
		 * node forwards by the mesh DA's path alone and reports a missing one (forward_failed), as
		 * dataplane/forward.c and Linux do: following a transit node's gate route here would report
		 * loops (gate -> stale path back -> gate) that no frame takes. */
		if (!hwmp_lookup(s->nodes[cur].e, &d, now_ms, &r) || (cur != src && (r.via_gate || r.proxied))) {
			out->result = SIM_NO_PATH;
			return;
		}
		if (cur == src && (r.via_gate || r.proxied)) {
			out->mesh_da = sim_index(&r.path.dest);
			d = r.path.dest;
		}
		next = sim_index(&r.path.next_hop);
		li = next < s->n ? sim_find_link(s, cur, next) : SIM_NONE;
		if (li == SIM_NONE || !s->links[li].up || !s->nodes[next].up) {
			out->result = SIM_LINK_DOWN;
			return;
		}
		out->metric += s->links[li].metric;
		out->hops++;
		if (s->visit[next] == s->visit_gen) {
			out->at = next;
			out->result = SIM_LOOP;
			return;
		}
		cur = next;
	}
}

enum sim_trace_result sim_send_data(struct sim *s, uint32_t src, uint32_t dst)
{
	struct sim_trace t;
	struct mac_addr d = sim_addr(dst);
	uint64_t now_ms = s->now_us / 1000;

	sim_trace(s, src, dst, &t);
	if (t.result == SIM_DELIVERED || t.result == SIM_VIA_GATE) {
		hwmp_path_used(s->nodes[src].e, &d, now_ms);
	} else if (t.at == src && t.result != SIM_LOOP) {
		hwmp_need_path(s->nodes[src].e, &d, now_ms);
	} else if (t.result != SIM_LOOP) {
		struct mac_addr da = sim_addr(t.mesh_da);

		hwmp_forward_failed(s->nodes[t.at].e, &da, now_ms);
		schedule_tick(&s->nodes[t.at]);
	}
	schedule_tick(&s->nodes[src]);
	return t.result;
}

/* ---- graph queries ---- */

struct dnode {
	uint64_t d;
	uint32_t v;
};

void sim_dijkstra(const struct sim *s, uint32_t src, uint64_t *dist)
{
	struct dnode *heap = malloc(sizeof(*heap) * (2 * (size_t)s->n_links + s->n + 1));
	uint32_t len = 0;

	for (uint32_t i = 0; i < s->n; i++)
		dist[i] = UINT64_MAX;
	if (heap == NULL || !s->nodes[src].up) {
		free(heap);
		return;
	}
	dist[src] = 0;
	heap[len++] = (struct dnode){0, src};
	while (len > 0) {
		struct dnode top = heap[0], last = heap[--len];
		uint32_t i = 0;

		for (;;) { /* sift down */
			uint32_t c = 2 * i + 1;

			if (c >= len)
				break;
			if (c + 1 < len && heap[c + 1].d < heap[c].d)
				c++;
			if (heap[c].d >= last.d)
				break;
			heap[i] = heap[c];
			i = c;
		}
		if (len > 0)
			heap[i] = last;
		if (top.d > dist[top.v])
			continue;
		for (uint32_t k = 0; k < s->nodes[top.v].adj_count; k++) {
			const struct link *l = &s->links[s->adj[s->nodes[top.v].adj_start + k]];
			uint32_t w = l->a == top.v ? l->b : l->a;
			uint64_t nd = top.d + l->metric;

			if (!l->up || !s->nodes[w].up || nd >= dist[w])
				continue;
			dist[w] = nd;
			/* sift up */
			i = len++;
			while (i > 0 && heap[(i - 1) / 2].d > nd) {
				heap[i] = heap[(i - 1) / 2];
				i = (i - 1) / 2;
			}
			heap[i] = (struct dnode){nd, w};
		}
	}
	free(heap);
}

bool sim_connected(const struct sim *s)
{
	uint64_t *dist = malloc(sizeof(*dist) * s->n);
	bool ok = dist != NULL;

	if (ok) {
		sim_dijkstra(s, 0, dist);
		for (uint32_t i = 0; i < s->n; i++)
			if (s->nodes[i].up && dist[i] == UINT64_MAX)
				ok = false;
	}
	free(dist);
	return ok;
}

uint32_t sim_nodes(const struct sim *s)
{
	return s->n;
}

uint32_t sim_links(const struct sim *s)
{
	return s->n_links;
}

void sim_link_info(const struct sim *s, uint32_t link, uint32_t *a, uint32_t *b, uint32_t *metric)
{
	*a = s->links[link].a;
	*b = s->links[link].b;
	*metric = s->links[link].metric;
}

struct hwmp_engine *sim_engine(struct sim *s, uint32_t node)
{
	return s->nodes[node].e;
}

const struct sim_stats *sim_get_stats(const struct sim *s)
{
	return &s->st;
}

void sim_on_discovery(struct sim *s, sim_discovery_fn fn, void *arg)
{
	s->on_disc = fn;
	s->on_disc_arg = arg;
}
