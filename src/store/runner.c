/*-------------------------------------------------------------------------
 *
 * runner.c
 *	  One worker batch: claim due executions with FOR UPDATE SKIP LOCKED,
 *	  run sfn_decide() on each, write every result with a handful of
 *	  set-based statements, commit.
 *
 * Locking rule: the sfn.work row is an execution's lock.  A RUNNING
 * execution has exactly one work row; whoever changes a running execution
 * (a worker, sfn_stop_execution) first locks that row.  SKIP LOCKED makes
 * other workers pass over executions being advanced.
 *
 * Fairness: a batch has a time budget (pg_sfn.batch_time_budget).  An
 * execution advances a few transitions per sfn_decide() call; once the
 * budget is spent it yields (its work row is due again, behind those
 * already waiting), and the executions not reached are left as they were,
 * due, for the next batch.  A claim only takes rows it can run: a work row
 * whose execution is not RUNNING or whose state machine or revision is
 * missing never fills a LIMIT slot; the orphan sweep ends or removes them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "pgstat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "support/guc.h"
#include "support/names.h"
#include "engine/engine.h"
#include "store/executions.h"
#include "store/plan_cache.h"
#include "store/runner.h"
#include "store/schema_version.h"
#include "store/spi_util.h"

/* Longest sleep when nothing is due; bounds how late retention runs. */
#define SFN_MAX_SLEEP_MS 10000L
/*
 * A work row (alias w) that a batch can run: its execution is RUNNING and
 * its state machine and revision exist.  Claims take only these; the
 * orphan sweep takes exactly the others.  OFFSET 0 keeps it a per-row
 * look-up (a prepared plan otherwise scans every execution per claim).
 */
#define RUNNABLE_WORK_ROW \
	"EXISTS (SELECT 1 FROM sfn.executions e" \
	"  JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id" \
	"  JOIN sfn.state_machine_revisions r" \
	"    ON r.state_machine_id OPERATOR(pg_catalog.=) e.state_machine_id" \
	"   AND r.revision OPERATOR(pg_catalog.=) e.revision" \
	"  WHERE e.id OPERATOR(pg_catalog.=) w.execution_id" \
	"    AND e.status OPERATOR(pg_catalog.=) 'RUNNING' OFFSET 0)"

/* Transitions one execution may make per batch before yielding. */
#define SFN_MAX_TRANSITIONS_PER_BATCH 500
/* Transitions per sfn_decide() call: the time budget is checked between. */
#define SFN_TRANSITIONS_PER_CALL 10
/* History queued beyond this is written during the batch (time budget). */
#define SFN_HISTORY_FLUSH_BYTES (1024 * 1024)
/* Orphaned work rows handled per sweep. */
#define SFN_ORPHANS_PER_SWEEP 1000

/*
 * Poison executions.  After a batch of several fails, the next batches
 * claim one execution each; a one-execution batch that fails ends that
 * execution (States.Runtime) so that the others go on.
 */
static int	isolate_batches = 0;
static int64 current_execution = 0;
static uint64 current_claimed = 0;

/* Set when a claimed execution is still due now (it yielded, or was not reached). */
static bool batch_left_work_due = false;

/* When the current batch's time budget is spent. */
static TimestampTz batch_deadline = 0;

/* Column arrays for the set-based writes. */
typedef struct Column
{
	ArrayBuildState *state;
	Oid			type;
} Column;

typedef struct BatchWrites
{
	Column		h_exec, h_id, h_prev, h_ts, h_type, h_details;	/* history */
	Size		h_bytes;		/* of h_details not yet written */
	Column		t_exec, t_state, t_phase, t_input, t_entered, t_entered_id,
				t_last, t_retry, t_due;	/* threads still running */
	Column		e_id, e_last, e_status, e_output, e_error, e_cause, e_stop;	/* executions */
	Column		w_exec, w_due;	/* work rows kept */
	Column		done_exec;		/* finished: work and threads removed */
} BatchWrites;

static void
col_init(Column *c, Oid type)
{
	c->state = initArrayResult(type, CurrentMemoryContext, false);
	c->type = type;
}

static void
col_add(Column *c, Datum d, bool isnull)
{
	accumArrayResult(c->state, d, isnull, c->type, CurrentMemoryContext);
}

