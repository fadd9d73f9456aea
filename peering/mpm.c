/* The MPM finite state machine: events from frames (Linux's mesh_plink_get_event rules), transitions
 * and timers (mesh_plink_fsm, mesh_plink_timer), link IDs and AIDs. */
#include "mpm.h"

#include <stdlib.h>
#include <string.h>

#define AID_MAX 2007 /* 802.11: AIDs 1..2007 */

enum mpm_event { EV_NONE = 0, OPN_ACPT, OPN_RJCT, CNF_ACPT, CNF_RJCT, CLS_ACPT };

struct entry {
	bool used;
	struct mpm_peer p;
};

struct mpm {
	struct mpm_params params;
	struct mpm_callbacks cb;
	struct mpm_counters c;
	struct entry *e;
	unsigned n_estab;
	uint64_t rng;
};

static const char *const state_names[] = {"LISTEN", "OPN_SNT", "OPN_RCVD", "CNF_RCVD", "ESTAB", "HOLDING"};

const char *mpm_state_name(enum mpm_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "unknown";
}

void mpm_params_default(struct mpm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->retry_timeout_ms = 100;
	p->confirm_timeout_ms = 100;
	p->holding_timeout_ms = 100;
	p->max_retries = 3;
	p->max_peers = 32;
	p->max_candidates = 64;
	p->auto_open = true;
	p->protocol = MESH_PEERING_PROTO_MPM;
}

/* splitmix64: link IDs only need to differ between links and between our lives, not be secret. */
static uint64_t rnd(struct mpm *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct mpm *mpm_create(const struct mpm_params *p, const struct mpm_callbacks *cb)
{
	struct mpm *m;

	if (p->max_candidates < p->max_peers || p->max_candidates == 0 || p->retry_timeout_ms == 0 ||
	    p->confirm_timeout_ms == 0 || p->holding_timeout_ms == 0 || cb->send == NULL)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->e = calloc(p->max_candidates, sizeof(*m->e));
	if (m->e == NULL) {
		free(m);
		return NULL;
	}
	m->params = *p;
	m->cb = *cb;
	m->rng = p->seed;
	return m;
}

void mpm_destroy(struct mpm *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m);
}

static struct entry *find(const struct mpm *m, const struct mac_addr *peer)
{
	for (unsigned i = 0; i < m->params.max_candidates; i++)
		if (m->e[i].used && mac_equal(&m->e[i].p.mac, peer))
			return &m->e[i];
	return NULL;
}

static bool llid_in_use(const struct mpm *m, uint16_t llid)
{
	for (unsigned i = 0; i < m->params.max_candidates; i++)
		if (m->e[i].used && m->e[i].p.llid == llid)
			return true;
	return false;
}

static uint16_t new_llid(struct mpm *m)
{
	uint16_t llid;

	do
		llid = (uint16_t)rnd(m);
	while (llid == 0 || llid_in_use(m, llid));
	return llid;
}

/* Lowest AID no entry holds (the table is smaller than the AID space). */
static uint16_t new_aid(const struct mpm *m)
{
	for (uint16_t aid = 1; aid <= AID_MAX; aid++) {
		bool taken = false;

		for (unsigned i = 0; i < m->params.max_candidates && !taken; i++)
			taken = m->e[i].used && m->e[i].p.aid == aid;
		if (!taken)
			return aid;
	}
	return 0;
}

static struct entry *create(struct mpm *m, const struct mac_addr *peer, uint64_t now)
{
	for (unsigned i = 0; i < m->params.max_candidates; i++) {
		struct entry *e = &m->e[i];

		if (e->used)
			continue;
		memset(e, 0, sizeof(*e));
		e->p.mac = *peer;
		e->p.state = MPM_LISTEN;
		e->p.aid = new_aid(m);
		e->p.since_ms = now;
		e->used = true;
		return e;
	}
	return NULL;
}

/* Frees the oldest entry that never beaconed and holds no link: a real neighbour (it beacons) must
 * not be kept out by Opens from addresses that are never heard otherwise. */
