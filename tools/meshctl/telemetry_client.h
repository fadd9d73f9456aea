/* A client of DPDK's telemetry socket (v2): /var/run/dpdk/<prefix>/dpdk_telemetry.v2, SOCK_SEQPACKET,
 * one JSON reply per command. */
#ifndef MESHCTL_TELEMETRY_CLIENT_H
#define MESHCTL_TELEMETRY_CLIENT_H

#include <jansson.h>

struct telemetry_client {
	int fd;
	size_t max_output_len; /* from the greeting */
};

/* Connects to the node with this file prefix (runtime dir from $RUNTIME_DIR or /var/run/dpdk);
 * 0, or -1 with a message in err. */
int telemetry_connect(struct telemetry_client *c, const char *prefix, char *err, size_t errlen);

/* Sends "cmd[,params]" and returns the reply's value for that command (new reference), or NULL with
 * a message in err (no reply, bad JSON, or the node does not know the command). */
json_t *telemetry_request(struct telemetry_client *c, const char *cmd, const char *params, char *err, size_t errlen);

/* Closes the connection. */
void telemetry_close(struct telemetry_client *c);

#endif
