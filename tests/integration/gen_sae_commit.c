/* Prints, as hex, the body of one real SAE Commit (group 19, hunting-and-pecking) from SELF to PEER
 * under PASSWORD, made by peering/sae.c: a scalar in range and an element on the curve, so that a
 * receiver must do the expensive part of SAE before it can tell the Commit is worth nothing to it
 * (what an SAE Commit flood exploits, and what anti-clogging tokens are for).
 * Usage: gen_sae_commit SELF PEER PASSWORD */
#include <stdio.h>
#include <string.h>

#include "mac.h"
#include "sae.h"

static int sent;

static void on_send(void *ctx, const struct mac_addr *peer, const uint8_t *body, size_t len)
{
	(void)ctx;
	(void)peer;
	if (sent++ > 0)
		return;
	for (size_t i = 0; i < len; i++)
		printf("%02x", body[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct sae_callbacks cb = {.send = on_send};
	struct sae_params p;
	struct mac_addr peer;
	struct sae *s;

	sae_params_default(&p);
	if (argc != 4 || mac_parse(argv[1], &p.self) < 0 || mac_parse(argv[2], &peer) < 0) {
		fprintf(stderr, "usage: gen_sae_commit SELF PEER PASSWORD\n");
		return 2;
	}
	p.password = (const uint8_t *)argv[3];
	p.password_len = strlen(argv[3]);
	p.groups[0] = 19;
	p.groups[1] = 0;
	s = sae_create(&p, &cb, 0);
	if (s == NULL || sae_start(s, &peer, false, 0) != 0 || sent == 0) {
		fprintf(stderr, "gen_sae_commit: SAE did not produce a Commit\n");
		return 1;
	}
	sae_destroy(s);
	return 0;
}