static bool evict_unheard(struct mpm *m)
{
	struct entry *victim = NULL;

	for (unsigned i = 0; i < m->params.max_candidates; i++) {
		struct entry *e = &m->e[i];

		if (e->used && !e->p.heard_beacon && e->p.state != MPM_ESTAB &&
		    (victim == NULL || e->p.since_ms < victim->p.since_ms))
			victim = e;
	}
	if (victim != NULL)
		victim->used = false;
	return victim != NULL;
}

static void set_state(struct entry *e, enum mpm_state s, uint64_t now)
{
	e->p.state = s;
	e->p.since_ms = now;
}

static void set_timer(struct entry *e, uint32_t ms, uint64_t now)
{
	e->p.deadline_ms = now + ms;
}

static void send_frame(struct mpm *m, const struct mac_addr *peer, uint8_t action, uint16_t llid, uint16_t plid,
		       uint16_t reason, uint16_t aid)
{
	struct mpm_tx tx;

	memset(&tx, 0, sizeof(tx));
	tx.peer = *peer;
	tx.action = action;
	tx.aid = aid;
	tx.ie.protocol = m->params.protocol;
	tx.ie.llid = llid;
	tx.ie.plid = plid;
	tx.ie.has_plid = action == WLAN_SP_MESH_PEERING_CONFIRM || (action == WLAN_SP_MESH_PEERING_CLOSE && plid != 0);
	tx.ie.has_reason = action == WLAN_SP_MESH_PEERING_CLOSE;
	tx.ie.reason = reason;
	tx.ie.has_pmkid = m->params.protocol == MESH_PEERING_PROTO_AMPE;
	if (action == WLAN_SP_MESH_PEERING_OPEN)
		m->c.open_tx++;
	else if (action == WLAN_SP_MESH_PEERING_CONFIRM)
		m->c.confirm_tx++;
	else
		m->c.close_tx++;
	m->cb.send(m->cb.ctx, &tx);
}

static void send_for(struct mpm *m, const struct entry *e, uint8_t action)
{
	send_frame(m, &e->p.mac, action, e->p.llid, e->p.plid, e->p.reason, e->p.aid);
}

static bool link_available(const struct mpm *m, const struct entry *e)
{
	return (e != NULL && e->p.state == MPM_ESTAB) || m->n_estab < m->params.max_peers;
}

bool mpm_accepting(const struct mpm *m)
{
	return m->n_estab < m->params.max_peers;
}

/* Leaves ESTAB (if there): the link is gone for the glue. */
static void deactivate(struct mpm *m, struct entry *e, uint16_t reason, uint64_t now)
{
	if (e->p.state != MPM_ESTAB)
		return;
	m->n_estab--;
	m->c.estab_closed++;
	e->p.state = MPM_LISTEN; /* callers set the next state */
	if (m->cb.closed != NULL)
		m->cb.closed(m->cb.ctx, &e->p, reason, now);
}

static void establish(struct mpm *m, struct entry *e, uint64_t now)
{
	set_state(e, MPM_ESTAB, now);
	e->p.deadline_ms = 0;
	e->p.estab_ms = now;
	m->n_estab++;
	m->c.established++;
	if (m->cb.established != NULL)
		m->cb.established(m->cb.ctx, &e->p, now);
}

static void fsm_restart(struct entry *e, uint64_t now)
{
	set_state(e, MPM_LISTEN, now);
	e->p.llid = e->p.plid = e->p.reason = 0;
	e->p.retries = 0;
	e->p.deadline_ms = 0;
}

/* Back to LISTEN; an entry only ever heard through peering frames (never a beacon) is freed, so that
 * Opens from made-up addresses hold an entry for one attempt only. */
static void listen_again(struct entry *e, uint64_t now)
{
	fsm_restart(e, now);
	if (!e->p.heard_beacon)
		e->used = false;
}

static void hold(struct mpm *m, struct entry *e, uint16_t reason, uint64_t now)
{
	e->p.reason = reason;
	set_state(e, MPM_HOLDING, now);
	set_timer(e, m->params.holding_timeout_ms, now);
}

