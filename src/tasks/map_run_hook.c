/*-------------------------------------------------------------------------
 *
 * map_run_hook.c
 *	  Executions ended: count the children of map runs among them, start
 *	  more children, answer the parent when the run is over; abort the
 *	  runs of parents that ended.
 *
 * Called once per worker batch (store/runner.c, with every execution the
 * batch ended) and by sfn_store_end_execution (stop, internal failures).
 * The counts of a run are updated once per batch, not once per child, and
 * that update's row lock is what serializes two batches ending the last
 * children of the same run: the second sees the first's counts (READ
 * COMMITTED re-reads the updated row) and exactly one of them sees the
 * run complete and answers the parent.  Runs are updated in id order, so
 * two batches never wait for each other in a cycle.
 *
 * Children are aborted with SKIP LOCKED: a child that another batch holds
 * is left to it (it must not be waited for while we hold the run's row:
 * that batch may be waiting for the row to count a child).  Once the run
 * has ended, the claim no longer takes such a child, and the orphan sweep
 * aborts and counts it (sfn_map_runs_abort_stragglers).  A child that
 * batch ended before committing is counted as it ended.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "store/child_executions.h"
#include "store/executions.h"
#include "store/spi_util.h"
#include "support/guc.h"
#include "tasks/map_run.h"
#include "worker/worker.h"

int64
sfn_map_run_start_children(int64 run_id, int64 n, TimestampTz now)
{
	if (n <= 0)
		return 0;
	sfn_spi_exec("WITH r AS ("
				 "   SELECT mr.id, mr.uuid, e.state_machine_id, e.revision, sm.role"
				 "   FROM sfn.map_runs mr"
				 "   JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) mr.parent_execution_id"
				 "   JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
				 "   WHERE mr.id OPERATOR(pg_catalog.=) $1),"
				 " s AS (SELECT child_index FROM sfn.map_run_items"
				 "   WHERE map_run_id OPERATOR(pg_catalog.=) $1"
				 "   ORDER BY child_index LIMIT $2 FOR UPDATE SKIP LOCKED),"
				 " d AS (DELETE FROM sfn.map_run_items i USING s"
				 "   WHERE i.map_run_id OPERATOR(pg_catalog.=) $1"
				 "     AND i.child_index OPERATOR(pg_catalog.=) s.child_index"
				 "   RETURNING i.child_index, i.input),"
				 " ins AS (INSERT INTO sfn.executions (state_machine_id, revision, name, input,"
				 "     start_date, last_event_id, map_run_id)"
				 "   SELECT r.state_machine_id, r.revision,"
				 "     r.uuid::pg_catalog.text OPERATOR(pg_catalog.||) ':'"
				 "       OPERATOR(pg_catalog.||) d.child_index::pg_catalog.text,"
				 "     d.input, $3, 1, r.id"
				 "   FROM d CROSS JOIN r ORDER BY d.child_index"
				 "   RETURNING id, input),"
				 " h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
				 "   SELECT ins.id, 1, 0, $3, 'ExecutionStarted',"
				 "     pg_catalog.jsonb_build_object('input', sfn.json_text(ins.input),"
				 "       'inputDetails', pg_catalog.jsonb_build_object('truncated', false),"
				 "       'roleArn', $4 OPERATOR(pg_catalog.||) r.role::pg_catalog.text)"
				 "   FROM ins CROSS JOIN r),"
				 " w AS (INSERT INTO sfn.work (execution_id, due_at) SELECT id, $3 FROM ins),"
				 " u AS (UPDATE sfn.map_runs SET started = started OPERATOR(pg_catalog.+)"
				 "     (SELECT pg_catalog.count(*) FROM ins)"
				 "   WHERE id OPERATOR(pg_catalog.=) $1)"
				 " SELECT pg_catalog.count(*) FROM ins",
				 4, (Oid[]) {INT8OID, INT8OID, TIMESTAMPTZOID, TEXTOID},
				 (Datum[]) {Int64GetDatum(run_id), Int64GetDatum(n), TimestampTzGetDatum(now),
					 CStringGetTextDatum(psprintf("arn:aws:iam::%s:role/", sfn_account_id))},
				 NULL, false, SPI_OK_SELECT);
	return sfn_spi_get_int64(0, 1);
}

static Datum
id_array(int64 *ids, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int64GetDatum(ids[i]);
	return PointerGetDatum(construct_array(d, n, INT8OID, 8, true, TYPALIGN_DOUBLE));
}

static void abort_runs_of_parents(Datum ids);

/*
 * End the running children of a run that is over (ABORTED, with
 * ExecutionAborted); then the runs of those children, if they are parents
 * too.
 */
