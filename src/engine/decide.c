/*-------------------------------------------------------------------------
 *
 * decide.c
 *	  sfn_decide(): advance one thread of an execution.
 *
 * A dispatcher (run_state) and one small function per state type.  Each
 * state function ends in exactly one of: leave_state (go to Next or end
 * the thread), block (Wait not yet due, a task out, a Parallel's or Map's
 * children started: fanout.c), or fail_execution (which fails a branch or
 * iteration thread, or the execution at the top level).
 *
 * Runs of Pass, Choice, Succeed, Fail and due Waits advance here in one
 * call, so the caller commits many transitions at once; the budget
 * exec->max_transitions bounds one call so that long loops yield.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "engine/dataflow.h"
#include "engine/decide_int.h"
#include "engine/engine.h"
#include "engine/events.h"
#include "eval/budget.h"
#include "eval/entropy.h"
#include "engine/retry.h"
#include "eval/scope.h"

/* Longest Wait AWS accepts: 24855 days. */
#define SFN_MAX_WAIT_USECS ((int64) 24855 * USECS_PER_DAY)

static void run_state(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread);
static void decide(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
				   const SfnWake *wake);

void
sfn_thread_init(SfnThread *thread, const SfnPlan *plan, JsonbValue *input)
{
	memset(thread, 0, sizeof(SfnThread));
	thread->state = plan->start;
	thread->phase = SFN_PHASE_ENTER;
	thread->input = input;
	/* AWS gives the first state's Entered event previousEventId 0. */
	thread->last_event_id = 0;
	thread->parent_id = -1;
	thread->plan = plan;
}

/* End the execution with ExecutionFailed, whichever thread is running. */
void
sfn_end_execution_failed(SfnExecution *exec, const char *error, const char *cause)
{
	sfn_emit(exec, exec->last_event_id, "ExecutionFailed", sfn_error_details(error, cause));
	exec->status = SFN_FAILED;
	exec->error = error ? pstrdup(error) : NULL;
	exec->cause = cause ? pstrdup(cause) : NULL;
}

/*
 * The previousEventId AWS gives EvaluationFailed: that of the state's
 * Entered event.  Found among this call's events, else the event before
 * it (a thread's states follow one another; the first one's is 0).
 */
static int32
entered_previous_id(const SfnExecution *exec, const SfnThread *thread)
{
	ListCell   *lc;

	foreach(lc, exec->events)
	{
		const SfnEvent *ev = lfirst(lc);

		if (ev->id == thread->entered_event_id)
			return ev->previous_id;
	}
	return thread->entered_event_id <= 2 ? 0 : thread->entered_event_id - 1;
}

void
sfn_evaluation_failed(SfnExecution *exec, SfnThread *thread, const SfnState *st,
					  const SfnError *err)
{
	const char *location = sfn_jsonata_template_failed_field();
	JsonbValue *d;
	SfnEvent   *ev;

	/* the cause as the failure reports it, prefix included (AWS's record) */
	d = sfn_error_details(err->error,
						  psprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s",
								   st->name, thread->entered_event_id,
								   err->cause ? err->cause : ""));
	if (location)
		sfn_jv_object_put(d, "location", 8, sfn_jv_cstring(location));
	sfn_jv_object_put(d, "state", 5, sfn_jv_cstring(st->name));
	ev = sfn_emit(exec, entered_previous_id(exec, thread), "EvaluationFailed", d);
	thread->last_event_id = ev->id;
}

/*
 * The thread fails with error and cause (either NULL): at the top level
 * the execution ends (ExecutionFailed); a branch or iteration ends with
 * the error, for its parent to collect.
 */
void
sfn_fail_execution(SfnExecution *exec, SfnThread *thread, const char *error, const char *cause)
{
	thread->done = true;
	if (thread->parent_id >= 0)
	{
		thread->failed = true;
		thread->result = sfn_error_output(error, cause);
		return;
	}
	sfn_end_execution_failed(exec, error, cause);
	thread->last_event_id = exec->last_event_id;
}

