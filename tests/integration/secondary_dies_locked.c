/* A DPDK secondary process that dies holding the shared memory hotplug lock, the state a crashed
 * dpdk-dumpcap leaves: in DPDK 22.11 a secondary that cannot map its primary's memory unmaps its own
 * libraries in rte_eal_cleanup and crashes inside the write-locked section. Attaches to the primary
 * named by FILE_PREFIX, takes the lock and exits without releasing it. Exit 0 when it did, 1 when it
 * could not attach.
 * Usage: secondary_dies_locked FILE_PREFIX */
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>

int main(int argc, char **argv)
{
	char prefix[256];
	char *eal_argv[] = {"secondary_dies_locked", "--proc-type=secondary", prefix, "--no-pci", "--log-level=4",
			    NULL};

	if (argc != 2) {
		fprintf(stderr, "usage: secondary_dies_locked FILE_PREFIX\n");
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", argv[1]);
	if (rte_eal_init(5, eal_argv) < 0) {
		fprintf(stderr, "secondary_dies_locked: cannot attach to the primary %s\n", argv[1]);
		return 1;
	}
	rte_mcfg_mem_write_lock();
	printf("secondary_dies_locked: holding the memory lock, exiting\n");
	fflush(stdout);
	_exit(0);
}
