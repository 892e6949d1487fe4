/*-------------------------------------------------------------------------
 *
 * mocked.c
 *	  TestState's mocks: a Task, Map or Parallel state takes a mocked result
 *	  or error instead of running.
 *
 * InputPath and Parameters (a Map's ItemsPath instead) run as in an
 * execution, then the mocked result or error goes through retry.c, the
 * same rules executions use (ResultSelector, ResultPath, OutputPath, or
 * Retry and Catch).  Each step's value is recorded for inspectionData.
 * One attempt only: a retry is reported, not waited for.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "engine/dataflow.h"
#include "engine/decide_int.h"
#include "engine/retry.h"

/*
 * Map's failure tolerance against TestState's count of failed iterations;
 * checked only when the state sets a tolerance (AWS records a Map without
 * one as succeeding with its mocked result).
 */
static bool
map_tolerance_exceeded(const SfnState *st, const SfnMock *mock, int n_items)
{
	JsonbValue *raw = st->raw;
	bool		has_count = sfn_jv_object_cget(raw, "ToleratedFailureCount") != NULL;
	bool		has_pct = sfn_jv_object_cget(raw, "ToleratedFailurePercentage") != NULL;

	if (mock->map_failure_count <= 0 || (!has_count && !has_pct))
		return false;
	if (has_count && mock->map_failure_count > st->tolerated_failure_count)
		return true;
	return has_pct && n_items > 0 &&
		mock->map_failure_count * 100.0 / n_items > st->tolerated_failure_percentage;
}

/* ItemsPath of a Map: an array, else States.Runtime. */
bool
sfn_map_items(const SfnState *st, JsonbValue *effective, JsonbValue *ctx,
		  JsonbValue **items, SfnError *err)
{
	if (st->items != NULL)
	{
		if (!sfn_state_expression(st, st->items, effective, ctx, items, err))
			return false;
		if (!sfn_jv_is_array(*items))
			return sfn_fail(err, SFN_JSONATA_ERROR,
							"The JSONata expression specified for the field 'Items' returned an unexpected data type: %s (an array is required)",
							sfn_jv_to_text(*items));
		return true;
	}
	if (st->items_path == NULL)
		*items = effective;
	else if (!sfn_path_query(st->items_path, effective, ctx, items, err))
		return false;
	if (*items == NULL || !sfn_jv_is_array(*items))
		return sfn_fail(err, "States.Runtime", "Reference path \"%s\" must point to array.",
						st->items_path ? sfn_path_text(st->items_path) : "$");
	return true;
}

/*
 * inspectionData after a mocked result: what ResultSelector and ResultPath
 * made of it.  The state's outcome itself is retry.c's; this only shows
 * the steps.
 */
static void
inspect_result(const SfnState *st, SfnExecution *exec, JsonbValue *input,
			   JsonbValue *result, JsonbValue *ctx)
{
	SfnError	err;
	JsonbValue *v;

	if (exec->inspect == NULL || st->query_language == SFN_QL_JSONATA ||
		!sfn_parameters(st->result_selector, result, ctx, &result, &err))
		return;
	SFN_INSPECT(exec, after_result_selector, result);
	if (sfn_result_path(&st->result_path, input, result, &v, &err))
		SFN_INSPECT(exec, after_result_path, v);
}

/* The first retrier whose ErrorEquals takes error, or -1. */
static int
matching_retrier(const SfnState *st, const char *error)
{
	ListCell   *lc;

	foreach(lc, st->retriers)
		if (sfn_error_matches(((SfnRetrier *) lfirst(lc))->errors, error))
			return foreach_current_index(lc);
	return -1;
}

/*
 * Apply retry.c's outcome of a mocked state.  TestState runs one attempt:
 * a retry is reported (RETRIABLE) and not waited for, so the thread stays
 * in the state.
 */