static Datum
col_array(Column *c)
{
	return makeArrayResult(c->state, CurrentMemoryContext);
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

static void
history_init(BatchWrites *w)
{
	col_init(&w->h_exec, INT8OID);
	col_init(&w->h_id, INT4OID);
	col_init(&w->h_prev, INT4OID);
	col_init(&w->h_ts, TIMESTAMPTZOID);
	col_init(&w->h_type, TEXTOID);
	col_init(&w->h_details, JSONBOID);
	w->h_bytes = 0;
}

static void
writes_init(BatchWrites *w)
{
	history_init(w);
	col_init(&w->t_exec, INT8OID);
	col_init(&w->t_state, TEXTOID);
	col_init(&w->t_phase, INT4OID);
	col_init(&w->t_input, JSONBOID);
	col_init(&w->t_entered, TIMESTAMPTZOID);
	col_init(&w->t_entered_id, INT4OID);
	col_init(&w->t_last, INT4OID);
	col_init(&w->t_retry, INT4OID);
	col_init(&w->t_due, TIMESTAMPTZOID);
	col_init(&w->e_id, INT8OID);
	col_init(&w->e_last, INT4OID);
	col_init(&w->e_status, TEXTOID);
	col_init(&w->e_output, JSONBOID);
	col_init(&w->e_error, TEXTOID);
	col_init(&w->e_cause, TEXTOID);
	col_init(&w->e_stop, TIMESTAMPTZOID);
	col_init(&w->w_exec, INT8OID);
	col_init(&w->w_due, TIMESTAMPTZOID);
	col_init(&w->done_exec, INT8OID);
}

static void write_history(BatchWrites *w);

/*
 * Queue the history events of one sfn_decide() call for writing, and
 * empty exec->events.  Past SFN_HISTORY_FLUSH_BYTES they are written at
 * once, so that the time budget counts writing them too.
 */
static void
collect_events(BatchWrites *w, SfnExecution *exec)
{
	ListCell   *lc;

	foreach(lc, exec->events)
	{
		SfnEvent   *ev = lfirst(lc);
		Jsonb	   *details = ev->details ? sfn_jv_to_jsonb(ev->details) : NULL;

		col_add(&w->h_exec, Int64GetDatum(exec->id), false);
		col_add(&w->h_id, Int32GetDatum(ev->id), false);
		col_add(&w->h_prev, Int32GetDatum(ev->previous_id), false);
		col_add(&w->h_ts, TimestampTzGetDatum(ev->ts), false);
		col_add(&w->h_type, CStringGetTextDatum(ev->type), false);
		col_add(&w->h_details, details ? JsonbPGetDatum(details) : (Datum) 0, details == NULL);
		if (details)
			w->h_bytes += VARSIZE(details);
	}
	exec->events = NIL;
	if (w->h_bytes > SFN_HISTORY_FLUSH_BYTES)
		write_history(w);
}

/* Queue the results of advancing one execution for writing. */
static void
collect(BatchWrites *w, const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
		TimestampTz timeout_at)
{
	bool		isnull;
	Datum		d;
	bool		done = exec->status != SFN_RUNNING;

	collect_events(w, exec);

	col_add(&w->e_id, Int64GetDatum(exec->id), false);
	col_add(&w->e_last, Int32GetDatum(exec->last_event_id), false);
	col_add(&w->e_status, CStringGetTextDatum(sfn_status_name(exec->status)), false);
	col_add(&w->e_output, exec->output ? JsonbPGetDatum(sfn_jv_to_jsonb(exec->output)) : (Datum) 0,
			exec->output == NULL);
	d = text_or_null(exec->error, &isnull);
	col_add(&w->e_error, d, isnull);
	d = text_or_null(exec->cause, &isnull);
	col_add(&w->e_cause, d, isnull);
	col_add(&w->e_stop, TimestampTzGetDatum(exec->now), !done);

	if (done)
	{
		col_add(&w->done_exec, Int64GetDatum(exec->id), false);
		return;
	}
	col_add(&w->t_exec, Int64GetDatum(exec->id), false);
	col_add(&w->t_state, CStringGetTextDatum(plan->states[thread->state].name), false);
	col_add(&w->t_phase, Int32GetDatum(thread->phase), false);
	col_add(&w->t_input, JsonbPGetDatum(sfn_jv_to_jsonb(thread->input)), false);
	col_add(&w->t_entered, TimestampTzGetDatum(thread->entered_at), thread->entered_at == 0);
	col_add(&w->t_entered_id, Int32GetDatum(thread->entered_event_id), false);
	col_add(&w->t_last, Int32GetDatum(thread->last_event_id), false);
	col_add(&w->t_retry, Int32GetDatum(thread->retry_count), false);
	col_add(&w->t_due, TimestampTzGetDatum(thread->due_at),
			thread->phase != SFN_PHASE_WAITING);

	/*
	 * The work row is due when the thread is, or at the timeout if sooner.
	 * A thread that yielded is due again now, behind the executions
	 * already due (the clock now, not the batch's start).
	 */
	{
		TimestampTz due;

		if (thread->phase == SFN_PHASE_WAITING)
			due = thread->due_at;
		else
		{
			due = GetCurrentTimestamp();
			batch_left_work_due = true;
		}
		if (timeout_at != 0 && timeout_at < due)
			due = timeout_at;
		if (due <= exec->now)
			batch_left_work_due = true;
		col_add(&w->w_exec, Int64GetDatum(exec->id), false);
		col_add(&w->w_due, TimestampTzGetDatum(due), false);
	}
}

/* Prepared once per backend and kept. */
static SPIPlanPtr
keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed for: %s", sql);
		SPI_keepplan(p);
		*slot = p;
	}
	return *slot;
}

