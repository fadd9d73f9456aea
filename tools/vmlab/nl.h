/* Minimal generic netlink helpers for the lab's static in-VM programs (no libnl: the programs are
 * linked statically and must stay small). One request at a time, synchronous. */
#ifndef VMLAB_NL_H
#define VMLAB_NL_H

#include <stddef.h>
#include <stdint.h>

#define NL_MSG_MAX 8192

struct nl_msg {
	uint8_t buf[NL_MSG_MAX];
	size_t len;
};

/* Opens a NETLINK_GENERIC socket; -1 and errno on failure. */
int nl_open(void);

/* Starts a generic netlink message for FAMILY/CMD (request flags: NLM_F_REQUEST | NLM_F_ACK | extra). */
void nl_start(struct nl_msg *m, uint16_t family, uint8_t cmd, uint8_t version, uint16_t extra_flags);

/* Appends one attribute; returns -1 when the message would overflow. */
int nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len);
int nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v);
int nl_put_str(struct nl_msg *m, uint16_t type, const char *s);
int nl_put_flag(struct nl_msg *m, uint16_t type);

/* Called for every attribute of every reply message (generic netlink payload, after genlmsghdr). */
typedef void (*nl_attr_cb)(uint16_t type, const uint8_t *data, size_t len, void *arg);

/* Sends M and reads replies until the ACK (or the end of a dump). Returns the ACK's error field:
 * 0 or a positive value some commands return (hwsim's NEW_RADIO returns the radio id), or a
 * negative errno. CB (may be NULL) sees the attributes of every data reply. */
int nl_transact(int fd, struct nl_msg *m, nl_attr_cb cb, void *arg);

/* The generic netlink family id of NAME, or a negative errno. */
int nl_family(int fd, const char *name);

/* Iterates the attributes in DATA/LEN (a nested attribute's payload). */
void nl_parse(const uint8_t *data, size_t len, nl_attr_cb cb, void *arg);

#endif
