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

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/resowner.h"
#include "utils/builtins.h"

#include "support/errors.h"
#include "support/names.h"
#include "store/child_executions.h"
#include "store/executions.h"
#include "store/schema_version.h"
#include "store/spi_util.h"
#include "store/state_machines.h"
#include "tasks/map_run.h"
#include "utils/array.h"

/*
 * The start statement: the execution, its ExecutionStarted event and its
 * work row, only while the state machine is ACTIVE.  CONFLICT_CLAUSE is
 * "ON CONFLICT ... DO NOTHING" or nothing.
 */
#define START_SQL(CONFLICT_CLAUSE) \
	"WITH ins AS (" \
	"  INSERT INTO sfn.executions (state_machine_id, revision, name, input, start_date," \
	"    timeout_at, last_event_id, parent_execution_id, parent_thread_id, parent_task_event_id)" \
	"  SELECT $1, $2, $3, $4, $5," \
	"    $5 OPERATOR(pg_catalog.+) pg_catalog.make_interval(secs =>" \
	"      (r.definition OPERATOR(pg_catalog.->>) 'TimeoutSeconds')::pg_catalog.float8), 1," \
	"    $7, $8, $9" \
	"  FROM sfn.state_machine_revisions r" \
	"  JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) r.state_machine_id" \
	"  WHERE r.state_machine_id OPERATOR(pg_catalog.=) $1 AND r.revision OPERATOR(pg_catalog.=) $2" \
	"    AND sm.status OPERATOR(pg_catalog.=) 'ACTIVE'" \
	"  " CONFLICT_CLAUSE \
	"  RETURNING id)," \
	" h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)" \
	"  SELECT id, 1, 0, $5, 'ExecutionStarted', $6 FROM ins)," \
	" w AS (INSERT INTO sfn.work (execution_id, due_at) SELECT id, $5 FROM ins)" \
	" SELECT id FROM ins"

#define START_NARGS 9
#define START_TYPES (Oid[]) {INT8OID, INT4OID, TEXTOID, JSONBOID, TIMESTAMPTZOID, JSONBOID, \
		INT8OID, INT4OID, INT4OID}

static SPIPlanPtr
prepare_kept(SPIPlanPtr *slot, const char *sql)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, START_NARGS, START_TYPES);

		if (p == NULL)
			elog(ERROR, "could not prepare the start statement");
		SPI_keepplan(p);
		*slot = p;
	}
	return *slot;
}

/*
 * REPEATABLE READ and SERIALIZABLE: INSERT ... ON CONFLICT raises a
 * serialization failure when the conflicting row was committed after our
 * snapshot (a racing duplicate start).  A plain INSERT in a subtransaction
 * waits for the racer the same way and reports a unique violation instead,
 * after which the caller looks at the racer's row with the latest data.
 * Returns false on a unique violation of the execution name.
 */
static bool
insert_in_subtransaction(Datum *values, const char *nulls)
{
	static SPIPlanPtr plain_plan = NULL;
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	bool		inserted = false;

	prepare_kept(&plain_plan, START_SQL(""));
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		if (SPI_execute_plan(plain_plan, values, nulls, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "start failed");
		inserted = SPI_processed == 1;
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION)
			ReThrowError(edata);
		FreeErrorData(edata);
		inserted = false;
	}
	PG_END_TRY();
	return inserted;
}

