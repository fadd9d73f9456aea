#include "peering.h"

#include <string.h>

#include <rte_cycles.h>

#include "codec.h"
#include "control.h"
#include "log.h"
#include "node.h"
#include "peering_frame.h"
#include "security.h"
#include "tx.h"

static struct mpm *mpm;
static struct mpm_counters published; /* relaxed copies for telemetry */
/* The frame being handled: answers to strangers go out its port, and a peer established by it gets
 * a neighbour entry even if it never beaconed. */
static int rx_port = -1;
static const struct radiotap_info *rx_rt;
/* Links to close on the next tick: established without keys, or that never took our new MGTK (the MPM
 * cannot be re-entered from its own callbacks, nor the secure state from its timer). */
#define CLOSE_LATER_MAX 8
static struct {
	struct mac_addr mac;
	uint16_t reason;
} close_later[CLOSE_LATER_MAX];
static unsigned n_close_later;
/* The time of the call being handled, for the frames the MPM sends from it. */
static uint64_t clock_ms;

static bool secure_mesh(void)
{
	return the_node.cfg.mesh.security == MESH_SECURITY_SAE;
}

static void local_ies(struct peering_local *l)
{
	memset(l, 0, sizeof(*l));
	l->self = the_node.cfg.node.mesh_mac;
	l->rates = the_node.cfg.mesh.rates;
	mesh_id_set(&l->mesh_id, the_node.cfg.mesh.mesh_id);
	peering_local_config(&l->mesh_config, mpm != NULL ? mpm_estab_count(mpm) : 0);
	l->ext_flags = peering_local_ext_flags();
	l->rsn = secure_mesh();
}

uint8_t peering_local_ext_flags(void)
{
	return (uint8_t)((the_node.cfg.peering.hwmp_extensions ? MESH_EXT_HWMP : 0) |
			 (the_node.cfg.telemetry.topology_interval_s > 0 ? MESH_EXT_TOPOLOGY : 0) |
			 (secure_mesh() ? MESH_EXT_MGK : 0));
}

void peering_local_config(struct mesh_config_ie *out, unsigned peers)
{
	memset(out, 0, sizeof(*out));
	out->path_sel_protocol = 1; /* HWMP */
	out->path_sel_metric = 1;   /* airtime */
	out->congestion_control = 0;
	out->sync_method = 1;       /* neighbour offset */
	out->auth_protocol = secure_mesh() ? 1 : 0; /* SAE, or an open mesh */
	out->formation_info = (uint8_t)((peers > 63 ? 63 : peers) << 1 | (the_node.cfg.mesh.gate ? 1 : 0));
	out->capability = MESH_CAP_FORWARDING | (mpm == NULL || mpm_accepting(mpm) ? MESH_CAP_ACCEPTING_PEERINGS : 0);
}

bool peering_match_counted(const struct mesh_ies *ies)
{
	struct mesh_config_ie ours;
	struct mesh_id id;

	mesh_id_set(&id, the_node.cfg.mesh.mesh_id);
	if (!ies->has_mesh_id || !ies->has_mesh_config || !mesh_id_equal(&ies->mesh_id, &id)) {
		control_count(CONTROL_beacons_other_mesh);
		return false;
	}
	peering_local_config(&ours, 0);
	if (ies->mesh_config.path_sel_protocol != ours.path_sel_protocol ||
	    ies->mesh_config.path_sel_metric != ours.path_sel_metric ||
	    ies->mesh_config.congestion_control != ours.congestion_control ||
	    ies->mesh_config.sync_method != ours.sync_method || ies->mesh_config.auth_protocol != ours.auth_protocol) {
		control_count(CONTROL_candidates_config_mismatch);
		return false;
	}
	/* Open meets open; a secure mesh needs CCMP, SAE and management frame protection, as
	 * wpa_supplicant's mesh with ieee80211w=2 announces them. */
	if (ies->has_rsn != secure_mesh() || (secure_mesh() && !ies->rsn_sae_ccmp)) {
		control_count(CONTROL_candidates_security_mismatch);
		return false;
	}
	if (mesh_rates_basic_bitmap(&ies->rates) != mesh_rates_basic_bitmap(&the_node.cfg.mesh.rates)) {
		control_count(CONTROL_candidates_rates_mismatch);
		return false;
	}
	return true;
}

