#include "echo.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "control.h"
#include "frame_class.h"
#include "hwmp_glue.h"
#include "mesh_data.h"
#include "mesh_echo.h"
#include "node.h"
#include "topology.h"
#include "topology_msg.h"
#include "tx.h"

#define PROBE_WAIT_MS 2000
/* A probe waits this long for HWMP to find a path before it is sent (or reported as no path). */
#define PROBE_PATH_WAIT_MS 1500

/* IDLE -> REQUESTED (telemetry) -> SENT (control) -> DONE (control) -> IDLE (telemetry). A telemetry
 * timeout takes REQUESTED or SENT back to IDLE by compare-and-swap, so the two never race. */
enum { IDLE = 0, REQUESTED, SENT, DONE };

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;
static struct mac_addr probe_dest;
static uint8_t probe_ttl;
static uint16_t probe_id, probe_seq;
static uint64_t probe_asked_ms;
static bool probe_path_asked;
static struct echo_result probe_result;

static uint64_t now_us(void)
{
	return (rte_get_tsc_cycles() - the_node.start_tsc) * 1000000 / rte_get_tsc_hz();
}

const char *echo_outcome_name(enum echo_outcome o)
{
	static const char *const names[] = {"reply", "ttl_exceeded", "timeout", "no_path"};

	return (unsigned)o < 4 ? names[o] : "?";
}

/* Sends an echo payload to mesh node dest along its path; -1 when there is none. */
static int send_echo(const struct mac_addr *dest, const struct mesh_echo *e, uint8_t ttl)
{
	const struct path_entry *p = mac_table_lookup(the_node.tables.paths, dest);
	uint8_t payload[MESH_ECHO_LEN];

	if (p == NULL || mesh_echo_encode(payload, sizeof(payload), e) < 0)
		return -1;
	return control_tx_mesh_data(p->port, &p->next_hop, dest, ttl, MESH_ECHO_ETHERTYPE, payload, sizeof(payload));
}

void echo_handle(unsigned port, struct rte_mbuf *m, uint64_t now_ms)
{
	const struct mac_addr *own = &the_node.cfg.node.mesh_mac;
	const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
	struct frame_view v;
	struct mesh_echo e;
	const uint8_t *body;
	size_t len;

	if (frame_classify_mesh(buf, rte_pktmbuf_data_len(m), the_node.cfg.ports[port].link, &v) !=
	    FRAME_CLASS_mesh_data_unicast) {
		control_count(CONTROL_echo_malformed);
		return;
	}
	body = buf + v.l2_off + v.data.body_off;
	len = v.l2_len - v.data.body_off;
	/* Topology announcements share the EtherType (and so the punt) and differ by their magic. */
	if (topology_msg_is(body, len)) {
		topology_handle(&v, body, len, now_ms);
		return;
	}
	if (mesh_echo_decode(body, len, &e) < 0) {
		control_count(CONTROL_echo_malformed);
		return;
	}
	if (!mac_equal(&v.data.addr3, own)) {
		/* A request whose TTL ran out here: tell its originator who we are. */
		if (e.type == MESH_ECHO_REQUEST) {
			e.type = MESH_ECHO_TTL_EXCEEDED;
			e.responder = *own;
			if (send_echo(&v.data.addr4, &e, the_node.cfg.mesh.ttl) < 0)
				hwmp_glue_need_path(&v.data.addr4, NULL, now_ms);
			control_count(CONTROL_echo_ttl_exceeded_tx);
		}
		return;
	}
	if (e.type == MESH_ECHO_REQUEST) {
		e.type = MESH_ECHO_REPLY;
		e.responder = *own;
		if (send_echo(&v.data.addr4, &e, the_node.cfg.mesh.ttl) < 0)
			hwmp_glue_need_path(&v.data.addr4, NULL, now_ms);
		control_count(CONTROL_echo_replies_tx);
		return;
	}
	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == SENT && e.id == probe_id && e.seq == probe_seq) {
		probe_result.outcome = e.type == MESH_ECHO_REPLY ? ECHO_REPLY : ECHO_TTL_EXCEEDED;
		probe_result.responder = e.responder;
		probe_result.rtt_us = (uint32_t)(now_us() - e.sent_us);
		int expected = SENT;

		__atomic_compare_exchange_n(&state, &expected, DONE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
}

void echo_serve(uint64_t now_ms)
{
	struct mesh_echo e;
	int expected = REQUESTED;

	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != REQUESTED)
		return;
	memset(&e, 0, sizeof(e));
	e.type = MESH_ECHO_REQUEST;
	e.ttl_sent = probe_ttl;
	e.id = probe_id;
	e.seq = probe_seq;
	e.sent_us = now_us();
	if (mac_table_lookup(the_node.tables.paths, &probe_dest) == NULL) {
		if (!probe_path_asked) {
			hwmp_glue_need_path(&probe_dest, NULL, now_ms);
			probe_path_asked = true;
		}
		if (now_ms - probe_asked_ms < PROBE_PATH_WAIT_MS)
			return;
		probe_result.outcome = ECHO_NO_PATH;
		__atomic_compare_exchange_n(&state, &expected, DONE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		return;
	}
	if (!__atomic_compare_exchange_n(&state, &expected, SENT, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	send_echo(&probe_dest, &e, probe_ttl);
	control_count(CONTROL_echo_requests_tx);
}

void echo_probe(const struct mac_addr *dest, uint8_t ttl, struct echo_result *out)
{
	static uint16_t next_seq;

	pthread_mutex_lock(&probe_lock);
	probe_dest = *dest;
	probe_ttl = ttl;
	probe_id = (uint16_t)getpid();
	probe_seq = next_seq++;
	probe_asked_ms = node_now_ms();
	probe_path_asked = false;
	memset(&probe_result, 0, sizeof(probe_result));
	probe_result.outcome = ECHO_TIMEOUT;
	__atomic_store_n(&state, REQUESTED, __ATOMIC_RELEASE);
	for (int i = 0; i < PROBE_WAIT_MS * 10; i++) {
		if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == DONE)
			break;
		usleep(100);
	}
	/* Take the probe back unless the control thread has just finished it. */
	for (int s = REQUESTED; s <= SENT; s++) {
		int expected = s;

		if (__atomic_compare_exchange_n(&state, &expected, IDLE, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			probe_result.outcome = ECHO_TIMEOUT;
	}
	*out = probe_result;
	__atomic_store_n(&state, IDLE, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&probe_lock);
}