static void
drop_pending(int64 run_id)
{
	sfn_spi_exec("DELETE FROM sfn.map_run_items WHERE map_run_id OPERATOR(pg_catalog.=) $1",
				 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(run_id)}, NULL, false,
				 SPI_OK_DELETE);
}

static void
abort_running(int64 run_id)
{
	uint64		n;
	int64	   *ids;

	n = sfn_spi_exec("WITH l AS (SELECT w.execution_id FROM sfn.work w"
					 "   JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) w.execution_id"
					 "   WHERE e.map_run_id OPERATOR(pg_catalog.=) $1"
					 "     AND e.status OPERATOR(pg_catalog.=) 'RUNNING'"
					 "   FOR UPDATE OF w SKIP LOCKED),"
					 " wd AS (DELETE FROM sfn.work w USING l"
					 "   WHERE w.execution_id OPERATOR(pg_catalog.=) l.execution_id),"
					 " e AS (UPDATE sfn.executions e SET status = 'ABORTED', stop_date = pg_catalog.now(),"
					 "     last_event_id = e.last_event_id OPERATOR(pg_catalog.+) 1"
					 "   FROM l WHERE e.id OPERATOR(pg_catalog.=) l.execution_id"
					 "     AND e.status OPERATOR(pg_catalog.=) 'RUNNING'"
					 "   RETURNING e.id, e.last_event_id, e.stop_date),"
					 " h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
					 "   SELECT id, last_event_id, 0, stop_date, 'ExecutionAborted', '{}'::pg_catalog.jsonb FROM e),"
					 SFN_DELETE_EXECUTION_ROWS("SELECT id FROM e") ","
					 " u AS (UPDATE sfn.map_runs SET aborted = aborted OPERATOR(pg_catalog.+)"
					 "     (SELECT pg_catalog.count(*) FROM e)"
					 "   WHERE id OPERATOR(pg_catalog.=) $1)"
					 " SELECT id FROM e",
					 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(run_id)}, NULL, false,
					 SPI_OK_SELECT);
	if (n == 0)
		return;
	ids = palloc(sizeof(int64) * n);
	for (uint64 r = 0; r < n; r++)
		ids[r] = sfn_spi_get_int64(r, 1);
	/* Their .sync children stop with them, as any parent's do. */
	(void) sfn_child_executions_ended(id_array(ids, (int) n));
	abort_runs_of_parents(id_array(ids, (int) n));
}

/*
 * Running children of ended runs, skipped by abort_running because a batch
 * held them then: abort those no one holds now, count them in their runs.
 * Called by the orphan sweep (store/runner.c); returns how many.
 */
uint64
sfn_map_runs_abort_stragglers(int limit)
{
	uint64		n;
	int64	   *ids;

	n = sfn_spi_exec("WITH l AS (SELECT w.execution_id, e.map_run_id FROM sfn.work w"
					 "   JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) w.execution_id"
					 "   JOIN sfn.map_runs mr ON mr.id OPERATOR(pg_catalog.=) e.map_run_id"
					 "   WHERE e.status OPERATOR(pg_catalog.=) 'RUNNING'"
					 "     AND mr.status OPERATOR(pg_catalog.<>) 'RUNNING'"
					 "   ORDER BY e.map_run_id LIMIT $1"
					 "   FOR UPDATE OF w SKIP LOCKED),"
					 " wd AS (DELETE FROM sfn.work w USING l"
					 "   WHERE w.execution_id OPERATOR(pg_catalog.=) l.execution_id),"
					 " e AS (UPDATE sfn.executions e SET status = 'ABORTED', stop_date = pg_catalog.now(),"
					 "     last_event_id = e.last_event_id OPERATOR(pg_catalog.+) 1"
					 "   FROM l WHERE e.id OPERATOR(pg_catalog.=) l.execution_id"
					 "     AND e.status OPERATOR(pg_catalog.=) 'RUNNING'"
					 "   RETURNING e.id, e.map_run_id, e.last_event_id, e.stop_date),"
					 " h AS (INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
					 "   SELECT id, last_event_id, 0, stop_date, 'ExecutionAborted', '{}'::pg_catalog.jsonb FROM e),"
					 SFN_DELETE_EXECUTION_ROWS("SELECT id FROM e")
					 " SELECT id FROM e ORDER BY map_run_id",
					 1, (Oid[]) {INT4OID}, (Datum[]) {Int32GetDatum(limit)}, NULL, false,
					 SPI_OK_SELECT);
	if (n == 0)
		return 0;
	ids = palloc(sizeof(int64) * n);
	for (uint64 r = 0; r < n; r++)
		ids[r] = sfn_spi_get_int64(r, 1);
	/* Counted as any batch's ended children (the runs are over: no more). */
	(void) sfn_child_executions_ended(id_array(ids, (int) n));
	sfn_map_runs_executions_ended(id_array(ids, (int) n));
	return n;
}

