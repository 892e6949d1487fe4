/*-------------------------------------------------------------------------
 *
 * activities.c
 *	  CreateActivity, DeleteActivity, GetActivityTask.
 *
 * An activity belongs to the role that created it; that role, its members
 * and sfn_admin may poll and delete it (describe and list go through the
 * row-level security of sfn.activities, src/sql/46_activities.sql).  A
 * worker takes a task with FOR UPDATE SKIP LOCKED, so two workers never
 * get the same one; taking it records ActivityStarted (through
 * sfn.inbox) and hands out the token for sfn_send_task_*.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "api/access.h"
#include "api/api_util.h"
#include "store/schema_version.h"
#include "store/spi_util.h"
#include "support/errors.h"
#include "support/guc.h"
#include "support/names.h"
#include "worker/worker.h"

PG_FUNCTION_INFO_V1(sfn_create_activity);
PG_FUNCTION_INFO_V1(sfn_delete_activity);
PG_FUNCTION_INFO_V1(sfn_get_activity_task);

/* Longest wait of GetActivityTask, as on AWS. */
#define SFN_ACTIVITY_MAX_WAIT_SECONDS 60
#define SFN_ACTIVITY_POLL_MS 50

static char *
activity_arn(const char *name)
{
	return psprintf("arn:aws:states:%s:%s:activity:%s", sfn_region, sfn_account_id, name);
}

/* The name in an activity ARN (or a bare name). */
static char *
activity_name_from(const char *arn)
{
	const char *p = strstr(arn, ":activity:");

	if (strncmp(arn, "arn:", 4) != 0)
		return pstrdup(arn);
	if (p == NULL || strchr(p + 10, ':') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: \"%s\" is not an activity ARN", sfn_msg(arn))));
	return pstrdup(p + 10);
}

static void
activity_not_found(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_ACTIVITY_DOES_NOT_EXIST),
			 errmsg("ActivityDoesNotExist: activity \"%s\" does not exist", sfn_msg(name))));
}

/* The id of the activity, which the current user must own (or act as). */
static int64
owned_activity(const char *name)
{
	int64		id;
	char	   *owner;
	SfnSpiScope scope;

	sfn_spi_begin(&scope);
	if (sfn_spi_exec("SELECT id, owner::pg_catalog.text FROM sfn.activities WHERE name OPERATOR(pg_catalog.=) $1",
					 1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(name)},
					 NULL, false, SPI_OK_SELECT) == 0)
	{
		sfn_spi_end(&scope);
		activity_not_found(name);
	}
	id = sfn_spi_get_int64(0, 1);
	owner = pstrdup(sfn_spi_get_text(0, 2));
	sfn_spi_end(&scope);
	if (!(superuser() || sfn_acts_as("sfn_admin") || sfn_acts_as(owner)))
		activity_not_found(name);
	return id;
}

Datum
sfn_create_activity(PG_FUNCTION_ARGS)
{
	char	   *name;
	SfnSpiScope scope;
	char	   *owner = GetUserNameFromId(GetUserId(), false);

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "name");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sfn_check_name(name, "activity");

	/* Idempotent as on AWS: an existing activity of that name is returned. */
	sfn_spi_begin(&scope);
	sfn_spi_exec("INSERT INTO sfn.activities (name, owner) VALUES ($1, $2::pg_catalog.name)"
				 " ON CONFLICT (name) DO NOTHING",
				 2, (Oid[]) {TEXTOID, TEXTOID},
				 (Datum[]) {CStringGetTextDatum(name), CStringGetTextDatum(owner)},
				 NULL, false, SPI_OK_INSERT);
	sfn_spi_end(&scope);
	(void) owned_activity(name);
	PG_RETURN_TEXT_P(cstring_to_text(activity_arn(name)));
}

Datum
sfn_delete_activity(PG_FUNCTION_ARGS)
{
	char	   *name;
	int64		id;
	SfnSpiScope scope;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "activity_arn");
	name = activity_name_from(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	id = owned_activity(name);
	/* Waiting tasks stay scheduled and time out, as on AWS. */
	sfn_spi_begin(&scope);
	sfn_spi_exec("DELETE FROM sfn.activities WHERE id OPERATOR(pg_catalog.=) $1",
				 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(id)}, NULL, false, SPI_OK_DELETE);
	sfn_spi_end(&scope);
	PG_RETURN_VOID();
}

/*
 * Take the oldest waiting task of the activity: true with its token and
 * input (in the caller's memory context).
 */
static bool
take_task(int64 activity, const char *worker, char **token, Jsonb **input)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	bool		found = false;

	sfn_spi_begin(&scope);
	if (sfn_spi_exec("WITH t AS (DELETE FROM sfn.activity_tasks WHERE id OPERATOR(pg_catalog.=) ("
					 "    SELECT id FROM sfn.activity_tasks WHERE activity_id OPERATOR(pg_catalog.=) $1"
					 "    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
					 "  RETURNING execution_id, thread_id, scheduled_event_id, input, task_token),"
					 " i AS (INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id, kind, cause)"
					 "  SELECT execution_id, thread_id, scheduled_event_id, 'STARTED', $2 FROM t)"
					 " SELECT task_token, input FROM t",
					 2, (Oid[]) {INT8OID, TEXTOID},
					 (Datum[]) {Int64GetDatum(activity), worker ? CStringGetTextDatum(worker) : (Datum) 0},
					 worker ? NULL : " n", false, SPI_OK_SELECT) == 1)
	{
		bool		isnull;
		MemoryContext spi = MemoryContextSwitchTo(caller);

		*token = pstrdup(sfn_spi_get_text(0, 1));
		*input = DatumGetJsonbPCopy(sfn_spi_get(0, 2, &isnull));
		MemoryContextSwitchTo(spi);
		found = true;
	}
	sfn_spi_end(&scope);
	return found;
}

Datum
sfn_get_activity_task(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *worker = NULL;
	int32		wait_seconds = SFN_ACTIVITY_MAX_WAIT_SECONDS;
	int64		id;
	TimestampTz deadline;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {true, true};
	char	   *token;
	Jsonb	   *input;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "activity_arn");
	name = activity_name_from(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	if (!PG_ARGISNULL(1))
	{
		worker = text_to_cstring(PG_GETARG_TEXT_PP(1));
		if (strlen(worker) > 80)
			ereport(ERROR,
					(errcode(ERRCODE_SFN_VALIDATION),
					 errmsg("ValidationException: worker_name must be at most 80 characters")));
	}
	if (!PG_ARGISNULL(2))
		wait_seconds = PG_GETARG_INT32(2);
	if (wait_seconds < 0 || wait_seconds > SFN_ACTIVITY_MAX_WAIT_SECONDS)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: wait_seconds must be between 0 and %d",
						SFN_ACTIVITY_MAX_WAIT_SECONDS)));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "sfn_get_activity_task must return a record");
	id = owned_activity(name);

	deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), wait_seconds * 1000);
	for (;;)
	{
		if (take_task(id, worker, &token, &input))
		{
			values[0] = CStringGetTextDatum(token);
			values[1] = JsonbPGetDatum(input);
			nulls[0] = nulls[1] = false;
			sfn_wake_workers_at_commit();
			break;
		}
		if (GetCurrentTimestamp() >= deadline)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 SFN_ACTIVITY_POLL_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
