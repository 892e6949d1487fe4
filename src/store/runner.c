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

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "pgstat.h"
#include "utils/acl.h"
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
#include "store/child_executions.h"
#include "store/executions.h"
#include "store/plan_cache.h"
#include "store/runner.h"
#include "store/schema_version.h"
#include "store/rowset.h"
#include "store/spi_util.h"
#include "engine/retry.h"
#include "tasks/map_run.h"
#include "tasks/tasks.h"

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
	"    AND e.status OPERATOR(pg_catalog.=) 'RUNNING'" \
	"    AND NOT EXISTS (SELECT 1 FROM sfn.map_runs mr" \
	"      WHERE mr.id OPERATOR(pg_catalog.=) e.map_run_id" \
	"        AND mr.status OPERATOR(pg_catalog.<>) 'RUNNING') OFFSET 0)"

/* Transitions one execution may make per batch before yielding. */
#define SFN_MAX_TRANSITIONS_PER_BATCH 500
/* Transitions per sfn_decide() call: the time budget is checked between. */
#define SFN_TRANSITIONS_PER_CALL 10
/* History queued beyond this is written during the batch (time budget). */
#define SFN_HISTORY_FLUSH_BYTES (1024 * 1024)
/*
 * A thread parked on a task with no deadline is due only through its
 * inbox; its work row is looked at again after this long anyway.
 */
#define SFN_PARKED_RECHECK_USECS ((int64) 7 * USECS_PER_DAY)
/*
 * SQL tasks (subtransactions) per batch: pg_sfn.sql_tasks_per_batch.
 * PostgreSQL caches 64 subtransaction ids per backend; past that, every
 * other session's snapshots are marked overflowed and may have to read
 * pg_subtrans.  Once a batch has run that many, the executions not
 * reached wait for the next batch, and the one running yields.
 */
#define SFN_MAX_SQL_TASKS_PER_BATCH sfn_sql_tasks_per_batch
/* Orphaned work rows handled per sweep. */
#define SFN_ORPHANS_PER_SWEEP 1000

/*
 * Poison executions.  After a batch of several fails, the next batches
 * claim one execution each; a one-execution batch that fails ends that
 * execution (States.Runtime) so that the others go on.
 */
static int	isolate_batches = 0;
static int64 current_execution = 0;
/* The execution being advanced is a child of a Distributed Map's run. */
static bool current_is_map_child = false;
static uint64 current_claimed = 0;

/* Set when a claimed execution is still due now (it yielded, or was not reached). */
static bool batch_left_work_due = false;

/* When the current batch's time budget is spent. */
static TimestampTz batch_deadline = 0;

/*
 * The rows a batch writes, each table's columns declared once (rowset.h).
 * The claim reads the thread columns back through the same declaration.
 */
enum
{
	H_EXEC, H_ID, H_PREV, H_TS, H_TYPE, H_DETAILS, H_NCOLS
};
static const SfnColumn history_cols[H_NCOLS] = {
	[H_EXEC] = {"execution_id", INT8OID, NULL},
	[H_ID] = {"event_id", INT4OID, NULL},
	[H_PREV] = {"previous_event_id", INT4OID, NULL},
	[H_TS] = {"ts", TIMESTAMPTZOID, NULL},
	[H_TYPE] = {"type", TEXTOID, NULL},
	[H_DETAILS] = {"details", JSONBOID, NULL},
};

enum
{
	T_EXEC, T_THREAD, T_STATE, T_PHASE, T_INPUT, T_ENTERED, T_ENTERED_ID, T_LAST,
	T_RETRY, T_RETRY_COUNTS, T_DUE, T_TASK_EVENT, T_TASK_DEADLINE, T_HB_DEADLINE,
	T_HB_SECONDS, T_PARENT, T_INDEX, T_RESULT, T_VARIABLES, T_NCOLS
};
static const SfnColumn thread_cols[T_NCOLS] = {
	[T_EXEC] = {"execution_id", INT8OID, NULL},
	[T_THREAD] = {"thread_id", INT4OID, NULL},
	[T_STATE] = {"state_name", TEXTOID, NULL},
	[T_PHASE] = {"phase", INT4OID, "pg_catalog.int4"},
	[T_INPUT] = {"state_input", JSONBOID, NULL},
	[T_ENTERED] = {"entered_at", TIMESTAMPTZOID, NULL},
	[T_ENTERED_ID] = {"entered_event_id", INT4OID, NULL},
	[T_LAST] = {"last_event_id", INT4OID, NULL},
	[T_RETRY] = {"retry_count", INT4OID, NULL},
	/* an array column travels as text: unnest would flatten it */
	[T_RETRY_COUNTS] = {"retry_counts", TEXTOID, "pg_catalog.text"},
	[T_DUE] = {"due_at", TIMESTAMPTZOID, NULL},
	[T_TASK_EVENT] = {"task_event_id", INT4OID, NULL},
	[T_TASK_DEADLINE] = {"task_deadline", TIMESTAMPTZOID, NULL},
	[T_HB_DEADLINE] = {"heartbeat_deadline", TIMESTAMPTZOID, NULL},
	[T_HB_SECONDS] = {"heartbeat_seconds", INT4OID, NULL},
	[T_PARENT] = {"parent_thread_id", INT4OID, NULL},
	[T_INDEX] = {"thread_index", INT4OID, NULL},
	[T_RESULT] = {"result", JSONBOID, NULL},
	[T_VARIABLES] = {"variables", JSONBOID, NULL},
};

