/* Commands: cut A B | restore A B | loss A B P | rate A B MBPS | node-down A | node-up A | stats |
 * help | quit. Words are separated by spaces or tabs; a trailing newline is ignored. */
#include "control_cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medium_stats.h"

#define MAX_WORDS 5
#define REPLY_LEN 160

static const char help_text[] =
	"commands: cut A B | restore A B | loss A B P(0..1) | rate A B MBPS(0.5..127.5) | node-down A | "
	"node-up A | drop-opens A B N (the next N Mesh Peering Opens from A to B are lost) | stats | help | quit";

static char *reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *reply(const char *fmt, ...)
{
	char buf[REPLY_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

/* Splits copy in place on blanks; returns the word count, or MAX_WORDS + 1 when there are too many. */
static int split(char *copy, char *words[MAX_WORDS])
{
	int n = 0;

	for (char *tok = strtok(copy, " \t\r\n"); tok != NULL; tok = strtok(NULL, " \t\r\n")) {
		if (n == MAX_WORDS)
			return MAX_WORDS + 1;
		words[n++] = tok;
	}
	return n;
}

/* Parses a whole-string number: "0.3" yes, "0.3x" or "" no. */
static bool parse_number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

static char *bad_node(const char *name)
{
	return reply("error: unknown node '%.40s'", name);
}

/* Resolves the pair A B of a link command into *link; returns an error reply or NULL. */
static char *find_link(struct medium *m, char *words[], struct medium_link **link)
{
	int a = medium_find_node(m, words[1]), b = medium_find_node(m, words[2]);

	if (a < 0)
		return bad_node(words[1]);
	if (b < 0)
		return bad_node(words[2]);
	if (a == b)
		return reply("error: a node has no link to itself");
	*link = medium_link(m, (unsigned)a, (unsigned)b);
	return NULL;
}

static char *link_command(struct medium *m, const char *verb, int n, char *words[])
{
	bool has_value = strcmp(verb, "loss") == 0 || strcmp(verb, "rate") == 0;
	struct medium_link *l = NULL;
	char *err;
	double x;

	if (n != (has_value ? 4 : 3))
		return reply("error: usage: %s A B%s", verb,
			     !has_value ? "" : strcmp(verb, "loss") == 0 ? " P" : " MBPS");
	if ((err = find_link(m, words, &l)) != NULL)
		return err;
	if (strcmp(verb, "cut") == 0) {
		l->up = false;
	} else if (strcmp(verb, "restore") == 0) {
		l->up = true;
	} else if (strcmp(verb, "loss") == 0) {
		if (!parse_number(words[3], &x) || !(x >= 0.0 && x <= 1.0))
			return reply("error: loss '%.20s' is out of range 0..1", words[3]);
		l->loss = x;
	} else {
		uint8_t rate;

		if (!parse_number(words[3], &x) || !medium_rate_from_mbps(x, &rate))
			return reply("error: rate '%.20s' is out of range %g..%g or not a multiple of 0.5", words[3],
				     MEDIUM_RATE_MIN_MBPS, MEDIUM_RATE_MAX_MBPS);
		l->rate_500kbps = rate;
	}
	return reply("ok");
}

static char *drop_opens_command(struct medium *m, int n, char *words[])
{
	int a, b;
	double x;

	if (n != 4)
		return reply("error: usage: drop-opens A B N");
	a = medium_find_node(m, words[1]);
	b = medium_find_node(m, words[2]);
	if (a < 0)
		return bad_node(words[1]);
	if (b < 0)
		return bad_node(words[2]);
	if (a == b)
		return reply("error: a node has no link to itself");
	if (!parse_number(words[3], &x) || x < 0 || x > 65535 || x != (double)(unsigned)x)
		return reply("error: count '%.20s' is not a whole number 0..65535", words[3]);
	m->drop_opens[a][b] = (uint16_t)x;
	return reply("ok");
}

static char *node_command(struct medium *m, bool up, int n, char *words[])
{
	int idx;

	if (n != 2)
		return reply("error: usage: %s A", words[0]);
	idx = medium_find_node(m, words[1]);
	if (idx < 0)
		return bad_node(words[1]);
	m->nodes[idx].up = up;
	return reply("ok");
}

char *control_cmd_execute(struct medium *m, const char *line, bool *quit)
{
	char copy[CONTROL_CMD_MAX + 1];
	char *words[MAX_WORDS];
	const char *verb;
	int n;

	if (strlen(line) > CONTROL_CMD_MAX)
		return reply("error: command longer than %d bytes", CONTROL_CMD_MAX);
	snprintf(copy, sizeof(copy), "%s", line);
	n = split(copy, words);
	if (n == 0)
		return reply("error: empty command (try help)");
	if (n > MAX_WORDS)
		return reply("error: too many words");
	verb = words[0];
	if (strcmp(verb, "cut") == 0 || strcmp(verb, "restore") == 0 || strcmp(verb, "loss") == 0 ||
	    strcmp(verb, "rate") == 0)
		return link_command(m, verb, n, words);
	if (strcmp(verb, "drop-opens") == 0)
		return drop_opens_command(m, n, words);
	if (strcmp(verb, "node-down") == 0 || strcmp(verb, "node-up") == 0)
		return node_command(m, strcmp(verb, "node-up") == 0, n, words);
	if (strcmp(verb, "stats") != 0 && strcmp(verb, "help") != 0 && strcmp(verb, "quit") != 0)
		return reply("error: unknown command '%.40s' (try help)", verb);
	if (n != 1)
		return reply("error: %s takes no arguments", verb);
	if (strcmp(verb, "stats") == 0)
		return medium_stats_json(m);
	if (strcmp(verb, "help") == 0)
		return strdup(help_text);
	*quit = true;
	return reply("ok");
}
