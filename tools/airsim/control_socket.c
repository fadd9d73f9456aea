#include "control_socket.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control_cmd.h"
#include "log.h"

static int make_address(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/* A socket file left by a killed airsim refuses connections: remove it. A live one answers: keep
 * it, so a second airsim cannot steal a running lab's control path. */
static int clear_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (ret == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	return unlink(path);
}

int control_server_open(struct control_server *s, const char *path)
{
	struct sockaddr_un sun;

	s->listen_fd = -1;
	for (unsigned i = 0; i < CONTROL_MAX_CLIENTS; i++)
		s->clients[i] = -1;
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (make_address(path, &sun) < 0 || clear_stale(path, &sun) < 0)
		goto fail;
	s->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(s->listen_fd, CONTROL_MAX_CLIENTS) < 0)
		goto fail;
	return 0;
fail:
	LOG_ERR("airsim: control socket %s: %s", path, strerror(errno));
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	s->path[0] = '\0'; /* not ours: never unlink it */
	return -1;
}

unsigned control_server_pollfds(const struct control_server *s, struct pollfd *pfds, unsigned max)
{
	unsigned n = 0;

	if (s->listen_fd >= 0 && n < max)
		pfds[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
	for (unsigned i = 0; i < CONTROL_MAX_CLIENTS && n < max; i++)
		if (s->clients[i] >= 0)
			pfds[n++] = (struct pollfd){.fd = s->clients[i], .events = POLLIN};
	return n;
}

static void accept_client(struct control_server *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (unsigned i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (s->clients[i] < 0) {
			s->clients[i] = fd;
			return;
		}
	/* Full: tell the client rather than leave it waiting for a reply that never comes. */
	send(fd, "error: too many control clients", 31, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/* Serves one message of a client; false when the client is gone or misbehaved. */
static bool serve_client(int fd, control_handler handler, void *ctx)
{
	char cmd[CONTROL_CMD_MAX + 2];
	ssize_t n = recv(fd, cmd, sizeof(cmd) - 1, MSG_DONTWAIT);
	char *reply;
	bool ok;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0)
		return false;
	cmd[n] = '\0';
	/* recv cut a longer message: answer with the length error instead of running a truncated one. */
	reply = (size_t)n > CONTROL_CMD_MAX ? strdup("error: command too long") : handler(ctx, cmd);
	if (reply == NULL)
		reply = strdup("error: out of memory");
	/* Never block the relay on a slow client: a reply the socket cannot take now drops the client. */
	ok = reply != NULL && send(fd, reply, strlen(reply), MSG_DONTWAIT | MSG_NOSIGNAL) >= 0;
	free(reply);
	return ok;
}

void control_server_process(struct control_server *s, const struct pollfd *pfds, unsigned n,
			    control_handler handler, void *ctx)
{
	for (unsigned p = 0; p < n; p++) {
		if (pfds[p].revents == 0)
			continue;
		if (pfds[p].fd == s->listen_fd) {
			accept_client(s);
			continue;
		}
		for (unsigned i = 0; i < CONTROL_MAX_CLIENTS; i++) {
			if (s->clients[i] != pfds[p].fd)
				continue;
			if (!serve_client(s->clients[i], handler, ctx)) {
				close(s->clients[i]);
				s->clients[i] = -1;
			}
		}
	}
}

void control_server_close(struct control_server *s)
{
	for (unsigned i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (s->clients[i] >= 0) {
			close(s->clients[i]);
			s->clients[i] = -1;
		}
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		s->listen_fd = -1;
	}
	if (s->path[0] != '\0')
		unlink(s->path);
	s->path[0] = '\0';
}

char *control_request(const char *path, const char *command, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	char *reply = NULL;
	ssize_t n;
	int fd;

	if (make_address(path, &sun) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    send(fd, command, strlen(command), MSG_NOSIGNAL) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	pfd = (struct pollfd){.fd = fd, .events = POLLIN};
	n = poll(&pfd, 1, timeout_ms);
	if (n <= 0) {
		snprintf(err, errlen, "%s: %s", path, n == 0 ? "no reply (timeout)" : strerror(errno));
		goto out;
	}
	reply = malloc(CONTROL_MAX_REPLY + 1);
	if (reply == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	n = recv(fd, reply, CONTROL_MAX_REPLY, 0);
	if (n <= 0) {
		snprintf(err, errlen, "%s: %s", path, n == 0 ? "closed without a reply" : strerror(errno));
		free(reply);
		reply = NULL;
		goto out;
	}
	reply[n] = '\0';
out:
	if (fd >= 0)
		close(fd);
	return reply;
}
