/*-------------------------------------------------------------------------
 *
 * effects.c
 *	  Carry out task attempts: by resource, run now or record for later.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/acl.h"
#include "executor/spi.h"

#include "store/spi_util.h"
#include "tasks/http_queue.h"
#include "tasks/map_run.h"
#include "tasks/tasks.h"
#include "utils/builtins.h"

/* sfn.task_tokens, as the batch inserts it. */
enum
{
	TK_HASH, TK_EXEC, TK_THREAD, TK_EVENT, TK_NCOLS
};
static const SfnColumn token_cols[TK_NCOLS] = {
	[TK_HASH] = {"token_hash", BYTEAOID, NULL},
	[TK_EXEC] = {"execution_id", INT8OID, NULL},
	[TK_THREAD] = {"thread_id", INT4OID, NULL},
	[TK_EVENT] = {"scheduled_event_id", INT4OID, NULL},
};

/* sfn.activity_tasks */
enum
{
	AT_ACTIVITY, AT_EXEC, AT_THREAD, AT_EVENT, AT_INPUT, AT_TOKEN, AT_NCOLS
};
static const SfnColumn activity_cols[AT_NCOLS] = {
	[AT_ACTIVITY] = {"activity_id", INT8OID, NULL},
	[AT_EXEC] = {"execution_id", INT8OID, NULL},
	[AT_THREAD] = {"thread_id", INT4OID, NULL},
	[AT_EVENT] = {"scheduled_event_id", INT4OID, NULL},
	[AT_INPUT] = {"input", JSONBOID, NULL},
	[AT_TOKEN] = {"task_token", TEXTOID, NULL},
};

void
sfn_tasks_begin(SfnTaskBatch *b)
{
	sfn_rowset_init(&b->tokens, token_cols, TK_NCOLS);
	sfn_rowset_init(&b->activity_tasks, activity_cols, AT_NCOLS);
	b->http = NIL;
	b->sql_calls = 0;
	b->executions_started = 0;
}

/* The activity's id from its ARN (…:activity:NAME), or 0 if there is none. */
static int64
activity_id(const char *arn)
{
	const char *name = strstr(arn, ":activity:");
	uint64		n;

	if (name == NULL)
		return 0;
	name += strlen(":activity:");
	n = sfn_spi_exec("SELECT id FROM sfn.activities WHERE name OPERATOR(pg_catalog.=) $1",
					 1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(name)},
					 NULL, false, SPI_OK_SELECT);
	return n == 1 ? sfn_spi_get_int64(0, 1) : 0;
}

/*
 * The role of Credentials.RoleArn (…:role/NAME, or NAME): only one the
 * state machine's role is a member of (it could SET ROLE to it).
 */
static bool
credentials_role(const char *role_arn, Oid sm_role, Oid *as, char **error, char **cause)
{
	const char *slash = strstr(role_arn, ":role/");
	const char *name = slash ? slash + strlen(":role/") : role_arn;
	Oid			r = get_role_oid(name, true);

	if (!OidIsValid(r) || !OidIsValid(sm_role) || !is_member_of_role(sm_role, r))
	{
		*error = pstrdup("States.Permissions");
		*cause = psprintf("The state machine's role may not run tasks as role \"%s\" (Credentials.RoleArn)",
						  name);
		return false;
	}
	*as = r;
	return true;
}

/* The outbox row of an HTTP call made for a task attempt. */
static SfnHttpRequest *
http_request(const SfnEffect *eff, int64 exec_id, const char *exec_arn, JsonbValue *parameters)
{
	SfnHttpRequest *r = palloc0(sizeof(SfnHttpRequest));

	r->execution_id = exec_id;
	r->thread_id = eff->thread_id;
	r->scheduled_event_id = eff->task_event_id;
	r->parameters = parameters;

	/*
	 * The engine's own timer ends the task at TimeoutSeconds (States.Timeout,
	 * as on AWS); the transfer gets a second more, so that the timer fires
	 * first.  Without TimeoutSeconds the dispatcher's default bounds it.
	 */
	r->timeout_seconds = eff->timeout_seconds > 0 ?
		(int32) Min(eff->timeout_seconds + 1, PG_INT32_MAX) : 0;
	r->idempotency_key = psprintf("%s:%d", exec_arn, eff->task_event_id);
	return r;
}

SfnWake *
sfn_task_answer(const SfnEffect *eff, SfnWakeKind kind)
{
	SfnWake    *w = palloc0(sizeof(SfnWake));

	w->kind = kind;
	w->task_event_id = eff->task_event_id;
	return w;
}

static SfnWake *
failure(const SfnEffect *eff, const char *error, const char *cause)
{
	SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_FAILED);

	w->error = error;
	w->cause = cause;
	return w;
}

