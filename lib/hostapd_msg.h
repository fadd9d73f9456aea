/* hostapd control-interface messages: unsolicited events ("<3>AP-STA-CONNECTED 02:..") and the
 * replies meshplane needs (OK, PONG, STA-FIRST/STA-NEXT station blocks). Pure parsing, fuzzable. */
#ifndef MESHPLANE_HOSTAPD_MSG_H
#define MESHPLANE_HOSTAPD_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "mac.h"

enum hostapd_msg_kind {
	HOSTAPD_MSG_OTHER = 0,        /* a reply or event we do not act on */
	HOSTAPD_MSG_STA_CONNECTED,    /* event AP-STA-CONNECTED <mac> */
	HOSTAPD_MSG_STA_DISCONNECTED, /* event AP-STA-DISCONNECTED <mac> */
	HOSTAPD_MSG_TERMINATING,      /* event CTRL-EVENT-TERMINATING: hostapd is going away */
	HOSTAPD_MSG_AP_DISABLED,      /* event AP-DISABLED */
	HOSTAPD_MSG_EVENT_OTHER,      /* any other event */
	HOSTAPD_MSG_OK,               /* reply "OK" */
	HOSTAPD_MSG_FAIL,             /* reply "FAIL" (or "UNKNOWN COMMAND") */
	HOSTAPD_MSG_PONG,             /* reply "PONG" */
	HOSTAPD_MSG_STATION,          /* reply to STA-FIRST / STA-NEXT: a station block, MAC first */
	HOSTAPD_MSG_EMPTY,            /* empty reply: the end of the station list */
};

struct hostapd_msg {
	enum hostapd_msg_kind kind;
	bool is_event;        /* began with "<level>" */
	struct mac_addr mac;  /* STA_CONNECTED, STA_DISCONNECTED, STATION */
};

/* Parses one datagram (not NUL-terminated, any bytes); never fails: unknown text is OTHER. */
void hostapd_msg_parse(const char *buf, size_t len, struct hostapd_msg *out);

#endif
