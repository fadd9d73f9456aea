#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

int errbuf_fail(struct errbuf *e, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;

	if (e->buf == NULL || e->len == 0)
		return -1;
	if (e->prefix != NULL) {
		int n = snprintf(e->buf, e->len, "%s: ", e->prefix);

		used = n < 0 ? 0 : ((size_t)n < e->len ? (size_t)n : e->len - 1);
	}
	va_start(ap, fmt);
	vsnprintf(e->buf + used, e->len - used, fmt, ap);
	va_end(ap);
	return -1;
}