static void start_open(struct mpm *m, struct entry *e, enum mpm_state next, uint64_t now)
{
	e->p.llid = new_llid(m);
	e->p.retries = 0;
	e->p.timeout_ms = m->params.retry_timeout_ms;
	set_state(e, next, now);
	set_timer(e, e->p.timeout_ms, now);
}

/* One event on one entry (802.11-2016 Table 14-2 as mac80211 implements it). */
static void fsm(struct mpm *m, struct entry *e, enum mpm_event ev, uint64_t now)
{
	uint16_t reason = ev == CLS_ACPT ? WLAN_REASON_MESH_CLOSE_RCVD : WLAN_REASON_MESH_CONFIG_POLICY_VIOLATION;

	switch (e->p.state) {
	case MPM_LISTEN:
		if (ev == CLS_ACPT) {
			listen_again(e, now);
		} else if (ev == OPN_ACPT) {
			start_open(m, e, MPM_OPN_RCVD, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_OPEN);
			send_for(m, e, WLAN_SP_MESH_PEERING_CONFIRM);
		}
		break;
	case MPM_OPN_SNT:
		if (ev == OPN_RJCT || ev == CNF_RJCT || ev == CLS_ACPT) {
			hold(m, e, reason, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		} else if (ev == OPN_ACPT) {
			set_state(e, MPM_OPN_RCVD, now); /* the retry timer runs on */
			send_for(m, e, WLAN_SP_MESH_PEERING_CONFIRM);
		} else if (ev == CNF_ACPT) {
			set_state(e, MPM_CNF_RCVD, now);
			set_timer(e, m->params.confirm_timeout_ms, now);
		}
		break;
	case MPM_OPN_RCVD:
		if (ev == OPN_RJCT || ev == CNF_RJCT || ev == CLS_ACPT) {
			hold(m, e, reason, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		} else if (ev == OPN_ACPT) {
			send_for(m, e, WLAN_SP_MESH_PEERING_CONFIRM);
		} else if (ev == CNF_ACPT) {
			establish(m, e, now);
		}
		break;
	case MPM_CNF_RCVD:
		if (ev == OPN_RJCT || ev == CNF_RJCT || ev == CLS_ACPT) {
			hold(m, e, reason, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		} else if (ev == OPN_ACPT) {
			establish(m, e, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_CONFIRM);
		}
		break;
	case MPM_ESTAB:
		if (ev == CLS_ACPT) {
			deactivate(m, e, WLAN_REASON_MESH_CLOSE_RCVD, now);
			hold(m, e, reason, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		} else if (ev == OPN_ACPT) {
			send_for(m, e, WLAN_SP_MESH_PEERING_CONFIRM);
		}
		break;
	case MPM_HOLDING:
		if (ev == CLS_ACPT) {
			listen_again(e, now);
		} else if (ev != EV_NONE) {
			m->c.rx_in_holding++;
			send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		}
		break;
	}
}

void mpm_candidate(struct mpm *m, const struct mac_addr *peer, bool accepts_peerings, uint64_t now)
{
	struct entry *e = find(m, peer);

	if (e == NULL) {
		e = create(m, peer, now);
		if (e == NULL && evict_unheard(m))
			e = create(m, peer, now);
		if (e == NULL) {
			m->c.rx_table_full++;
			return;
		}
		m->c.stale_close_tx++;
		send_frame(m, peer, WLAN_SP_MESH_PEERING_CLOSE, new_llid(m), 0, WLAN_REASON_MESH_PEERING_CANCELED, 0);
	}
	e->p.heard_beacon = true;
	if (accepts_peerings && e->p.state == MPM_LISTEN && m->params.auto_open && mpm_accepting(m)) {
		start_open(m, e, MPM_OPN_SNT, now);
		send_for(m, e, WLAN_SP_MESH_PEERING_OPEN);
	}
}

/* The event a frame from an address without an entry causes (and the answers to refusals). */
static int rx_new(struct mpm *m, const struct mac_addr *peer, const struct mpm_rx *f, bool matches,
		  struct entry **out, uint64_t now)
{
	if (f->action != WLAN_SP_MESH_PEERING_OPEN) {
		m->c.rx_unknown_peer++;
		return -1;
	}
	if (!matches) {
		m->c.rx_config_mismatch++;
		send_frame(m, peer, WLAN_SP_MESH_PEERING_CLOSE, 0, f->ie.llid, WLAN_REASON_MESH_CONFIG_POLICY_VIOLATION, 0);
		return -1;
	}
	if (!mpm_accepting(m)) {
		m->c.rx_max_peers++;
		send_frame(m, peer, WLAN_SP_MESH_PEERING_CLOSE, 0, f->ie.llid, WLAN_REASON_MESH_MAX_PEERS, 0);
		return -1;
	}
	*out = create(m, peer, now);
	if (*out == NULL) {
		m->c.rx_table_full++;
		return -1;
	}
	return 0;
}

static enum mpm_event event_for(struct mpm *m, struct entry *e, const struct mpm_rx *f, bool matches, uint64_t now)
{
	uint16_t their_llid = f->ie.llid, their_plid = f->ie.plid;

	switch (f->action) {
	case WLAN_SP_MESH_PEERING_OPEN:
		if (!matches)
			return OPN_RJCT;
		if (e->p.state == MPM_ESTAB && e->p.plid != their_llid) {
			/* A new link ID from an established peer: it restarted and lost the link, which Linux
			 * would keep ignoring until its 30-minute plink timeout; start over at once. */
			m->c.peer_restarts++;
			deactivate(m, e, WLAN_REASON_MESH_PEERING_CANCELED, now);
			fsm_restart(e, now);
			return OPN_ACPT;
		}
		if (!link_available(m, e)) {
			m->c.rx_max_peers++;
			if (e->p.state == MPM_LISTEN)
				send_frame(m, &e->p.mac, WLAN_SP_MESH_PEERING_CLOSE, 0, their_llid, WLAN_REASON_MESH_MAX_PEERS, 0);
			return EV_NONE;
		}
		if (e->p.plid != 0 && e->p.plid != their_llid) {
			m->c.rx_link_id_mismatch++;
			return EV_NONE;
		}
		return OPN_ACPT;
	case WLAN_SP_MESH_PEERING_CONFIRM:
		if (!matches)
			return CNF_RJCT;
		if (!link_available(m, e)) {
			m->c.rx_max_peers++;
			return EV_NONE;
		}
		if (e->p.llid != their_plid || (e->p.plid != 0 && e->p.plid != their_llid)) {
			m->c.rx_link_id_mismatch++;
			return EV_NONE;
		}
		return CNF_ACPT;
	case WLAN_SP_MESH_PEERING_CLOSE:
		/* In ESTAB without checking link IDs, as Linux: a peer that restarted or timed out its side
		 * must be able to end a link it no longer knows the IDs of. */
		if (e->p.state == MPM_ESTAB)
			return CLS_ACPT;
		if (e->p.plid != their_llid || (f->ie.has_plid && e->p.llid != their_plid)) {
			m->c.rx_link_id_mismatch++;
			return EV_NONE;
		}
		return CLS_ACPT;
	default:
		return EV_NONE;
	}
}

int mpm_rx(struct mpm *m, const struct mac_addr *peer, const struct mpm_rx *f, bool matches_local, uint64_t now)
{
	bool matches = f->action == WLAN_SP_MESH_PEERING_CLOSE || matches_local;
	struct entry *e = find(m, peer);
	enum mpm_event ev;

	if (f->action == WLAN_SP_MESH_PEERING_OPEN)
		m->c.open_rx++;
	else if (f->action == WLAN_SP_MESH_PEERING_CONFIRM)
		m->c.confirm_rx++;
	else if (f->action == WLAN_SP_MESH_PEERING_CLOSE)
		m->c.close_rx++;
	else
		return -1;
	if (f->ie.protocol != m->params.protocol) {
		m->c.rx_wrong_protocol++;
		return -1;
	}
	if (e == NULL) {
		if (rx_new(m, peer, f, matches, &e, now) < 0)
			return -1;
		ev = OPN_ACPT;
	} else {
		ev = event_for(m, e, f, matches, now);
		if (ev == EV_NONE)
			return -1;
	}
	if (ev == OPN_ACPT) {
		e->p.plid = f->ie.llid;
		e->p.ext_flags = f->ext_flags;
	} else if (ev == CNF_ACPT) {
		if (e->p.plid == 0)
			e->p.plid = f->ie.llid;
		e->p.peer_aid = f->aid;
		e->p.ext_flags = f->ext_flags;
	} else if (ev == OPN_RJCT || ev == CNF_RJCT) {
		m->c.rx_config_mismatch++;
	}
	fsm(m, e, ev, now);
	return 0;
}

static void timer_fired(struct mpm *m, struct entry *e, uint64_t now)
{
	e->p.deadline_ms = 0;
	switch (e->p.state) {
	case MPM_OPN_SNT:
	case MPM_OPN_RCVD:
		if (e->p.retries < m->params.max_retries) {
			/* Linux's back-off: the timeout grows by a random part of itself each time. */
			e->p.timeout_ms += (uint32_t)(rnd(m) % e->p.timeout_ms);
			e->p.retries++;
			m->c.open_retries++;
			set_timer(e, e->p.timeout_ms, now);
			send_for(m, e, WLAN_SP_MESH_PEERING_OPEN);
			break;
		}
		m->c.max_retries_reached++;
		hold(m, e, WLAN_REASON_MESH_MAX_RETRIES, now);
		send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		break;
	case MPM_CNF_RCVD:
		m->c.confirm_timeouts++;
		hold(m, e, WLAN_REASON_MESH_CONFIRM_TIMEOUT, now);
		send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
		break;
	case MPM_HOLDING:
		listen_again(e, now);
		break;
	default:
		break;
	}
}

void mpm_tick(struct mpm *m, uint64_t now)
{
	for (unsigned i = 0; i < m->params.max_candidates; i++) {
		struct entry *e = &m->e[i];

		if (e->used && e->p.deadline_ms != 0 && now >= e->p.deadline_ms)
			timer_fired(m, e, now);
	}
}

uint64_t mpm_next_deadline(const struct mpm *m)
{
	uint64_t t = UINT64_MAX;

	for (unsigned i = 0; i < m->params.max_candidates; i++)
		if (m->e[i].used && m->e[i].p.deadline_ms != 0 && m->e[i].p.deadline_ms < t)
			t = m->e[i].p.deadline_ms;
	return t;
}

static void close_entry(struct mpm *m, struct entry *e, uint16_t reason, uint64_t now)
{
	deactivate(m, e, reason, now);
	hold(m, e, reason, now);
	send_for(m, e, WLAN_SP_MESH_PEERING_CLOSE);
}

void mpm_close(struct mpm *m, const struct mac_addr *peer, uint16_t reason, uint64_t now)
{
	struct entry *e = find(m, peer);

	if (e != NULL && e->p.state != MPM_LISTEN && e->p.state != MPM_HOLDING)
		close_entry(m, e, reason, now);
}

unsigned mpm_close_all(struct mpm *m, uint16_t reason, uint64_t now)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->params.max_candidates; i++) {
		struct entry *e = &m->e[i];

		if (e->used && e->p.state != MPM_LISTEN && e->p.state != MPM_HOLDING) {
			close_entry(m, e, reason, now);
			n++;
		}
	}
	return n;
}

void mpm_forget(struct mpm *m, const struct mac_addr *peer, uint64_t now)
{
	struct entry *e = find(m, peer);

	if (e == NULL)
		return;
	deactivate(m, e, WLAN_REASON_MESH_PEERING_CANCELED, now);
	e->used = false;
}

const struct mpm_peer *mpm_find(const struct mpm *m, const struct mac_addr *peer)
{
	const struct entry *e = find(m, peer);

	return e != NULL ? &e->p : NULL;
}

void mpm_foreach(const struct mpm *m, void (*fn)(void *arg, const struct mpm_peer *p), void *arg)
{
	for (unsigned i = 0; i < m->params.max_candidates; i++)
		if (m->e[i].used)
			fn(arg, &m->e[i].p);
}

unsigned mpm_estab_count(const struct mpm *m)
{
	return m->n_estab;
}

const struct mpm_counters *mpm_get_counters(const struct mpm *m)
{
	return &m->c;
}