static void
apply_mock_outcome(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
				   const SfnOutcome *out)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;

	if (out->kind != SFN_OUTCOME_NEXT && exec->inspect)
	{
		exec->inspect->error = out->error;
		exec->inspect->cause = out->cause;
		exec->inspect->retry_index = matching_retrier(st, out->error);
	}
	switch (out->kind)
	{
		case SFN_OUTCOME_NEXT:
			sfn_leave_state_assign(plan, exec, thread, out->output, out->assigned, out->next);
			break;
		case SFN_OUTCOME_RETRY:
			SFN_INSPECT(exec, retry_backoff_seconds, out->delay_usecs / USECS_PER_SEC);
			thread->retry_count++;
			break;
		case SFN_OUTCOME_CAUGHT:
			SFN_INSPECT(exec, catch_index, out->catcher);
			sfn_leave_state_assign(plan, exec, thread, out->output, out->assigned, out->next);
			break;
		case SFN_OUTCOME_FAILED:
			/* as task.c: a runtime error names the state, others as given */
			if (out->error && (strcmp(out->error, "States.Runtime") == 0 ||
							   sfn_is_query_error(out->error)))
			{
				err.error = out->error;
				err.cause = (char *) out->cause;
				sfn_fail_in_state(plan, exec, thread, &err);
			}
			else
				sfn_fail_execution(exec, thread, out->error, out->cause);
			break;
	}
}

/*
 * A Task, Map or Parallel state given TestState's mock instead of running:
 * InputPath, Parameters (a Map's ItemsPath instead), then the mocked result
 * or error through retry.c (ResultSelector, ResultPath, OutputPath, or
 * Retry and Catch).
 */
void
sfn_run_mocked(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	const SfnMock *mock = exec->mock;
	int			n_retriers = list_length(st->retriers);
	int32	   *retry_counts = palloc0(sizeof(int32) * (n_retriers + 1));
	const char *error = mock->error;
	const char *cause = mock->cause;
	SfnError	err;
	JsonbValue *effective;
	SfnOutcome	out;

	/* $$.Task.Token of a callback task, unless TestState's context is $$ */
	if (st->type == SFN_STATE_TASK && st->target.wait_for_token && exec->context == NULL)
	{
		JsonbValue *t = sfn_jv_object();

		sfn_jv_object_put(t, "Token", 5, sfn_jv_cstring(exec->fresh_token));
		sfn_jv_object_put(ctx, "Task", 4, t);
	}
	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (st->query_language == SFN_QL_JSONPATH)
		SFN_INSPECT(exec, after_input_path, effective);
	if (st->type == SFN_STATE_MAP)
	{
		JsonbValue *items;

		if (!sfn_map_items(st, effective, ctx, &items, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		SFN_INSPECT(exec, after_items_path, items);
		if (mock->result && map_tolerance_exceeded(st, mock, items->val.array.nElems))
		{
			error = "States.ExceedToleratedFailureThreshold";
			cause = "The specified tolerated failure threshold was exceeded";
		}
	}
	else
	{
		if (!sfn_state_input(st, thread->input, ctx, true, &effective, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		if (st->query_language == SFN_QL_JSONATA)
			SFN_INSPECT(exec, after_arguments, effective);
		else
			SFN_INSPECT(exec, after_parameters, effective);
	}

	/* TestState's retrierRetryCount: the retries the retriers made */
	for (int i = 0; i < n_retriers && i < thread->n_retry_counts; i++)
		retry_counts[i] = thread->retry_counts[i];
	if (error != NULL || mock->result == NULL)
		sfn_task_failed_ctx(st, thread->input, error, cause, ctx, retry_counts, 0, &out);
	else
	{
		SFN_INSPECT(exec, result, mock->result);
		inspect_result(st, exec, thread->input, mock->result, ctx);
		sfn_task_succeeded(st, thread->input, mock->result, ctx, retry_counts, 0, &out);
	}
	apply_mock_outcome(plan, exec, thread, &out);
}
