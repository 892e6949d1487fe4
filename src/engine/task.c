/*-------------------------------------------------------------------------
 *
 * task.c
 *	  The Task state: schedule an attempt (an effect for src/tasks/ to
 *	  carry out), apply its answer, its deadlines, Retry and Catch.
 *
 * A visit to a Task state: TaskStateEntered, then per attempt
 * TaskScheduled, TaskStarted and one of TaskSucceeded / TaskFailed /
 * TaskTimedOut; between attempts the thread waits (phase RETRY) for the
 * retrier's delay; the visit ends with TaskStateExited (a result or a
 * caught error) or the execution's failure.  Activities and bare Lambda
 * function ARNs use AWS's Activity* and LambdaFunction* event types.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "engine/dataflow.h"
#include "engine/decide_int.h"
#include "engine/events.h"
#include "engine/retry.h"
#include "eval/budget.h"
#include "eval/entropy.h"

/* AWS's TimeoutSeconds / HeartbeatSeconds upper bound. */
#define SFN_MAX_TASK_SECONDS INT64CONST(99999999)

typedef enum EventFamily
{
	FAMILY_TASK,
	FAMILY_ACTIVITY,
	FAMILY_LAMBDA
} EventFamily;

static EventFamily
family(const SfnState *st)
{
	switch (st->target.kind)
	{
		case SFN_RESOURCE_ACTIVITY:
			return FAMILY_ACTIVITY;
		case SFN_RESOURCE_LAMBDA_FUNCTION:
			return FAMILY_LAMBDA;
		default:
			return FAMILY_TASK;
	}
}

static const char *
event_type(const SfnState *st, const char *what)
{
	static const char *const prefix[] = {"Task", "Activity", "LambdaFunction"};

	return psprintf("%s%s", prefix[family(st)], what);
}

/* {resourceType, resource} that every Task* event carries. */
static JsonbValue *
task_details(const SfnState *st)
{
	JsonbValue *d = sfn_jv_object();

	if (family(st) == FAMILY_TASK)
	{
		sfn_jv_object_put(d, "resourceType", 12, sfn_jv_cstring(st->target.type));
		sfn_jv_object_put(d, "resource", 8, sfn_jv_cstring(st->target.name));
	}
	return d;
}

static void
put_error(JsonbValue *d, const char *error, const char *cause)
{
	if (error)
		sfn_jv_object_put(d, "error", 5, sfn_jv_cstring(error));
	if (cause)
		sfn_jv_object_put(d, "cause", 5, sfn_jv_cstring(cause));
}

/* TimeoutSeconds / HeartbeatSeconds: literal, from a path, or 0 (none). */
static bool
task_seconds(int64 literal, SfnPath *path, const char *field, JsonbValue *input,
			 JsonbValue *ctx, int64 *out, SfnError *err)
{
	JsonbValue *v;

	*out = literal;
	if (path == NULL)
		return true;
	if (!sfn_path_query(path, input, ctx, &v, err))
		return false;
	if (v == NULL)
		return sfn_fail(err, "States.Runtime",
						"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
						sfn_path_text(path), field, sfn_jv_to_text(input));
	if (!sfn_jv_get_int64(v, out) || *out < 1 || *out > SFN_MAX_TASK_SECONDS)
		return sfn_fail(err, "States.Runtime",
						"The value of the field '%s' must be a positive integer no greater than " INT64_FORMAT ", but was: %s",
						field, SFN_MAX_TASK_SECONDS, sfn_jv_to_text(v));
	return true;
}

/* TimeoutSeconds / HeartbeatSeconds as a JSONata expression */
static bool
jsonata_seconds(const SfnState *st, const SfnJsonataTemplate *t, JsonbValue *input,
				JsonbValue *ctx, int64 *out, SfnError *err)
{
	JsonbValue *v;

	if (t == NULL)
		return true;
	if (!sfn_state_expression(st, t, input, ctx, &v, err))
		return false;
	if (!sfn_jv_is_number(v) || !sfn_jv_get_int64(v, out) || *out < 1 ||
		*out > SFN_MAX_TASK_SECONDS)
		return sfn_fail(err, SFN_JSONATA_ERROR,
						"The JSONata expression '%s' specified for the field '%s' returned an unexpected value: %s (a positive integer no greater than " INT64_FORMAT " is required)",
						sfn_jsonata_template_text(t), sfn_jsonata_template_field(t),
						sfn_jv_to_text(v), SFN_MAX_TASK_SECONDS);
	return true;
}

/*
 * Credentials.RoleArn: the role a task runs as instead of the state
 * machine's (pg_sfn takes the role name after "role/").  Only a literal
 * RoleArn is supported.
 */
