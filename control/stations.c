#include "stations.h"

#include <string.h>

#include "control.h"
#include "events.h"

static struct station table[STATIONS_MAX];
static bool used[STATIONS_MAX];

static struct station *find_or_add(const struct mac_addr *mac)
{
	int free_slot = -1;

	for (unsigned i = 0; i < STATIONS_MAX; i++) {
		if (used[i] && mac_equal(&table[i].mac, mac))
			return &table[i];
		if (!used[i] && free_slot < 0)
			free_slot = (int)i;
	}
	if (free_slot < 0) {
		control_count(CONTROL_stations_refused);
		return NULL;
	}
	used[free_slot] = true;
	memset(&table[free_slot], 0, sizeof(table[free_slot]));
	table[free_slot].mac = *mac;
	return &table[free_slot];
}

/* A station we knew is somewhere else now (s still says where it was). */
static void log_move(const struct station *s, unsigned port, const struct mac_addr *node, uint64_t now_ms)
{
	struct event_body e = {.time_ms = now_ms, .type = EVENT_station_moved, .mac = s->mac,
			       .port = node == NULL ? (uint8_t)port : EVENT_NO_PORT,
			       .old_port = s->local ? s->port : EVENT_NO_PORT};

	if (s->since_ms == 0)
		return; /* new to us: nothing moved */
	if (!s->local)
		e.old_addr = s->node;
	if (node != NULL)
		e.addr = *node;
	events_log(&e);
}

void stations_set_local(const struct mac_addr *mac, unsigned port, uint64_t now_ms)
{
	struct station *s = find_or_add(mac);

	if (s == NULL || (s->local && s->port == port && s->since_ms != 0))
		return;
	log_move(s, port, NULL, now_ms);
	s->local = true;
	s->port = (uint8_t)port;
	s->since_ms = now_ms;
}

void stations_set_remote(const struct mac_addr *mac, const struct mac_addr *node, uint64_t now_ms)
{
	struct station *s = find_or_add(mac);

	if (s == NULL || (!s->local && mac_equal(&s->node, node) && s->since_ms != 0))
		return;
	log_move(s, 0, node, now_ms);
	s->local = false;
	s->node = *node;
	s->since_ms = now_ms;
}

void stations_remove(const struct mac_addr *mac)
{
	for (unsigned i = 0; i < STATIONS_MAX; i++)
		if (used[i] && mac_equal(&table[i].mac, mac))
			used[i] = false;
}

const struct station *stations_find(const struct mac_addr *mac)
{
	for (unsigned i = 0; i < STATIONS_MAX; i++)
		if (used[i] && mac_equal(&table[i].mac, mac))
			return &table[i];
	return NULL;
}

void stations_foreach(void (*fn)(void *arg, const struct station *s), void *arg)
{
	for (unsigned i = 0; i < STATIONS_MAX; i++)
		if (used[i])
			fn(arg, &table[i]);
}