/* Threads that go while their execution runs on (collected, aborted). */
enum
{
	G_EXEC, G_THREAD, G_NCOLS
};
static const SfnColumn gone_cols[G_NCOLS] = {
	[G_EXEC] = {"execution_id", INT8OID, NULL},
	[G_THREAD] = {"thread_id", INT4OID, NULL},
};

enum
{
	E_ID, E_LAST, E_STATUS, E_OUTPUT, E_ERROR, E_CAUSE, E_STOP, E_NCOLS
};
static const SfnColumn execution_cols[E_NCOLS] = {
	[E_ID] = {"id", INT8OID, NULL},
	[E_LAST] = {"last_event_id", INT4OID, NULL},
	[E_STATUS] = {"status", TEXTOID, NULL},
	[E_OUTPUT] = {"output", JSONBOID, NULL},
	[E_ERROR] = {"error", TEXTOID, NULL},
	[E_CAUSE] = {"cause", TEXTOID, NULL},
	[E_STOP] = {"stop_date", TIMESTAMPTZOID, NULL},
};

enum
{
	W_EXEC, W_DUE, W_NCOLS
};
static const SfnColumn work_cols[W_NCOLS] = {
	[W_EXEC] = {"execution_id", INT8OID, NULL},
	[W_DUE] = {"due_at", TIMESTAMPTZOID, NULL},
};

static const SfnColumn done_cols[1] = {{"execution_id", INT8OID, NULL}};

typedef struct BatchWrites
{
	SfnRowSet	history;
	Size		h_bytes;		/* of history details not yet written */
	MemoryContext cxt;			/* the batch's: the rows live here */
	MemoryContext scratch;		/* events' conversions, reset per call */
	SfnRowSet	threads;		/* threads still running */
	SfnRowSet	gone;			/* threads removed from running executions */
	SfnRowSet	executions;
	SfnRowSet	work;			/* work rows kept */
	SfnRowSet	done;			/* finished: work, threads, tokens removed */
	SfnRowSet	map_done;		/* of those, children and Distributed Map parents */
	SfnTaskBatch tasks;
} BatchWrites;

static void
writes_init(BatchWrites *w)
{
	w->cxt = CurrentMemoryContext;
	sfn_rowset_init(&w->history, history_cols, H_NCOLS);
	w->h_bytes = 0;
	w->scratch = AllocSetContextCreate(CurrentMemoryContext, "pg_sfn history rows",
									   ALLOCSET_DEFAULT_SIZES);
	sfn_rowset_init(&w->threads, thread_cols, T_NCOLS);
	sfn_rowset_init(&w->gone, gone_cols, G_NCOLS);
	sfn_rowset_init(&w->executions, execution_cols, E_NCOLS);
	sfn_rowset_init(&w->work, work_cols, W_NCOLS);
	sfn_rowset_init(&w->done, done_cols, 1);
	sfn_rowset_init(&w->map_done, done_cols, 1);
	sfn_tasks_begin(&w->tasks);
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
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
	MemoryContext old;

	/*
	 * The rows keep copies of the values (accumArrayResult): what the
	 * conversions leave behind goes at once, or a batch that runs a large
	 * Map grows by hundreds of megabytes.
	 */
	old = MemoryContextSwitchTo(w->scratch);
	foreach(lc, exec->events)
	{
		SfnEvent   *ev = lfirst(lc);
		Jsonb	   *details = ev->details ? sfn_jv_to_jsonb(ev->details) : NULL;
		Datum		v[H_NCOLS];
		bool		n[H_NCOLS] = {0};

		v[H_EXEC] = Int64GetDatum(exec->id);
		v[H_ID] = Int32GetDatum(ev->id);
		v[H_PREV] = Int32GetDatum(ev->previous_id);
		v[H_TS] = TimestampTzGetDatum(ev->ts);
		v[H_TYPE] = CStringGetTextDatum(ev->type);
		v[H_DETAILS] = details ? JsonbPGetDatum(details) : (Datum) 0;
		n[H_DETAILS] = details == NULL;
		sfn_rowset_add(&w->history, v, n);
		if (details)
			w->h_bytes += VARSIZE(details);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(w->scratch);
	exec->events = NIL;
	if (w->h_bytes > SFN_HISTORY_FLUSH_BYTES)
		write_history(w);
}

/* "{1,0,2}" for the retry_counts column; NULL when there are none. */
static char *
retry_counts_text(const SfnThread *thread)
{
	StringInfoData s;

	if (thread->n_retry_counts == 0)
		return NULL;
	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (int i = 0; i < thread->n_retry_counts; i++)
		appendStringInfo(&s, "%s%d", i ? "," : "", thread->retry_counts[i]);
	appendStringInfoChar(&s, '}');
	return s.data;
}

static void
parse_retry_counts(SfnThread *thread, const char *text)
{
	List	   *counts = NIL;
	const char *p = text;
	int			i = 0;

	if (text == NULL)
		return;
	while (*p)
	{
		if (*p >= '0' && *p <= '9')
		{
			counts = lappend_int(counts, (int) strtol(p, (char **) &p, 10));
			continue;
		}
		p++;
	}
	thread->n_retry_counts = list_length(counts);
	thread->retry_counts = palloc0(sizeof(int32) * (thread->n_retry_counts + 1));
	{
		ListCell   *lc;

		foreach(lc, counts)
			thread->retry_counts[i++] = lfirst_int(lc);
	}
}

/* Queue one thread row for the upsert. */
static void
collect_thread(BatchWrites *w, SfnExecution *exec, SfnThread *thread)
{
	Datum		v[T_NCOLS];
	bool		n[T_NCOLS] = {0};

	v[T_EXEC] = Int64GetDatum(exec->id);
	v[T_THREAD] = Int32GetDatum(thread->thread_id);
	v[T_STATE] = CStringGetTextDatum(thread->plan->states[thread->state].name);
	v[T_PHASE] = Int32GetDatum(thread->phase);
	v[T_INPUT] = JsonbPGetDatum(sfn_jv_to_jsonb(thread->input));
	v[T_ENTERED] = TimestampTzGetDatum(thread->entered_at);
	n[T_ENTERED] = thread->entered_at == 0;
	v[T_ENTERED_ID] = Int32GetDatum(thread->entered_event_id);
	v[T_LAST] = Int32GetDatum(thread->last_event_id);
	v[T_RETRY] = Int32GetDatum(thread->retry_count);
	v[T_RETRY_COUNTS] = text_or_null(retry_counts_text(thread), &n[T_RETRY_COUNTS]);
	v[T_DUE] = TimestampTzGetDatum(thread->due_at);
	n[T_DUE] = thread->due_at == 0;
	v[T_TASK_EVENT] = Int32GetDatum(thread->task_event_id);
	v[T_TASK_DEADLINE] = TimestampTzGetDatum(thread->task_deadline);
	n[T_TASK_DEADLINE] = thread->task_deadline == 0;
	v[T_HB_DEADLINE] = TimestampTzGetDatum(thread->heartbeat_deadline);
	n[T_HB_DEADLINE] = thread->heartbeat_deadline == 0;
	v[T_HB_SECONDS] = Int32GetDatum(thread->heartbeat_seconds);
	v[T_PARENT] = Int32GetDatum(thread->parent_id);
	n[T_PARENT] = thread->parent_id < 0;
	v[T_INDEX] = Int32GetDatum(thread->index);
	n[T_RESULT] = thread->result == NULL;
	v[T_RESULT] = thread->result ? JsonbPGetDatum(sfn_jv_to_jsonb(thread->result)) : (Datum) 0;
	n[T_VARIABLES] = thread->variables == NULL;
	v[T_VARIABLES] = thread->variables ? JsonbPGetDatum(sfn_jv_to_jsonb(thread->variables)) : (Datum) 0;
	sfn_rowset_add(&w->threads, v, n);
}

/* Does a thread of the execution wait in a Distributed Map state? */
static bool
in_distributed_map(List *threads)
{
	ListCell   *lc;

	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		if (!t->removed && sfn_map_is_distributed(&t->plan->states[t->state]))
			return true;
	}
	return false;
}