static void send_frame(void *ctx, const struct mpm_tx *tx)
{
	const struct neighbour *n = neighbours_find_any(&tx->peer);
	struct peering_local l;
	uint8_t frame[256 + AMPE_TRAILER_MAX_LEN];
	int port = n != NULL ? n->port : rx_port;
	int len;

	(void)ctx;
	struct peering_mgmt_ie ie = tx->ie;
	size_t flen;

	if (port < 0)
		return;
	if (secure_mesh() && security_fill_pmkid(&tx->peer, &ie) < 0) {
		control_count(CONTROL_peering_not_authenticated);
		return;
	}
	local_ies(&l);
	if (secure_mesh() && tx->action == WLAN_SP_MESH_PEERING_OPEN) {
		/* What it announced decides which MGTK, and which key ID, our Open carries. */
		if (n != NULL)
			security_peer_ext(&tx->peer, n->ext_flags, 0, 0);
		l.mgtk_key_id = security_prepare_open(&tx->peer, clock_ms, &l.mgtk_replay);
		if (l.mgtk_key_id == 0)
			return;
	}
	len = peering_frame_encode(frame, sizeof(frame) - AMPE_TRAILER_MAX_LEN, &l, &tx->peer, tx->action, tx->aid, &ie);
	if (len <= 0)
		return;
	flen = (size_t)len;
	if (secure_mesh() && security_protect_peering(&tx->peer, frame, &flen, sizeof(frame)) < 0)
		return;
	if (control_tx_80211((unsigned)port, frame, flen) == 0)
		control_count(CONTROL_peering_frames_tx);
}

static void on_established(void *ctx, const struct mpm_peer *p, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	(void)ctx;
	LOG_INFO("peer %s established (llid %04x plid %04x aid %u)", mac_format(&p->mac, mac), p->llid, p->plid,
		 p->aid);
	if (neighbours_find_any(&p->mac) == NULL && rx_port >= 0)
		neighbours_heard((unsigned)rx_port, &p->mac, rx_rt, now_ms);
	neighbours_set_established(&p->mac, true, p->ext_flags, now_ms);
	/* The keys go in once the peer is in the dataplane's peer set (their slot is its). */
	if (secure_mesh() && security_link_up(&p->mac, p->llid, p->plid) < 0)
		peering_close_later(&p->mac, WLAN_REASON_MESH_INVALID_GTK);
}

void peering_close_later(const struct mac_addr *mac, uint16_t reason)
{
	if (n_close_later < CLOSE_LATER_MAX) {
		close_later[n_close_later].mac = *mac;
		close_later[n_close_later].reason = reason;
		n_close_later++;
	}
}

static void on_closed(void *ctx, const struct mpm_peer *p, uint16_t reason, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	(void)ctx;
	LOG_INFO("peer %s closed (reason %u)", mac_format(&p->mac, mac), reason);
	/* Keys out before the peer leaves the peer set (their slot is its). */
	security_link_down(&p->mac);
	neighbours_set_established(&p->mac, false, 0, now_ms);
}

int peering_init(void)
{
	const struct peering_config *pc = &the_node.cfg.peering;
	struct mpm_callbacks cb = {.send = send_frame, .established = on_established, .closed = on_closed};
	struct mpm_params p;

	mpm_params_default(&p);
	p.retry_timeout_ms = pc->retry_timeout_ms;
	p.confirm_timeout_ms = pc->confirm_timeout_ms;
	p.holding_timeout_ms = pc->holding_timeout_ms;
	p.max_retries = pc->max_retries;
	p.max_peers = the_node.cfg.mesh.max_peers;
	p.max_candidates = pc->max_candidates;
	p.auto_open = pc->auto_open;
	p.protocol = secure_mesh() ? MESH_PEERING_PROTO_AMPE : MESH_PEERING_PROTO_MPM;
	/* Link IDs must differ from our previous life's, so that peers see a restart as one. */
	p.seed = rte_rdtsc() ^ mac_bits(&the_node.cfg.node.mesh_mac);
	mpm = mpm_create(&p, &cb);
	memset(&published, 0, sizeof(published));
	if (mpm == NULL) {
		LOG_ERR("peering: cannot create the peering state (check the peering section of the config)");
		return -1;
	}
	return 0;
}

void peering_fini(void)
{
	mpm_destroy(mpm);
	mpm = NULL;
}

void peering_on_candidate(const struct neighbour *n, bool accepts, uint64_t now_ms)
{
	clock_ms = now_ms;
	if (n->is_static)
		return;
	/* Static keys key the static peers only: a link with anyone else could carry no data. */
	if (security_static()) {
		control_count(CONTROL_peering_static_only);
		return;
	}
	/* A secure mesh authenticates first; the link opens when SAE is accepted. */
	if (secure_mesh() && !security_authenticated(&n->mac)) {
		if (accepts)
			security_candidate(&n->mac, now_ms);
		return;
	}
	mpm_candidate(mpm, &n->mac, accepts, now_ms);
}

void peering_authenticated(const struct mac_addr *peer, uint64_t now_ms)
{
	clock_ms = now_ms;
	mpm_candidate(mpm, peer, true, now_ms);
}

