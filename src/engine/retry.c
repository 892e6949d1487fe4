/*-------------------------------------------------------------------------
 *
 * retry.c
 *	  AWS's Retry and Catch rules, and the data flow after a task result.
 *
 * Matching (AWS, "Error handling in Step Functions"):
 *	 - retriers, then catchers, are tried in order; the first whose
 *	   ErrorEquals matches is used;
 *	 - States.ALL matches any error, States.TaskFailed any error but
 *	   States.Timeout;
 *	 - States.Runtime is never retried or caught, and the wildcards do not
 *	   match States.DataLimitExceeded (terminal) — a name listed
 *	   explicitly still does.
 * A retrier whose attempts are used up does not retry; the catchers are
 * tried next.  The delay before retry n (from 0) is
 * IntervalSeconds * BackoffRate^n, at most MaxDelaySeconds; with
 * JitterStrategy FULL a uniform random fraction of it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "engine/dataflow.h"
#include "engine/retry.h"

/* Longest delay we arm: AWS's longest Wait, 24855 days, in microseconds. */
#define SFN_MAX_DELAY_USECS ((int64) 24855 * USECS_PER_DAY)

static bool
is_terminal(const char *error)
{
	return strcmp(error, "States.DataLimitExceeded") == 0;
}

bool
sfn_error_matches(const List *error_equals, const char *error)
{
	ListCell   *lc;

	if (error == NULL || strcmp(error, "States.Runtime") == 0)
		return false;
	foreach(lc, error_equals)
	{
		const char *name = lfirst(lc);

		if (strcmp(name, error) == 0)
			return true;
		if (is_terminal(error))
			continue;
		if (strcmp(name, "States.ALL") == 0)
			return true;
		if (strcmp(name, "States.TaskFailed") == 0 && strcmp(error, "States.Timeout") != 0)
			return true;
	}
	return false;
}

uint64
sfn_mix_seed(uint64 seed, uint64 counter)
{
	uint64		z = seed + (counter + 1) * UINT64CONST(0x9E3779B97F4A7C15);

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Delay before the retry that follows `done` earlier ones, in microseconds. */
static int64
retry_delay(const SfnRetrier *r, int32 done, uint64 seed)
{
	double		secs = r->interval_seconds * pow(r->backoff_rate, (double) done);
	double		usecs;

	if (r->max_delay_seconds > 0 && secs > (double) r->max_delay_seconds)
		secs = (double) r->max_delay_seconds;
	if (r->jitter_full)
		secs *= (double) (sfn_mix_seed(seed, (uint64) done) >> 11) / (double) (UINT64CONST(1) << 53);
	usecs = secs * USECS_PER_SEC;
	/* BackoffRate^n overflows to inf for large n: saturate. */
	if (!(usecs < (double) SFN_MAX_DELAY_USECS))
		return SFN_MAX_DELAY_USECS;
	return usecs < 0 ? 0 : (int64) usecs;
}

JsonbValue *
sfn_error_output(const char *error, const char *cause)
{
	JsonbValue *o = sfn_jv_object();

	sfn_jv_object_put(o, "Error", 5, sfn_jv_cstring(error ? error : ""));
	if (cause)
		sfn_jv_object_put(o, "Cause", 5, sfn_jv_cstring(cause));
	return o;
}

void
sfn_task_failed(const SfnState *st, JsonbValue *state_input,
				const char *error, const char *cause,
				const int32 *retry_counts, uint64 seed, SfnOutcome *out)
{
	sfn_task_failed_ctx(st, state_input, error, cause, NULL, retry_counts, seed, out);
}

void
sfn_task_failed_ctx(const SfnState *st, JsonbValue *state_input,
					const char *error, const char *cause, JsonbValue *ctx,
					const int32 *retry_counts, uint64 seed, SfnOutcome *out)
{
	ListCell   *lc;
	int			i = 0;

	memset(out, 0, sizeof(SfnOutcome));
	out->error = error;
	out->cause = cause;
	out->next = SFN_NO_STATE;

	foreach(lc, st->retriers)
	{
		const SfnRetrier *r = lfirst(lc);

		if (sfn_error_matches(r->errors, error))
		{
			int32		done = retry_counts ? retry_counts[i] : 0;

			if (done < r->max_attempts)
			{
				out->kind = SFN_OUTCOME_RETRY;
				out->retrier = i;
				out->delay_usecs = retry_delay(r, done, seed);
				return;
			}
			break;				/* used up: on to the catchers */
		}
		i++;
	}

	i = 0;
	foreach(lc, st->catchers)
	{
		const SfnCatcher *k = lfirst(lc);

		if (sfn_error_matches(k->errors, error))
		{
			SfnError	err;
			JsonbValue *output;
			JsonbValue *assigned;

			if (!sfn_catcher_output(st, k, state_input, sfn_error_output(error, cause),
									ctx, &output, &assigned, &err))
			{
				out->kind = SFN_OUTCOME_FAILED;
				out->error = err.error;
				out->cause = err.cause;
				return;
			}
			out->kind = SFN_OUTCOME_CAUGHT;
			out->catcher = i;
			out->next = k->next;
			out->output = output;
			out->assigned = assigned;
			return;
		}
		i++;
	}
	out->kind = SFN_OUTCOME_FAILED;
}

void
sfn_task_succeeded(const SfnState *st, JsonbValue *state_input,
				   JsonbValue *result, JsonbValue *ctx,
				   const int32 *retry_counts, uint64 seed, SfnOutcome *out)
{
	SfnError	err;
	JsonbValue *output;
	JsonbValue *assigned;

	if (!sfn_state_output(st, NULL, SFN_RESULT_TASK, state_input, NULL, result, ctx,
						  &output, &assigned, &err))
	{
		sfn_task_failed_ctx(st, state_input, err.error, err.cause, ctx, retry_counts,
							seed, out);
		return;
	}
	memset(out, 0, sizeof(SfnOutcome));
	out->kind = SFN_OUTCOME_NEXT;
	out->output = output;
	out->assigned = assigned;
	out->next = st->next;
}