SfnStartResult
sfn_store_start_execution(int64 sm_id, int32 revision, const char *name,
						  Jsonb *input, Jsonb *started_details, TimestampTz start,
						  const SfnParentLink *parent)
{
	SfnSpiScope scope;
	static SPIPlanPtr start_plan = NULL;
	SfnStartResult result = SFN_START_CREATED;
	Datum		values[START_NARGS];
	char		nulls[START_NARGS + 1] = "         ";
	bool		inserted;

	values[0] = Int64GetDatum(sm_id);
	values[1] = Int32GetDatum(revision);
	values[2] = CStringGetTextDatum(name);
	values[3] = JsonbPGetDatum(input);
	values[4] = TimestampTzGetDatum(start);
	values[5] = JsonbPGetDatum(started_details);
	/* A nested execution: its parent, and the attempt waiting (.sync) */
	values[6] = Int64GetDatum(parent ? parent->execution_id : 0);
	values[7] = Int32GetDatum(parent ? parent->thread_id : 0);
	values[8] = Int32GetDatum(parent ? parent->task_event_id : 0);
	if (parent == NULL)
		nulls[6] = nulls[7] = nulls[8] = 'n';
	else if (parent->task_event_id == 0)
		nulls[8] = 'n';

	/*
	 * Shared with other starts, exclusive with a delete of the state
	 * machine, held until commit: a delete waits for our executions to
	 * commit and then sees them; a start that waited for a delete finds the
	 * state machine DELETING (the statement below takes its snapshot after
	 * the lock is granted; under REPEATABLE READ the latest data is read).
	 */
	sfn_lock_state_machine(sm_id, false);

	sfn_spi_begin(&scope);
	if (IsolationUsesXactSnapshot())
	{
		if (sfn_spi_exec_latest("SELECT 1 FROM sfn.state_machines"
								" WHERE id OPERATOR(pg_catalog.=) $1"
								"   AND status OPERATOR(pg_catalog.=) 'ACTIVE'",
								1, (Oid[]) {INT8OID}, values, NULL, true, SPI_OK_SELECT) == 0)
		{
			sfn_spi_end(&scope);
			return SFN_START_DELETED;
		}
		inserted = insert_in_subtransaction(values, nulls);
	}
	else
	{
		prepare_kept(&start_plan,
					 START_SQL("ON CONFLICT (state_machine_id, name) DO NOTHING"));
		if (SPI_execute_plan(start_plan, values, nulls, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "start failed");
		inserted = SPI_processed == 1;
	}
	if (!inserted)
	{
		/*
		 * The name is taken, or the state machine was deleted while we
		 * waited.  AWS returns the same execution only if it is still
		 * running with the same input.  The latest data: see the racing
		 * winner.
		 */
		if (sfn_spi_exec_latest("SELECT 1 FROM sfn.executions"
								" WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
								"   AND name OPERATOR(pg_catalog.=) $2"
								"   AND status OPERATOR(pg_catalog.=) 'RUNNING'"
								"   AND input OPERATOR(pg_catalog.=) $3",
								3, (Oid[]) {INT8OID, TEXTOID, JSONBOID},
								(Datum[]) {values[0], values[2], values[3]}, NULL,
								true, SPI_OK_SELECT) == 1)
			result = SFN_START_SAME_RUNNING;
		else if (sfn_spi_exec_latest("SELECT 1 FROM sfn.state_machines"
									 " WHERE id OPERATOR(pg_catalog.=) $1"
									 "   AND status OPERATOR(pg_catalog.=) 'ACTIVE'",
									 1, (Oid[]) {INT8OID}, values, NULL, true,
									 SPI_OK_SELECT) == 0)
			result = SFN_START_DELETED;
		else
			result = SFN_START_CONFLICT;
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
	sfn_spi_exec("WITH w AS (DELETE FROM sfn.work WHERE execution_id OPERATOR(pg_catalog.=) $1"
				 "   RETURNING execution_id),"
				 " e AS (UPDATE sfn.executions e"
				 "   SET status = $4, error = $2, cause = $3, stop_date = pg_catalog.clock_timestamp(),"
				 "       last_event_id = e.last_event_id OPERATOR(pg_catalog.+) 1"
				 "   FROM w WHERE e.id OPERATOR(pg_catalog.=) w.execution_id"
				 "     AND e.status OPERATOR(pg_catalog.=) 'RUNNING'"
				 "   RETURNING e.id, e.last_event_id, e.stop_date),"
				 " h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
				 "   SELECT id, last_event_id,"
				 "     CASE WHEN $6 THEN last_event_id OPERATOR(pg_catalog.-) 1 ELSE 0 END, stop_date, $5,"
				 "     pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('error', $2, 'cause', $3))"
				 "   FROM e),"
				 SFN_DELETE_EXECUTION_ROWS("SELECT id FROM e")
				 " SELECT stop_date, $4 FROM e",
				 6, (Oid[]) {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID},
				 values, nulls, false, SPI_OK_SELECT);
	ended = SPI_processed == 1;
	if (ended)
	{
		Datum		id = Int64GetDatum(exec_id);

		/* Its map runs, or its map run if it is a child (tasks/map_run_hook.c). */
		sfn_map_runs_executions_ended(PointerGetDatum(construct_array(&id, 1, INT8OID, 8, true,
																	  TYPALIGN_DOUBLE)));
		sfn_spi_exec("SELECT stop_date, $2::pg_catalog.text FROM sfn.executions"
					 " WHERE id OPERATOR(pg_catalog.=) $1",
					 2, (Oid[]) {INT8OID, TEXTOID}, (Datum[]) {values[0], values[3]},
					 NULL, false, SPI_OK_SELECT);
	}
	else
		sfn_spi_exec("SELECT stop_date, status FROM sfn.executions WHERE id OPERATOR(pg_catalog.=) $1",
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
	/* Nested executions: answer a waiting parent, stop waited-for children. */
	if (ended)
		(void) sfn_child_execution_ended(exec_id);
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
				 " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
				 " WHERE sm.name OPERATOR(pg_catalog.=) $1 AND e.name OPERATOR(pg_catalog.=) $2"
				 " ORDER BY sm.id DESC LIMIT 1",
				 2, (Oid[]) {TEXTOID, TEXTOID},
				 (Datum[]) {CStringGetTextDatum(sm_name), CStringGetTextDatum(exec_name)},
				 NULL, true, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_EXECUTION_DOES_NOT_EXIST),
				 errmsg("ExecutionDoesNotExist: execution \"%s\" does not exist", sfn_msg(arn))));
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
