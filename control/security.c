#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bip.h"
#include "ccmp.h"
#include "control.h"
#include "key_log.h"
#include "link_crypto.h"
#include "log.h"
#include "mesh_crypto.h"
#include "mgmt.h"
#include "neighbours.h"
#include "node.h"
#include "peering.h"
#include "tx.h"

#define FC1_PROTECTED 0x40
#define HDR_LEN 24
#define AUTH_ALG_SAE 3
#define WLAN_CATEGORY_MESH_ACTION 13
#define MGMT_FRAME_MAX 2048

/* The management-frame keys of one established link: the MTK (its PNs come from the dataplane's
 * counter of the same key, so data and management frames never share a PN), the peer's IGTK, and the
 * replay counters of what we take from it. */
struct mgmt_link {
	bool used;
	struct mac_addr peer;
	struct ccmp_key mtk;
	uint64_t rx_pn;
	struct ccmp_key mgtk[LINK_GROUP_KEYS]; /* the peer's group keys: its group Mesh action frames */
	uint8_t mgtk_key_id[LINK_GROUP_KEYS];  /* 0: empty */
	uint64_t rx_group_pn[LINK_GROUP_KEYS];
	bool has_igtk;
	uint8_t igtk[BIP_IGTK_LEN];
	uint16_t igtk_key_id;
	uint64_t rx_ipn;
};

static struct secure *sec;
static bool static_mode; /* mesh.security static: fixed keys for the static peers (benchmarks, tests) */
static struct ccmp_engine *engine;
static struct ccmp_key own_mgtk; /* our group Mesh action frames (group addressed privacy) */
static uint8_t own_mgtk_key_id;
static uint8_t published_key_id; /* own_mgtk_key_id for telemetry (atomic) */
static struct mgmt_link *links;
static unsigned n_links;
static uint64_t own_ipn; /* BIP: announced in our Opens; we send no BIP frames */
static uint16_t auth_seq;
static int rx_port = -1; /* the frame being handled: SAE answers go out its port */
static struct security_counters c, published;
static struct secure_counters sec_published;
static struct sae_counters sae_published;

bool security_on(void)
{
	return sec != NULL;
}