static bool
col_empty(Column *c)
{
	return c->state->nelems == 0;
}

static void
exec_plan(SPIPlanPtr plan, Datum *values, int expect)
{
	int			rc = SPI_execute_plan(plan, values, NULL, false, 0);

	if (rc != expect)
		elog(ERROR, "SPI_execute_plan returned %s", SPI_result_code_string(rc));
}

/* Write the queued history events and start a new set. */
static void
write_history(BatchWrites *w)
{
	static SPIPlanPtr hist = NULL;

	if (col_empty(&w->h_exec))
		return;
	keep_plan(&hist,
			  "INSERT INTO sfn.history (execution_id, event_id, previous_event_id, ts, type, details)"
			  " SELECT * FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]),"
			  "   pg_catalog.unnest($2::pg_catalog.int4[]), pg_catalog.unnest($3::pg_catalog.int4[]),"
			  "   pg_catalog.unnest($4::pg_catalog.timestamptz[]), pg_catalog.unnest($5::pg_catalog.text[]),"
			  "   pg_catalog.unnest($6::pg_catalog.jsonb[]))",
			  6, (Oid[]) {INT8ARRAYOID, INT4ARRAYOID, INT4ARRAYOID, TIMESTAMPTZARRAYOID, TEXTARRAYOID, JSONBARRAYOID});
	exec_plan(hist, (Datum[]) {col_array(&w->h_exec), col_array(&w->h_id), col_array(&w->h_prev),
		col_array(&w->h_ts), col_array(&w->h_type), col_array(&w->h_details)}, SPI_OK_INSERT);
	history_init(w);
}