/* A runtime error raised while the current state runs. */
void
sfn_fail_in_state(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, SfnError *err)
{
	const SfnState *st = &plan->states[thread->state];
	char	   *cause;

	if (sfn_is_query_error(err->error))
		sfn_evaluation_failed(exec, thread, st, err);

	/* DataLimitExceeded names the state itself; the rest get AWS's prefix. */
	if (strcmp(err->error, "States.DataLimitExceeded") == 0)
		cause = err->cause;
	else
		cause = psprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s",
						 st->name, thread->entered_event_id, err->cause ? err->cause : "");
	sfn_fail_execution(exec, thread, err->error, cause);
}

static void
succeed_execution(SfnExecution *exec, SfnThread *thread, JsonbValue *output,
				  const char *output_text)
{
	SfnEvent   *ev;

	thread->done = true;
	if (thread->parent_id >= 0)
	{
		/* a branch or iteration: its parent collects the output */
		thread->result = output;
		return;
	}
	ev = sfn_emit(exec, thread->last_event_id, "ExecutionSucceeded",
				  sfn_execution_succeeded_details(output_text));
	thread->last_event_id = ev->id;
	exec->status = SFN_SUCCEEDED;
	exec->output = output;
}

/* JSON text of v, or NULL with err set when it is over the payload limit. */
char *
sfn_payload_text(const SfnExecution *exec, const SfnState *st, JsonbValue *v, SfnError *err)
{
	char	   *text = sfn_jv_to_text_limited(v, exec->max_payload);

	if (text == NULL)
	{
		sfn_fail(err, "States.DataLimitExceeded",
				 "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.",
				 st->name);
		return NULL;
	}
	return text;
}

/*
 * Leave the current state with output: the *StateExited event, then either
 * the next state or (End, Succeed) the end of the execution.
 */
void
sfn_leave_state(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
			JsonbValue *output, int next)
{
	sfn_leave_state_assign(plan, exec, thread, output, NULL, next);
}

void
sfn_leave_state_assign(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
					   JsonbValue *output, JsonbValue *assigned, int next)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	char	   *text = sfn_payload_text(exec, st, output, &err);
	JsonbValue *vars = thread->variables;
	JsonbValue *texts = NULL;
	SfnEvent   *ev;

	if (text == NULL ||
		(assigned != NULL && !sfn_assign_variables(thread->variables, assigned, &vars,
												   &texts, &err)))
	{
		sfn_fail_in_state(plan, exec, thread, &err);
		return;
	}
	/* the assignments take effect as the state is left */
	thread->variables = vars;
	ev = sfn_emit(exec, thread->last_event_id, sfn_exited_event_type(st->type),
				  sfn_state_exited_details_assigned(st->name, text, texts));
	thread->last_event_id = ev->id;
	if (next == SFN_NO_STATE)
	{
		succeed_execution(exec, thread, output, text);
		return;
	}
	thread->state = next;
	thread->phase = SFN_PHASE_ENTER;
	thread->input = output;
	thread->retry_count = 0;
	thread->n_retry_counts = 0;
	thread->retry_counts = NULL;
	thread->task_event_id = 0;
	thread->task_deadline = 0;
	thread->heartbeat_deadline = 0;
	thread->heartbeat_seconds = 0;
	thread->due_at = 0;
}

