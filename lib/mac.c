#include "mac.h"

#include <ctype.h>
#include <stdio.h>

char *mac_format(const struct mac_addr *a, char out[MAC_STR_LEN])
{
	snprintf(out, MAC_STR_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", a->bytes[0], a->bytes[1],
		 a->bytes[2], a->bytes[3], a->bytes[4], a->bytes[5]);
	return out;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int mac_parse(const char *text, struct mac_addr *out)
{
	struct mac_addr tmp;
	char sep = 0;

	if (text == NULL)
		return -1;
	for (int i = 0; i < MAC_LEN; i++) {
		int hi = hex_value(text[0]);
		int lo = hi < 0 ? -1 : hex_value(text[1]);

		if (hi < 0 || lo < 0)
			return -1;
		tmp.bytes[i] = (uint8_t)(hi << 4 | lo);
		text += 2;
		if (i == MAC_LEN - 1)
			break;
		if (*text != ':' && *text != '-')
			return -1;
		if (sep == 0)
			sep = *text;
		else if (*text != sep)
			return -1;
		text++;
	}
	if (*text != '\0')
		return -1;
	*out = tmp;
	return 0;
}