static void
write_batch(BatchWrites *w)
{
	static SPIPlanPtr thr = NULL,
				exe = NULL,
				wrk = NULL,
				done = NULL;

	write_history(w);

	keep_plan(&thr,
			  "INSERT INTO sfn.threads AS t (execution_id, thread_id, state_name, phase, state_input,"
			  "   entered_at, entered_event_id, last_event_id, retry_count, due_at)"
			  " SELECT u.e, 0, u.s, u.p, u.i, u.en, u.eid, u.l, u.r, u.d"
			  " FROM ROWS FROM (pg_catalog.unnest($1::int8[]), pg_catalog.unnest($2::text[]),"
			  "   pg_catalog.unnest($3::int4[]), pg_catalog.unnest($4::jsonb[]),"
			  "   pg_catalog.unnest($5::timestamptz[]), pg_catalog.unnest($6::int4[]),"
			  "   pg_catalog.unnest($7::int4[]), pg_catalog.unnest($8::int4[]),"
			  "   pg_catalog.unnest($9::timestamptz[])) AS u(e, s, p, i, en, eid, l, r, d)"
			  " ON CONFLICT (execution_id, thread_id) DO UPDATE SET"
			  "   state_name = excluded.state_name, phase = excluded.phase,"
			  "   state_input = excluded.state_input, entered_at = excluded.entered_at,"
			  "   entered_event_id = excluded.entered_event_id, last_event_id = excluded.last_event_id,"
			  "   retry_count = excluded.retry_count, due_at = excluded.due_at",
			  9, (Oid[]) {INT8ARRAYOID, TEXTARRAYOID, INT4ARRAYOID, JSONBARRAYOID, TIMESTAMPTZARRAYOID,
		INT4ARRAYOID, INT4ARRAYOID, INT4ARRAYOID, TIMESTAMPTZARRAYOID});
	if (!col_empty(&w->t_exec))
		exec_plan(thr, (Datum[]) {col_array(&w->t_exec), col_array(&w->t_state), col_array(&w->t_phase),
		col_array(&w->t_input), col_array(&w->t_entered), col_array(&w->t_entered_id),
	col_array(&w->t_last), col_array(&w->t_retry), col_array(&w->t_due)}, SPI_OK_INSERT);

	keep_plan(&exe,
			  "UPDATE sfn.executions e SET last_event_id = u.l, status = u.s, output = u.o,"
			  "   error = u.er, cause = u.c, stop_date = u.st"
			  " FROM ROWS FROM (pg_catalog.unnest($1::int8[]), pg_catalog.unnest($2::int4[]),"
			  "   pg_catalog.unnest($3::text[]), pg_catalog.unnest($4::jsonb[]),"
			  "   pg_catalog.unnest($5::text[]), pg_catalog.unnest($6::text[]),"
			  "   pg_catalog.unnest($7::timestamptz[])) AS u(id, l, s, o, er, c, st)"
			  " WHERE e.id OPERATOR(pg_catalog.=) u.id",
			  7, (Oid[]) {INT8ARRAYOID, INT4ARRAYOID, TEXTARRAYOID, JSONBARRAYOID, TEXTARRAYOID,
		TEXTARRAYOID, TIMESTAMPTZARRAYOID});
	exec_plan(exe, (Datum[]) {col_array(&w->e_id), col_array(&w->e_last), col_array(&w->e_status),
		col_array(&w->e_output), col_array(&w->e_error), col_array(&w->e_cause),
	col_array(&w->e_stop)}, SPI_OK_UPDATE);

	keep_plan(&wrk,
			  "UPDATE sfn.work w SET due_at = u.d"
			  " FROM ROWS FROM (pg_catalog.unnest($1::int8[]), pg_catalog.unnest($2::timestamptz[])) AS u(e, d)"
			  " WHERE w.execution_id OPERATOR(pg_catalog.=) u.e"
			  "   AND (u.d IS NULL OR w.due_at OPERATOR(pg_catalog.<>) u.d)",
			  2, (Oid[]) {INT8ARRAYOID, TIMESTAMPTZARRAYOID});
	if (!col_empty(&w->w_exec))
		exec_plan(wrk, (Datum[]) {col_array(&w->w_exec), col_array(&w->w_due)}, SPI_OK_UPDATE);

	keep_plan(&done,
			  "WITH w AS (DELETE FROM sfn.work WHERE execution_id OPERATOR(pg_catalog.=) ANY ($1))"
			  " DELETE FROM sfn.threads WHERE execution_id OPERATOR(pg_catalog.=) ANY ($1)",
			  1, (Oid[]) {INT8ARRAYOID});
	if (!col_empty(&w->done_exec))
		exec_plan(done, (Datum[]) {col_array(&w->done_exec)}, SPI_OK_DELETE);
}

static JsonbValue *
jsonb_column(uint64 r, int n)
{
	bool		isnull;
	Datum		d = sfn_spi_get(r, n, &isnull);

	return isnull ? NULL : sfn_jv_from_jsonb(DatumGetJsonbP(d));
}

static TimestampTz
timestamp_column(uint64 r, int n)
{
	bool		isnull;
	Datum		d = sfn_spi_get(r, n, &isnull);

	return isnull ? 0 : DatumGetTimestampTz(d);
}

static int32
int_column(uint64 r, int n)
{
	bool		isnull;
	Datum		d = sfn_spi_get(r, n, &isnull);

	return isnull ? 0 : DatumGetInt32(d);
}

