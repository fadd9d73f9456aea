/* Error messages for loaders (config, airsim topology): "<file>: <key>: <reason>" into a caller's
 * buffer, truncated to fit, never more than one message. */
#ifndef MESHPLANE_ERRBUF_H
#define MESHPLANE_ERRBUF_H

#include <stddef.h>

struct errbuf {
	char *buf;
	size_t len;
	const char *prefix; /* the file name, or NULL for text that did not come from a file */
};

/* Writes "<prefix>: <message>" (or just the message) into e->buf; returns -1, for `return errbuf_fail(..)`. */
int errbuf_fail(struct errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
