/* The control channel: an AF_UNIX SOCK_SEQPACKET socket at a file path (paths, unlike abstract
 * names, reach across network namespaces), one command per message, one reply per message. */
#ifndef AIRSIM_CONTROL_SOCKET_H
#define AIRSIM_CONTROL_SOCKET_H

#include <poll.h>
#include <stddef.h>

#define CONTROL_MAX_CLIENTS 8
/* Largest reply a client reads: the stats of MEDIUM_MAX_NODES nodes fit with room to spare. */
#define CONTROL_MAX_REPLY (256 * 1024)

struct control_server {
	int listen_fd;
	int clients[CONTROL_MAX_CLIENTS]; /* -1 when free */
	char path[108];                   /* sun_path, for unlink on close */
};

/* Turns one command into a malloc'ed reply (or NULL); see control_cmd_execute. */
typedef char *(*control_handler)(void *ctx, const char *command);

/* Listens at path, replacing a stale socket file but refusing a live one; 0 or -1 (logged). */
int control_server_open(struct control_server *s, const char *path);

/* Fills up to max pollfds for the listener and clients; returns how many. */
unsigned control_server_pollfds(const struct control_server *s, struct pollfd *pfds, unsigned max);

/* Handles the events of the pollfds control_server_pollfds filled: accepts, reads commands, replies. */
void control_server_process(struct control_server *s, const struct pollfd *pfds, unsigned n,
			    control_handler handler, void *ctx);

/* Closes every socket and removes the socket file. */
void control_server_close(struct control_server *s);

/* Client side: sends command to the server at path and waits up to timeout_ms for the reply;
 * returns it malloc'ed, or NULL with a reason in err. */
char *control_request(const char *path, const char *command, int timeout_ms, char *err, size_t errlen);

#endif
