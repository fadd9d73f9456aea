#include "metrics_http.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "metrics.h"
#include "telemetry_client.h"

#define REQUEST_MAX 8192
#define ERR_LEN 512

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* "host:port", "[v6]:port" or ":port" into a bound, listening socket. */
static int open_listener(const char *spec, char *err, size_t errlen)
{
	char host[256], *colon;
	const char *port;
	struct addrinfo hints, *res, *ai;
	int fd = -1, one = 1, rc;

	if (strlen(spec) >= sizeof(host)) {
		snprintf(err, errlen, "--listen %s: too long", spec);
		return -1;
	}
	snprintf(host, sizeof(host), "%s", spec);
	colon = strrchr(host, ':');
	if (colon == NULL || colon[1] == '\0') {
		snprintf(err, errlen, "--listen %s: expected ADDR:PORT (e.g. 127.0.0.1:9464)", spec);
		return -1;
	}
	*colon = '\0';
	port = colon + 1;
	if (host[0] == '[' && colon > host + 1 && colon[-1] == ']') {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "--listen %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
			break;
		snprintf(err, errlen, "--listen %s: %s", spec, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static void send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void respond(int fd, const char *status, const char *type, const char *body, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
			 type, len);

	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

/* The node's metrics now, or 503 with the reason (the node is down or restarting). */
static void scrape(int fd, const char *node)
{
	struct telemetry_client c;
	char err[ERR_LEN] = "";
	char *body = NULL;
	size_t len = 0;
	FILE *out;

	if (telemetry_connect(&c, node, err, sizeof(err)) < 0) {
		respond(fd, "503 Service Unavailable", "text/plain", err, strlen(err));
		return;
	}
	out = open_memstream(&body, &len);
	if (out == NULL || metrics_write(&c, out, err, sizeof(err)) < 0) {
		if (out != NULL)
			fclose(out);
		free(body);
		telemetry_close(&c);
		respond(fd, "503 Service Unavailable", "text/plain", err, strlen(err));
		return;
	}
	fclose(out);
	telemetry_close(&c);
	respond(fd, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body, len);
	free(body);
}

/* One connection: one request (headers read to their end, within REQUEST_MAX and 2 s), one reply. */
static void serve(int fd, const char *node)
{
	struct timeval tv = {.tv_sec = 2};
	char req[REQUEST_MAX + 1];
	size_t len = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (len < REQUEST_MAX) {
		ssize_t n = recv(fd, req + len, REQUEST_MAX - len, 0);

		if (n <= 0)
			return;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL || strstr(req, "\n\n") != NULL)
			break;
	}
	if (len == REQUEST_MAX) {
		respond(fd, "431 Request Header Fields Too Large", "text/plain", "", 0);
		return;
	}
	if (strncmp(req, "GET ", 4) != 0) {
		respond(fd, "405 Method Not Allowed", "text/plain", "GET /metrics\n", 13);
		return;
	}
	if (strncmp(req + 4, "/metrics ", 9) != 0 && strncmp(req + 4, "/metrics?", 9) != 0) {
		respond(fd, "404 Not Found", "text/plain", "try /metrics\n", 13);
		return;
	}
	scrape(fd, node);
}

int metrics_listen(const char *node, const char *listen_addr, char *err, size_t errlen)
{
	struct sigaction sa;
	int lfd = open_listener(listen_addr, err, errlen);

	if (lfd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: accept returns on a signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "meshctl: serving %s's metrics on http://%s/metrics\n", node, listen_addr);
	while (!stop) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			snprintf(err, errlen, "--listen %s: accept: %s", listen_addr, strerror(errno));
			close(lfd);
			return -1;
		}
		serve(fd, node);
		close(fd);
	}
	close(lfd);
	return 0;
}
