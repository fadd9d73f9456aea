/* vmlab-agent: runs shell commands for the host over the VM's virtio-serial control port.
 *
 *   vmlab-agent [PORT_NAME]      (default vmlab.ctl: the qemu virtserialport name)
 *
 * Protocol (byte stream; the host side is tools/vmlab/vmctl.py):
 *   host -> VM:  "X <id> <timeout_s> <len>\n" then <len> bytes: a command for /bin/sh -c
 *   VM -> host:  "R <id> <status> <outlen> <errlen>\n" then stdout, then stderr
 * status is the exit code, 128 + the signal number, or 124 after the timeout (the command's whole
 * process group is killed). Output beyond 16 MB per stream is cut. One command at a time. When the
 * command exits, output still arriving from processes it left behind is read for at most 100 ms
 * (background jobs should redirect their output). The host may disconnect at any time: a partial
 * request is then discarded, and a reply nobody reads is lost (the host matches replies by id). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT_MAX (16u << 20)
#define CMD_MAX (1u << 20)

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL) {
			perror("vmlab-agent: realloc");
			exit(1);
		}
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* /dev/vportNpM whose virtio-ports name is NAME. */
static int find_port(const char *name, char *path, size_t cap)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return -1;
	while (!found && (e = readdir(d)) != NULL) {
		char p[512], n[128];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/class/virtio-ports/%s/name", e->d_name);
		f = fopen(p, "r");
		if (f == NULL)
			continue;
		if (fgets(n, sizeof(n), f) != NULL) {
			n[strcspn(n, "\n")] = 0;
			if (strcmp(n, name) == 0) {
				snprintf(path, cap, "/dev/%s", e->d_name);
				found = 1;
			}
		}
		fclose(f);
	}
	closedir(d);
	return found ? 0 : -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				sleep_ms(10);
				continue;
			}
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Runs CMD; fills OUT and ERR; returns the status described above. */
static int run(const char *cmd, int timeout_s, struct buf *out, struct buf *err)
{
	int po[2], pe[2], status = 0, done = 0;
	int64_t deadline = now_ms() + (int64_t)timeout_s * 1000, drain_until = 0;
	pid_t pid;

	if (pipe(po) < 0 || pipe(pe) < 0)
		return 127;
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setsid();
		dup2(null, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		close(po[1]);
		close(pe[1]);
		close(null);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	int open_fds = 2, timed_out = 0;
	struct pollfd p[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};
	struct buf *dst[2] = {out, err};

	while (open_fds > 0) {
		int64_t now = now_ms(), wait = 50;
		char chunk[65536];

		if (!done) {
			int r = waitpid(pid, &status, WNOHANG);

			if (r == pid) {
				done = 1;
				drain_until = now + 100;
			} else if (now >= deadline) {
				kill(-pid, SIGKILL);
				timed_out = 1;
				waitpid(pid, &status, 0);
				done = 1;
				drain_until = now + 100;
			}
		}
		if (done && now >= drain_until)
			break;
		if (poll(p, 2, (int)wait) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(p[i].fd, chunk, sizeof(chunk));

			if (n > 0) {
				if (dst[i]->len + (size_t)n <= OUT_MAX)
					buf_add(dst[i], chunk, (size_t)n);
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
	if (!done) {
		waitpid(pid, &status, 0);
	}
	if (p[0].fd >= 0)
		close(p[0].fd);
	if (p[1].fd >= 0)
		close(p[1].fd);
	if (timed_out) {
		const char msg[] = "vmlab-agent: command timed out, killed\n";

		buf_add(err, msg, sizeof(msg) - 1);
		return 124;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 127;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "vmlab.ctl";
	char path[300];
	struct buf in = {0};
	int fd;

	signal(SIGPIPE, SIG_IGN);
	setenv("PATH", "/sbin:/bin:/usr/sbin:/usr/bin", 1);
	setenv("HOME", "/root", 1);
	for (int i = 0; find_port(name, path, sizeof(path)) < 0; i++) {
		if (i == 100)
			fprintf(stderr, "vmlab-agent: still no virtio port named %s\n", name);
		sleep_ms(100);
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vmlab-agent: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(stderr, "vmlab-agent: serving on %s\n", path);
	for (;;) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n <= 0) {
			/* 0: the host is not connected (EOF until it is): forget any partial request */
			if (n < 0 && errno == EINTR)
				continue;
			in.len = 0;
			sleep_ms(50);
			continue;
		}
		buf_add(&in, chunk, (size_t)n);
		for (;;) {
			char *nl = memchr(in.data, '\n', in.len);
			unsigned long id = 0, len = 0;
			int timeout = 0, used = 0;

			if (nl == NULL) {
				if (in.len > 256)
					in.len = 0; /* garbage */
				break;
			}
			*nl = 0;
			if (sscanf(in.data, "X %lu %d %lu%n", &id, &timeout, &len, &used) != 3 || len > CMD_MAX ||
			    timeout <= 0) {
				size_t skip = (size_t)(nl - in.data) + 1; /* resynchronise on the next line */

				memmove(in.data, in.data + skip, in.len - skip);
				in.len -= skip;
				continue;
			}
			size_t hdr = (size_t)(nl - in.data) + 1;

			if (in.len < hdr + len) {
				*nl = '\n';
				break;
			}
			char *cmd = malloc(len + 1);
			struct buf out = {0}, err = {0};
			char reply[128];
			int status;

			if (cmd == NULL)
				return 1;
			memcpy(cmd, in.data + hdr, len);
			cmd[len] = 0;
			memmove(in.data, in.data + hdr + len, in.len - hdr - len);
			in.len -= hdr + len;
			status = run(cmd, timeout, &out, &err);
			free(cmd);
			snprintf(reply, sizeof(reply), "R %lu %d %zu %zu\n", id, status, out.len, err.len);
			if (write_all(fd, reply, strlen(reply)) == 0 && write_all(fd, out.data, out.len) == 0)
				write_all(fd, err.data, err.len);
			free(out.data);
			free(err.data);
		}
	}
}
