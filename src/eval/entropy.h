/*-------------------------------------------------------------------------
 *
 * entropy.h
 *	  The randomness of one evaluation (States.MathRandom, States.UUID).
 *
 * Inside an execution the engine seeds it per state visit and attempt
 * from the execution's seed, so that a replay of the same history makes
 * the same choices and sfn_decide() stays a function of its inputs.
 * Unseeded (the SQL evaluator functions, TestState), it draws from the
 * operating system's strong random source.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_ENTROPY_H
#define SFN_ENTROPY_H

#include "postgres.h"

/* Seed the draws that follow; 0 means unseeded (strong randomness). */
extern void sfn_entropy_begin(uint64 seed);

/* Fill buf with n random bytes; false only if the OS source failed. */
extern bool sfn_entropy_bytes(uint8 *buf, size_t n);

/* A uniform integer in [0, bound]. */
extern uint64 sfn_entropy_range(uint64 bound);

#endif							/* SFN_ENTROPY_H */