List *
sfn_tasks_carry_out(SfnTaskBatch *b, int64 exec_id, const char *exec_arn, Oid role,
					List *effects)
{
	List	   *wakes = NIL;
	ListCell   *lc;

	foreach(lc, effects)
	{
		SfnEffect  *eff = lfirst(lc);

		if (eff->token)
		{
			Datum		v[TK_NCOLS];
			bool		n[TK_NCOLS] = {0};

			v[TK_HASH] = sfn_token_hash(eff->token);
			v[TK_EXEC] = Int64GetDatum(exec_id);
			v[TK_THREAD] = Int32GetDatum(eff->thread_id);
			v[TK_EVENT] = Int32GetDatum(eff->task_event_id);
			sfn_rowset_add(&b->tokens, v, n);
		}

		/* A Distributed Map state: start its map run (tasks/map_run.c). */
		if (eff->map_run != NULL)
		{
			SfnWake    *w = sfn_map_run_start(exec_id, role, eff);

			if (w != NULL)
				wakes = lappend(wakes, w);
			continue;
		}

		switch (eff->state->target.kind)
		{
			case SFN_RESOURCE_SQL:
			case SFN_RESOURCE_LAMBDA:
			case SFN_RESOURCE_LAMBDA_FUNCTION:
				{
					JsonbValue *output;
					char	   *error;
					char	   *cause;
					SfnResourceKind kind = eff->state->target.kind;
					bool		bare = kind == SFN_RESOURCE_LAMBDA_FUNCTION;
					bool		ok;
					Oid			as = role;
					SfnLambdaTarget target;

					if (eff->role_arn && !credentials_role(eff->role_arn, role, &as, &error, &cause))
					{
						wakes = lappend(wakes, failure(eff, error, cause));
						break;
					}
					if (kind != SFN_RESOURCE_SQL &&
						!sfn_lambda_resolve(eff->parameters, eff->state->resource, bare,
											&target, &error, &cause))
					{
						wakes = lappend(wakes, failure(eff, error, cause));
						break;
					}
					if (kind != SFN_RESOURCE_SQL && target.http_endpoint)
					{
						/* Mapped to an HTTP endpoint: answered later. */
						b->http = lappend(b->http,
										  http_request(eff, exec_id, exec_arn,
													   sfn_lambda_http_parameters(&target)));
						break;
					}
					b->sql_calls++;
					if (kind == SFN_RESOURCE_SQL)
						ok = sfn_sql_invoke(eff->parameters, as, eff->state->name, eff->timeout_seconds,
											&output, &error, &cause);
					else
						ok = sfn_lambda_invoke(&target, bare, as, eff->state->name,
											   eff->timeout_seconds, &output, &error, &cause);
					if (ok)
					{
						SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_SUCCEEDED);

						w->output = output;
						wakes = lappend(wakes, w);
					}
					else
						wakes = lappend(wakes, failure(eff, error, cause));
					break;
				}
			case SFN_RESOURCE_HTTP:
				b->http = lappend(b->http, http_request(eff, exec_id, exec_arn, eff->parameters));
				break;
			case SFN_RESOURCE_ACTIVITY:
				{
					int64		id = activity_id(eff->state->resource);
					Datum		v[AT_NCOLS];
					bool		n[AT_NCOLS] = {0};

					if (id == 0)
					{
						wakes = lappend(wakes,
										failure(eff, "States.Runtime",
												psprintf("The activity '%s' does not exist",
														 eff->state->resource)));
						break;
					}
					v[AT_ACTIVITY] = Int64GetDatum(id);
					v[AT_EXEC] = Int64GetDatum(exec_id);
					v[AT_THREAD] = Int32GetDatum(eff->thread_id);
					v[AT_EVENT] = Int32GetDatum(eff->task_event_id);
					v[AT_INPUT] = JsonbPGetDatum(sfn_jv_to_jsonb(eff->parameters));
					v[AT_TOKEN] = CStringGetTextDatum(eff->token);
					sfn_rowset_add(&b->activity_tasks, v, n);
					break;
				}
			case SFN_RESOURCE_START_EXECUTION:
				{
					JsonbValue *output;
					char	   *error;
					char	   *cause;
					bool		started;

					/*
					 * The call's response; for .sync and .waitForTaskToken
					 * it is recorded as TaskSubmitted and the task waits.
					 */
					if (sfn_start_execution_task(eff, exec_id, role, &started,
												 &output, &error, &cause))
					{
						SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_SUCCEEDED);

						w->output = output;
						wakes = lappend(wakes, w);
						if (started)
							b->executions_started++;
					}
					else
						wakes = lappend(wakes, failure(eff, error, cause));
					break;
				}
			default:
				wakes = lappend(wakes,
								failure(eff, "States.Runtime",
										psprintf("pg_sfn has no target for the resource '%s'",
												 eff->state->resource)));
				break;
		}
	}
	return wakes;
}

void
sfn_tasks_finish(SfnTaskBatch *b)
{
	static SPIPlanPtr tokens = NULL;
	static SPIPlanPtr activity_tasks = NULL;

	sfn_rowset_insert(&tokens, "sfn.task_tokens", &b->tokens);
	sfn_rowset_insert(&activity_tasks, "sfn.activity_tasks", &b->activity_tasks);
	if (b->http != NIL)
		sfn_http_enqueue(b->http);
	sfn_tasks_begin(b);
}
