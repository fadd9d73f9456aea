#include "events.h"

#include <string.h>

/* The body is copied as whole words with relaxed atomics, so a reader racing the writer reads a mix
 * of old and new words (which the sequence check then rejects), never a torn or undefined value. */
#define BODY_WORDS ((sizeof(struct event_body) + 7) / 8)

struct slot {
	uint64_t seq; /* 0 while being written */
	uint64_t words[BODY_WORDS];
};

static struct slot ring[EVENTS_LOG_SIZE];
static uint64_t next_seq = 1;

static const char *const type_names[] = {
#define EVENT_TYPE_NAME(name) #name,
	EVENT_TYPES(EVENT_TYPE_NAME)
#undef EVENT_TYPE_NAME
};

const char *event_type_name(enum event_type t)
{
	return (unsigned)t < EVENT_TYPE_COUNT ? type_names[t] : "unknown";
}

void events_reset(void)
{
	memset(ring, 0, sizeof(ring));
	__atomic_store_n(&next_seq, 1, __ATOMIC_RELEASE);
}

void events_log(const struct event_body *body)
{
	uint64_t seq = next_seq, words[BODY_WORDS] = {0};
	struct slot *s = &ring[seq & (EVENTS_LOG_SIZE - 1)];

	memcpy(words, body, sizeof(*body));
	__atomic_store_n(&s->seq, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the cleared seq is seen before any new word */
	for (unsigned i = 0; i < BODY_WORDS; i++)
		__atomic_store_n(&s->words[i], words[i], __ATOMIC_RELAXED);
	__atomic_store_n(&s->seq, seq, __ATOMIC_RELEASE);
	__atomic_store_n(&next_seq, seq + 1, __ATOMIC_RELEASE);
}

uint64_t events_next_seq(void)
{
	return __atomic_load_n(&next_seq, __ATOMIC_ACQUIRE);
}

/* Copies slot seq into out; false when the writer has reused (or is rewriting) it. */
static bool read_slot(uint64_t seq, struct event *out)
{
	const struct slot *s = &ring[seq & (EVENTS_LOG_SIZE - 1)];
	uint64_t words[BODY_WORDS];

	if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) != seq)
		return false;
	for (unsigned i = 0; i < BODY_WORDS; i++)
		words[i] = __atomic_load_n(&s->words[i], __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the words are read before the seq is checked again */
	if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) != seq)
		return false;
	out->seq = seq;
	memcpy(&out->body, words, sizeof(out->body));
	return true;
}

unsigned events_read(uint64_t since, struct event *out, unsigned max, uint64_t *next, uint64_t *lost)
{
	uint64_t head = events_next_seq();
	uint64_t oldest = head > EVENTS_LOG_SIZE ? head - EVENTS_LOG_SIZE : 1;
	unsigned n = 0;

	*lost = 0;
	if (since == 0)
		since = 1;
	if (since > head)
		since = head; /* a reader from before a restart: start at the present */
	if (since < oldest) {
		*lost = oldest - since;
		since = oldest;
	}
	for (; since < head && n < max; since++) {
		if (read_slot(since, &out[n]))
			n++;
		else
			(*lost)++; /* overwritten while we read: the writer lapped us */
	}
	*next = since;
	return n;
}
