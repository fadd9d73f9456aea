/* Reading a libFuzzer input as a stream of fields; past its end every read yields 0, so a short input
 * is still a whole (if dull) test case. */
#ifndef MESHPLANE_FUZZ_INPUT_H
#define MESHPLANE_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *p;
	size_t left;
};

/* The next byte, or 0 at the end. */
static inline uint8_t take8(struct fuzz_input *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

/* The next four bytes, big-endian, zeros past the end. */
static inline uint32_t take32(struct fuzz_input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | take8(in);
	return v;
}

#endif