int security_read_password(const char *path, uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* The mesh's whole security is this secret: refuse a file others could have read or written. */
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: owned by uid %u, neither root nor us: chown it", path, (unsigned)st.st_uid);
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: open to group or others (mode %04o): chmod 600 it", path,
			 (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	n = read(fd, out, cap);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if ((size_t)n == cap) {
		mesh_wipe(out, cap);
		snprintf(err, errlen, "%s: longer than %zu octets", path, cap - 1);
		return -1;
	}
	if (n > 0 && out[n - 1] == '\n')
		n--;
	if (n > 0 && out[n - 1] == '\r')
		n--;
	if (n == 0) {
		snprintf(err, errlen, "%s: empty (the mesh's password goes in it, one line)", path);
		return -1;
	}
	if (memchr(out, '\0', (size_t)n) != NULL || memchr(out, '\n', (size_t)n) != NULL) {
		mesh_wipe(out, cap);
		snprintf(err, errlen, "%s: holds a NUL or several lines; the password is one line of text", path);
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

static struct mgmt_link *link_find(const struct mac_addr *peer)
{
	for (unsigned i = 0; i < n_links; i++)
		if (links[i].used && mac_equal(&links[i].peer, peer))
			return &links[i];
	return NULL;
}

static void send_auth(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	const struct neighbour *n = neighbours_find_any(peer);
	uint8_t frame[MGMT_FRAME_MAX];
	struct mgmt_hdr h;
	int port = n != NULL ? (int)n->port : rx_port;
	int hl;

	(void)ctx;
	if (port < 0 || len > sizeof(frame) - HDR_LEN)
		return;
	memset(&h, 0, sizeof(h));
	h.fc0 = IEEE80211_FC0_AUTH;
	h.addr1 = *peer;
	h.addr2 = the_node.cfg.node.mesh_mac;
	h.addr3 = the_node.cfg.node.mesh_mac;
	h.seq_ctrl = (uint16_t)(auth_seq++ << 4);
	hl = mgmt_hdr_encode(frame, sizeof(frame), &h);
	if (hl < 0)
		return;
	memcpy(frame + hl, body, len);
	if (control_tx_80211((unsigned)port, frame, (size_t)hl + len) == 0)
		c.auth_frames_tx++;
}

static void on_authenticated(void *ctx, const struct mac_addr *peer, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	(void)ctx;
	LOG_INFO("peer %s: SAE accepted", mac_format(peer, mac));
	peering_authenticated(peer, now_ms);
}

static void on_auth_failed(void *ctx, const struct mac_addr *peer, uint16_t status, enum sae_failure why,
			   uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	(void)ctx;
	(void)now_ms;
	c.password_refused++;
	LOG_WARN("peer %s: SAE failed: %s (status %u)", mac_format(peer, mac), sae_failure_name(why), status);
}

static void send_group_key_frame(void *ctx, const struct mac_addr *peer, const uint8_t *frame, size_t len)
{
	const struct neighbour *n = neighbours_find_any(peer);

	(void)ctx;
	if (n != NULL)
		control_tx_80211(n->port, frame, len);
}

static uint64_t group_pn(void *ctx)
{
	(void)ctx;
	return link_keys_own_mgtk_pn();
}

static void on_peer_mgtk(void *ctx, const struct mac_addr *peer, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id,
			 uint64_t rsc)
{
	struct mgmt_link *l = link_find(peer);
	unsigned g = link_group_slot(key_id);
	char mac[MAC_STR_LEN];

	(void)ctx;
	if (l == NULL || link_keys_set_peer_mgtk(peer, mgtk, key_id, rsc) < 0)
		return;
	ccmp_key_set(engine, &l->mgtk[g], mgtk);
	l->mgtk_key_id[g] = key_id;
	l->rx_group_pn[g] = rsc;
	key_log_write("MGTK of", peer, mgtk, AMPE_MGTK_LEN);
	LOG_INFO("peer %s: its new MGTK (key ID %u) installed", mac_format(peer, mac), key_id);
}

static void on_own_mgtk(void *ctx, const uint8_t mgtk[AMPE_MGTK_LEN], uint8_t key_id)
{
	(void)ctx;
	link_keys_set_own_mgtk(mgtk, key_id);
	ccmp_key_set(engine, &own_mgtk, mgtk);
	own_mgtk_key_id = key_id;
	__atomic_store_n(&published_key_id, key_id, __ATOMIC_RELAXED);
	key_log_write("own MGTK", NULL, mgtk, AMPE_MGTK_LEN);
	LOG_INFO("MGTK refreshed: our group frames now go under key ID %u", key_id);
}

static void on_group_key_failed(void *ctx, const struct mac_addr *peer, uint64_t now_ms)
{
	char mac[MAC_STR_LEN];

	(void)ctx;
	(void)now_ms;
	LOG_WARN("peer %s: never acknowledged our new MGTK; closing the link (reason 58)", mac_format(peer, mac));
	peering_close_later(peer, WLAN_REASON_MESH_INVALID_GTK);
}

/* mesh.security static: the key table and our MGTK from the config; the static peers' links are keyed
 * as they are adopted (security_static_peer_up). */
static int static_init(const struct node_config *cfg)
{
	if (link_keys_init(true) < 0)
		return -1;
	link_keys_set_own_mgtk(cfg->mesh.static_mgtk, SECURE_MGTK_KEY_ID);
	__atomic_store_n(&published_key_id, SECURE_MGTK_KEY_ID, __ATOMIC_RELAXED);
	key_log_write("own MGTK", NULL, cfg->mesh.static_mgtk, CONFIG_STATIC_KEY_LEN);
	static_mode = true;
	LOG_WARN("**********************************************************************************");
	LOG_WARN("mesh.security \"static\": FOR BENCHMARKS AND TESTS ONLY. THIS IS NOT A SECURE MESH.");
	LOG_WARN("Every static peer's link uses the one MTK of mesh.static_keys, every node the one MGTK;");
	LOG_WARN("no SAE, no AMPE, keys never change, and management frames (HWMP) are not protected.");
	LOG_WARN("**********************************************************************************");
	LOG_NOTICE("static keys: CCMP-128 on mesh data with %u static peer(s); no other peering", cfg->n_static_peers);
	return 0;
}

int security_static_peer_up(const struct mac_addr *peer)
{
	const struct node_config *cfg = &the_node.cfg;
	struct secure_link_keys k;
	char mac[MAC_STR_LEN];

	if (!static_mode)
		return 0;
	memset(&k, 0, sizeof(k));
	k.peer = *peer;
	memcpy(k.mtk, cfg->mesh.static_mtk, sizeof(k.mtk));
	memcpy(k.peer_mgtk, cfg->mesh.static_mgtk, sizeof(k.peer_mgtk));
	k.peer_mgtk_key_id = SECURE_MGTK_KEY_ID;
	if (link_keys_install(&k) < 0) {
		c.keys_install_failed++;
		LOG_ERR("peer %s: its static keys could not be installed (its traffic is refused)", mac_format(peer, mac));
		mesh_wipe(&k, sizeof(k));
		return -1;
	}
	key_log_write("MTK with", peer, k.mtk, sizeof(k.mtk));
	key_log_write("MGTK of", peer, k.peer_mgtk, sizeof(k.peer_mgtk));
	mesh_wipe(&k, sizeof(k));
	c.keys_installed++;
	return 0;
}

void security_static_peer_down(const struct mac_addr *peer)
{
	if (static_mode)
		link_keys_remove(peer);
}

bool security_static(void)
{
	return static_mode;
}

int security_init(uint64_t now_ms)
{
	const struct node_config *cfg = &the_node.cfg;
	struct secure_callbacks cb = {.send_auth = send_auth, .authenticated = on_authenticated,
				      .auth_failed = on_auth_failed, .send_frame = send_group_key_frame,
				      .group_pn = group_pn, .peer_mgtk = on_peer_mgtk, .own_mgtk = on_own_mgtk,
				      .group_key_failed = on_group_key_failed};
	uint8_t password[SAE_MAX_PASSWORD_LEN + 1];
	struct secure_params p;
	size_t pw_len = 0;
	char err[512];

	memset(&c, 0, sizeof(c));
	memset(&published, 0, sizeof(published));
	if (cfg->mesh.security == MESH_SECURITY_STATIC)
		return static_init(cfg);
	if (cfg->mesh.security != MESH_SECURITY_SAE)
		return link_keys_init(false);
	if (security_read_password(cfg->mesh.password_file, password, sizeof(password), &pw_len, err, sizeof(err)) < 0) {
		LOG_ERR("mesh.password_file %s", err);
		return -1;
	}
	secure_params_default(&p);
	p.sae.self = cfg->node.mesh_mac;
	p.sae.password = password;
	p.sae.password_len = pw_len;
	mesh_id_set(&p.sae.mesh_id, cfg->mesh.mesh_id);
	p.sae.pwe = (enum sae_pwe_mode)cfg->sae.pwe;
	memset(p.sae.groups, 0, sizeof(p.sae.groups));
	for (unsigned i = 0; i < CONFIG_MAX_SAE_GROUPS && i < SAE_MAX_GROUPS; i++)
		p.sae.groups[i] = cfg->sae.groups[i];
	p.sae.retrans_ms = cfg->sae.retrans_ms;
	p.sae.sync_max = cfg->sae.sync;
	p.sae.anti_clogging_threshold = cfg->sae.anti_clogging_threshold;
	p.sae.max_sessions = cfg->sae.max_sessions;
	p.retry_backoff_ms = cfg->sae.retry_backoff_ms;
	p.max_links = cfg->peering.max_candidates;
	p.mgtk_refresh_ms = (uint64_t)cfg->sae.mgtk_refresh_s * 1000;
	sec = secure_create(&p, &cb, now_ms);
	mesh_wipe(password, sizeof(password));
	if (sec == NULL) {
		LOG_ERR("secure mesh: cannot set up SAE (no entropy, or the sae section is not usable)");
		return -1;
	}
	engine = ccmp_engine_create(NULL);
	n_links = cfg->mesh.max_peers;
	links = calloc(n_links, sizeof(*links));
	if (engine == NULL || links == NULL || link_keys_init(true) < 0) {
		LOG_ERR("secure mesh: cannot set up CCMP (intel-ipsec-mb, or no memory)");
		security_fini();
		return -1;
	}
	link_keys_set_own_mgtk(secure_own_mgtk(sec), secure_own_mgtk_key_id(sec));
	ccmp_key_set(engine, &own_mgtk, secure_own_mgtk(sec));
	own_mgtk_key_id = secure_own_mgtk_key_id(sec);
	__atomic_store_n(&published_key_id, own_mgtk_key_id, __ATOMIC_RELAXED);
	key_log_write("own MGTK", NULL, secure_own_mgtk(sec), AMPE_MGTK_LEN);
	LOG_NOTICE("secure mesh: SAE (groups %u%s%s, %s), AMPE, CCMP-128, BIP-CMAC-128", cfg->sae.groups[0],
		   cfg->sae.groups[1] ? " ..." : "", "", cfg->sae.pwe == 0 ? "hunting-and-pecking" :
		   cfg->sae.pwe == 1 ? "hash-to-element" : "both PWE methods");
	return 0;
}

void security_fini(void)
{
	secure_destroy(sec);
	sec = NULL;
	static_mode = false;
	__atomic_store_n(&published_key_id, 0, __ATOMIC_RELAXED);
	ccmp_engine_destroy(engine);
	engine = NULL;
	ccmp_key_wipe(&own_mgtk);
	if (links != NULL) {
		mesh_wipe(links, n_links * sizeof(*links));
		free(links);
		links = NULL;
	}
	n_links = 0;
	link_keys_free();
}

void security_candidate(const struct mac_addr *peer, uint64_t now_ms)
{
	if (sec != NULL)
		secure_start(sec, peer, now_ms);
}

void security_on_auth(unsigned port, const uint8_t *frame, size_t len, uint64_t now_ms)
{
	struct mgmt_hdr h;

	if (sec == NULL || mgmt_hdr_decode(frame, len, &h) < 0 || len < HDR_LEN + 2)
		return;
	if (!mac_equal(&h.addr1, &the_node.cfg.node.mesh_mac) || mac_is_group(&h.addr2) ||
	    mac_equal(&h.addr2, &the_node.cfg.node.mesh_mac)) {
		c.auth_not_for_us++;
		return;
	}
	if ((frame[HDR_LEN] | frame[HDR_LEN + 1] << 8) != AUTH_ALG_SAE) {
		c.auth_other_algorithm++;
		return;
	}
	c.auth_frames_rx++;
	rx_port = (int)port;
	secure_auth_rx(sec, &h.addr2, frame + HDR_LEN, len - HDR_LEN, now_ms);
	rx_port = -1;
}

void security_tick(uint64_t now_ms)
{
	if (sec != NULL && secure_next_deadline(sec) <= now_ms)
		secure_tick(sec, now_ms);
	/* Static keys count their installs too. */
	for (size_t i = 0; i < sizeof(c) / sizeof(uint64_t); i++)
		__atomic_store_n(&((uint64_t *)&published)[i], ((const uint64_t *)&c)[i], __ATOMIC_RELAXED);
	if (sec == NULL)
		return;
	for (size_t i = 0; i < sizeof(sec_published) / sizeof(uint64_t); i++)
		__atomic_store_n(&((uint64_t *)&sec_published)[i], ((const uint64_t *)secure_get_counters(sec))[i],
				 __ATOMIC_RELAXED);
	for (size_t i = 0; i < sizeof(sae_published) / sizeof(uint64_t); i++)
		__atomic_store_n(&((uint64_t *)&sae_published)[i], ((const uint64_t *)secure_sae_counters(sec))[i],
				 __ATOMIC_RELAXED);
}

bool security_authenticated(const struct mac_addr *peer)
{
	return sec != NULL && secure_authenticated(sec, peer);
}

int security_fill_pmkid(const struct mac_addr *peer, struct peering_mgmt_ie *ie)
{
	if (sec == NULL || secure_pmkid(sec, peer, ie->pmkid) < 0)
		return -1;
	ie->has_pmkid = true;
	return 0;
}

int security_protect_peering(const struct mac_addr *peer, uint8_t *frame, size_t *len, size_t cap)
{
	return sec == NULL ? -1 : secure_protect(sec, peer, frame, len, cap, link_keys_own_mgtk_pn(), own_ipn);
}

int security_verify_peering(const struct mac_addr *peer, const uint8_t *frame, size_t len,
			    const struct peering_mgmt_ie *mpm)
{
	return sec == NULL ? -1 : secure_verify(sec, peer, frame, len, mpm);
}

int security_link_up(const struct mac_addr *peer, uint16_t llid, uint16_t plid)
{
	struct secure_link_keys k;
	struct mgmt_link *l = link_find(peer);
	char mac[MAC_STR_LEN];

	if (sec == NULL)
		return 0;
	if (secure_link_keys(sec, peer, llid, plid, &k) < 0 || link_keys_install(&k) < 0) {
		c.keys_install_failed++;
		LOG_WARN("peer %s: established but not keyed (no AMPE keys from it)", mac_format(peer, mac));
		mesh_wipe(&k, sizeof(k));
		return -1;
	}
	for (unsigned i = 0; l == NULL && i < n_links; i++)
		if (!links[i].used)
			l = &links[i];
	if (l == NULL) {
		c.keys_install_failed++;
		link_keys_remove(peer);
		mesh_wipe(&k, sizeof(k));
		return -1;
	}
	memset(l, 0, sizeof(*l));
	l->used = true;
	l->peer = *peer;
	ccmp_key_set(engine, &l->mtk, k.mtk);
	key_log_write("MTK with", peer, k.mtk, AMPE_MTK_LEN);
	key_log_write("MGTK of", peer, k.peer_mgtk, AMPE_MGTK_LEN);
	if (k.peer_mgtk_key_id == 1 || k.peer_mgtk_key_id == 2) {
		unsigned g = link_group_slot(k.peer_mgtk_key_id);

		ccmp_key_set(engine, &l->mgtk[g], k.peer_mgtk);
		l->mgtk_key_id[g] = k.peer_mgtk_key_id;
		l->rx_group_pn[g] = k.peer_mgtk_rsc;
	}
	l->has_igtk = k.has_peer_igtk;
	memcpy(l->igtk, k.peer_igtk, sizeof(l->igtk));
	l->igtk_key_id = k.peer_igtk_key_id;
	l->rx_ipn = k.peer_ipn;
	mesh_wipe(&k, sizeof(k));
	c.keys_installed++;
	return 0;
}

void security_link_down(const struct mac_addr *peer)
{
	struct mgmt_link *l;

	if (sec == NULL)
		return;
	secure_link_down(sec, peer);
	link_keys_remove(peer);
	l = link_find(peer);
	if (l != NULL)
		mesh_wipe(l, sizeof(*l));
}

void security_forget(const struct mac_addr *peer)
{
	if (sec == NULL)
		return;
	security_link_down(peer);
	secure_forget(sec, peer);
}

/* CCMP in place on a management frame whose body follows its 24-octet header. */
static int protect_in_place(const struct ccmp_key *key, uint8_t *frame, size_t *len, size_t cap, uint64_t pn,
			    uint8_t key_id)
{
	if (pn == 0 || *len + CCMP_OVERHEAD > cap)
		return -1;
	memmove(frame + HDR_LEN + CCMP_HDR_LEN, frame + HDR_LEN, *len - HDR_LEN);
	if (ccmp_encrypt(engine, key, frame, HDR_LEN, *len - HDR_LEN, pn, key_id) != 0)
		return -1;
	*len += CCMP_OVERHEAD;
	return 0;
}

int security_protect_mgmt(uint8_t *frame, size_t *len, size_t cap)
{
	struct mac_addr a1;
	struct mgmt_link *l;

	if (sec == NULL)
		return 0;
	if (*len < HDR_LEN + 1)
		return -1;
	mac_read(&a1, frame + 4);
	/* Group addressed Mesh action frames get group addressed privacy: CCMP under our MGTK, with the
	 * group data frames' packet numbers (mac80211's ieee80211_is_group_privacy_action; 802.11-2016
	 * leaves BIP to the other group addressed robust management frames). */
	if (mac_is_group(&a1)) {
		if (protect_in_place(&own_mgtk, frame, len, cap, link_keys_next_group_pn(), own_mgtk_key_id) < 0)
			return -1;
		c.mgmt_group_tx++;
		return 0;
	}
	l = link_find(&a1);
	if (l == NULL || protect_in_place(&l->mtk, frame, len, cap, link_keys_next_pn(&a1), 0) < 0)
		return -1;
	c.mgmt_protected_tx++;
	return 0;
}

bool security_accept_mgmt(uint8_t **framep, size_t *len)
{
	uint8_t *frame = *framep;
	struct mac_addr a1, a2;
	struct mgmt_link *l;
	uint64_t pn, hdr_pn;
	uint8_t key_id;
	bool group;

	if (sec == NULL)
		return true;
	if (*len < HDR_LEN + 1)
		return false;
	mac_read(&a1, frame + 4);
	mac_read(&a2, frame + 10);
	group = mac_is_group(&a1);
	l = link_find(&a2);
	if (frame[1] & FC1_PROTECTED) {
		const struct ccmp_key *key;
		uint64_t *last;

		if (l == NULL || *len < HDR_LEN + CCMP_OVERHEAD || ccmp_hdr_read(frame + HDR_LEN, &hdr_pn, &key_id) < 0 ||
		    (group ? key_id == 0 || l->mgtk_key_id[link_group_slot(key_id)] != key_id : key_id != 0)) {
			c.mgmt_no_key++;
			return false;
		}
		key = group ? &l->mgtk[link_group_slot(key_id)] : &l->mtk;
		last = group ? &l->rx_group_pn[link_group_slot(key_id)] : &l->rx_pn;
		if (hdr_pn <= *last) {
			c.mgmt_replay++;
			return false;
		}
		if (ccmp_decrypt(engine, key, frame, HDR_LEN, *len, &pn) != 0) {
			c.mgmt_mic_failure++;
			return false;
		}
		*last = pn;
		/* The header moves up over the CCMP header: the frame reads as a plain one. */
		memmove(frame + CCMP_HDR_LEN, frame, HDR_LEN);
		frame += CCMP_HDR_LEN;
		frame[1] &= (uint8_t)~FC1_PROTECTED;
		*len -= CCMP_OVERHEAD;
		*framep = frame;
		if (group)
			c.mgmt_group_decrypted++;
		else
			c.mgmt_decrypted++;
		return true;
	}
	if (!group) {
		c.mgmt_unprotected++;
		return false;
	}
	{
		/* A group frame under BIP instead (what 802.11 uses for other group robust management frames):
		 * taken too, from a peer whose IGTK we have. */
		uint16_t bip_key_id;
		uint64_t ipn;

		if (bip_mmie_read(frame, *len, &bip_key_id, &ipn) < 0) {
			c.mgmt_unprotected++;
			return false;
		}
		if (l == NULL || !l->has_igtk || bip_key_id != l->igtk_key_id) {
			c.mgmt_no_key++;
			return false;
		}
		if (bip_verify(l->igtk, frame, *len) != 0) {
			c.mgmt_mic_failure++;
			return false;
		}
		if (ipn <= l->rx_ipn) {
			c.mgmt_replay++;
			return false;
		}
		l->rx_ipn = ipn;
		*len -= BIP_MMIE_LEN;
		c.mgmt_bip_verified++;
		return true;
	}
}

void security_peer_ext(const struct mac_addr *peer, uint8_t ext_flags, uint8_t mgtk_key_id, uint64_t replay)
{
	if (sec != NULL)
		secure_peer_ext(sec, peer, (ext_flags & MESH_EXT_MGK) != 0, mgtk_key_id, replay);
}

uint8_t security_prepare_open(const struct mac_addr *peer, uint64_t now_ms, uint64_t *replay)
{
	*replay = 0;
	return sec == NULL ? 0 : secure_prepare_open(sec, peer, now_ms, replay);
}

void security_on_group_key(const struct mac_addr *peer, const uint8_t *frame, size_t len, uint64_t now_ms)
{
	if (sec != NULL)
		secure_group_key_rx(sec, peer, frame, len, now_ms);
}

uint8_t security_mgtk_key_id(void)
{
	return __atomic_load_n(&published_key_id, __ATOMIC_RELAXED);
}

void security_counters(struct security_counters *out, struct secure_counters *secc, struct sae_counters *saec)
{
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		((uint64_t *)out)[i] = __atomic_load_n(&((uint64_t *)&published)[i], __ATOMIC_RELAXED);
	for (size_t i = 0; i < sizeof(*secc) / sizeof(uint64_t); i++)
		((uint64_t *)secc)[i] = __atomic_load_n(&((uint64_t *)&sec_published)[i], __ATOMIC_RELAXED);
	for (size_t i = 0; i < sizeof(*saec) / sizeof(uint64_t); i++)
		((uint64_t *)saec)[i] = __atomic_load_n(&((uint64_t *)&sae_published)[i], __ATOMIC_RELAXED);
}

bool security_peer_info(const struct mac_addr *peer, struct sae_peer_info *out, bool *authenticated, bool *keyed)
{
	if (sec == NULL)
		return false;
	*authenticated = secure_authenticated(sec, peer);
	*keyed = link_find(peer) != NULL;
	if (!secure_sae_peer(sec, peer, out))
		memset(out, 0, sizeof(*out));
	return true;
}
