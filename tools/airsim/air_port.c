/* Why the details:
 * - The socket is created with protocol 0 (receives nothing) and only starts receiving at bind(),
 *   with ETH_P_ALL on one ifindex; otherwise frames of every interface would queue up meanwhile.
 * - PACKET_IGNORE_OUTGOING (Linux 4.20) keeps our own sends to this port out of our receive queue;
 *   the PACKET_OUTGOING check in recv does the same on older kernels.
 * - The kernel treats veth traffic as Ethernet: when bytes 12-13 of a frame happen to read 0x8100 or
 *   0x88a8, it strips those 4 bytes as a VLAN tag before we see the frame. PACKET_AUXDATA returns the
 *   tag and we put it back, so the 802.11 bytes stay intact whatever they contain. */
#include "air_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec.h"
#include "log.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define VLAN_TAG_OFFSET 12 /* after the two "MAC addresses" the kernel thinks it saw */

int air_port_open(const char *iface)
{
	struct sockaddr_ll sll;
	unsigned ifindex = if_nametoindex(iface);
	int one = 1, fd, saved;

	if (ifindex == 0)
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
		LOG_INFO("airsim: %s: no PACKET_IGNORE_OUTGOING (%s), filtering by packet type", iface,
			 strerror(errno));
	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
		goto fail;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

ssize_t air_port_recv(int fd, uint8_t *buf, size_t cap)
{
	union {
		struct cmsghdr align;
		uint8_t bytes[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} control;
	struct sockaddr_ll from;
	struct iovec iov = {buf, cap};
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.bytes,
		.msg_controllen = sizeof(control.bytes),
	};
	ssize_t n = recvmsg(fd, &msg, 0);

	if (n < 0)
		return -1;
	if (from.sll_pkttype == PACKET_OUTGOING)
		return 0;
	if (msg.msg_flags & MSG_TRUNC) {
		LOG_WARN("airsim: dropped a frame longer than %zu bytes", cap);
		return 0;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || (size_t)n < VLAN_TAG_OFFSET)
			continue;
		memmove(buf + VLAN_TAG_OFFSET + 4, buf + VLAN_TAG_OFFSET, (size_t)n - VLAN_TAG_OFFSET);
		put_be16(buf + VLAN_TAG_OFFSET,
			 (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : ETH_P_8021Q);
		put_be16(buf + VLAN_TAG_OFFSET + 2, aux.tp_vlan_tci);
		n += 4;
	}
	return n;
}

int air_port_send(int fd, const uint8_t *frame, size_t len)
{
	ssize_t n = send(fd, frame, len, MSG_DONTWAIT);

	return n == (ssize_t)len ? 0 : -1;
}
