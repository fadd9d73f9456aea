#include "nl.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint32_t nl_seq = 1;

int nl_open(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void nl_start(struct nl_msg *m, uint16_t family, uint8_t cmd, uint8_t version, uint16_t extra_flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | extra_flags);
	h->nlmsg_seq = nl_seq++;
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

int nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;
	size_t total = NLA_HDRLEN + len, aligned = NLA_ALIGN(total);

	if (m->len + aligned > sizeof(m->buf))
		return -1;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)total;
	if (len > 0)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + total, 0, aligned - total);
	m->len += aligned;
	return 0;
}

int nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	return nl_put(m, type, &v, sizeof(v));
}

int nl_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	return nl_put(m, type, s, strlen(s) + 1);
}

int nl_put_flag(struct nl_msg *m, uint16_t type)
{
	return nl_put(m, type, NULL, 0);
}

void nl_parse(const uint8_t *data, size_t len, nl_attr_cb cb, void *arg)
{
	size_t off = 0;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr a;

		memcpy(&a, data + off, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len)
			return;
		cb((uint16_t)(a.nla_type & NLA_TYPE_MASK), data + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN, arg);
		off += NLA_ALIGN(a.nla_len);
	}
}

int nl_transact(int fd, struct nl_msg *m, nl_attr_cb cb, void *arg)
{
	struct nlmsghdr *req = (struct nlmsghdr *)m->buf;
	static uint8_t rbuf[65536];
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};

	req->nlmsg_len = (uint32_t)m->len;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), 0);
		size_t off = 0;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (off + NLMSG_HDRLEN <= (size_t)n) {
			struct nlmsghdr h;

			memcpy(&h, rbuf + off, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > (size_t)n)
				return -EPROTO;
			if (h.nlmsg_seq == req->nlmsg_seq) {
				if (h.nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr e;

					if (h.nlmsg_len < NLMSG_HDRLEN + sizeof(e))
						return -EPROTO;
					memcpy(&e, rbuf + off + NLMSG_HDRLEN, sizeof(e));
					return e.error;
				}
				if (h.nlmsg_type == NLMSG_DONE)
					return 0;
				if (cb != NULL && h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
					nl_parse(rbuf + off + NLMSG_HDRLEN + GENL_HDRLEN,
						 h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, cb, arg);
			}
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
}

struct family_arg {
	int id;
};

static void family_cb(uint16_t type, const uint8_t *data, size_t len, void *arg)
{
	struct family_arg *f = arg;
	uint16_t id;

	if (type == CTRL_ATTR_FAMILY_ID && len >= sizeof(id)) {
		memcpy(&id, data, sizeof(id));
		f->id = id;
	}
}

int nl_family(int fd, const char *name)
{
	struct nl_msg m;
	struct family_arg f = {-ENOENT};
	int rc;

	nl_start(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	if (nl_put_str(&m, CTRL_ATTR_FAMILY_NAME, name) < 0)
		return -EMSGSIZE;
	rc = nl_transact(fd, &m, family_cb, &f);
	return rc < 0 ? rc : f.id;
}