void peering_on_frame(unsigned port, const uint8_t *frame, size_t len, const struct radiotap_info *rt,
		      uint64_t now_ms)
{
	struct peering_frame pf;
	struct mpm_rx rx;
	const struct neighbour *n;
	bool matches;

	clock_ms = now_ms;
	if (len >= ACTION_HDR_LEN && (frame[MGMT_HDR_LEN + 1] == WLAN_SP_MGK_INFORM ||
				      frame[MGMT_HDR_LEN + 1] == WLAN_SP_MGK_ACK)) {
		struct mgmt_hdr h;

		if (mgmt_hdr_decode(frame, len, &h) < 0 || !mac_equal(&h.addr1, &the_node.cfg.node.mesh_mac) ||
		    mac_is_group(&h.addr2) || mac_equal(&h.addr2, &the_node.cfg.node.mesh_mac)) {
			control_count(CONTROL_peering_not_for_us);
			return;
		}
		control_count(CONTROL_peering_frames_rx);
		security_on_group_key(&h.addr2, frame, len, now_ms);
		return;
	}
	if (peering_frame_decode(frame, len, &pf) < 0) {
		control_count(CONTROL_peering_malformed);
		return;
	}
	/* Peering frames are individually addressed; Linux ignores group ones, and so do we. */
	if (!mac_equal(&pf.hdr.addr1, &the_node.cfg.node.mesh_mac) || mac_is_group(&pf.hdr.addr2) ||
	    mac_equal(&pf.hdr.addr2, &the_node.cfg.node.mesh_mac)) {
		control_count(CONTROL_peering_not_for_us);
		return;
	}
	control_count(CONTROL_peering_frames_rx);
	n = neighbours_find_any(&pf.hdr.addr2);
	if (n != NULL && n->is_static)
		return;
	if (security_static()) {
		control_count(CONTROL_peering_static_only);
		return;
	}
	if (secure_mesh() && security_verify_peering(&pf.hdr.addr2, frame, len, &pf.mpm) != 0)
		return;
	matches = pf.action == WLAN_SP_MESH_PEERING_CLOSE || peering_match_counted(&pf.elems);
	memset(&rx, 0, sizeof(rx));
	rx.action = pf.action;
	rx.ie = pf.mpm;
	rx.aid = pf.aid;
	rx.ext_flags = pf.elems.has_ext ? pf.elems.ext_flags : 0;
	if (secure_mesh()) {
		bool open = pf.action == WLAN_SP_MESH_PEERING_OPEN && pf.elems.has_ext;

		security_peer_ext(&pf.hdr.addr2, rx.ext_flags, open ? pf.elems.ext_mgtk_key_id : 0,
				  open ? pf.elems.ext_replay : 0);
	}
	rx_port = (int)port;
	rx_rt = rt;
	mpm_rx(mpm, &pf.hdr.addr2, &rx, matches, now_ms);
	/* The sender is remembered (its port, rate, liveness) only while peering keeps an entry for it:
	 * Opens from made-up addresses that peering refuses leave nothing behind. */
	if (pf.action != WLAN_SP_MESH_PEERING_CLOSE && mpm_find(mpm, &pf.hdr.addr2) != NULL)
		neighbours_heard(port, &pf.hdr.addr2, rt, now_ms);
	rx_port = -1;
	rx_rt = NULL;
}

void peering_tick(uint64_t now_ms)
{
	const struct mpm_counters *c;

	clock_ms = now_ms;
	security_tick(now_ms);
	for (unsigned i = 0; i < n_close_later; i++)
		mpm_close(mpm, &close_later[i].mac, close_later[i].reason, now_ms);
	n_close_later = 0;
	if (mpm_next_deadline(mpm) <= now_ms)
		mpm_tick(mpm, now_ms);
	c = mpm_get_counters(mpm);
	for (size_t i = 0; i < sizeof(published) / sizeof(uint64_t); i++)
		__atomic_store_n(&((uint64_t *)&published)[i], ((const uint64_t *)c)[i], __ATOMIC_RELAXED);
}

void peering_forget(const struct mac_addr *mac, bool send_close, uint64_t now_ms)
{
	clock_ms = now_ms;
	if (send_close)
		mpm_close(mpm, mac, WLAN_REASON_MESH_PEERING_CANCELED, now_ms);
	mpm_forget(mpm, mac, now_ms);
	security_forget(mac);
}

unsigned peering_close_all(uint64_t now_ms)
{
	clock_ms = now_ms;
	return mpm_close_all(mpm, WLAN_REASON_MESH_PEERING_CANCELED, now_ms);
}

unsigned peering_estab_count(void)
{
	return mpm != NULL ? mpm_estab_count(mpm) : 0;
}

const struct mpm_peer *peering_find(const struct mac_addr *mac)
{
	return mpm_find(mpm, mac);
}

void peering_counters(struct mpm_counters *out)
{
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		((uint64_t *)out)[i] = __atomic_load_n(&((uint64_t *)&published)[i], __ATOMIC_RELAXED);
}
