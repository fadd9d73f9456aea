/* libFuzzer: arbitrary datagrams from a hostapd control socket. Parsing must never crash or read past
 * the datagram, and what it reports must be consistent (a MAC only for the kinds that carry one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostapd_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy of exactly size bytes, so ASan flags any read past the datagram. */
	char *buf = malloc(size ? size : 1);
	struct hostapd_msg m;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	hostapd_msg_parse(buf, size, &m);
	if (m.kind != HOSTAPD_MSG_STA_CONNECTED && m.kind != HOSTAPD_MSG_STA_DISCONNECTED &&
	    m.kind != HOSTAPD_MSG_STATION && !mac_is_zero(&m.mac))
		__builtin_trap();
	if (m.is_event != (size > 0 && buf[0] == '<' && m.kind >= HOSTAPD_MSG_STA_CONNECTED &&
			   m.kind <= HOSTAPD_MSG_EVENT_OTHER))
		__builtin_trap();
	free(buf);
	return 0;
}
