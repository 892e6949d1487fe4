/*-------------------------------------------------------------------------
 *
 * threads.c
 *	  Advance every thread of an execution: sfn_decide_threads().
 *
 * An execution is a tree of threads: thread 0 runs the top-level states;
 * a Parallel or Map state running in a thread starts one child thread per
 * branch or iteration (fanout.c) and waits in phase FANOUT.  A child that
 * ends keeps its output (or error) until its parent collects it.  This
 * file routes a task answer to the thread whose attempt it answers, runs
 * each runnable thread in turn, and when a child ends lets its parent go
 * on.  It is as pure as sfn_decide(): the caller loads the threads and
 * writes back those marked touched or removed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "engine/decide_int.h"
#include "engine/engine.h"
#include "engine/retry.h"

/* Events one RUN call may append before it returns (then the caller's budget). */
#define SFN_EVENTS_PER_ROUND(exec) (20 * Max((exec)->max_transitions, 1))

/* The thread with id, in threads sorted by thread_id; NULL if none. */
static SfnThread *
find_thread(List *threads, int32 id)
{
	int			lo = 0,
				hi = list_length(threads);

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;
		SfnThread  *t = list_nth(threads, mid);

		if (t->thread_id == id)
			return t;
		if (t->thread_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Counters of the children of each parent, from the loaded rows; the
 * calls keep them up to date after that.
 */
void
sfn_threads_loaded(List *threads)
{
	ListCell   *lc;

	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		t->n_children = t->n_running = t->n_failed = 0;
	}
	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);
		SfnThread  *p;

		if (t->parent_id < 0 || t->removed || (p = find_thread(threads, t->parent_id)) == NULL)
			continue;
		p->n_children++;
		if (!t->done)
			p->n_running++;
		else if (t->failed)
			p->n_failed++;
	}
}

/*
 * Child t has just ended: a Map records the iteration's end, and the
 * parent goes on (which may end the parent, and so on up).
 */
static void
child_ended(SfnExecution *exec, List *threads, SfnThread *t)
{
	while (t->done && t->parent_id >= 0 && !t->removed && exec->status == SFN_RUNNING)
	{
		SfnThread  *p = find_thread(threads, t->parent_id);
		const SfnState *pst;

		if (p == NULL)
			elog(ERROR, "thread %d has no parent thread %d", t->thread_id, t->parent_id);
		pst = &p->plan->states[p->state];
		t->phase = t->failed ? SFN_PHASE_FAILED : SFN_PHASE_DONE;
		t->touched = true;
		p->n_running--;
		if (t->failed)
			p->n_failed++;

		/*
		 * As AWS records it: MapIterationSucceeded / Failed follow the
		 * iteration's last event, and so do the parent's next events
		 * (another MapIterationStarted, MapStateFailed); MapStateSucceeded
		 * follows the last MapIterationSucceeded.
		 */
		p->end_prev_id = t->last_event_id;
		if (pst->type == SFN_STATE_MAP)
		{
			JsonbValue *d = sfn_jv_object();
			SfnEvent   *ev;

			sfn_jv_object_put(d, "name", 4, sfn_jv_cstring(pst->name));
			sfn_jv_object_put(d, "index", 5, sfn_jv_int(t->index));
			ev = sfn_emit(exec, t->last_event_id,
						  t->failed ? "MapIterationFailed" : "MapIterationSucceeded", d);
			p->end_prev_id = ev->id;
		}
		p->last_event_id = t->last_event_id;
		p->touched = true;
		sfn_fanout_step(exec, p, threads);
		if (sfn_enforce_history_limit(exec, p))
			return;
		t = p;
	}
}

/* Children a call started join the list (their ids are the highest). */
static void
adopt_new_threads(SfnExecution *exec, List **threads)
{
	if (exec->new_threads != NIL)
	{
		*threads = list_concat(*threads, exec->new_threads);
		exec->new_threads = NIL;
	}
}

/*
 * Map iteration t has to wait (a Wait, a task, its own children): the
 * Map may start its next iteration, which follows t's last event.
 */
