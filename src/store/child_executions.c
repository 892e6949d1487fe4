/*-------------------------------------------------------------------------
 *
 * child_executions.c
 *	  Nested executions: answer a waiting parent when its child ends, and
 *	  stop the children a parent waited for when the parent ends.
 *
 * A child started by arn:aws:states:::states:startExecution.sync (or
 * .sync:2) records its parent's execution, thread and TaskScheduled event
 * (sfn.executions.parent_*).  When it ends, one statement queues the
 * answer in sfn.inbox, shaped as AWS's DescribeExecution response with
 * Input and Output as JSON text: SUCCEEDED with that object, or FAILED
 * with States.TaskFailed and the object as cause text (every other end:
 * failed, timed out, aborted).  tasks/start_execution.c reshapes it for
 * .sync:2.  A parent that is no longer running gets no answer.
 *
 * Called from the two places where executions end: the worker's batch
 * (store/runner.c) and sfn_store_end_execution (StopExecution, internal
 * errors, the orphan sweep), after the ending rows are written.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "store/child_executions.h"
#include "store/spi_util.h"

/* Epoch milliseconds of a timestamptz, as AWS's SDKs print dates. */
#define EPOCH_MS(col) \
	"pg_catalog.floor(pg_catalog.date_part('epoch', " col ")" \
	" OPERATOR(pg_catalog.*) 1000::pg_catalog.float8)::pg_catalog.int8"

#define SUCCEEDED "e.status OPERATOR(pg_catalog.=) 'SUCCEEDED'"

static uint64
answer_parents(Datum ids)
{
	/*
	 * Only a parent that still runs (has its work row) is answered; the
	 * attempt id lets the engine ignore an answer for an attempt that is
	 * over (timed out, retried).
	 */
	return sfn_spi_exec("INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id,"
						"   kind, output, error, cause)"
						" SELECT e.parent_execution_id, e.parent_thread_id, e.parent_task_event_id,"
						"   CASE WHEN " SUCCEEDED " THEN 'SUCCEEDED' ELSE 'FAILED' END,"
						"   CASE WHEN " SUCCEEDED " THEN d.v END,"
						"   CASE WHEN NOT " SUCCEEDED " THEN 'States.TaskFailed' END,"
						"   CASE WHEN NOT " SUCCEEDED " THEN sfn.json_text(d.v) END"
						" FROM sfn.executions e"
						" JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
						" CROSS JOIN LATERAL (SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object("
						"   'ExecutionArn', sfn.execution_arn(sm.name, e.name),"
						"   'Input', sfn.json_text(e.input),"
						"   'InputDetails', pg_catalog.jsonb_build_object('Included', true),"
						"   'Name', e.name,"
						"   'Output', CASE WHEN " SUCCEEDED " THEN sfn.json_text(e.output) END,"
						"   'OutputDetails', CASE WHEN " SUCCEEDED
						"     THEN pg_catalog.jsonb_build_object('Included', true) END,"
						"   'RedriveCount', e.redrive_count,"
						"   'RedriveStatus', CASE WHEN " SUCCEEDED " THEN 'NOT_REDRIVABLE' ELSE 'REDRIVABLE' END,"
						"   'RedriveStatusReason', CASE WHEN " SUCCEEDED
						"     THEN 'Execution is SUCCEEDED and cannot be redriven' END,"
						"   'StartDate', " EPOCH_MS("e.start_date") ","
						"   'StateMachineArn', sfn.state_machine_arn(sm.name),"
						"   'Status', e.status,"
						"   'StopDate', " EPOCH_MS("e.stop_date") ","
						"   'Error', e.error,"
						"   'Cause', e.cause)) AS v) d"
						" WHERE e.id OPERATOR(pg_catalog.=) ANY ($1)"
						"   AND e.parent_task_event_id IS NOT NULL"
						"   AND e.status OPERATOR(pg_catalog.<>) 'RUNNING'"
						"   AND EXISTS (SELECT 1 FROM sfn.work w"
						"     WHERE w.execution_id OPERATOR(pg_catalog.=) e.parent_execution_id)",
						1, (Oid[]) {INT8ARRAYOID}, &ids, NULL, false, SPI_OK_INSERT);
}

