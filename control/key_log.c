#include "key_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static FILE *log_file;

int key_log_open(const char *path)
{
	int fd;

	key_log_close();
	if (path == NULL)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		LOG_ERR("--key-log %s: %s", path, strerror(errno));
		return -1;
	}
	/* an existing file keeps its mode otherwise: the keys are for its owner alone */
	if (fchmod(fd, 0600) < 0 || (log_file = fdopen(fd, "a")) == NULL) {
		LOG_ERR("--key-log %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	LOG_WARN("--key-log %s: every CCMP key goes there: whoever reads it reads the mesh (debugging only)", path);
	return 0;
}

void key_log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void key_log_write(const char *what, const struct mac_addr *peer, const uint8_t *key, size_t len)
{
	char mac[MAC_STR_LEN];

	if (log_file == NULL)
		return;
	fprintf(log_file, "# %lld %s%s%s\n\"tk\",\"", (long long)time(NULL), what, peer != NULL ? " " : "",
		peer != NULL ? mac_format(peer, mac) : "");
	for (size_t i = 0; i < len; i++)
		fprintf(log_file, "%02x", key[i]);
	fputs("\"\n", log_file);
	fflush(log_file);
}