static bool
credentials_role(const SfnState *st, const char **role_arn, SfnError *err)
{
	JsonbValue *v;

	*role_arn = NULL;
	if (st->credentials == NULL || !sfn_jv_is_object(st->credentials))
		return true;
	v = sfn_jv_object_cget(st->credentials, "RoleArn");
	if (v == NULL)
	{
		if (sfn_jv_object_cget(st->credentials, "RoleArn.$") != NULL)
			return sfn_fail(err, "States.Runtime",
							"pg_sfn supports only a literal Credentials.RoleArn, not RoleArn.$");
		return true;
	}
	if (!sfn_jv_is_string(v))
		return sfn_fail(err, "States.Runtime", "Credentials.RoleArn must be a string");
	*role_arn = sfn_jv_cstr(v);
	return true;
}

static void
set_due(SfnThread *thread)
{
	TimestampTz due = thread->task_deadline;

	if (thread->heartbeat_deadline != 0 && (due == 0 || thread->heartbeat_deadline < due))
		due = thread->heartbeat_deadline;
	thread->due_at = due;
}

/* $$ of a Task visit: with Task.Token when the resource waits for one. */
static JsonbValue *
task_context(const SfnExecution *exec, const SfnState *st, const SfnThread *thread)
{
	JsonbValue *ctx = sfn_context_object(exec, st, thread);

	if (st->target.wait_for_token)
	{
		JsonbValue *t = sfn_jv_object();

		sfn_jv_object_put(t, "Token", 5, sfn_jv_cstring(exec->fresh_token));
		sfn_jv_object_put(ctx, "Task", 4, t);
	}
	return ctx;
}

static void attempt_failed(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						   const char *error, const char *cause);

/* Schedule one attempt: TaskScheduled (TaskStarted), and the effect. */
static void
schedule_attempt(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	int64		timeout,
				heartbeat;
	char	   *text;
	const char *role_arn;
	JsonbValue *d;
	SfnEvent   *ev;
	SfnEffect  *eff;

	if (!sfn_state_input(st, thread->input, ctx, true, &effective, &err) ||
		!task_seconds(st->timeout_seconds, st->timeout_seconds_path, "TimeoutSecondsPath",
					  thread->input, ctx, &timeout, &err) ||
		!task_seconds(st->heartbeat_seconds, st->heartbeat_seconds_path, "HeartbeatSecondsPath",
					  thread->input, ctx, &heartbeat, &err) ||
		!jsonata_seconds(st, st->timeout_expr, thread->input, ctx, &timeout, &err) ||
		!jsonata_seconds(st, st->heartbeat_expr, thread->input, ctx, &heartbeat, &err))
	{
		/* an expression's failure is the state's error, for Retry and Catch */
		if (sfn_is_query_error(err.error))
		{
			sfn_evaluation_failed(exec, thread, st, &err);
			return attempt_failed(plan, exec, thread, err.error, err.cause);
		}
		return sfn_fail_in_state(plan, exec, thread, &err);
	}
	if (timeout > 0 && heartbeat >= timeout)
	{
		sfn_fail(&err, "States.Runtime",
				 "The value of HeartbeatSeconds (" INT64_FORMAT ") must be smaller than the value of TimeoutSeconds (" INT64_FORMAT ")",
				 heartbeat, timeout);
		return sfn_fail_in_state(plan, exec, thread, &err);
	}
	if ((text = sfn_payload_text(exec, st, effective, &err)) == NULL)
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (!credentials_role(st, &role_arn, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);

	d = task_details(st);
	switch (family(st))
	{
		case FAMILY_TASK:
			sfn_jv_object_put(d, "region", 6, sfn_jv_cstring(exec->region));
			sfn_jv_object_put(d, "parameters", 10, sfn_jv_cstring(text));
			break;
		case FAMILY_ACTIVITY:
		case FAMILY_LAMBDA:
			sfn_jv_object_put(d, "resource", 8, sfn_jv_cstring(st->resource));
			sfn_jv_object_put(d, "input", 5, sfn_jv_cstring(text));
			sfn_jv_object_put(d, "inputDetails", 12, sfn_not_truncated());
			break;
	}
	if (timeout > 0)
		sfn_jv_object_put(d, "timeoutInSeconds", 16, sfn_jv_int(timeout));
	if (heartbeat > 0 && family(st) != FAMILY_LAMBDA)
		sfn_jv_object_put(d, "heartbeatInSeconds", 18, sfn_jv_int(heartbeat));
	if (role_arn && family(st) == FAMILY_TASK)
	{
		JsonbValue *c = sfn_jv_object();

		sfn_jv_object_put(c, "roleArn", 7, sfn_jv_cstring(role_arn));
		sfn_jv_object_put(d, "taskCredentials", 15, c);
	}
	ev = sfn_emit(exec, thread->last_event_id, event_type(st, "Scheduled"), d);
	thread->last_event_id = ev->id;

	thread->phase = SFN_PHASE_TASK;
	thread->task_event_id = ev->id;
	thread->task_deadline = timeout > 0 ? exec->now + timeout * USECS_PER_SEC : 0;
	thread->heartbeat_seconds = (int32) heartbeat;
	thread->heartbeat_deadline = heartbeat > 0 ? exec->now + heartbeat * USECS_PER_SEC : 0;
	set_due(thread);

	eff = palloc0(sizeof(SfnEffect));
	eff->thread_id = thread->thread_id;
	eff->task_event_id = ev->id;
	eff->state = st;
	eff->parameters = effective;
	eff->timeout_seconds = timeout;
	/* An activity worker answers through a token too. */
	eff->token = (st->target.wait_for_token || family(st) == FAMILY_ACTIVITY) ?
		exec->fresh_token : NULL;
	eff->role_arn = role_arn;
	exec->effects = lappend(exec->effects, eff);
	if (sfn_resource_runs_inline(&st->target))
		exec->inline_tasks++;

	/* Only an activity starts later, when a worker takes it. */
	if (family(st) != FAMILY_ACTIVITY)
	{
		ev = sfn_emit(exec, thread->last_event_id, event_type(st, "Started"),
					  family(st) == FAMILY_TASK ? task_details(st) : NULL);
		thread->last_event_id = ev->id;
	}
}

void
sfn_run_task(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];

	schedule_attempt(plan, exec, thread, task_context(exec, st, thread));
}

