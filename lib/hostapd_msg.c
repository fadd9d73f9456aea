#include "hostapd_msg.h"

#include <string.h>

/* True when the n bytes at p start with the NUL-terminated word w. */
static bool starts_with(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);

	return n >= wl && memcmp(p, w, wl) == 0;
}

/* Reads a MAC at p (n bytes available) followed by the end, a blank or a newline. */
static bool read_mac(const char *p, size_t n, struct mac_addr *mac)
{
	char text[MAC_STR_LEN];

	if (n < MAC_STR_LEN - 1)
		return false;
	if (n > MAC_STR_LEN - 1 && p[MAC_STR_LEN - 1] != ' ' && p[MAC_STR_LEN - 1] != '\n')
		return false;
	memcpy(text, p, MAC_STR_LEN - 1);
	text[MAC_STR_LEN - 1] = '\0';
	return mac_parse(text, mac) == 0;
}

static void parse_event(const char *p, size_t n, struct hostapd_msg *out)
{
	static const struct {
		const char *word;
		enum hostapd_msg_kind kind;
		bool has_mac;
	} events[] = {
		{"AP-STA-CONNECTED ", HOSTAPD_MSG_STA_CONNECTED, true},
		{"AP-STA-DISCONNECTED ", HOSTAPD_MSG_STA_DISCONNECTED, true},
		{"CTRL-EVENT-TERMINATING", HOSTAPD_MSG_TERMINATING, false},
		{"AP-DISABLED", HOSTAPD_MSG_AP_DISABLED, false},
	};

	out->kind = HOSTAPD_MSG_EVENT_OTHER;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		size_t wl = strlen(events[i].word);

		if (!starts_with(p, n, events[i].word))
			continue;
		if (!events[i].has_mac || read_mac(p + wl, n - wl, &out->mac))
			out->kind = events[i].kind;
		return;
	}
}

void hostapd_msg_parse(const char *buf, size_t len, struct hostapd_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = HOSTAPD_MSG_OTHER;
	if (len > 0 && buf[0] == '<') {
		/* "<level>EVENT ...": the level is one digit in hostapd, allow a few. */
		size_t i = 1;

		while (i < len && i < 4 && buf[i] >= '0' && buf[i] <= '9')
			i++;
		if (i == 1 || i >= len || buf[i] != '>')
			return;
		out->is_event = true;
		parse_event(buf + i + 1, len - i - 1, out);
		return;
	}
	if (len == 0 || (len == 1 && buf[0] == '\n'))
		out->kind = HOSTAPD_MSG_EMPTY;
	else if (starts_with(buf, len, "PONG"))
		out->kind = HOSTAPD_MSG_PONG;
	else if (starts_with(buf, len, "OK"))
		out->kind = HOSTAPD_MSG_OK;
	else if (starts_with(buf, len, "FAIL") || starts_with(buf, len, "UNKNOWN COMMAND"))
		out->kind = HOSTAPD_MSG_FAIL;
	else if (read_mac(buf, len, &out->mac))
		out->kind = HOSTAPD_MSG_STATION;
}