static void
child_waits(SfnExecution *exec, List *threads, SfnThread *t)
{
	SfnThread  *p = find_thread(threads, t->parent_id);

	if (p == NULL || p->phase != SFN_PHASE_FANOUT ||
		p->plan->states[p->state].type != SFN_STATE_MAP || !sfn_fanout_ready(p))
		return;
	p->last_event_id = t->last_event_id;
	sfn_fanout_step(exec, p, threads);
	sfn_enforce_history_limit(exec, p);
}

static void
run_thread(SfnExecution *exec, List **threads, SfnThread *t, const SfnWake *wake)
{
	bool		was_done = t->done;

	sfn_decide(t->plan, exec, t, wake);
	adopt_new_threads(exec, threads);
	if (t->parent_id >= 0 && exec->status == SFN_RUNNING)
	{
		if (!was_done && t->done)
			child_ended(exec, *threads, t);
		else if (!t->done && sfn_thread_blocked(exec, t))
			child_waits(exec, *threads, t);
	}
	adopt_new_threads(exec, threads);
}

/* Parents that can go on without a child ending now (after a load). */
static void
step_ready_parents(SfnExecution *exec, List **threads)
{
	for (int i = 0; i < list_length(*threads) && exec->status == SFN_RUNNING; i++)
	{
		SfnThread  *t = list_nth(*threads, i);

		if (t->removed || !sfn_fanout_ready(t))
			continue;
		sfn_fanout_step(exec, t, *threads);
		adopt_new_threads(exec, threads);
		if (sfn_enforce_history_limit(exec, t))
			return;
		if (t->done && t->parent_id >= 0)
			child_ended(exec, *threads, t);
		adopt_new_threads(exec, threads);
	}
}

SfnThread *
sfn_thread_for_answer(List *threads, int32 task_event_id)
{
	ListCell   *lc;

	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		if (!t->removed && !t->done && t->phase == SFN_PHASE_TASK &&
			t->task_event_id == task_event_id)
			return t;
	}
	return NULL;
}

void
sfn_decide_threads(SfnExecution *exec, List **threads, const SfnWake *wake)
{
	int32		first_event = exec->last_event_id;

	if (wake->kind == SFN_WAKE_TIMEOUT)
	{
		SfnThread  *top = linitial(*threads);

		sfn_decide(top->plan, exec, top, wake);
		return;
	}
	if (wake->kind != SFN_WAKE_RUN)
	{
		SfnThread  *t = sfn_thread_for_answer(*threads, wake->task_event_id);

		/* an answer for an attempt no thread waits for is stale */
		if (t != NULL)
			run_thread(exec, threads, t, wake);
		return;
	}
	step_ready_parents(exec, threads);
	for (int i = 0; i < list_length(*threads) && exec->status == SFN_RUNNING; i++)
	{
		SfnThread  *t = list_nth(*threads, i);

		CHECK_FOR_INTERRUPTS();
		if (t->removed || sfn_thread_blocked(exec, t))
			continue;
		run_thread(exec, threads, t, wake);
		if (exec->last_event_id - first_event >= SFN_EVENTS_PER_ROUND(exec))
			break;
	}
}

bool
sfn_threads_runnable(const SfnExecution *exec, List *threads)
{
	ListCell   *lc;

	if (exec->status != SFN_RUNNING)
		return false;
	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		if (t->removed)
			continue;
		if (!sfn_thread_blocked(exec, t) || sfn_fanout_ready(t))
			return true;
	}
	return false;
}

TimestampTz
sfn_threads_next_due(List *threads)
{
	TimestampTz due = 0;
	ListCell   *lc;

	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		if (t->removed || t->done || t->due_at == 0)
			continue;
		if (t->phase != SFN_PHASE_WAITING && t->phase != SFN_PHASE_RETRY &&
			t->phase != SFN_PHASE_TASK)
			continue;
		if (due == 0 || t->due_at < due)
			due = t->due_at;
	}
	return due;
}
