#include "telemetry_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define GREETING_MAX 1024

int telemetry_connect(struct telemetry_client *c, const char *prefix, char *err, size_t errlen)
{
	const char *dir = getenv("MESHCTL_RUNTIME_DIR") ? getenv("MESHCTL_RUNTIME_DIR") : "/var/run/dpdk";
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char greeting[GREETING_MAX + 1];
	json_t *hello;
	ssize_t n;

	c->fd = -1;
	if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s/dpdk_telemetry.v2", dir, prefix) >=
	    sizeof(addr.sun_path)) {
		snprintf(err, errlen, "node \"%s\": socket path too long", prefix);
		return -1;
	}
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		snprintf(err, errlen, "node \"%s\": cannot connect to %s: %s (is meshplane running with "
			 "node.file_prefix \"%s\"?)", prefix, addr.sun_path, strerror(errno), prefix);
		telemetry_close(c);
		return -1;
	}
	n = recv(c->fd, greeting, GREETING_MAX, 0);
	if (n <= 0) {
		snprintf(err, errlen, "node \"%s\": no greeting on %s", prefix, addr.sun_path);
		telemetry_close(c);
		return -1;
	}
	greeting[n] = '\0';
	hello = json_loads(greeting, 0, NULL);
	c->max_output_len = 16384;
	if (hello != NULL && json_is_integer(json_object_get(hello, "max_output_len")))
		c->max_output_len = (size_t)json_integer_value(json_object_get(hello, "max_output_len"));
	json_decref(hello);
	return 0;
}

json_t *telemetry_request(struct telemetry_client *c, const char *cmd, const char *params, char *err, size_t errlen)
{
	char request[256];
	char *reply = malloc(c->max_output_len + 1);
	json_t *root, *value = NULL;
	json_error_t jerr;
	ssize_t n;

	if (reply == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(request, sizeof(request), "%s%s%s", cmd, params ? "," : "", params ? params : "");
	if (send(c->fd, request, strlen(request), 0) < 0 || (n = recv(c->fd, reply, c->max_output_len, 0)) <= 0) {
		snprintf(err, errlen, "%s: no reply: %s", request, strerror(errno));
		free(reply);
		return NULL;
	}
	reply[n] = '\0';
	root = json_loads(reply, 0, &jerr);
	free(reply);
	if (root == NULL) {
		snprintf(err, errlen, "%s: bad JSON in reply: %s", request, jerr.text);
		return NULL;
	}
	value = json_object_get(root, cmd);
	if (value == NULL || json_is_null(value)) {
		snprintf(err, errlen, "%s: the node does not answer this command (older meshplane, or a bad parameter)",
			 request);
		json_decref(root);
		return NULL;
	}
	json_incref(value);
	json_decref(root);
	return value;
}

void telemetry_close(struct telemetry_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