/* Build the engine's view of claimed row r and advance it. */
static void
advance_row(uint64 r, TimestampTz now, BatchWrites *w)
{
	SfnExecution exec;
	SfnThread	thread;
	const SfnPlan *plan;
	char	   *state_name;
	TimestampTz timeout_at = timestamp_column(r, 5);

	memset(&exec, 0, sizeof(exec));
	exec.id = sfn_spi_get_int64(r, 1);
	current_execution = exec.id;
	exec.name = sfn_spi_get_text(r, 2);
	exec.input = jsonb_column(r, 3);
	exec.start_date = timestamp_column(r, 4);
	exec.last_event_id = int_column(r, 6);
	exec.redrive_count = int_column(r, 7);
	exec.sm_name = sfn_spi_get_text(r, 10);
	exec.role_arn = psprintf("arn:aws:iam::%s:role/%s", sfn_account_id, sfn_spi_get_text(r, 11));
	exec.arn = sfn_execution_arn(exec.sm_name, exec.name);
	exec.sm_arn = sfn_state_machine_arn(exec.sm_name);
	exec.now = now;
	exec.max_transitions = SFN_TRANSITIONS_PER_CALL;
	exec.max_events = sfn_max_history_events;
	exec.max_payload = sfn_max_payload_size;
	exec.status = SFN_RUNNING;

	{
		bool		isnull;
		Datum		d = sfn_spi_get(r, 20, &isnull);

		if (isnull)
			elog(ERROR, "no revision id for execution " INT64_FORMAT, exec.id);
		plan = sfn_plan_cache_get(DatumGetUUIDP(d), sfn_spi_get_int64(r, 8), int_column(r, 9));
	}
	state_name = sfn_spi_get_text(r, 12);
	if (state_name == NULL)
		sfn_thread_init(&thread, plan, exec.input);
	else
	{
		memset(&thread, 0, sizeof(thread));
		thread.state = sfn_plan_find_state(plan, state_name);
		if (thread.state == SFN_NO_STATE)
			elog(ERROR, "state \"%s\" not in the plan of execution " INT64_FORMAT,
				 state_name, exec.id);
		thread.phase = (SfnPhase) int_column(r, 13);
		thread.input = jsonb_column(r, 14);
		thread.entered_at = timestamp_column(r, 15);
		thread.entered_event_id = int_column(r, 16);
		thread.last_event_id = int_column(r, 17);
		thread.retry_count = int_column(r, 18);
		thread.due_at = timestamp_column(r, 19);
	}

	if (timeout_at != 0 && timeout_at <= now)
		sfn_decide(plan, &exec, &thread, SFN_WAKE_TIMEOUT);
	else
	{
		/*
		 * A few transitions per call, up to SFN_MAX_TRANSITIONS_PER_BATCH,
		 * while the batch's time budget lasts (sfn_decide stays pure: the
		 * clock is read here).
		 */
		for (int done = 0;;)
		{
			sfn_decide(plan, &exec, &thread, SFN_WAKE_RUN);
			collect_events(w, &exec);
			done += SFN_TRANSITIONS_PER_CALL;
			if (thread.done || exec.status != SFN_RUNNING ||
				(thread.phase == SFN_PHASE_WAITING && thread.due_at > now) ||
				done >= SFN_MAX_TRANSITIONS_PER_BATCH ||
				GetCurrentTimestamp() >= batch_deadline)
				break;
		}
	}
	collect(w, plan, &exec, &thread, timeout_at);
}

