/*-------------------------------------------------------------------------
 *
 * executions.c
 *	  SQL API: StartExecution, StopExecution, and resolving execution ARNs.
 *
 * Describe, list and history are SQL functions over the tables (see
 * src/sql/40_executions.sql).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "api/access.h"
#include "api/api_util.h"
#include "support/errors.h"
#include "support/guc.h"
#include "support/names.h"
#include "engine/events.h"
#include "store/executions.h"
#include "store/state_machines.h"
#include "worker/worker.h"

/* StopExecution's limits on error and cause, in characters, as AWS's. */
#define SFN_MAX_STOP_ERROR_CHARS 256
#define SFN_MAX_STOP_CAUSE_CHARS 32768

PG_FUNCTION_INFO_V1(sfn_start_execution);
PG_FUNCTION_INFO_V1(sfn_stop_execution);
PG_FUNCTION_INFO_V1(sfn_execution_id);

static char *
generated_name(void)
{
	Datum		uuid = DirectFunctionCall1(gen_random_uuid, (Datum) 0);

	return DatumGetCString(DirectFunctionCall1(uuid_out, uuid));
}

static void
state_machine_not_found(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_STATE_MACHINE_DOES_NOT_EXIST),
			 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", sfn_msg(name))));
}

/*
 * sfn_start_execution(state_machine, input, name) -> execution ARN
 */
Datum
sfn_start_execution(PG_FUNCTION_ARGS)
{
	SfnStateMachineRow sm;
	Jsonb	   *input;
	char	   *name;
	char	   *input_text;
	char	   *arn;
	JsonbValue *details;
	SfnStartResult result;

	sfn_require_arg(fcinfo, 0, "state_machine");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_EXECUTION_INPUT),
				 errmsg("InvalidExecutionInput: execution input must not be null"),
				 errhint("Pass '{}' for an empty input.")));
	input = PG_GETARG_JSONB_P(1);
	name = PG_ARGISNULL(2) ? generated_name() : sfn_text_arg(fcinfo, 2);

	sfn_store_get_state_machine(sfn_state_machine_name_from(sfn_text_arg(fcinfo, 0)), &sm);
	sfn_check_access(sm.id, sm.owner, SFN_PRIV_START, "state machine",
					 state_machine_not_found, sm.name);
	sfn_check_name(name, "execution");
	input_text = sfn_jv_to_text(sfn_jv_from_jsonb(input));
	if ((int) strlen(input_text) > sfn_max_payload_size)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_EXECUTION_INPUT),
				 errmsg("InvalidExecutionInput: execution input is %zu bytes, more than the limit of %d bytes",
						strlen(input_text), sfn_max_payload_size),
				 errhint("The limit is set by pg_sfn.max_payload_size.")));

	arn = sfn_execution_arn(sm.name, name);
	details = sfn_execution_started_details(input_text,
											psprintf("arn:aws:iam::%s:role/%s",
													 sfn_account_id, sm.role));
	result = sfn_store_start_execution(sm.id, sm.revision, name, input, sfn_jv_to_jsonb(details),
									   GetCurrentTimestamp(), NULL);
	if (result == SFN_START_CONFLICT)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_EXECUTION_ALREADY_EXISTS),
				 errmsg("ExecutionAlreadyExists: execution \"%s\" already exists", sfn_msg(arn)),
				 errdetail("An execution of that name has a different input or is no longer running.")));
	if (result == SFN_START_DELETED)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_STATE_MACHINE_DOES_NOT_EXIST),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", sfn_msg(sm.name)),
				 errdetail("It was deleted while the execution was being started.")));
	if (result == SFN_START_CREATED)
		sfn_wake_workers_at_commit();
	PG_RETURN_TEXT_P(cstring_to_text(arn));
}

static void
execution_not_found(const char *arn)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_EXECUTION_DOES_NOT_EXIST),
			 errmsg("ExecutionDoesNotExist: execution \"%s\" does not exist", sfn_msg(arn))));
}

/*
 * Execution id for an execution ARN, whose state machine the current user
 * must hold priv on; raises InvalidArn or ExecutionDoesNotExist.
 */
static int64
execution_id_from_arn(const char *arn, SfnPrivilege priv)
{
	char	   *sm_name;
	char	   *exec_name;
	int64		sm_id;
	char	   *owner;
	int64		id;

	sfn_split_execution_arn(arn, &sm_name, &exec_name);
	id = sfn_store_find_execution(sm_name, exec_name, arn, &sm_id, &owner);
	sfn_check_access(sm_id, owner, priv, "execution", execution_not_found, arn);
	return id;
}

/*
 * sfn.execution_id(execution_arn) -> id
 */
Datum
sfn_execution_id(PG_FUNCTION_ARGS)
{
	sfn_require_arg(fcinfo, 0, "execution");
	PG_RETURN_INT64(execution_id_from_arn(sfn_text_arg(fcinfo, 0), SFN_PRIV_READ));
}

/*
 * sfn_stop_execution(execution, error, cause) -> stop date
 */
Datum
sfn_stop_execution(PG_FUNCTION_ARGS)
{
	char	   *arn;
	int64		id;
	TimestampTz stop_date = 0;
	char	   *status = NULL;
	char	   *error;
	char	   *cause;

	sfn_require_arg(fcinfo, 0, "execution");
	arn = sfn_text_arg(fcinfo, 0);
	error = sfn_text_arg(fcinfo, 1);
	cause = sfn_text_arg(fcinfo, 2);
	/* AWS's limits, in characters. */
	if (error && pg_mbstrlen(error) > SFN_MAX_STOP_ERROR_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: error is %d characters, more than the limit of %d",
						pg_mbstrlen(error), SFN_MAX_STOP_ERROR_CHARS)));
	if (cause && pg_mbstrlen(cause) > SFN_MAX_STOP_CAUSE_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: cause is %d characters, more than the limit of %d",
						pg_mbstrlen(cause), SFN_MAX_STOP_CAUSE_CHARS)));
	id = execution_id_from_arn(arn, SFN_PRIV_START);
	/* AWS gives ExecutionAborted previousEventId 0. */
	if (!sfn_store_end_execution(id, "ABORTED", "ExecutionAborted", false,
								 error, cause,
								 &stop_date, &status))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_EXECUTION_NOT_RUNNING),
				 errmsg("ExecutionNotRunning: execution \"%s\" is not running", sfn_msg(arn)),
				 errdetail("It ended with status %s.", status ? status : "unknown")));
	/* A parent waiting for it (.sync) may have an answer to apply. */
	sfn_wake_workers_at_commit();
	PG_RETURN_TIMESTAMPTZ(stop_date);
}

PG_FUNCTION_INFO_V1(sfn_json_text);

/*
 * sfn.json_text(jsonb) -> compact JSON text, as AWS writes input and output
 */
Datum
sfn_json_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(sfn_jv_to_text(sfn_jv_from_jsonb(PG_GETARG_JSONB_P(0)))));
}