/* Go on after an attempt ended: next state, retry, catcher or failure. */
void
sfn_apply_outcome(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, SfnOutcome *o)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;

	switch (o->kind)
	{
		case SFN_OUTCOME_NEXT:
		case SFN_OUTCOME_CAUGHT:
			sfn_leave_state_assign(plan, exec, thread, o->output, o->assigned, o->next);
			return;
		case SFN_OUTCOME_RETRY:
			if (thread->retry_counts == NULL || thread->n_retry_counts < list_length(st->retriers))
			{
				int32	   *counts = palloc0(sizeof(int32) * list_length(st->retriers));

				if (thread->retry_counts)
					memcpy(counts, thread->retry_counts, sizeof(int32) * thread->n_retry_counts);
				thread->retry_counts = counts;
				thread->n_retry_counts = list_length(st->retriers);
			}
			thread->retry_counts[o->retrier]++;
			thread->retry_count++;
			thread->phase = SFN_PHASE_RETRY;
			thread->task_event_id = 0;
			thread->task_deadline = 0;
			thread->heartbeat_deadline = 0;
			thread->due_at = exec->now + o->delay_usecs;
			return;
		case SFN_OUTCOME_FAILED:
			if (o->error && strcmp(o->error, "States.Runtime") == 0)
			{
				err.error = o->error;
				err.cause = (char *) o->cause;
				sfn_fail_in_state(plan, exec, thread, &err);
			}
			else if (sfn_is_query_error(o->error))
			{
				/* the state's own expression (EvaluationFailed is written) */
				sfn_fail_execution(exec, thread, o->error,
								   psprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s",
											st->name, thread->entered_event_id,
											o->cause ? o->cause : ""));
			}
			else
				sfn_fail_execution(exec, thread, o->error, o->cause);
			return;
	}
}

/* Jitter's randomness: fixed per execution, state visit and attempt. */
static uint64
attempt_seed(const SfnExecution *exec, const SfnThread *thread)
{
	return sfn_mix_seed(exec->seed, ((uint64) thread->entered_event_id << 32) |
						(uint32) thread->retry_count);
}

static void
attempt_failed(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
			   const char *error, const char *cause)
{
	const SfnState *st = &plan->states[thread->state];
	SfnOutcome	o;

	sfn_budget_begin();
	sfn_task_failed_ctx(st, thread->input, error, cause, task_context(exec, st, thread),
						thread->n_retry_counts ? thread->retry_counts : NULL,
						attempt_seed(exec, thread), &o);
	sfn_apply_outcome(plan, exec, thread, &o);
}