/* Claim up to batch_size due executions and load what the engine needs. */
static uint64
claim(TimestampTz now, int limit)
{
	static SPIPlanPtr claim_plan = NULL;
	int			rc;

	/*
	 * Only rows it can run fill the LIMIT: RUNNING, with their state machine
	 * and revision (orphans are swept by sfn_runner_sweep_orphans).  OFFSET
	 * 0 keeps the EXISTS a per-row probe by primary keys: made a semi-join,
	 * a generic plan from small tables scanned all executions per claim.
	 */
	keep_plan(&claim_plan,
			  "WITH c AS ("
			  "  SELECT w.execution_id FROM sfn.work w"
			  "  WHERE w.due_at OPERATOR(pg_catalog.<=) $2"
			  "    AND " RUNNABLE_WORK_ROW
			  "  ORDER BY w.due_at LIMIT $1 FOR UPDATE OF w SKIP LOCKED)"
			  " SELECT e.id, e.name, e.input, e.start_date, e.timeout_at, e.last_event_id,"
			  "   e.redrive_count, e.state_machine_id, e.revision, sm.name, sm.role::pg_catalog.text,"
			  "   t.state_name, t.phase::pg_catalog.int4, t.state_input, t.entered_at, t.entered_event_id,"
			  "   t.last_event_id, t.retry_count, t.due_at, r.revision_id"
			  " FROM c JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) c.execution_id"
			  " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
			  " JOIN sfn.state_machine_revisions r"
			  "   ON r.state_machine_id OPERATOR(pg_catalog.=) e.state_machine_id"
			  "  AND r.revision OPERATOR(pg_catalog.=) e.revision"
			  " LEFT JOIN sfn.threads t ON t.execution_id OPERATOR(pg_catalog.=) e.id"
			  "  AND t.thread_id OPERATOR(pg_catalog.=) 0"
			  " WHERE e.status OPERATOR(pg_catalog.=) 'RUNNING'",
			  2, (Oid[]) {INT4OID, TIMESTAMPTZOID});
	rc = SPI_execute_plan(claim_plan,
						  (Datum[]) {Int32GetDatum(limit), TimestampTzGetDatum(now)},
						  NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "claim failed: %s", SPI_result_code_string(rc));
	return SPI_processed;
}

/* Milliseconds until the earliest work row is due, capped. */
static long
ms_until_next_due(void)
{
	static SPIPlanPtr next_plan = NULL;
	bool		isnull;
	Datum		d;
	long		ms;

	/*
	 * Rows already due are being advanced by another worker (we claimed
	 * every unlocked one): they are not a reason to wake.
	 */
	keep_plan(&next_plan,
			  "SELECT (pg_catalog.extract('epoch', pg_catalog.min(due_at)"
			  "   OPERATOR(pg_catalog.-) pg_catalog.clock_timestamp())"
			  "   OPERATOR(pg_catalog.*) 1000::pg_catalog.numeric)::pg_catalog.int8"
			  " FROM sfn.work WHERE due_at OPERATOR(pg_catalog.>) pg_catalog.clock_timestamp()",
			  0, NULL);
	/* Not read-only: it must see this batch's own updates of sfn.work. */
	if (SPI_execute_plan(next_plan, NULL, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the next due time");
	d = sfn_spi_get(0, 1, &isnull);
	if (isnull)
		return SFN_MAX_SLEEP_MS;
	ms = (long) DatumGetInt64(d);
	return ms < 0 ? 0 : (ms > SFN_MAX_SLEEP_MS ? SFN_MAX_SLEEP_MS : ms + 1);
}

uint64		sfn_runner_last_claimed = 0;

long
sfn_runner_run_due(int worker_slot)
{
	uint64		n;
	long		sleep_ms;
	TimestampTz now;
	SfnSchemaState schema;
	char	   *installed;
	static bool schema_warned = false;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "pg_sfn: advancing executions");

	/*
	 * Until CREATE EXTENSION runs in this database there is nothing to do;
	 * with another version's tables, wait for ALTER EXTENSION UPDATE.
	 */
	schema = sfn_schema_state(&installed);
	if (schema == SFN_SCHEMA_OTHER && !schema_warned)
	{
		ereport(LOG,
				(errmsg("pg_sfn worker waits: the library is version %s but the extension in database \"%s\" is version %s",
						SFN_VERSION, sfn_database, installed),
				 errhint("Run ALTER EXTENSION pg_sfn UPDATE.")));
		schema_warned = true;
	}
	if (schema != SFN_SCHEMA_CURRENT)
	{
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_activity(STATE_IDLE, NULL);
		return 1000;
	}

	now = GetCurrentTimestamp();
	batch_deadline = TimestampTzPlusMilliseconds(now, sfn_batch_time_budget_ms);
	batch_left_work_due = false;
	current_execution = 0;
	current_claimed = 0;
	n = claim(now, isolate_batches > 0 ? 1 : sfn_batch_size);
	current_claimed = n;
	if (n > 0)
	{
		SPITupleTable *claimed = SPI_tuptable;
		BatchWrites w;

		writes_init(&w);
		for (uint64 r = 0; r < n; r++)
		{
			/* Out of time: the rest stay due, for the next batch. */
			if (r > 0 && GetCurrentTimestamp() >= batch_deadline)
			{
				batch_left_work_due = true;
				break;
			}
			SPI_tuptable = claimed;
			advance_row(r, now, &w);
		}
		write_batch(&w);
	}
	sfn_runner_last_claimed = n;
	if (isolate_batches > 0)
	{
		isolate_batches--;
		sleep_ms = 0;
	}
	else
		sleep_ms = (n >= (uint64) sfn_batch_size || batch_left_work_due) ? 0 : ms_until_next_due();

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);
	return sleep_ms;
}