/* Queue the results of advancing one execution for writing. */
static void
collect(BatchWrites *w, SfnExecution *exec, List *threads, TimestampTz timeout_at,
		int32 first_new_id)
{
	bool		done = exec->status != SFN_RUNNING;
	ListCell   *lc;

	collect_events(w, exec);

	{
		Datum		v[E_NCOLS];
		bool		n[E_NCOLS] = {0};

		v[E_ID] = Int64GetDatum(exec->id);
		v[E_LAST] = Int32GetDatum(exec->last_event_id);
		v[E_STATUS] = CStringGetTextDatum(sfn_status_name(exec->status));
		n[E_OUTPUT] = exec->output == NULL;
		v[E_OUTPUT] = exec->output ? JsonbPGetDatum(sfn_jv_to_jsonb(exec->output)) : (Datum) 0;
		v[E_ERROR] = text_or_null(exec->error, &n[E_ERROR]);
		v[E_CAUSE] = text_or_null(exec->cause, &n[E_CAUSE]);
		v[E_STOP] = TimestampTzGetDatum(exec->now);
		n[E_STOP] = !done;
		sfn_rowset_add(&w->executions, v, n);
	}

	if (done)
	{
		Datum		id = Int64GetDatum(exec->id);
		bool		nonull = false;

		/* every thread goes with the execution */
		sfn_rowset_add(&w->done, &id, &nonull);
		/* A child's end counts in its run; a parent's aborts its run. */
		if (current_is_map_child || in_distributed_map(threads))
			sfn_rowset_add(&w->map_done, &id, &nonull);
		return;
	}

	foreach(lc, threads)
	{
		SfnThread  *thread = lfirst(lc);

		if (thread->removed)
		{
			Datum		v[G_NCOLS];
			bool		n[G_NCOLS] = {0};

			/* started and removed in this batch: never written */
			if (thread->thread_id >= first_new_id)
				continue;
			v[G_EXEC] = Int64GetDatum(exec->id);
			v[G_THREAD] = Int32GetDatum(thread->thread_id);
			sfn_rowset_add(&w->gone, v, n);
		}
		else if (thread->touched)
			collect_thread(w, exec, thread);
	}

	/*
	 * The work row is due when a thread is, or at the timeout if sooner.
	 * A thread that yielded is due again now, behind the executions
	 * already due (the clock now, not the batch's start).  Threads that
	 * wait for tasks with no deadline are due only through the inbox: the
	 * row stays, due at the execution's timeout or a week away.
	 */
	{
		TimestampTz due;
		Datum		v[W_NCOLS];
		bool		n[W_NCOLS] = {0};

		if (sfn_threads_runnable(exec, threads))
		{
			due = GetCurrentTimestamp();
			batch_left_work_due = true;
		}
		else if ((due = sfn_threads_next_due(threads)) == 0)
			due = exec->now + SFN_PARKED_RECHECK_USECS;
		if (timeout_at != 0 && timeout_at < due)
			due = timeout_at;
		if (due <= exec->now)
			batch_left_work_due = true;
		v[W_EXEC] = Int64GetDatum(exec->id);
		v[W_DUE] = TimestampTzGetDatum(due);
		sfn_rowset_add(&w->work, v, n);
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
	MemoryContext old;

	if (w->history.nrows == 0)
		return;
	/* by INSERT if someone gave sfn.history a trigger (or the like) */
	if (!sfn_rowset_insert_direct("sfn", "history", &w->history))
		sfn_rowset_insert(&hist, "sfn.history", &w->history);
	old = MemoryContextSwitchTo(w->cxt);
	sfn_rowset_init(&w->history, history_cols, H_NCOLS);
	MemoryContextSwitchTo(old);
	w->h_bytes = 0;
}

/* "name = excluded.name, ..." for every column but the first two (the key). */
static char *
upsert_set_list(const SfnColumn *cols, int ncols)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 2; i < ncols; i++)
		appendStringInfo(&s, "%s%s = excluded.%s", i > 2 ? ", " : "", cols[i].name, cols[i].name);
	return s.data;
}

