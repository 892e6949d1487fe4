/*-------------------------------------------------------------------------
 *
 * entropy.c
 *	  The randomness of one evaluation: seeded (splitmix64) or strong.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "eval/entropy.h"

static uint64 state = 0;
static bool seeded = false;

void
sfn_entropy_begin(uint64 seed)
{
	state = seed;
	seeded = seed != 0;
}

/* splitmix64: fast, well mixed, and the same everywhere. */
static uint64
next64(void)
{
	uint64		z = (state += UINT64CONST(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

bool
sfn_entropy_bytes(uint8 *buf, size_t n)
{
	if (!seeded)
		return pg_strong_random(buf, n);
	for (size_t i = 0; i < n; i += 8)
	{
		uint64		v = next64();

		memcpy(buf + i, &v, Min(8, n - i));
	}
	return true;
}

uint64
sfn_entropy_range(uint64 bound)
{
	uint64		v;

	if (!seeded)
	{
		if (!pg_strong_random(&v, sizeof(v)))
			elog(ERROR, "could not generate random values");
	}
	else
		v = next64();
	/* The slight bias of a modulo is of no consequence here. */
	return bound == PG_UINT64_MAX ? v : v % (bound + 1);
}