static void
run_pass(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	JsonbValue *result;
	JsonbValue *output;
	JsonbValue *assigned;

	if (st->query_language == SFN_QL_JSONPATH)
	{
		if (!sfn_input_path(&st->input_path, thread->input, ctx, &effective, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		SFN_INSPECT(exec, after_input_path, effective);
		if (!sfn_parameters(st->parameters, effective, ctx, &effective, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		SFN_INSPECT(exec, after_parameters, effective);
		result = st->result ? st->result : effective;
		/* AWS shows a Pass state's result as afterResultSelector. */
		SFN_INSPECT(exec, after_result_selector, result);
	}
	else
		effective = result = thread->input;
	if (!sfn_state_output(st, NULL, SFN_RESULT_PASS, thread->input, effective, result,
						  ctx, &output, &assigned, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	SFN_INSPECT(exec, after_result_path, output);
	sfn_leave_state_assign(plan, exec, thread, output, assigned, st->next);
}

/* A JSONata Condition: true, false, or an error (not a boolean) */
static bool
jsonata_condition(const SfnState *st, const SfnChoiceBranch *br, JsonbValue *input,
				  JsonbValue *ctx, bool *matched, SfnError *err)
{
	JsonbValue *v;

	if (!sfn_state_expression(st, br->condition, input, ctx, &v, err))
		return false;
	if (v->type != jbvBool)
		return sfn_fail(err, SFN_JSONATA_ERROR,
						"The JSONata expression '%s' specified for the field '%s' returned an unexpected data type: %s (a boolean is required)",
						sfn_jsonata_template_is_expression(br->condition) ?
						sfn_jsonata_template_text(br->condition) : sfn_jv_to_text(v),
						sfn_jsonata_template_is_expression(br->condition) ?
						sfn_jsonata_template_field(br->condition) : "Condition",
						sfn_jv_to_text(v));
	*matched = v->val.boolean;
	return true;
}

static void
run_choice(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	JsonbValue *output;
	JsonbValue *assigned;
	int			next = st->default_next;
	SfnOutputFields fields = st->out;

	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	SFN_INSPECT(exec, after_input_path, effective);
	for (int i = 0; i < st->n_choices; i++)
	{
		const SfnChoiceBranch *br = &st->choices[i];
		bool		matched;

		if (!(st->query_language == SFN_QL_JSONATA ?
			  jsonata_condition(st, br, thread->input, ctx, &matched, &err) :
			  sfn_choice_eval(br->rule, effective, ctx, &matched, &err)))
			return sfn_fail_in_state(plan, exec, thread, &err);
		if (matched)
		{
			next = br->next;
			/* a matched rule's Assign and Output; the state's go with Default */
			fields = br->out;
			break;
		}
	}
	if (next == SFN_NO_STATE)
	{
		sfn_fail(&err, "States.NoChoiceMatched",
				 "No Matches! The Choice state did not match any rule and has no Default.");
		return sfn_fail_in_state(plan, exec, thread, &err);
	}
	if (!sfn_state_output(st, &fields, SFN_RESULT_NONE, thread->input, effective, NULL,
						  ctx, &output, &assigned, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	sfn_leave_state_assign(plan, exec, thread, output, assigned, next);
}

/* Wait's Seconds or Timestamp given as a JSONata expression */
static bool
jsonata_wait_until(const SfnState *st, const SfnThread *thread, JsonbValue *ctx,
				   TimestampTz *due, SfnError *err)
{
	const SfnJsonataTemplate *t = st->seconds_expr ? st->seconds_expr : st->timestamp_expr;
	JsonbValue *v;
	int64		secs;

	if (!sfn_state_expression(st, t, thread->input, ctx, &v, err))
		return false;
	if (st->timestamp_expr)
	{
		if (!sfn_jv_is_string(v) ||
			!sfn_timestamp_parse(v->val.string.val, v->val.string.len, due))
			return sfn_fail(err, SFN_JSONATA_ERROR,
							"The JSONata expression '%s' specified for the field 'Timestamp' returned an unexpected value: %s (a timestamp string such as \"2016-03-14T01:59:00Z\" is required)",
							sfn_jsonata_template_text(t), sfn_jv_to_text(v));
		if (*due - thread->entered_at >= SFN_MAX_WAIT_USECS)
			return sfn_fail(err, "States.Runtime", "Wait state delay is too long.");
		return true;
	}
	if (!sfn_jv_is_number(v) || !sfn_jv_get_int64(v, &secs) || secs < 0)
		return sfn_fail(err, SFN_JSONATA_ERROR,
						"The JSONata expression '%s' specified for the field 'Seconds' returned an unexpected value: %s (a non-negative integer is required)",
						sfn_jsonata_template_text(t), sfn_jv_to_text(v));
	if (secs >= SFN_MAX_WAIT_USECS / USECS_PER_SEC)
		return sfn_fail(err, "States.Runtime", "Wait state delay is too long.");
	*due = thread->entered_at + secs * USECS_PER_SEC;
	return true;
}

/* When a Wait state entered now ends; false with err on a bad path value. */
static bool
wait_until(const SfnState *st, const SfnThread *thread, JsonbValue *effective,
		   JsonbValue *ctx, TimestampTz *due, SfnError *err)
{
	JsonbValue *v;
	int64		secs;

	if (st->seconds_expr || st->timestamp_expr)
		return jsonata_wait_until(st, thread, ctx, due, err);
	if (st->has_seconds)
		secs = st->seconds;
	else if (st->has_timestamp)
	{
		*due = st->timestamp;
		return true;
	}
	else if (st->seconds_path)
	{
		const char *p = sfn_path_text(st->seconds_path);

		if (!sfn_path_query(st->seconds_path, effective, ctx, &v, err))
			return false;
		if (v == NULL)
			return sfn_fail(err, "States.Runtime",
							"The SecondsPath parameter does not reference an input value: %s", p);
		if (!sfn_jv_get_int64(v, &secs))
			return sfn_fail(err, "States.Runtime",
							"The SecondsPath parameter cannot be parsed as a long value: %s == %s",
							p, sfn_jv_to_text(v));
		if (secs < 0)
			return sfn_fail(err, "States.Runtime",
							"The SecondsPath parameter references a negative value: %s == %s",
							p, sfn_jv_to_text(v));
	}
	else
	{
		const char *p = sfn_path_text(st->timestamp_path);

		if (!sfn_path_query(st->timestamp_path, effective, ctx, &v, err))
			return false;
		if (v == NULL || !sfn_jv_is_string(v) ||
			!sfn_timestamp_parse(v->val.string.val, v->val.string.len, due))
			return sfn_fail(err, "States.Runtime",
							"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s",
							p, v == NULL ? "null" : (sfn_jv_is_string(v) ? sfn_jv_cstr(v) : sfn_jv_to_text(v)));
		if (*due - thread->entered_at >= SFN_MAX_WAIT_USECS)
			return sfn_fail(err, "States.Runtime", "Wait state delay is too long.");
		return true;
	}
	if (secs >= SFN_MAX_WAIT_USECS / USECS_PER_SEC)
		return sfn_fail(err, "States.Runtime", "Wait state delay is too long.");
	*due = thread->entered_at + secs * USECS_PER_SEC;
	return true;
}

/* Leave a Wait state whose time has come. */
static void
finish_wait(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	JsonbValue *output;
	JsonbValue *assigned;

	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err) ||
		!sfn_state_output(st, NULL, SFN_RESULT_NONE, thread->input, effective, NULL,
						  ctx, &output, &assigned, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	sfn_leave_state_assign(plan, exec, thread, output, assigned, st->next);
}

static void
run_wait(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	TimestampTz due;

	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	SFN_INSPECT(exec, after_input_path, effective);
	if (!wait_until(st, thread, effective, ctx, &due, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (due <= exec->now)
		return finish_wait(plan, exec, thread, ctx);
	thread->phase = SFN_PHASE_WAITING;
	thread->due_at = due;
}

static void
run_succeed(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	JsonbValue *output;
	JsonbValue *assigned;

	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	SFN_INSPECT(exec, after_input_path, effective);
	if (!sfn_state_output(st, NULL, SFN_RESULT_NONE, thread->input, effective, NULL,
						  ctx, &output, &assigned, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	sfn_leave_state_assign(plan, exec, thread, output, assigned, SFN_NO_STATE);
}

/* Error or Cause of a Fail state: literal, path or intrinsic; NULL if absent. */
static bool
fail_field(const char *literal, const SfnValueExpr *expr, const char *field,
		   JsonbValue *input, JsonbValue *ctx, char **out, SfnError *err)
{
	JsonbValue *v = NULL;

	*out = (char *) literal;
	if (expr == NULL)
		return true;
	if (expr->fn)
	{
		if (!sfn_intrinsic_eval(expr->fn, input, ctx, &v, err))
			return false;
	}
	else if (!sfn_path_query(expr->path, input, ctx, &v, err))
		return false;
	else if (v == NULL)
		return sfn_fail(err, "States.Runtime",
						"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
						sfn_path_text(expr->path), field, sfn_jv_to_text(input));
	if (!sfn_jv_is_string(v))
		return sfn_fail(err, "States.Runtime",
						"The value of the field '%s' must be a string, but was: %s",
						field, sfn_jv_to_text(v));
	*out = sfn_jv_cstr(v);
	return true;
}

/* Fail's Error or Cause as a JSONata expression: must give a string */
static bool
jsonata_fail_field(const SfnState *st, const SfnJsonataTemplate *t, JsonbValue *input,
				   JsonbValue *ctx, char **out, SfnError *err)
{
	JsonbValue *v;

	if (t == NULL)
		return true;
	if (!sfn_state_expression(st, t, input, ctx, &v, err))
		return false;
	if (!sfn_jv_is_string(v))
		return sfn_fail(err, SFN_JSONATA_ERROR,
						"The JSONata expression '%s' specified for the field '%s' returned an unexpected data type: %s (a string is required)",
						sfn_jsonata_template_text(t), sfn_jsonata_template_field(t),
						sfn_jv_to_text(v));
	*out = sfn_jv_cstr(v);
	return true;
}

static void
run_fail(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	char	   *error;
	char	   *cause;

	if (!fail_field(st->error, st->error_path, "ErrorPath", thread->input, ctx, &error, &err) ||
		!fail_field(st->cause, st->cause_path, "CausePath", thread->input, ctx, &cause, &err) ||
		!jsonata_fail_field(st, st->error_expr, thread->input, ctx, &error, &err) ||
		!jsonata_fail_field(st, st->cause_expr, thread->input, ctx, &cause, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	sfn_fail_execution(exec, thread, error, cause);
}

/* TestState's mocks run Task, Map and Parallel states (mocked.c). */
static void
run_task(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	if (exec->mock)
		sfn_run_mocked(plan, exec, thread, ctx);
	else
		sfn_run_task(plan, exec, thread, ctx);
}

static void
run_branching(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];

	if (exec->mock)
		sfn_run_mocked(plan, exec, thread, ctx);
	else if (st->type == SFN_STATE_PARALLEL)
		sfn_run_parallel(plan, exec, thread, ctx);
	else if (sfn_map_is_distributed(st))
		sfn_run_distributed_map(plan, exec, thread, ctx);
	else
		sfn_run_map_inline(plan, exec, thread, ctx);
}

typedef void (*SfnStateRunner) (const SfnPlan *plan, SfnExecution *exec,
								SfnThread *thread, JsonbValue *ctx);

static const SfnStateRunner state_runners[] = {
	[SFN_STATE_PASS] = run_pass,
	[SFN_STATE_TASK] = run_task,
	[SFN_STATE_CHOICE] = run_choice,
	[SFN_STATE_WAIT] = run_wait,
	[SFN_STATE_SUCCEED] = run_succeed,
	[SFN_STATE_FAIL] = run_fail,
	[SFN_STATE_PARALLEL] = run_branching,
	[SFN_STATE_MAP] = run_branching,
};

/* Enter the thread's current state and run it. */
static void
run_state(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread)
{
	const SfnState *st = &plan->states[thread->state];
	SfnEvent   *ev;
	JsonbValue *ctx;

	thread->entered_at = exec->now;
	ev = sfn_emit(exec, thread->last_event_id, sfn_entered_event_type(st->type),
				  sfn_state_entered_details(st->name, sfn_jv_to_text(thread->input)));
	thread->entered_event_id = ev->id;
	thread->last_event_id = ev->id;
	SFN_INSPECT(exec, input, thread->input);
	ctx = sfn_context_object(exec, st, thread);
	sfn_budget_begin();
	sfn_entropy_begin(exec->seed ? sfn_mix_seed(exec->seed, (uint64) thread->entered_event_id) : 0);
	state_runners[st->type] (plan, exec, thread, ctx);
}

/*
 * The history limit: AWS fails the execution with event number max_events
 * itself (ExecutionFailed), so events a step wrote beyond max_events - 1 are
 * dropped (they were never written) and the failure takes their place.
 * Returns true when the limit ended the execution.
 */
bool
sfn_enforce_history_limit(SfnExecution *exec, SfnThread *thread)
{
	int32		allowed = exec->max_events - (exec->status == SFN_RUNNING ? 1 : 0);
	List	   *kept = NIL;
	ListCell   *lc;

	if (exec->last_event_id <= allowed)
		return false;
	foreach(lc, exec->events)
	{
		SfnEvent   *ev = lfirst(lc);

		if (ev->id < exec->max_events)
			kept = lappend(kept, ev);
	}
	exec->events = kept;
	exec->last_event_id = exec->max_events - 1;
	exec->status = SFN_RUNNING;
	exec->output = NULL;
	/* the execution ends, whichever thread reached the limit */
	sfn_end_execution_failed(exec, "States.Runtime",
							 psprintf("The execution reached the maximum number of history events (%d).",
									  exec->max_events));
	thread->done = true;
	return true;
}

/* Would the thread's next step schedule a task that runs inline? */
static bool
next_is_inline_task(const SfnPlan *plan, const SfnExecution *exec, const SfnThread *thread)
{
	const SfnState *st = &plan->states[thread->state];

	if (st->type != SFN_STATE_TASK || !sfn_resource_runs_inline(&st->target))
		return false;
	return thread->phase == SFN_PHASE_ENTER ||
		(thread->phase == SFN_PHASE_RETRY && thread->due_at <= exec->now);
}

SfnWake
sfn_wake(SfnWakeKind kind)
{
	SfnWake		w;

	memset(&w, 0, sizeof(w));
	w.kind = kind;
	return w;
}

/* $now in JSONata: milliseconds since the Unix epoch */
static int64
unix_ms(TimestampTz ts)
{
	return ts / 1000 +
		(int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
}

/*
 * The thread's variables are the evaluation scope of the whole call (the
 * scope follows thread->variables as states assign); restored on the way
 * out, errors included, so no evaluation outside sees freed memory.
 */
void
sfn_decide(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, const SfnWake *wake)
{
	SfnEvalScope scope;
	SfnEvalScope *prev;

	memset(&scope, 0, sizeof(scope));
	scope.variables = &thread->variables;
	scope.now_ms = unix_ms(exec->now);
	scope.seed = exec->seed ? sfn_mix_seed(exec->seed, (uint64) exec->last_event_id) : 0;
	prev = sfn_scope_set(&scope);
	PG_TRY();
	{
		decide(plan, exec, thread, wake);
	}
	PG_FINALLY();
	{
		sfn_scope_set(prev);
	}
	PG_END_TRY();
}

static void
decide(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, const SfnWake *wake)
{
	thread->touched = true;
	if (wake->kind == SFN_WAKE_TIMEOUT)
	{
		/* AWS: previousEventId 0, error States.Timeout, no cause. */
		sfn_emit(exec, 0, "ExecutionTimedOut", sfn_error_details("States.Timeout", NULL));
		thread->done = true;
		exec->status = SFN_TIMED_OUT;
		/* DescribeExecution shows neither error nor cause, as on AWS. */
		return;
	}
	if (wake->kind != SFN_WAKE_RUN)
	{
		/* A task (or a Distributed Map's run) answered: apply it, go on. */
		if (plan->states[thread->state].type == SFN_STATE_MAP)
			sfn_map_wake(plan, exec, thread, wake);
		else
			sfn_task_wake(plan, exec, thread, wake);
		if (sfn_enforce_history_limit(exec, thread) || thread->done)
			return;
	}
	for (int n = 0; n < exec->max_transitions && !thread->done; n++)
	{
		/* The caller's budget of tasks run inline: yield before another. */
		if (exec->limit_inline_tasks && exec->inline_tasks >= exec->max_inline_tasks &&
			next_is_inline_task(plan, exec, thread))
			return;
		if (thread->phase == SFN_PHASE_TASK || thread->phase == SFN_PHASE_RETRY)
		{
			/* Blocked on the task unless a deadline or the retry is due. */
			if (thread->due_at == 0 || thread->due_at > exec->now)
				return;
			if (sfn_map_is_distributed(&plan->states[thread->state]))
				sfn_map_due(plan, exec, thread);
			else if (plan->states[thread->state].type != SFN_STATE_TASK)
				sfn_fanout_retry(plan, exec, thread);
			else
				sfn_task_due(plan, exec, thread);
		}
		else if (thread->phase == SFN_PHASE_WAITING)
		{
			if (thread->due_at > exec->now)
				return;
			sfn_budget_begin();
			finish_wait(plan, exec, thread,
						sfn_context_object(exec, &plan->states[thread->state], thread));
		}
		else
			run_state(plan, exec, thread);
		if (sfn_enforce_history_limit(exec, thread))
			return;
		if (sfn_thread_blocked(exec, thread))
			return;
	}
}

bool
sfn_thread_blocked(const SfnExecution *exec, const SfnThread *thread)
{
	if (thread->done)
		return true;
	switch (thread->phase)
	{
		case SFN_PHASE_ENTER:
			return false;
		case SFN_PHASE_WAITING:
		case SFN_PHASE_RETRY:
			return thread->due_at > exec->now;
		case SFN_PHASE_TASK:
			return thread->due_at == 0 || thread->due_at > exec->now;
		case SFN_PHASE_FANOUT:
		case SFN_PHASE_DONE:
		case SFN_PHASE_FAILED:
			return true;
	}
	return false;
}