static void
write_batch(BatchWrites *w)
{
	static SPIPlanPtr thr = NULL,
				gone = NULL,
				exe = NULL,
				wrk = NULL,
				done = NULL;

	write_history(w);
	sfn_tasks_finish(&w->tasks);

	if (thr == NULL)
	{
		StringInfoData sel;

		/* retry_counts travels as text (see thread_cols) */
		initStringInfo(&sel);
		for (int i = 0; i < T_NCOLS; i++)
			appendStringInfo(&sel, "%su.%s%s", i ? ", " : "", thread_cols[i].name,
							 i == T_RETRY_COUNTS ? "::pg_catalog.int4[]" : "");
		keep_plan(&thr,
				  psprintf("INSERT INTO sfn.threads AS t (%s) SELECT %s FROM %s"
						   " ON CONFLICT (execution_id, thread_id) DO UPDATE SET %s",
						   sfn_rowset_names(thread_cols, T_NCOLS), sel.data,
						   sfn_rowset_unnest_sql(thread_cols, T_NCOLS, "u"),
						   upsert_set_list(thread_cols, T_NCOLS)),
				  T_NCOLS, sfn_rowset_param_types(thread_cols, T_NCOLS));
	}
	keep_plan(&gone,
			  psprintf("DELETE FROM sfn.threads t USING %s"
					   " WHERE t.execution_id OPERATOR(pg_catalog.=) u.execution_id"
					   "   AND t.thread_id OPERATOR(pg_catalog.=) u.thread_id",
					   sfn_rowset_unnest_sql(gone_cols, G_NCOLS, "u")),
			  G_NCOLS, sfn_rowset_param_types(gone_cols, G_NCOLS));
	if (w->gone.nrows > 0)
		exec_plan(gone, sfn_rowset_params(&w->gone), SPI_OK_DELETE);
	if (w->threads.nrows > 0)
		exec_plan(thr, sfn_rowset_params(&w->threads), SPI_OK_INSERT);

	keep_plan(&exe,
			  psprintf("UPDATE sfn.executions e SET last_event_id = u.last_event_id, status = u.status,"
					   "   output = u.output, error = u.error, cause = u.cause, stop_date = u.stop_date"
					   " FROM %s WHERE e.id OPERATOR(pg_catalog.=) u.id",
					   sfn_rowset_unnest_sql(execution_cols, E_NCOLS, "u")),
			  E_NCOLS, sfn_rowset_param_types(execution_cols, E_NCOLS));
	if (w->executions.nrows > 0)
		exec_plan(exe, sfn_rowset_params(&w->executions), SPI_OK_UPDATE);

	keep_plan(&wrk,
			  psprintf("UPDATE sfn.work w SET due_at = u.due_at FROM %s"
					   " WHERE w.execution_id OPERATOR(pg_catalog.=) u.execution_id"
					   "   AND w.due_at OPERATOR(pg_catalog.<>) u.due_at",
					   sfn_rowset_unnest_sql(work_cols, W_NCOLS, "u")),
			  W_NCOLS, sfn_rowset_param_types(work_cols, W_NCOLS));
	if (w->work.nrows > 0)
		exec_plan(wrk, sfn_rowset_params(&w->work), SPI_OK_UPDATE);

	keep_plan(&done,
			  "WITH " SFN_DELETE_EXECUTION_ROWS("$1")
			  " DELETE FROM sfn.work WHERE execution_id OPERATOR(pg_catalog.=) ANY ($1)",
			  1, (Oid[]) {INT8ARRAYOID});
	if (w->done.nrows > 0)
	{
		Datum	   *ids = sfn_rowset_params(&w->done);

		exec_plan(done, ids, SPI_OK_DELETE);
		/* Nested executions: parents waiting for these get their answer. */
		if (sfn_child_executions_ended(ids[0]) > 0)
			batch_left_work_due = true;
	}
	/* Executions' ends: the Distributed Map hook (tasks/map_run_hook.c). */
	if (w->map_done.nrows > 0)
		sfn_map_runs_executions_ended(sfn_rowset_params(&w->map_done)[0]);
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

/* Columns of the claim before the thread's (see claim()). */
enum
{
	C_ID = 1, C_NAME, C_INPUT, C_START, C_TIMEOUT, C_LAST, C_REDRIVE, C_SM_ID,
	C_REVISION, C_SM_NAME, C_ROLE, C_REVISION_ID, C_MAP_STATE
};
#define TCOL(i) ((i) + 1)		/* thread_cols[i] in load_threads() */

/* Answers from sfn.inbox for the claimed executions, in arrival order. */
typedef struct InboxRow
{
	int64		execution_id;
	SfnWake		wake;
} InboxRow;
StaticAssertDecl(offsetof(InboxRow, execution_id) == 0, "first_row_of() reads execution_id first");

static InboxRow *inbox_rows;
static uint64 inbox_count;

/*
 * Index of the first of n rows of size bytes, sorted by execution, that
 * belongs to execution id (n when none).  Each row type starts with its
 * int64 execution_id.
 */
static uint64
first_row_of(const void *rows, uint64 n, size_t size, int64 id)
{
	uint64		lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint64		mid = lo + (hi - lo) / 2;

		if (*(const int64 *) ((const char *) rows + mid * size) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Take (delete) the inbox rows of the claimed executions (ids: int8[]). */
static void
take_inbox(Datum ids)
{
	static SPIPlanPtr take = NULL;
	uint64		got;

	inbox_rows = NULL;
	inbox_count = 0;
	keep_plan(&take,
			  "WITH d AS (DELETE FROM sfn.inbox WHERE execution_id OPERATOR(pg_catalog.=) ANY ($1)"
			  "   RETURNING id, execution_id, scheduled_event_id, kind, output, error, cause)"
			  " SELECT execution_id, scheduled_event_id, kind, output, error, cause FROM d"
			  " ORDER BY execution_id, id",
			  1, (Oid[]) {INT8ARRAYOID});
	if (SPI_execute_plan(take, &ids,
						 NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the inbox");
	got = SPI_processed;
	if (got == 0)
		return;
	inbox_rows = palloc0(sizeof(InboxRow) * got);
	for (uint64 r = 0; r < got; r++)
	{
		InboxRow   *row = &inbox_rows[r];
		char	   *kind = sfn_spi_get_text(r, 3);

		row->execution_id = sfn_spi_get_int64(r, 1);
		row->wake.task_event_id = int_column(r, 2);
		row->wake.callback = true;
		if (strcmp(kind, "SUCCEEDED") == 0)
			row->wake.kind = SFN_WAKE_TASK_SUCCEEDED;
		else if (strcmp(kind, "FAILED") == 0)
			row->wake.kind = SFN_WAKE_TASK_FAILED;
		else if (strcmp(kind, "STARTED") == 0)
			row->wake.kind = SFN_WAKE_TASK_STARTED;
		else
			row->wake.kind = SFN_WAKE_TASK_HEARTBEAT;
		row->wake.output = jsonb_column(r, 4);
		if (row->wake.kind == SFN_WAKE_TASK_SUCCEEDED && row->wake.output == NULL)
			row->wake.output = sfn_jv_null();
		row->wake.error = sfn_spi_get_text(r, 5);
		row->wake.cause = sfn_spi_get_text(r, 6);
		/* STARTED carries the worker's name in cause */
		if (row->wake.kind == SFN_WAKE_TASK_STARTED)
			row->wake.worker_name = row->wake.cause;
	}
	inbox_count = got;
}

/* The threads of the claimed executions, by execution then thread id. */
typedef struct ThreadRow
{
	int64		execution_id;
	char	   *state_name;
	SfnThread	thread;			/* plan and state are set by advance_row */
} ThreadRow;
StaticAssertDecl(offsetof(ThreadRow, execution_id) == 0, "first_row_of() reads execution_id first");

static ThreadRow *thread_rows;
static uint64 thread_count;

/* Load every thread of the claimed executions (ids: int8[]). */
static void
load_threads(Datum ids)
{
	static SPIPlanPtr load = NULL;
	uint64		got;

	thread_rows = NULL;
	thread_count = 0;
	keep_plan(&load,
			  psprintf("SELECT %s FROM sfn.threads t"
					   " WHERE t.execution_id OPERATOR(pg_catalog.=) ANY ($1)"
					   " ORDER BY t.execution_id, t.thread_id",
					   sfn_rowset_select_list(thread_cols, T_NCOLS, "t")),
			  1, (Oid[]) {INT8ARRAYOID});
	if (SPI_execute_plan(load, &ids,
						 NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the threads");
	got = SPI_processed;
	if (got == 0)
		return;
	thread_rows = palloc0(sizeof(ThreadRow) * got);
	for (uint64 r = 0; r < got; r++)
	{
		ThreadRow  *row = &thread_rows[r];
		SfnThread  *t = &row->thread;
		bool		isnull;

		row->execution_id = sfn_spi_get_int64(r, TCOL(T_EXEC));
		row->state_name = sfn_spi_get_text(r, TCOL(T_STATE));
		t->thread_id = int_column(r, TCOL(T_THREAD));
		t->phase = (SfnPhase) int_column(r, TCOL(T_PHASE));
		t->input = jsonb_column(r, TCOL(T_INPUT));
		t->entered_at = timestamp_column(r, TCOL(T_ENTERED));
		t->entered_event_id = int_column(r, TCOL(T_ENTERED_ID));
		t->last_event_id = int_column(r, TCOL(T_LAST));
		t->retry_count = int_column(r, TCOL(T_RETRY));
		parse_retry_counts(t, sfn_spi_get_text(r, TCOL(T_RETRY_COUNTS)));
		t->due_at = timestamp_column(r, TCOL(T_DUE));
		t->task_event_id = int_column(r, TCOL(T_TASK_EVENT));
		t->task_deadline = timestamp_column(r, TCOL(T_TASK_DEADLINE));
		t->heartbeat_deadline = timestamp_column(r, TCOL(T_HB_DEADLINE));
		t->heartbeat_seconds = int_column(r, TCOL(T_HB_SECONDS));
		(void) sfn_spi_get(r, TCOL(T_PARENT), &isnull);
		t->parent_id = isnull ? -1 : int_column(r, TCOL(T_PARENT));
		t->index = int_column(r, TCOL(T_INDEX));
		t->result = jsonb_column(r, TCOL(T_RESULT));
		t->variables = jsonb_column(r, TCOL(T_VARIABLES));
		/* a child that ended waits, with its result, for its parent */
		t->done = t->phase == SFN_PHASE_DONE || t->phase == SFN_PHASE_FAILED;
		t->failed = t->phase == SFN_PHASE_FAILED;
	}
	thread_count = got;
}

/*
 * One sfn_decide_threads() call, then the effects it asked for: those
 * that answer at once (SQL tasks) are fed back, in order, before
 * returning.
 */
static void
decide_and_carry_out(BatchWrites *w, SfnExecution *exec, List **threads, Oid role,
					 const SfnWake *wake)
{
	List	   *pending = NIL;

	/* SQL tasks still allowed in this batch (see SFN_MAX_SQL_TASKS_PER_BATCH) */
	exec->limit_inline_tasks = true;
	exec->inline_tasks = 0;
	exec->max_inline_tasks = Max(0, SFN_MAX_SQL_TASKS_PER_BATCH - w->tasks.sql_calls);
	exec->fresh_token = sfn_token_new();
	sfn_decide_threads(exec, threads, wake);
	collect_events(w, exec);
	for (;;)
	{
		if (exec->effects != NIL)
		{
			List	   *effects = exec->effects;

			exec->effects = NIL;
			pending = list_concat(pending, sfn_tasks_carry_out(&w->tasks, exec->id, exec->arn, role, effects));
			/* A nested execution started: due now, in a later batch. */
			if (w->tasks.executions_started > 0)
				batch_left_work_due = true;
		}
		if (pending == NIL || exec->status != SFN_RUNNING)
			break;
		exec->inline_tasks = 0;
		exec->max_inline_tasks = Max(0, SFN_MAX_SQL_TASKS_PER_BATCH - w->tasks.sql_calls);
		exec->fresh_token = sfn_token_new();
		sfn_decide_threads(exec, threads, linitial(pending));
		pending = list_delete_first(pending);
		collect_events(w, exec);
	}
}

static bool
batch_full(const BatchWrites *w)
{
	return w->tasks.sql_calls >= SFN_MAX_SQL_TASKS_PER_BATCH;
}

/* Build the engine's view of claimed row r and advance it. */
static void
advance_row_in(uint64 r, TimestampTz now, BatchWrites *w)
{
	SfnExecution exec;
	List	   *threads = NIL;
	int32		first_new_id;
	const SfnPlan *plan;
	TimestampTz timeout_at = timestamp_column(r, C_TIMEOUT);
	Oid			role;
	SfnWake		wake;

	memset(&exec, 0, sizeof(exec));
	exec.id = sfn_spi_get_int64(r, C_ID);
	current_execution = exec.id;
	exec.name = sfn_spi_get_text(r, C_NAME);
	exec.input = jsonb_column(r, C_INPUT);
	exec.start_date = timestamp_column(r, C_START);
	exec.last_event_id = int_column(r, C_LAST);
	exec.redrive_count = int_column(r, C_REDRIVE);
	exec.sm_name = sfn_spi_get_text(r, C_SM_NAME);
	role = get_role_oid(sfn_spi_get_text(r, C_ROLE), true);
	exec.role_arn = psprintf("arn:aws:iam::%s:role/%s", sfn_account_id, sfn_spi_get_text(r, C_ROLE));
	exec.region = sfn_region;
	exec.arn = sfn_execution_arn(exec.sm_name, exec.name);
	exec.sm_arn = sfn_state_machine_arn(exec.sm_name);
	exec.now = now;
	exec.max_transitions = SFN_TRANSITIONS_PER_CALL;
	exec.max_events = sfn_max_history_events;
	exec.max_payload = sfn_max_payload_size;
	exec.status = SFN_RUNNING;
	/* Jitter: fixed per execution by its recorded id and start time. */
	exec.seed = sfn_mix_seed((uint64) exec.id, (uint64) exec.start_date);

	{
		bool		isnull;
		Datum		d = sfn_spi_get(r, C_REVISION_ID, &isnull);

		if (isnull)
			elog(ERROR, "no revision id for execution " INT64_FORMAT, exec.id);
		plan = sfn_plan_cache_get(DatumGetUUIDP(d), sfn_spi_get_int64(r, C_SM_ID),
								  int_column(r, C_REVISION));
	}
	/*
	 * A child of a Distributed Map runs the Map state's ItemProcessor ("" if
	 * its map run is gone: the execution fails, see sfn_runner_recover).
	 */
	{
		char	   *map_state = sfn_spi_get_text(r, C_MAP_STATE);

		current_is_map_child = map_state != NULL;
		if (map_state != NULL)
		{
			const SfnPlan *holder;
			int			i = sfn_plan_find_state_deep(plan, map_state, &holder);

			if (i == SFN_NO_STATE || holder->states[i].processor == NULL)
				elog(ERROR, "Map state \"%s\" not in the plan of execution " INT64_FORMAT,
					 map_state, exec.id);
			plan = holder->states[i].processor;
		}
	}
	/* every live thread of the execution, thread 0 first */
	for (uint64 i = first_row_of(thread_rows, thread_count, sizeof(ThreadRow), exec.id);
		 i < thread_count && thread_rows[i].execution_id == exec.id; i++)
	{
		ThreadRow  *row = &thread_rows[i];
		SfnThread  *t = &row->thread;
		const SfnPlan *found = NULL;

		t->state = sfn_plan_find_state_deep(plan, row->state_name, &found);
		if (t->state == SFN_NO_STATE)
			elog(ERROR, "state \"%s\" not in the plan of execution " INT64_FORMAT,
				 row->state_name, exec.id);
		t->plan = found;
		threads = lappend(threads, t);
		exec.next_thread_id = Max(exec.next_thread_id, t->thread_id + 1);
	}
	if (threads == NIL)
	{
		SfnThread  *t = palloc(sizeof(SfnThread));

		sfn_thread_init(t, plan, exec.input);
		threads = list_make1(t);
		exec.next_thread_id = 1;
	}
	first_new_id = exec.next_thread_id;
	sfn_threads_loaded(threads);

	if (timeout_at != 0 && timeout_at <= now)
	{
		wake = sfn_wake(SFN_WAKE_TIMEOUT);
		sfn_decide_threads(&exec, &threads, &wake);
	}
	else
	{
		/* Answers that arrived, in order (the inbox rows are sorted). */
		for (uint64 i = first_row_of(inbox_rows, inbox_count, sizeof(InboxRow), exec.id);
			 i < inbox_count && inbox_rows[i].execution_id == exec.id; i++)
		{
			SfnThread  *t = sfn_thread_for_answer(threads, inbox_rows[i].wake.task_event_id);

			if (exec.status != SFN_RUNNING)
				break;
			/* A Lambda function mapped to an HTTP endpoint answers as a Lambda. */
			if (t != NULL)
			{
				const SfnResource *target = &t->plan->states[t->state].target;

				if (target->kind == SFN_RESOURCE_LAMBDA || target->kind == SFN_RESOURCE_LAMBDA_FUNCTION)
					sfn_lambda_shape_answer(target->kind == SFN_RESOURCE_LAMBDA_FUNCTION,
											&inbox_rows[i].wake);
				else if (target->kind == SFN_RESOURCE_START_EXECUTION)
					sfn_start_execution_shape_answer(target, &inbox_rows[i].wake);
			}
			decide_and_carry_out(w, &exec, &threads, role, &inbox_rows[i].wake);
		}

		/*
		 * A few transitions per call, up to SFN_MAX_TRANSITIONS_PER_BATCH,
		 * while the batch's time budget lasts (sfn_decide stays pure: the
		 * clock is read here).
		 */
		wake = sfn_wake(SFN_WAKE_RUN);
		for (int done = 0; exec.status == SFN_RUNNING;)
		{
			decide_and_carry_out(w, &exec, &threads, role, &wake);
			done += SFN_TRANSITIONS_PER_CALL;
			if (exec.status != SFN_RUNNING ||
				!sfn_threads_runnable(&exec, threads) ||
				done >= SFN_MAX_TRANSITIONS_PER_BATCH ||
				GetCurrentTimestamp() >= batch_deadline || batch_full(w))
				break;
		}
	}
	collect(w, &exec, threads, timeout_at, first_new_id);
}

/*
 * Advance claimed row r in a memory context of its own: once its rows are
 * queued (as copies) what the engine made for it can go, or a batch that
 * runs large Maps holds hundreds of megabytes till it ends.  An HTTP
 * request queued for the batch points into the engine's values, so the
 * context then stays till the batch ends.  (An SPI call inside switches
 * back to the batch's context: what follows it stays too.)
 */
static void
advance_row(uint64 r, TimestampTz now, BatchWrites *w)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "pg_sfn execution",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int			http = list_length(w->tasks.http);

	advance_row_in(r, now, w);
	MemoryContextSwitchTo(old);
	if (list_length(w->tasks.http) == http)
		MemoryContextDelete(cxt);
}

/*
 * Claim up to batch_size executions that are due, or that have answers
 * waiting in sfn.inbox, and load what the engine needs.
 */
static uint64
claim(TimestampTz now, int limit)
{
	static SPIPlanPtr lock_plan = NULL;
	static SPIPlanPtr load_plan = NULL;
	int			rc;
	Datum	   *ids;
	uint64		n;

	/*
	 * Only rows it can run fill the LIMIT: RUNNING, with their state machine
	 * and revision (orphans are swept by sfn_runner_sweep_orphans).  OFFSET
	 * 0 keeps the EXISTS a per-row probe by primary keys: made a semi-join,
	 * a generic plan from small tables scanned all executions per claim.
	 * Executions with answers come first; each part locks its own rows.
	 * An answer for an execution that has ended (it raced the end) has no
	 * work row: it is skipped here, so it cannot crowd out live answers,
	 * and retention removes it.
	 */
	if (lock_plan == NULL)
		keep_plan(&lock_plan,
				  "WITH a AS ("
				  "  SELECT w.execution_id, w.due_at FROM sfn.work w"
				  "  WHERE w.execution_id OPERATOR(pg_catalog.=) ANY (ARRAY("
				  "      SELECT i.execution_id FROM sfn.inbox i"
				  "      WHERE EXISTS (SELECT 1 FROM sfn.work w2"
				  "        WHERE w2.execution_id OPERATOR(pg_catalog.=) i.execution_id)"
				  "      ORDER BY i.id LIMIT $1))"
				  "    AND " RUNNABLE_WORK_ROW
				  "  FOR UPDATE OF w SKIP LOCKED),"
				  " b AS ("
				  "  SELECT w.execution_id, w.due_at FROM sfn.work w"
				  "  WHERE w.due_at OPERATOR(pg_catalog.<=) $2"
				  "    AND " RUNNABLE_WORK_ROW
				  "  ORDER BY w.due_at LIMIT $1 FOR UPDATE OF w SKIP LOCKED)"
				  " SELECT execution_id FROM (SELECT * FROM a UNION SELECT * FROM b) c"
				  " ORDER BY due_at",
				  2, (Oid[]) {INT4OID, TIMESTAMPTZOID});
	rc = SPI_execute_plan(lock_plan,
						  (Datum[]) {Int32GetDatum(limit), TimestampTzGetDatum(now)},
						  NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "claim failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return 0;
	ids = palloc(sizeof(Datum) * SPI_processed);
	for (uint64 r = 0; r < SPI_processed; r++)
		ids[r] = Int64GetDatum(sfn_spi_get_int64(r, 1));
	n = SPI_processed;

	/*
	 * Load them in a statement of its own, so with a snapshot taken after
	 * the locks: a row locked above may hold another worker's transition
	 * that committed after the locking statement's snapshot, and reading
	 * the execution and thread in that statement would see them as they
	 * were before it (and write the old state back).
	 */
	if (load_plan == NULL)
		keep_plan(&load_plan,
				  psprintf("SELECT e.id, e.name, e.input, e.start_date, e.timeout_at, e.last_event_id,"
						   "   e.redrive_count, e.state_machine_id, e.revision, sm.name, sm.role::pg_catalog.text,"
						   "   r.revision_id,"
						   "   CASE WHEN e.map_run_id IS NOT NULL THEN COALESCE("
						   "     (SELECT mr.state_name FROM sfn.map_runs mr"
						   "       WHERE mr.id OPERATOR(pg_catalog.=) e.map_run_id), '') END"
						   " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[])) WITH ORDINALITY AS c(execution_id, ord)"
						   " JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) c.execution_id"
						   " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
						   " JOIN sfn.state_machine_revisions r"
						   "   ON r.state_machine_id OPERATOR(pg_catalog.=) e.state_machine_id"
						   "  AND r.revision OPERATOR(pg_catalog.=) e.revision"
						   " WHERE e.status OPERATOR(pg_catalog.=) 'RUNNING'"
						   " ORDER BY c.ord"),
				  1, (Oid[]) {INT8ARRAYOID});
	rc = SPI_execute_plan(load_plan,
						  (Datum[]) {PointerGetDatum(construct_array(ids, (int) n, INT8OID, 8, true, TYPALIGN_DOUBLE))},
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

/*
 * The memory an execution's advance takes (see advance_row) is tens of
 * megabytes when it runs a large Map.  By default glibc hands blocks that
 * large back to the kernel (mmap, heap trimming), and the next execution
 * faults every page in again: a sixth of a worker's time in a Map-heavy
 * load.  Keeping up to 64 MB of freed heap avoids most of that.
 */
static void
keep_batch_memory(void)
{
#ifdef __GLIBC__
	static bool done = false;

	if (done)
		return;
	done = true;
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

long
sfn_runner_run_due(int worker_slot)
{
	uint64		n;
	long		sleep_ms;
	TimestampTz now;
	SfnSchemaState schema;
	char	   *installed;
	static bool schema_warned = false;

	keep_batch_memory();
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

		Datum	   *ids = palloc(sizeof(Datum) * n);
		Datum		id_array;

		writes_init(&w);
		SPI_tuptable = claimed;
		for (uint64 r = 0; r < n; r++)
			ids[r] = Int64GetDatum(sfn_spi_get_int64(r, C_ID));
		id_array = PointerGetDatum(construct_array(ids, (int) n, INT8OID, 8, true,
												   TYPALIGN_DOUBLE));
		take_inbox(id_array);
		load_threads(id_array);
		for (uint64 r = 0; r < n; r++)
		{
			/* Out of time: the rest stay due, for the next batch. */
			if (r > 0 && (GetCurrentTimestamp() >= batch_deadline || batch_full(&w)))
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
bool
sfn_runner_recover(const char *message)
{
	int64		culprit = current_execution;

	if (current_claimed > 1)
	{
		isolate_batches = (int) current_claimed;
		return true;
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
		return true;
	}
	return false;
}

/*
 * Work rows no batch can run: the execution is gone or no longer RUNNING
 * (the row is removed), or its state machine or revision is gone (the
 * execution fails with States.Runtime), or it is a child of a map run
 * that ended while a batch held it (it is aborted).  The claim never takes
 * them, so they cannot stall the workers; this ends them.  Worker 0 runs it every
 * 10 s, in a transaction of its own; returns how many it handled.
 */
uint64
sfn_runner_sweep_orphans(void)
{
	uint64		n = 0;
	uint64		aborted = 0;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "pg_sfn: orphaned work");
	if (sfn_schema_state(NULL) == SFN_SCHEMA_CURRENT)
	{
		SPITupleTable *orphans;

		/* Children of ended map runs: aborted, whenever they are due. */
		aborted = sfn_map_runs_abort_stragglers(SFN_ORPHANS_PER_SWEEP);
		n = sfn_spi_exec("SELECT w.execution_id,"
						 "   EXISTS (SELECT 1 FROM sfn.executions e"
						 "     WHERE e.id OPERATOR(pg_catalog.=) w.execution_id"
						 "       AND e.status OPERATOR(pg_catalog.=) 'RUNNING'),"
						 "   EXISTS (SELECT 1 FROM sfn.executions e"
						 "     JOIN sfn.map_runs mr ON mr.id OPERATOR(pg_catalog.=) e.map_run_id"
						 "     WHERE e.id OPERATOR(pg_catalog.=) w.execution_id"
						 "       AND e.status OPERATOR(pg_catalog.=) 'RUNNING'"
						 "       AND mr.status OPERATOR(pg_catalog.<>) 'RUNNING')"
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
			if (DatumGetBool(sfn_spi_get(r, 3, &isnull)))
				continue;		/* held above: the next sweep aborts it */
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
	return n + aborted;
}
