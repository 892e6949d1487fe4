/*-------------------------------------------------------------------------
 *
 * start_execution.c
 *	  The Step Functions integration: a Task state starts an execution of
 *	  another state machine (arn:aws:states:::states:startExecution, with
 *	  .sync, .sync:2 or .waitForTaskToken).
 *
 * Parameters as AWS's StartExecution: StateMachineArn (required), Input
 * (any JSON value, or JSON text in a string; {} when absent) and Name (a
 * fresh UUID when absent).  The child starts through the same statement
 * as sfn_start_execution (store/executions.c), so names are idempotent
 * and a deleted state machine refuses it, and records its parent.  It
 * runs as its own state machine's role; the parent state machine's role
 * must hold START on it (its owner's privileges, a START grant, sfn_admin
 * or superuser), as a role calling sfn_start_execution would.
 *
 * The call's response is AWS's {ExecutionArn, StartDate}: the Task's
 * result for the plain pattern, TaskSubmitted for the others.  With .sync
 * the answer comes when the child ends (store/child_executions.c); with
 * .waitForTaskToken from whoever holds the token.  Errors are named as
 * AWS names a Step Functions API error inside a Task:
 * StepFunctions.<Code>Exception.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "engine/events.h"
#include "store/child_executions.h"
#include "store/executions.h"
#include "store/spi_util.h"
#include "store/state_machines.h"
#include "support/guc.h"
#include "support/names.h"
#include "tasks/tasks.h"

/* Milliseconds since 1970, as AWS's SDKs write dates in a Task's result. */
static int64
epoch_ms(TimestampTz ts)
{
	return ts / 1000 +
		(int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
}

static bool
api_error(char **error, char **cause, const char *code, const char *message)
{
	size_t		n = strlen(code);
	bool		suffixed = n > 9 && strcmp(code + n - 9, "Exception") == 0;

	/* AWS's codes: InvalidArn, ...; ValidationException, AccessDeniedException */
	*error = psprintf("StepFunctions.%s%s", code, suffixed ? "" : "Exception");
	*cause = psprintf("%s (Service: AWSStepFunctions; Status Code: 400; Error Code: %s)",
					  message, code);
	return false;
}

typedef struct ChildMachine
{
	int64		id;
	int32		revision;
	char	   *role;
	char	   *owner;
} ChildMachine;

/* The ACTIVE state machine of that name; false if there is none. */
static bool
find_machine(const char *name, ChildMachine *m)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	bool		found;

	sfn_spi_begin(&scope);
	found = sfn_spi_exec("SELECT id, revision, role::pg_catalog.text, owner::pg_catalog.text"
						 " FROM sfn.state_machines"
						 " WHERE name OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'ACTIVE'",
						 1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(name)},
						 NULL, true, SPI_OK_SELECT) == 1;
	if (found)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		m->id = sfn_spi_get_int64(0, 1);
		m->revision = (int32) sfn_spi_get_int64(0, 2);
		m->role = sfn_spi_get_text(0, 3);
		m->owner = sfn_spi_get_text(0, 4);
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return found;
}

static bool
role_acts_as(Oid role, const char *name)
{
	Oid			r = get_role_oid(name, true);

	return OidIsValid(r) && has_privs_of_role(role, r);
}

/*
 * May the parent state machine's role start executions of m?  The same
 * rule as api/access.c applies to a calling role, evaluated for role.
 */
static bool
role_may_start(Oid role, const ChildMachine *m)
{
	ListCell   *lc;

	if (!OidIsValid(role))
		return false;
	if (superuser_arg(role) || role_acts_as(role, "sfn_admin") || role_acts_as(role, m->owner))
		return true;
	foreach(lc, sfn_store_grantees(m->id, "START"))
		if (role_acts_as(role, (const char *) lfirst(lc)))
			return true;
	return false;
}