void
sfn_task_wake(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, const SfnWake *wake)
{
	const SfnState *st = &plan->states[thread->state];
	JsonbValue *d;
	SfnEvent   *ev;

	if (thread->done || thread->phase != SFN_PHASE_TASK ||
		st->type != SFN_STATE_TASK || wake->task_event_id != thread->task_event_id)
		return;					/* stale: another attempt, or over */

	switch (wake->kind)
	{
		case SFN_WAKE_TASK_STARTED:
			if (family(st) == FAMILY_ACTIVITY)
			{
				d = sfn_jv_object();
				if (wake->worker_name)
					sfn_jv_object_put(d, "workerName", 10, sfn_jv_cstring(wake->worker_name));
				ev = sfn_emit(exec, thread->last_event_id, "ActivityStarted", d);
				thread->last_event_id = ev->id;
			}
			return;
		case SFN_WAKE_TASK_HEARTBEAT:
			if (thread->heartbeat_seconds > 0)
			{
				thread->heartbeat_deadline = exec->now + (int64) thread->heartbeat_seconds * USECS_PER_SEC;
				set_due(thread);
			}
			return;
		case SFN_WAKE_TASK_SUCCEEDED:
			{
				SfnError	err;
				SfnOutcome	o;
				char	   *text;

				text = sfn_payload_text(exec, st, wake->output, &err);

				/*
				 * With .waitForTaskToken only the callback ends the task, with
				 * .sync the job's end; the call's own response is recorded as
				 * TaskSubmitted, as AWS records a service's response to the
				 * call that handed the token out or started the job.
				 */
				if ((st->target.wait_for_token || st->target.sync) && !wake->callback)
				{
					if (family(st) != FAMILY_TASK)
						return;
					d = task_details(st);
					if (text)
					{
						sfn_jv_object_put(d, "output", 6, sfn_jv_cstring(text));
						sfn_jv_object_put(d, "outputDetails", 13, sfn_not_truncated());
					}
					ev = sfn_emit(exec, thread->last_event_id, "TaskSubmitted", d);
					thread->last_event_id = ev->id;
					return;
				}
				if (text == NULL)
				{
					d = task_details(st);
					put_error(d, err.error, err.cause);
					ev = sfn_emit(exec, thread->last_event_id, event_type(st, "Failed"), d);
					thread->last_event_id = ev->id;
					attempt_failed(plan, exec, thread, err.error, err.cause);
					return;
				}
				d = task_details(st);
				sfn_jv_object_put(d, "output", 6, sfn_jv_cstring(text));
				sfn_jv_object_put(d, "outputDetails", 13, sfn_not_truncated());
				ev = sfn_emit(exec, thread->last_event_id, event_type(st, "Succeeded"), d);
				thread->last_event_id = ev->id;
				sfn_budget_begin();
				sfn_entropy_begin(exec->seed ? ~attempt_seed(exec, thread) : 0);
				sfn_task_succeeded(st, thread->input, wake->output,
								   task_context(exec, st, thread),
								   thread->n_retry_counts ? thread->retry_counts : NULL,
								   attempt_seed(exec, thread), &o);
				/* Output or Assign failed (a task's own answer is a success here) */
				if (o.kind != SFN_OUTCOME_NEXT && sfn_is_query_error(o.error))
				{
					SfnError	qe = {o.error, (char *) o.cause};

					sfn_evaluation_failed(exec, thread, st, &qe);
				}
				sfn_apply_outcome(plan, exec, thread, &o);
				return;
			}
		case SFN_WAKE_TASK_FAILED:
			d = task_details(st);
			put_error(d, wake->error, wake->cause);
			/* A target that timed out itself (a SQL task's timer) */
			ev = sfn_emit(exec, thread->last_event_id,
						  event_type(st, wake->error && strcmp(wake->error, "States.Timeout") == 0 ?
									 "TimedOut" : "Failed"), d);
			thread->last_event_id = ev->id;
			attempt_failed(plan, exec, thread, wake->error, wake->cause);
			return;
		default:
			return;
	}
}

void
sfn_task_due(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread)
{
	const SfnState *st = &plan->states[thread->state];
	const char *error;
	JsonbValue *d;
	SfnEvent   *ev;

	if (thread->phase == SFN_PHASE_RETRY)
	{
		sfn_budget_begin();
		sfn_entropy_begin(exec->seed ? attempt_seed(exec, thread) : 0);
		schedule_attempt(plan, exec, thread, task_context(exec, st, thread));
		return;
	}
	if (thread->task_deadline != 0 && thread->task_deadline <= exec->now)
		error = "States.Timeout";
	else if (thread->heartbeat_deadline != 0 && thread->heartbeat_deadline <= exec->now)
		error = "States.HeartbeatTimeout";
	else
		return;
	d = task_details(st);
	put_error(d, error, NULL);
	ev = sfn_emit(exec, thread->last_event_id, event_type(st, "TimedOut"), d);
	thread->last_event_id = ev->id;
	attempt_failed(plan, exec, thread, error, NULL);
}
