/*-------------------------------------------------------------------------
 *
 * retry.h
 *	  What a Task (later also Parallel and Map) does with its result or
 *	  its error: the data flow after a result, Retry and Catch.
 *
 * The one implementation of AWS's error handling rules; sfn_decide() and
 * sfn_test_state() both use it.  Pure: no tables, no clock, and jitter
 * comes from a seed the caller passes.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_RETRY_H
#define SFN_RETRY_H

#include "asl/plan.h"

typedef enum SfnOutcomeKind
{
	SFN_OUTCOME_NEXT,			/* go on to .next with .output (End: SFN_NO_STATE) */
	SFN_OUTCOME_RETRY,			/* run the task again after .delay_usecs */
	SFN_OUTCOME_CAUGHT,			/* a catcher matched: go to .next with .output */
	SFN_OUTCOME_FAILED			/* the state fails with .error / .cause */
} SfnOutcomeKind;

typedef struct SfnOutcome
{
	SfnOutcomeKind kind;
	JsonbValue *output;
	int			next;
	int			retrier;		/* RETRY: index of the retrier that matched */
	int64		delay_usecs;	/* RETRY */
	int			catcher;		/* CAUGHT: index of the catcher */
	const char *error;			/* RETRY, CAUGHT, FAILED */
	const char *cause;
	JsonbValue *assigned;		/* NEXT, CAUGHT: the Assign of the state or
								 * catcher, NULL when none */
} SfnOutcome;

/* Does error match a retrier's or catcher's ErrorEquals? */
extern bool sfn_error_matches(const List *error_equals, const char *error);

/*
 * The task ended with result: ResultSelector, ResultPath, OutputPath.  A
 * failure of that data flow is handled like a task error (usually
 * States.Runtime, which no retrier or catcher takes).
 */
extern void sfn_task_succeeded(const SfnState *st, JsonbValue *state_input,
							   JsonbValue *result, JsonbValue *ctx,
							   const int32 *retry_counts, uint64 seed,
							   SfnOutcome *out);

/*
 * The task failed with error and cause (cause may be NULL).  retry_counts
 * holds, per retrier, the retries it has made in this state visit
 * (list_length(st->retriers) entries, NULL when there are none yet); seed
 * drives FULL jitter.
 */
extern void sfn_task_failed(const SfnState *st, JsonbValue *state_input,
							const char *error, const char *cause,
							const int32 *retry_counts, uint64 seed,
							SfnOutcome *out);

/* The same with the context object, which JSONata catchers may read. */
extern void sfn_task_failed_ctx(const SfnState *st, JsonbValue *state_input,
								const char *error, const char *cause, JsonbValue *ctx,
								const int32 *retry_counts, uint64 seed,
								SfnOutcome *out);

/* {"Error": error, "Cause": cause}; Cause left out when NULL. */
extern JsonbValue *sfn_error_output(const char *error, const char *cause);

/* A well-mixed 64-bit value from a seed and a counter (splitmix64). */
extern uint64 sfn_mix_seed(uint64 seed, uint64 counter);

#endif							/* SFN_RETRY_H */
