#include "eal_args.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push(struct eal_args *args, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int push(struct eal_args *args, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	if (args->argc >= EAL_ARGS_MAX)
		return -1;
	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	args->owned[args->argc] = s;
	args->argv[args->argc++] = s;
	args->argv[args->argc] = NULL;
	return 0;
}

/* Under AddressSanitizer DPDK cannot take its default hugepage base (0x100000000 lies in ASan's
 * shadow gap) and maps wherever the kernel puts it, among the shared libraries; a secondary process
 * (dpdk-dumpcap) whose libraries landed there cannot map the primary's memory, and DPDK 22.11's
 * failed attach can leave the shared memory lock taken, so the primary then hangs in
 * rte_eal_cleanup. ASan leaves everything above 0x10007fff8000 to the program: put the memory there,
 * where nothing else is mapped in either process. */
#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BASE_VIRTADDR "0x200000000000"

static bool names_base_virtaddr(const struct node_config *cfg, int user_argc, char **user_argv)
{
	for (unsigned i = 0; i < cfg->eal.n_extra_args; i++)
		if (strncmp(cfg->eal.extra_args[i], "--base-virtaddr", 15) == 0)
			return true;
	for (int i = 0; i < user_argc; i++)
		if (strncmp(user_argv[i], "--base-virtaddr", 15) == 0)
			return true;
	return false;
}
#endif

/* DPDK's numeric levels: 4 error ... 8 debug. */
static int dpdk_log_level(enum log_level level)
{
	return 4 + (int)level;
}

int eal_args_build(struct eal_args *args, const struct node_config *cfg, int user_argc, char **user_argv)
{
	char lcores[CONFIG_MAX_LCORES * 4 + 4];
	size_t off;
	int ret = 0;

	memset(args, 0, sizeof(*args));
	off = (size_t)snprintf(lcores, sizeof(lcores), "%u", cfg->workers.main_lcore);
	for (unsigned i = 0; i < cfg->workers.n_lcores; i++)
		off += (size_t)snprintf(lcores + off, sizeof(lcores) - off, ",%u", cfg->workers.lcores[i]);

	ret |= push(args, "meshplane");
	ret |= push(args, "--file-prefix=%s", cfg->node.file_prefix);
	if (cfg->eal.no_huge)
		ret |= push(args, "--no-huge");
	ret |= push(args, "-m");
	ret |= push(args, "%u", cfg->eal.memory_mb);
	ret |= push(args, "-l");
	ret |= push(args, "%s", lcores);
	ret |= push(args, "--main-lcore=%u", cfg->workers.main_lcore);
	ret |= push(args, "--no-pci");
	ret |= push(args, "--log-level=%d", dpdk_log_level(cfg->log_level));
	if (!cfg->telemetry.enabled)
		ret |= push(args, "--no-telemetry");
#ifdef ASAN_BASE_VIRTADDR
	if (!names_base_virtaddr(cfg, user_argc, user_argv))
		ret |= push(args, "--base-virtaddr=" ASAN_BASE_VIRTADDR);
#endif
	for (unsigned i = 0; i < cfg->eal.n_extra_args; i++)
		ret |= push(args, "%s", cfg->eal.extra_args[i]);
	for (int i = 0; i < user_argc; i++)
		ret |= push(args, "%s", user_argv[i]);
	if (ret != 0) {
		eal_args_free(args);
		return -1;
	}
	return 0;
}

void eal_args_free(struct eal_args *args)
{
	for (int i = 0; i < args->argc; i++)
		free(args->owned[i]);
	args->argc = 0;
}
