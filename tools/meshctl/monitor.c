#include "monitor.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : "?";
}

static long long num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The wall-clock time the event happened: now less its age, as "2026-12-01T22:13:05.123". */
static void event_time(long long age_ms, char *out, size_t len)
{
	struct timeval tv;
	struct tm tm;
	long long ms;
	time_t secs;

	gettimeofday(&tv, NULL);
	ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000 - age_ms;
	secs = (time_t)(ms / 1000);
	localtime_r(&secs, &tm);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* A station's place: a port of ours or another mesh node. */
static const char *place(json_t *ev, const char *port_key, const char *node_key)
{
	return json_object_get(ev, port_key) != NULL ? str(ev, port_key) : str(ev, node_key);
}

/* One line in the manner of `iw event`: what happened, then its details. */
static void print_text(json_t *ev, const char *when)
{
	const char *type = str(ev, "event");

	printf("%s ", when);
	if (strcmp(type, "peer_up") == 0)
		printf("peer %s up on %s (metric %lld)\n", str(ev, "peer"), str(ev, "port"), num(ev, "metric"));
	else if (strcmp(type, "peer_down") == 0)
		printf("peer %s down on %s\n", str(ev, "peer"), str(ev, "port"));
	else if (strcmp(type, "peer_moved") == 0)
		printf("peer %s moved from %s to %s (metric %lld -> %lld)\n", str(ev, "peer"), str(ev, "from_port"),
		       str(ev, "port"), num(ev, "old_metric"), num(ev, "metric"));
	else if (strcmp(type, "path_new") == 0)
		printf("path %s: new, next hop %s on %s, metric %lld, %lld hops\n", str(ev, "dest"), str(ev, "next_hop"),
		       str(ev, "port"), num(ev, "metric"), num(ev, "hops"));
	else if (strcmp(type, "path_changed") == 0 && strcmp(str(ev, "old_next_hop"), str(ev, "next_hop")) == 0)
		printf("path %s: metric %lld -> %lld, next hop %s on %s, %lld hops\n", str(ev, "dest"), num(ev, "old_metric"),
		       num(ev, "metric"), str(ev, "next_hop"), str(ev, "port"), num(ev, "hops"));
	else if (strcmp(type, "path_changed") == 0)
		printf("path %s: next hop %s -> %s on %s, metric %lld -> %lld, %lld hops\n", str(ev, "dest"),
		       str(ev, "old_next_hop"), str(ev, "next_hop"), str(ev, "port"), num(ev, "old_metric"),
		       num(ev, "metric"), num(ev, "hops"));
	else if (strcmp(type, "path_removed") == 0)
		printf("path %s: removed (next hop was %s, metric %lld)\n", str(ev, "dest"), str(ev, "old_next_hop"),
		       num(ev, "old_metric"));
	else if (strcmp(type, "discovery_failed") == 0)
		printf("path %s: discovery failed (frames waiting for it dropped)\n", str(ev, "dest"));
	else if (strcmp(type, "station_connected") == 0)
		printf("station %s connected on %s\n", str(ev, "station"), str(ev, "port"));
	else if (strcmp(type, "station_disconnected") == 0)
		printf("station %s disconnected from %s\n", str(ev, "station"), str(ev, "port"));
	else if (strcmp(type, "station_moved") == 0)
		printf("station %s moved from %s to %s\n", str(ev, "station"), place(ev, "from_port", "from_node"),
		       place(ev, "to_port", "to_node"));
	else if (strcmp(type, "station_steered") == 0)
		printf("station %s steered away: deauthenticated on %s (it roamed)\n", str(ev, "station"),
		       str(ev, "port"));
	else if (strcmp(type, "link_down") == 0 || strcmp(type, "link_up") == 0)
		printf("port %s: carrier %s\n", str(ev, "port"), type[5] == 'd' ? "down" : "up");
	else
		printf("%s\n", type); /* a newer node's event: at least its name */
}

static void print_event(json_t *ev, const struct monitor_options *opt)
{
	char when[64];

	event_time(num(ev, "age_ms"), when, sizeof(when));
	if (opt->json) {
		json_object_set_new(ev, "time", json_string(when));
		json_object_del(ev, "age_ms"); /* relative to a reply the reader never saw */
		json_dumpf(ev, stdout, JSON_COMPACT | JSON_SORT_KEYS);
		putchar('\n');
	} else {
		print_text(ev, when);
	}
}

/* Asks for the events from *next on and prints them; returns how many, or -1. *more is set when
 * the node holds further events already. */
static long poll_once(struct telemetry_client *c, const struct monitor_options *opt, unsigned long long *next,
		      long limit, bool *more, char *err, size_t errlen)
{
	char params[32];
	bool print = limit > 0;
	json_t *r;
	long n = 0;

	snprintf(params, sizeof(params), "%llu", *next);
	r = telemetry_request(c, "/meshplane/events", params, err, errlen);
	if (r == NULL)
		return -1;
	if (print && num(r, "lost") > 0) {
		if (opt->json)
			printf("{\"event\":\"lost\",\"count\":%lld}\n", num(r, "lost"));
		else
			printf("(%lld events lost: the node logged them faster than they were read)\n", num(r, "lost"));
	}
	for (unsigned long long seq = *next; n < limit && seq < (unsigned long long)num(r, "next_seq"); seq++) {
		char key[32];
		json_t *ev;

		snprintf(key, sizeof(key), "%llu", seq);
		ev = json_object_get(r, key);
		if (ev != NULL) {
			print_event(ev, opt);
			n++;
		}
	}
	*next = (unsigned long long)num(r, "next_seq");
	*more = *next < (unsigned long long)num(r, "head_seq");
	json_decref(r);
	fflush(stdout);
	return n;
}

int monitor_run(struct telemetry_client *c, const struct monitor_options *opt, char *err, size_t errlen)
{
	struct sigaction sa;
	/* From now on, unless the history is wanted: a seq past the end makes the node answer with the
	 * present one. */
	unsigned long long next = opt->history ? 0 : ~0ull;
	long seen = 0;
	bool more = false;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!opt->history && poll_once(c, opt, &next, 0, &more, err, errlen) < 0)
		return -1;
	while (!stop) {
		long n = poll_once(c, opt, &next, opt->max_events > 0 ? opt->max_events - seen : LONG_MAX, &more, err,
				   errlen);

		if (n < 0)
			return stop ? 0 : -1;
		seen += n;
		if (opt->max_events > 0 && seen >= opt->max_events)
			return 0;
		if (!more)
			usleep(opt->poll_ms * 1000);
	}
	return 0;
}
