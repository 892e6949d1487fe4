/*-------------------------------------------------------------------------
 *
 * executions.c
 *	  Table access for starting, stopping and finding executions.
 *
 * Starting writes three rows in one statement (execution, ExecutionStarted,
 * work); ending an execution from outside the engine (stop, or a worker
 * giving up on it) locks the work row first, as the workers do (see
 * runner.c), so it waits for a batch in progress instead of deadlocking
 * with it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "common/errors.h"
#include "store/executions.h"
#include "store/schema_version.h"
#include "store/spi_util.h"

SfnStartResult
sfn_store_start_execution(int64 sm_id, int32 revision, const char *name,
						  Jsonb *input, Jsonb *started_details, TimestampTz start)
{
	SfnSpiScope scope;
	static SPIPlanPtr start_plan = NULL;
	SfnStartResult result = SFN_START_CREATED;
	Datum		values[6];
	int			rc;

	values[0] = Int64GetDatum(sm_id);
	values[1] = Int32GetDatum(revision);
	values[2] = CStringGetTextDatum(name);
	values[3] = JsonbPGetDatum(input);
	values[4] = TimestampTzGetDatum(start);
	values[5] = JsonbPGetDatum(started_details);

	sfn_spi_begin(&scope);
	if (start_plan == NULL)
	{
		start_plan = SPI_prepare(
			"WITH ins AS ("
			"  INSERT INTO sfn.executions (state_machine_id, revision, name, input, start_date,"
			"    timeout_at, last_event_id)"
			"  SELECT $1, $2, $3, $4, $5,"
			"    $5 + make_interval(secs => (r.definition->>'TimeoutSeconds')::float8), 1"
			"  FROM sfn.state_machine_revisions r"
			"  WHERE r.state_machine_id = $1 AND r.revision = $2"
			"  ON CONFLICT (state_machine_id, name) DO NOTHING"
			"  RETURNING id),"
			" h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
			"  SELECT id, 1, 0, $5, 'ExecutionStarted', $6 FROM ins),"
			" w AS (INSERT INTO sfn.work (execution_id, due_at) SELECT id, $5 FROM ins)"
			" SELECT id FROM ins",
			6, (Oid[]) {INT8OID, INT4OID, TEXTOID, JSONBOID, TIMESTAMPTZOID, JSONBOID});
		if (start_plan == NULL)
			elog(ERROR, "could not prepare the start statement");
		SPI_keepplan(start_plan);
	}
	rc = SPI_execute_plan(start_plan, values, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "start failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
	{
		/* The name is taken: AWS returns the same execution only if it is
		 * still running with the same input. */
		sfn_spi_exec("SELECT 1 FROM sfn.executions"
					 " WHERE state_machine_id = $1 AND name = $2 AND status = 'RUNNING' AND input = $3",
					 3, (Oid[]) {INT8OID, TEXTOID, JSONBOID},
					 (Datum[]) {values[0], values[2], values[3]}, NULL,
					 false /* a new snapshot: see the racing winner */ , SPI_OK_SELECT);
		result = SPI_processed == 1 ? SFN_START_SAME_RUNNING : SFN_START_CONFLICT;
	}
	sfn_spi_end(&scope);
	return result;
}

/*
 * End a RUNNING execution from outside the engine: status, the closing
 * event (previousEventId 0 as AWS gives ExecutionAborted, or the last
 * event), error and cause.  Locks the work row first: waits for a worker
 * batch holding the execution.  Returns false if it was not running.
 */
bool
sfn_store_end_execution(int64 exec_id, const char *status, const char *event_type,
						bool previous_is_last, const char *error, const char *cause,
						TimestampTz *stop_date, char **final_status)
{
	SfnSpiScope scope;
	Datum		values[6];
	char		nulls[6] = "      ";
	bool		ended;
	MemoryContext caller = CurrentMemoryContext;

	values[0] = Int64GetDatum(exec_id);
	values[1] = error ? CStringGetTextDatum(error) : (Datum) 0;
	values[2] = cause ? CStringGetTextDatum(cause) : (Datum) 0;
	values[3] = CStringGetTextDatum(status);
	values[4] = CStringGetTextDatum(event_type);
	values[5] = BoolGetDatum(previous_is_last);
	if (!error)
		nulls[1] = 'n';
	if (!cause)
		nulls[2] = 'n';

	sfn_spi_begin(&scope);
	/* The work row first: it is the execution's lock (see runner.c). */
	sfn_spi_exec("WITH w AS (DELETE FROM sfn.work WHERE execution_id = $1 RETURNING execution_id),"
				 " e AS (UPDATE sfn.executions e"
				 "   SET status = $4, error = $2, cause = $3, stop_date = clock_timestamp(),"
				 "       last_event_id = e.last_event_id + 1"
				 "   FROM w WHERE e.id = w.execution_id AND e.status = 'RUNNING'"
				 "   RETURNING e.id, e.last_event_id, e.stop_date),"
				 " h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
				 "   SELECT id, last_event_id, CASE WHEN $6 THEN last_event_id - 1 ELSE 0 END, stop_date, $5,"
				 "     jsonb_strip_nulls(jsonb_build_object('error', $2, 'cause', $3)) FROM e),"
				 " t AS (DELETE FROM sfn.threads WHERE execution_id IN (SELECT id FROM e))"
				 " SELECT stop_date, $4 FROM e",
				 6, (Oid[]) {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID},
				 values, nulls, false, SPI_OK_SELECT);
	ended = SPI_processed == 1;
	if (!ended)
		sfn_spi_exec("SELECT stop_date, status FROM sfn.executions WHERE id = $1",
					 1, (Oid[]) {INT8OID}, values, NULL, true, SPI_OK_SELECT);
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = sfn_spi_get(0, 1, &isnull);
		MemoryContext spi = MemoryContextSwitchTo(caller);

		*stop_date = isnull ? 0 : DatumGetTimestampTz(d);
		*final_status = sfn_spi_get_text(0, 2);
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return ended;
}

int64
sfn_store_find_execution(const char *sm_name, const char *exec_name, const char *arn,
						 int64 *sm_id, char **sm_owner)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	int64		id;

	sfn_require_current_schema();
	sfn_spi_begin(&scope);
	/* Newest first: a deleted state machine's name may have been reused. */
	sfn_spi_exec("SELECT e.id, sm.id, sm.owner::text FROM sfn.executions e"
				 " JOIN sfn.state_machines sm ON sm.id = e.state_machine_id"
				 " WHERE sm.name = $1 AND e.name = $2 ORDER BY sm.id DESC LIMIT 1",
				 2, (Oid[]) {TEXTOID, TEXTOID},
				 (Datum[]) {CStringGetTextDatum(sm_name), CStringGetTextDatum(exec_name)},
				 NULL, true, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_EXECUTION_DOES_NOT_EXIST),
				 errmsg("ExecutionDoesNotExist: execution \"%s\" does not exist", arn)));
	id = sfn_spi_get_int64(0, 1);
	*sm_id = sfn_spi_get_int64(0, 2);
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		*sm_owner = sfn_spi_get_text(0, 3);
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return id;
}