bool
sfn_start_execution_task(const SfnEffect *eff, int64 parent_id, Oid role, bool *started,
						 JsonbValue **output, char **error, char **cause)
{
	char	   *role_name = OidIsValid(role) ? GetUserNameFromId(role, true) : NULL;
	JsonbValue *p = eff->parameters;
	JsonbValue *arn_v,
			   *name_v,
			   *input_v;
	char	   *sm_name;
	char	   *name;
	JsonbValue *input;
	char	   *input_text;
	ChildMachine m;
	SfnParentLink link;
	TimestampTz start = GetCurrentTimestamp();
	SfnStartResult result;
	JsonbValue *details;

	*started = false;
	if (p == NULL || !sfn_jv_is_object(p))
		return api_error(error, cause, "ValidationException",
						 "The parameters of StartExecution must be an object");
	arn_v = sfn_jv_object_cget(p, "StateMachineArn");
	name_v = sfn_jv_object_cget(p, "Name");
	input_v = sfn_jv_object_cget(p, "Input");
	if (arn_v == NULL)
		return api_error(error, cause, "ValidationException",
						 "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
	if (!sfn_jv_is_string(arn_v))
		return api_error(error, cause, "ValidationException",
						 psprintf("StateMachineArn must be a string, not %s", sfn_jv_to_text(arn_v)));
	sm_name = sfn_state_machine_name_of_arn(sfn_jv_cstr(arn_v));
	if (sm_name == NULL)
		return api_error(error, cause, "InvalidArn",
						 psprintf("Invalid Arn: '%s'", sfn_jv_cstr(arn_v)));

	if (name_v == NULL)
		name = DatumGetCString(DirectFunctionCall1(uuid_out,
												   DirectFunctionCall1(gen_random_uuid, (Datum) 0)));
	else if (!sfn_jv_is_string(name_v) || !sfn_name_is_valid(sfn_jv_cstr(name_v)))
		return api_error(error, cause, "InvalidName",
						 psprintf("Invalid Name: '%s'", sfn_jv_to_text(name_v)));
	else
		name = sfn_jv_cstr(name_v);

	/* Input: JSON text in a string, or the value itself; {} when absent. */
	if (input_v == NULL || input_v->type == jbvNull)
		input = sfn_jv_object();
	else if (sfn_jv_is_string(input_v))
	{
		char	   *text = sfn_jv_cstr(input_v);

		input = sfn_jv_parse(text, strlen(text));
		if (input == NULL)
			return api_error(error, cause, "InvalidExecutionInput",
							 psprintf("Invalid State Machine Execution Input: '%s'", text));
	}
	else
		input = input_v;
	input_text = sfn_jv_to_text(input);
	if ((int) strlen(input_text) > sfn_max_payload_size)
		return api_error(error, cause, "InvalidExecutionInput",
						 psprintf("The execution input is %zu bytes, more than the limit of %d bytes",
								  strlen(input_text), sfn_max_payload_size));

	if (!find_machine(sm_name, &m))
		return api_error(error, cause, "StateMachineDoesNotExist",
						 psprintf("State Machine Does Not Exist: '%s'", sfn_jv_cstr(arn_v)));
	if (!role_may_start(role, &m))
		return api_error(error, cause, "AccessDeniedException",
						 psprintf("User: arn:aws:iam::%s:role/%s is not authorized to perform: states:StartExecution on resource: %s",
								  sfn_account_id, role_name ? role_name : "",
								  sfn_jv_cstr(arn_v)));

	link.execution_id = parent_id;
	link.thread_id = eff->thread_id;
	link.task_event_id = eff->state->target.sync ? eff->task_event_id : 0;
	details = sfn_execution_started_details(input_text,
											psprintf("arn:aws:iam::%s:role/%s",
													 sfn_account_id, m.role));
	result = sfn_store_start_execution(m.id, m.revision, name, sfn_jv_to_jsonb(input),
									   sfn_jv_to_jsonb(details), start, &link);
	switch (result)
	{
		case SFN_START_CREATED:
			*started = true;
			break;
		case SFN_START_SAME_RUNNING:
			{
				/* AWS returns the running one; the attempt waits for it. */
				TimestampTz running = sfn_child_execution_running(m.id, name, &link);

				if (running != 0)
					start = running;
				break;
			}
		case SFN_START_CONFLICT:
			return api_error(error, cause, "ExecutionAlreadyExists",
							 psprintf("Execution Already Exists: '%s'",
									  sfn_execution_arn(sm_name, name)));
		case SFN_START_DELETED:
			return api_error(error, cause, "StateMachineDoesNotExist",
							 psprintf("State Machine Does Not Exist: '%s'", sfn_jv_cstr(arn_v)));
	}

	*output = sfn_jv_object();
	sfn_jv_object_put(*output, "ExecutionArn", 12,
					  sfn_jv_cstring(sfn_execution_arn(sm_name, name)));
	sfn_jv_object_put(*output, "StartDate", 9, sfn_jv_int(epoch_ms(start)));
	return true;
}

/* Replace the JSON text of key in obj by the value it holds. */
static void
unquote_field(JsonbValue *obj, const char *key)
{
	JsonbValue *v = sfn_jv_object_cget(obj, key);
	JsonbValue *parsed;

	if (v == NULL || !sfn_jv_is_string(v))
		return;
	parsed = sfn_jv_parse(sfn_jv_cstr(v), strlen(sfn_jv_cstr(v)));
	if (parsed)
		sfn_jv_object_put(obj, key, strlen(key), parsed);
}

void
sfn_start_execution_shape_answer(const SfnResource *target, SfnWake *wake)
{
	size_t		n = strlen(target->name);

	/* .sync:2 returns Input and Output as JSON, .sync as JSON text */
	if (n < 7 || strcmp(target->name + n - 7, ".sync:2") != 0)
		return;
	if (wake->kind == SFN_WAKE_TASK_SUCCEEDED && wake->output && sfn_jv_is_object(wake->output))
	{
		unquote_field(wake->output, "Input");
		unquote_field(wake->output, "Output");
	}
	else if (wake->kind == SFN_WAKE_TASK_FAILED && wake->cause &&
			 wake->error && strcmp(wake->error, "States.TaskFailed") == 0)
	{
		JsonbValue *c = sfn_jv_parse(wake->cause, strlen(wake->cause));

		if (c && sfn_jv_is_object(c) && sfn_jv_object_cget(c, "ExecutionArn"))
		{
			unquote_field(c, "Input");
			wake->cause = sfn_jv_to_text(c);
		}
	}
}