/*
 * Stop the running children that the ended executions were waiting for
 * (AWS stops a .sync job whose Task is aborted).  Each stop is a
 * sfn_store_end_execution, which comes back here for the child's own
 * children.
 */
static void
stop_children(Datum ids)
{
	uint64		n;
	int64	   *children;
	char	  **causes;
	MemoryContext caller = CurrentMemoryContext;

	n = sfn_spi_exec("SELECT c.id, 'The execution ' OPERATOR(pg_catalog.||)"
					 "   sfn.execution_arn(sm.name, p.name) OPERATOR(pg_catalog.||)"
					 "   ', whose Task state waited for this execution, ended'"
					 " FROM sfn.executions c"
					 " JOIN sfn.executions p ON p.id OPERATOR(pg_catalog.=) c.parent_execution_id"
					 " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) p.state_machine_id"
					 " WHERE c.parent_execution_id OPERATOR(pg_catalog.=) ANY ($1)"
					 "   AND c.parent_task_event_id IS NOT NULL"
					 "   AND c.status OPERATOR(pg_catalog.=) 'RUNNING'"
					 " ORDER BY c.id",
					 1, (Oid[]) {INT8ARRAYOID}, &ids, NULL, false, SPI_OK_SELECT);
	if (n == 0)
		return;
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		children = palloc(sizeof(int64) * n);
		causes = palloc(sizeof(char *) * n);
		MemoryContextSwitchTo(spi);
	}
	for (uint64 r = 0; r < n; r++)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		children[r] = sfn_spi_get_int64(r, 1);
		causes[r] = sfn_spi_get_text(r, 2);
		MemoryContextSwitchTo(spi);
	}
	for (uint64 r = 0; r < n; r++)
	{
		TimestampTz stop_date;
		char	   *status;

		CHECK_FOR_INTERRUPTS();
		(void) sfn_store_end_execution(children[r], "ABORTED", "ExecutionAborted", false,
									   NULL, causes[r], &stop_date, &status);
	}
}

uint64
sfn_child_executions_ended(Datum ids)
{
	SfnSpiScope scope;
	uint64		answers;

	/* A chain of nested executions is stopped recursively. */
	check_stack_depth();
	sfn_spi_begin(&scope);
	answers = answer_parents(ids);
	stop_children(ids);
	sfn_spi_end(&scope);
	return answers;
}

uint64
sfn_child_execution_ended(int64 id)
{
	Datum		d = Int64GetDatum(id);

	return sfn_child_executions_ended(PointerGetDatum(construct_array(&d, 1, INT8OID, 8, true,
																	  TYPALIGN_DOUBLE)));
}

TimestampTz
sfn_child_execution_running(int64 sm_id, const char *name, const SfnParentLink *parent)
{
	SfnSpiScope scope;
	Datum		values[5];
	bool		isnull;
	Datum		d;
	TimestampTz start = 0;

	values[0] = Int64GetDatum(sm_id);
	values[1] = CStringGetTextDatum(name);
	values[2] = Int64GetDatum(parent->execution_id);
	values[3] = Int32GetDatum(parent->thread_id);
	values[4] = Int32GetDatum(parent->task_event_id);
	sfn_spi_begin(&scope);
	/* Only a waiting attempt takes the execution over. */
	if (parent->task_event_id != 0)
		sfn_spi_exec("UPDATE sfn.executions SET parent_execution_id = $3, parent_thread_id = $4,"
					 "   parent_task_event_id = $5"
					 " WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
					 "   AND name OPERATOR(pg_catalog.=) $2"
					 "   AND status OPERATOR(pg_catalog.=) 'RUNNING'"
					 " RETURNING start_date",
					 5, (Oid[]) {INT8OID, TEXTOID, INT8OID, INT4OID, INT4OID},
					 values, NULL, false, SPI_OK_UPDATE_RETURNING);
	else
		sfn_spi_exec("SELECT start_date FROM sfn.executions"
					 " WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
					 "   AND name OPERATOR(pg_catalog.=) $2",
					 2, (Oid[]) {INT8OID, TEXTOID}, values, NULL, true, SPI_OK_SELECT);
	if (SPI_processed == 1)
	{
		d = sfn_spi_get(0, 1, &isnull);
		if (!isnull)
			start = DatumGetTimestampTz(d);
	}
	sfn_spi_end(&scope);
	return start;
}