/*
 * After a batch raised an ERROR (the caller has aborted its transaction):
 * with several executions claimed, retry them one per batch; with one,
 * end it with States.Runtime in a transaction of its own.
 */
void
sfn_runner_recover(const char *message)
{
	int64		culprit = current_execution;

	if (current_claimed > 1)
	{
		isolate_batches = (int) current_claimed;
		return;
	}
	if (current_claimed == 1 && culprit != 0)
	{
		TimestampTz stop_date;
		char	   *status;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		(void) sfn_store_end_execution(culprit, "FAILED", "ExecutionFailed", true,
									   "States.Runtime",
									   psprintf("pg_sfn could not advance the execution: %s", message),
									   &stop_date, &status);
		PopActiveSnapshot();
		CommitTransactionCommand();
		elog(WARNING, "pg_sfn: execution " INT64_FORMAT " failed with an internal error: %s",
			 culprit, message);
	}
}

/*
 * Work rows no batch can run: the execution is gone or no longer RUNNING
 * (the row is removed), or its state machine or revision is gone (the
 * execution fails with States.Runtime).  The claim never takes them, so
 * they cannot stall the workers; this ends them.  Worker 0 runs it every
 * 10 s, in a transaction of its own; returns how many it handled.
 */
uint64
sfn_runner_sweep_orphans(void)
{
	uint64		n = 0;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "pg_sfn: orphaned work");
	if (sfn_schema_state(NULL) == SFN_SCHEMA_CURRENT)
	{
		SPITupleTable *orphans;

		n = sfn_spi_exec("SELECT w.execution_id,"
						 "   EXISTS (SELECT 1 FROM sfn.executions e"
						 "     WHERE e.id OPERATOR(pg_catalog.=) w.execution_id"
						 "       AND e.status OPERATOR(pg_catalog.=) 'RUNNING')"
						 " FROM sfn.work w"
						 " WHERE w.due_at OPERATOR(pg_catalog.<=) pg_catalog.clock_timestamp()"
						 "   AND NOT " RUNNABLE_WORK_ROW
						 " ORDER BY w.due_at LIMIT $1 FOR UPDATE OF w SKIP LOCKED",
						 1, (Oid[]) {INT4OID}, (Datum[]) {Int32GetDatum(SFN_ORPHANS_PER_SWEEP)},
						 NULL, false, SPI_OK_SELECT);
		orphans = SPI_tuptable;
		for (uint64 r = 0; r < n; r++)
		{
			int64		id;
			bool		isnull;
			bool		running;

			SPI_tuptable = orphans;
			id = sfn_spi_get_int64(r, 1);
			running = DatumGetBool(sfn_spi_get(r, 2, &isnull));
			if (running)
			{
				TimestampTz stop_date;
				char	   *status;

				(void) sfn_store_end_execution(id, "FAILED", "ExecutionFailed", true,
											   "States.Runtime",
											   "pg_sfn could not advance the execution: its state machine or its definition revision no longer exists",
											   &stop_date, &status);
				elog(WARNING, "pg_sfn: execution " INT64_FORMAT " failed: its state machine or definition revision is missing",
					 id);
			}
			else
				sfn_spi_exec("WITH w AS (DELETE FROM sfn.work WHERE execution_id OPERATOR(pg_catalog.=) $1)"
							 " DELETE FROM sfn.threads WHERE execution_id OPERATOR(pg_catalog.=) $1",
							 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(id)},
							 NULL, false, SPI_OK_DELETE);
		}
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	return n;
}