/* The runs of ended parents: ABORTED, with their children. */
static void
abort_runs_of_parents(Datum ids)
{
	uint64		n;
	int64	   *runs;

	check_stack_depth();
	n = sfn_spi_exec("UPDATE sfn.map_runs SET status = 'ABORTED', stop_date = pg_catalog.now()"
					 " WHERE parent_execution_id OPERATOR(pg_catalog.=) ANY ($1)"
					 "   AND status OPERATOR(pg_catalog.=) 'RUNNING'"
					 " RETURNING id",
					 1, (Oid[]) {INT8ARRAYOID}, &ids, NULL, false, SPI_OK_UPDATE_RETURNING);
	if (n == 0)
		return;
	runs = palloc(sizeof(int64) * n);
	for (uint64 r = 0; r < n; r++)
		runs[r] = sfn_spi_get_int64(r, 1);
	for (uint64 r = 0; r < n; r++)
	{
		drop_pending(runs[r]);
		abort_running(runs[r]);
	}
}

/*
 * The run is over: the rest aborted, the ResultWriter's rows, its status,
 * and the answer in the parent's inbox.
 */
static void
finish_run(int64 run_id, bool succeeded, const char *error, const char *cause)
{
	JsonbValue *output = NULL;
	bool		isnull;
	Datum		writer;

	if (!succeeded)
		abort_running(run_id);
	sfn_spi_exec("SELECT result_writer FROM sfn.map_runs WHERE id OPERATOR(pg_catalog.=) $1",
				 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(run_id)}, NULL, false,
				 SPI_OK_SELECT);
	writer = sfn_spi_get(0, 1, &isnull);
	if (!isnull)
	{
		char	   *werror;
		char	   *wcause;

		if (!sfn_map_run_write_results(run_id, sfn_jv_from_jsonb(DatumGetJsonbPCopy(writer)),
									   &output, &werror, &wcause) && succeeded)
		{
			succeeded = false;
			error = werror;
			cause = wcause;
		}
	}
	drop_pending(run_id);
	sfn_spi_exec("WITH u AS (UPDATE sfn.map_runs SET status = $2, stop_date = pg_catalog.now()"
				 "   WHERE id OPERATOR(pg_catalog.=) $1"
				 "   RETURNING parent_execution_id, parent_thread_id, parent_event_id)"
				 " INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id, kind, output, error, cause)"
				 " SELECT u.parent_execution_id, u.parent_thread_id, u.parent_event_id,"
				 "   CASE WHEN $2 OPERATOR(pg_catalog.=) 'SUCCEEDED' THEN 'SUCCEEDED' ELSE 'FAILED' END,"
				 "   CASE WHEN $2 OPERATOR(pg_catalog.=) 'SUCCEEDED' THEN COALESCE($5,"
				 "     (SELECT COALESCE(pg_catalog.jsonb_agg("
				 "        CASE WHEN c.status OPERATOR(pg_catalog.=) 'SUCCEEDED' THEN c.output"
				 "        ELSE pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object("
				 "          'Error', c.error, 'Cause', c.cause)) END"
				 "        ORDER BY pg_catalog.split_part(c.name, ':', 2)::pg_catalog.int4),"
				 "        '[]'::pg_catalog.jsonb)"
				 "      FROM sfn.executions c WHERE c.map_run_id OPERATOR(pg_catalog.=) $1))"
				 "   END, $3, $4"
				 " FROM u",
				 5, (Oid[]) {INT8OID, TEXTOID, TEXTOID, TEXTOID, JSONBOID},
				 (Datum[]) {Int64GetDatum(run_id), CStringGetTextDatum(succeeded ? "SUCCEEDED" : "FAILED"),
					 error ? CStringGetTextDatum(error) : (Datum) 0,
					 cause ? CStringGetTextDatum(cause) : (Datum) 0,
					 output ? JsonbPGetDatum(sfn_jv_to_jsonb(output)) : (Datum) 0},
				 (char[]) {' ', ' ', error ? ' ' : 'n', cause ? ' ' : 'n', output ? ' ' : 'n'},
				 false, SPI_OK_INSERT);
	sfn_wake_workers_at_commit();
}

