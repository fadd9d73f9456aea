/* hwsimctl: creates and deletes mac80211_hwsim radios over generic netlink (HWSIM_CMD_NEW_RADIO /
 * HWSIM_CMD_DEL_RADIO), as hostap's hwsim tests do; Debian ships no tool for it.
 *
 *   hwsimctl new NAME [--perm-addr MAC] [--channels N] [--vif]   prints the new radio's id
 *   hwsimctl del NAME
 *
 * The radio (its wiphy, named NAME) is created in the network namespace of the calling process, and
 * hwsim puts it in that namespace's netgroup: radios of different netgroups never hear each other.
 * That is what gives each lab mesh point its own air (run it under `nsenter --net=...`). By default
 * no interface is created (HWSIM_ATTR_NO_VIF); the caller adds the ones it wants with iw. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nl.h"

/* From the kernel's drivers/net/wireless/mac80211_hwsim.h (a uapi in all but location). */
enum {
	HWSIM_CMD_NEW_RADIO = 4,
	HWSIM_CMD_DEL_RADIO = 5,
};
enum {
	HWSIM_ATTR_CHANNELS = 9,
	HWSIM_ATTR_RADIO_ID = 10,
	HWSIM_ATTR_RADIO_NAME = 17,
	HWSIM_ATTR_NO_VIF = 18,
	HWSIM_ATTR_PERM_ADDR = 22,
};

static int usage(void)
{
	fprintf(stderr, "usage: hwsimctl new NAME [--perm-addr MAC] [--channels N] [--vif]\n"
			"       hwsimctl del NAME\n");
	return 2;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned v[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}

int main(int argc, char **argv)
{
	struct nl_msg m;
	int fd, family, rc;
	const char *name;

	if (argc < 3)
		return usage();
	name = argv[2];
	if (strlen(name) == 0 || strlen(name) > 63) {
		fprintf(stderr, "hwsimctl: bad radio name\n");
		return 2;
	}
	fd = nl_open();
	if (fd < 0) {
		perror("hwsimctl: netlink");
		return 1;
	}
	family = nl_family(fd, "MAC80211_HWSIM");
	if (family < 0) {
		fprintf(stderr, "hwsimctl: no MAC80211_HWSIM family (%s): is mac80211_hwsim loaded?\n",
			strerror(-family));
		return 1;
	}
	if (strcmp(argv[1], "new") == 0) {
		int vif = 0;

		nl_start(&m, (uint16_t)family, HWSIM_CMD_NEW_RADIO, 1, 0);
		nl_put_str(&m, HWSIM_ATTR_RADIO_NAME, name);
		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--perm-addr") == 0 && i + 1 < argc) {
				unsigned char mac[6];

				if (parse_mac(argv[++i], mac) < 0) {
					fprintf(stderr, "hwsimctl: bad MAC %s\n", argv[i]);
					return 2;
				}
				nl_put(&m, HWSIM_ATTR_PERM_ADDR, mac, sizeof(mac));
			} else if (strcmp(argv[i], "--channels") == 0 && i + 1 < argc) {
				nl_put_u32(&m, HWSIM_ATTR_CHANNELS, (uint32_t)strtoul(argv[++i], NULL, 10));
			} else if (strcmp(argv[i], "--vif") == 0) {
				vif = 1;
			} else {
				return usage();
			}
		}
		if (!vif)
			nl_put_flag(&m, HWSIM_ATTR_NO_VIF);
		rc = nl_transact(fd, &m, NULL, NULL);
		if (rc < 0) {
			fprintf(stderr, "hwsimctl: new radio %s: %s\n", name, strerror(-rc));
			return 1;
		}
		printf("%d\n", rc);
	} else if (strcmp(argv[1], "del") == 0 && argc == 3) {
		nl_start(&m, (uint16_t)family, HWSIM_CMD_DEL_RADIO, 1, 0);
		nl_put_str(&m, HWSIM_ATTR_RADIO_NAME, name);
		rc = nl_transact(fd, &m, NULL, NULL);
		if (rc < 0) {
			fprintf(stderr, "hwsimctl: delete radio %s: %s\n", name, strerror(-rc));
			return 1;
		}
	} else {
		return usage();
	}
	close(fd);
	return 0;
}