/* Count a batch's ended children of one run; go on or finish the run. */
static void
count_children(int64 run_id, int64 succeeded, int64 failed, int64 timed_out, int64 aborted)
{
	bool		isnull;
	char	   *status;
	int64		children,
				started,
				ended,
				max_concurrency,
				running;
	bool		exceeded;

	if (sfn_spi_exec("UPDATE sfn.map_runs SET succeeded = succeeded OPERATOR(pg_catalog.+) $2,"
					 "   failed = failed OPERATOR(pg_catalog.+) $3,"
					 "   timed_out = timed_out OPERATOR(pg_catalog.+) $4,"
					 "   aborted = aborted OPERATOR(pg_catalog.+) $5"
					 " WHERE id OPERATOR(pg_catalog.=) $1"
					 " RETURNING status, child_count, started,"
					 "   succeeded OPERATOR(pg_catalog.+) failed OPERATOR(pg_catalog.+) timed_out"
					 "     OPERATOR(pg_catalog.+) aborted,"
					 "   max_concurrency,"
					 "   CASE WHEN tolerated_failure_count IS NULL AND tolerated_failure_percentage IS NULL"
					 "     THEN (failed OPERATOR(pg_catalog.+) timed_out OPERATOR(pg_catalog.+) aborted)"
					 "       OPERATOR(pg_catalog.>) 0"
					 "   ELSE COALESCE((failed OPERATOR(pg_catalog.+) timed_out OPERATOR(pg_catalog.+) aborted)"
					 "       OPERATOR(pg_catalog.>) tolerated_failure_count, false)"
					 "     OR COALESCE(((failed OPERATOR(pg_catalog.+) timed_out"
					 "       OPERATOR(pg_catalog.+) aborted)::pg_catalog.float8 OPERATOR(pg_catalog.*) 100)"
					 "       OPERATOR(pg_catalog.>) (tolerated_failure_percentage"
					 "       OPERATOR(pg_catalog.*) child_count::pg_catalog.float8), false)"
					 "   END",
					 5, (Oid[]) {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID},
					 (Datum[]) {Int64GetDatum(run_id), Int64GetDatum(succeeded), Int64GetDatum(failed),
						 Int64GetDatum(timed_out), Int64GetDatum(aborted)},
					 NULL, false, SPI_OK_UPDATE_RETURNING) != 1)
		return;
	status = sfn_spi_get_text(0, 1);
	if (strcmp(status, "RUNNING") != 0)
		return;					/* over already: these were aborted or late */
	children = sfn_spi_get_int64(0, 2);
	started = sfn_spi_get_int64(0, 3);
	ended = sfn_spi_get_int64(0, 4);
	max_concurrency = DatumGetInt32(sfn_spi_get(0, 5, &isnull));
	exceeded = DatumGetBool(sfn_spi_get(0, 6, &isnull));

	if (exceeded)
	{
		finish_run(run_id, false, "States.ExceedToleratedFailureThreshold",
				   "The specified tolerated failure threshold was exceeded");
		return;
	}
	if (ended >= children)
	{
		finish_run(run_id, true, NULL, NULL);
		return;
	}
	/* As many new children as MaxConcurrency allows now. */
	running = started - ended;
	if (max_concurrency <= 0)
		max_concurrency = SFN_MAP_RUN_DEFAULT_CONCURRENCY;
	if (max_concurrency > running && started < children)
	{
		(void) sfn_map_run_start_children(run_id,
										  Min(max_concurrency - running, children - started),
										  GetCurrentTimestamp());
		sfn_wake_workers_at_commit();
	}
}

void
sfn_map_runs_executions_ended(Datum ids)
{
	uint64		n;
	int64	   *runs;
	int64	   *counts;

	abort_runs_of_parents(ids);

	n = sfn_spi_exec("SELECT map_run_id,"
					 "   pg_catalog.count(*) FILTER (WHERE status OPERATOR(pg_catalog.=) 'SUCCEEDED'),"
					 "   pg_catalog.count(*) FILTER (WHERE status OPERATOR(pg_catalog.=) 'FAILED'),"
					 "   pg_catalog.count(*) FILTER (WHERE status OPERATOR(pg_catalog.=) 'TIMED_OUT'),"
					 "   pg_catalog.count(*) FILTER (WHERE status OPERATOR(pg_catalog.=) 'ABORTED')"
					 " FROM sfn.executions"
					 " WHERE id OPERATOR(pg_catalog.=) ANY ($1) AND map_run_id IS NOT NULL"
					 "   AND status OPERATOR(pg_catalog.<>) 'RUNNING'"
					 " GROUP BY map_run_id ORDER BY map_run_id",
					 1, (Oid[]) {INT8ARRAYOID}, &ids, NULL, false, SPI_OK_SELECT);
	if (n == 0)
		return;
	runs = palloc(sizeof(int64) * n);
	counts = palloc(sizeof(int64) * n * 4);
	for (uint64 r = 0; r < n; r++)
	{
		runs[r] = sfn_spi_get_int64(r, 1);
		for (int c = 0; c < 4; c++)
			counts[r * 4 + c] = sfn_spi_get_int64(r, 2 + c);
	}
	for (uint64 r = 0; r < n; r++)
		count_children(runs[r], counts[r * 4], counts[r * 4 + 1], counts[r * 4 + 2],
					   counts[r * 4 + 3]);
}
