/*-------------------------------------------------------------------------
 *
 * fanout.c
 *	  Parallel and inline Map states: start child threads, collect them.
 *
 * Entering the state runs InputPath (and Parameters for a Parallel; a
 * Map's ItemsPath), then starts one child thread per branch or item and
 * puts the parent in phase FANOUT.  The children run as threads of their
 * own (engine/threads.c); whenever one ends, sfn_fanout_step() looks at
 * the parent again: a Map starts more iterations within MaxConcurrency;
 * once all have ended the outputs, in branch or item order, go through
 * retry.c (ResultSelector, ResultPath, OutputPath) as a Task's result
 * does.  The first child that fails stops the others and fails the state
 * with its error and cause, which Retry (all children again) and Catch
 * see as a Task's error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "engine/dataflow.h"
#include "engine/decide_int.h"
#include "engine/engine.h"
#include "engine/retry.h"
#include "eval/scope.h"
#include "eval/budget.h"
#include "eval/entropy.h"

/* Iterations of an inline Map that run at once, at most (AWS's limit). */
#define SFN_INLINE_MAP_MAX_CONCURRENCY 40

/* {"name": state name, "index": i}: MapIteration*EventDetails */
static JsonbValue *
iteration_details(const SfnState *st, int32 index)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "name", 4, sfn_jv_cstring(st->name));
	sfn_jv_object_put(d, "index", 5, sfn_jv_int(index));
	return d;
}

static const char *
fanout_event(const SfnState *st, const char *what)
{
	return psprintf("%sState%s", st->type == SFN_STATE_MAP ? "Map" : "Parallel", what);
}

/* Start child thread number index of parent, running plan with input. */
static SfnThread *
start_child(SfnExecution *exec, SfnThread *parent, const SfnPlan *plan,
			int32 index, JsonbValue *input)
{
	SfnThread  *c = palloc(sizeof(SfnThread));

	sfn_thread_init(c, plan, input);
	c->thread_id = exec->next_thread_id++;
	c->parent_id = parent->thread_id;
	c->index = index;
	c->last_event_id = parent->last_event_id;
	c->touched = true;
	/* the child sees the parent's variables; its assignments stay its own */
	c->variables = parent->variables;
	exec->new_threads = lappend(exec->new_threads, c);
	parent->n_children++;
	parent->n_running++;
	return c;
}

static void
begin_fanout(SfnThread *thread)
{
	thread->phase = SFN_PHASE_FANOUT;
	thread->due_at = 0;
	thread->n_children = 0;
	thread->n_running = 0;
	thread->n_failed = 0;
}

/*
 * The Map's items and its concurrency, from the state input; kept in the
 * thread for the steps of this load (they depend on nothing else).
 */
static bool
map_setup(const SfnState *st, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx,
		  JsonbValue **effective, JsonbValue **items, int *concurrency, SfnError *err)
{
	int64		maxc = st->max_concurrency;

	if (!sfn_state_input(st, thread->input, ctx, false, effective, err) ||
		!sfn_map_items(st, *effective, ctx, items, err))
		return false;
	if (st->max_concurrency_expr)
	{
		JsonbValue *v;

		if (!sfn_state_expression(st, st->max_concurrency_expr, *effective, ctx, &v, err))
			return false;
		if (!sfn_jv_is_number(v) || !sfn_jv_get_int64(v, &maxc) || maxc < 0)
			return sfn_fail(err, SFN_JSONATA_ERROR,
							"The JSONata expression '%s' specified for the field 'MaxConcurrency' returned an unexpected value: %s (a non-negative integer is required)",
							sfn_jsonata_template_text(st->max_concurrency_expr),
							sfn_jv_to_text(v));
	}
	if (st->max_concurrency_path)
	{
		JsonbValue *v;

		if (!sfn_path_query(st->max_concurrency_path, *effective, ctx, &v, err))
			return false;
		if (v == NULL || !sfn_jv_get_int64(v, &maxc) || maxc < 0)
			return sfn_fail(err, "States.Runtime",
							"The MaxConcurrencyPath field refers to value %s which is not a valid non-negative integer",
							v ? sfn_jv_to_text(v) : "null");
	}
	/* 0 is "as many as possible": inline, that is AWS's limit */
	if (maxc == 0 || maxc > SFN_INLINE_MAP_MAX_CONCURRENCY)
		maxc = SFN_INLINE_MAP_MAX_CONCURRENCY;
	*concurrency = (int) maxc;
	thread->n_items = (*items)->val.array.nElems;
	thread->concurrency = (int32) maxc;
	thread->map_effective = *effective;
	thread->map_items = *items;
	return true;
}

/*
 * Start the next iteration if the Map has items left and room.  One at a
 * time: the next starts when this one ends or has to wait (threads.c), so
 * iterations that need no waiting run one after the other, as AWS's
 * histories show them, and those that wait overlap up to the concurrency.
 */
static bool
map_start_more(SfnExecution *exec, SfnThread *thread, JsonbValue *effective,
			   JsonbValue *items, int concurrency, SfnError *err)
{
	const SfnState *st = &thread->plan->states[thread->state];
	int			n = items->val.array.nElems;

	if (thread->n_children < n && thread->n_running < concurrency)
	{
		int32		i = thread->n_children;
		JsonbValue *item = &items->val.array.elems[i];
		JsonbValue *input = item;
		const SfnTemplate *sel = st->item_selector ? st->item_selector : st->parameters;
		SfnThread  *c;
		SfnEvent   *ev;

		CHECK_FOR_INTERRUPTS();
		if (sel || st->item_selector_expr)
		{
			JsonbValue *ctx = sfn_context_object(exec, st, thread);
			JsonbValue *m = sfn_jv_object();
			JsonbValue *it = sfn_jv_object();

			/*
			 * $ is the state's effective input, $$.Map.Item the item: only
			 * ItemSelector (or Parameters) sees it
			 */
			sfn_jv_object_put(it, "Index", 5, sfn_jv_int(i));
			sfn_jv_object_put(it, "Value", 5, item);
			sfn_jv_object_put(m, "Item", 4, it);
			sfn_jv_object_put(ctx, "Map", 3, m);
			sfn_budget_begin();
			if (st->item_selector_expr)
			{
				/* JSONata: $states.input and $states.context.Map.Item */
				if (!sfn_state_expression(st, st->item_selector_expr, effective, ctx,
										  &input, err))
					return false;
			}
			else if (!sfn_parameters(sel, effective, ctx, &input, err))
				return false;
		}
		c = start_child(exec, thread, st->processor, i, input);
		ev = sfn_emit(exec, thread->last_event_id, "MapIterationStarted",
					  iteration_details(st, i));
		c->last_event_id = ev->id;
	}
	return true;
}

/*
 * Children started in this call that the state's failure stops at once
 * (they have not run: a Map records their iterations as aborted).
 */
static void
drop_new_children(SfnExecution *exec, SfnThread *parent)
{
	const SfnState *st = &parent->plan->states[parent->state];
	ListCell   *lc;

	foreach(lc, exec->new_threads)
	{
		SfnThread  *t = lfirst(lc);

		if (t->parent_id != parent->thread_id || t->removed)
			continue;
		t->removed = true;
		if (st->type == SFN_STATE_MAP)
			sfn_emit(exec, t->last_event_id, "MapIterationAborted", iteration_details(st, t->index));
	}
	parent->n_children = parent->n_running = parent->n_failed = 0;
	parent->phase = SFN_PHASE_ENTER;
}

/* Start (again, after a retry) the children of a Parallel or Map state. */
static void
fanout_begin(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnError	err;
	JsonbValue *effective;
	SfnEvent   *ev;

	thread->n_items = 0;
	thread->concurrency = 0;
	thread->map_effective = NULL;
	thread->map_items = NULL;
	thread->end_prev_id = 0;
	if (st->type == SFN_STATE_PARALLEL)
	{
		/* InputPath and Parameters, or JSONata's Arguments */
		if (!sfn_state_input(st, thread->input, ctx, true, &effective, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		ev = sfn_emit(exec, thread->last_event_id, "ParallelStateStarted", NULL);
		thread->last_event_id = ev->id;
		begin_fanout(thread);
		for (int b = 0; b < st->n_branches; b++)
			start_child(exec, thread, st->branches[b], b, effective);
	}
	else
	{
		JsonbValue *items;
		JsonbValue *d = sfn_jv_object();
		int			concurrency;

		if (!map_setup(st, exec, thread, ctx, &effective, &items, &concurrency, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		sfn_jv_object_put(d, "length", 6, sfn_jv_int(items->val.array.nElems));
		ev = sfn_emit(exec, thread->last_event_id, "MapStateStarted", d);
		thread->last_event_id = ev->id;
		begin_fanout(thread);
		if (!map_start_more(exec, thread, effective, items, concurrency, &err))
		{
			/* the iterations started so far stop with the state */
			drop_new_children(exec, thread);
			return sfn_fail_in_state(plan, exec, thread, &err);
		}
	}
}

void
sfn_run_parallel(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	fanout_begin(plan, exec, thread, ctx);
}

void
sfn_run_map_inline(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	fanout_begin(plan, exec, thread, ctx);
}

/* A retry of the whole state is due: every child runs again. */
void
sfn_fanout_retry(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread)
{
	const SfnState *st = &plan->states[thread->state];

	sfn_budget_begin();
	sfn_entropy_begin(exec->seed ? sfn_mix_seed(exec->seed, (uint64) thread->entered_event_id) : 0);
	fanout_begin(plan, exec, thread, sfn_context_object(exec, st, thread));
}

bool
sfn_fanout_ready(const SfnThread *parent)
{
	const SfnState *st = &parent->plan->states[parent->state];

	if (parent->phase != SFN_PHASE_FANOUT)
		return false;
	if (parent->n_failed > 0 || parent->n_running == 0)
		return true;
	/* a Map with items left and room for more iterations */
	return st->type == SFN_STATE_MAP &&
		(parent->concurrency == 0 ||
		 (parent->n_children < parent->n_items && parent->n_running < parent->concurrency));
}

/*
 * Stop every child of parent (and theirs): the rows go, and a state a
 * child was in the middle of (a Wait, a Task, a Parallel or Map) is
 * aborted, as are Map iterations still running.
 */
static void
remove_children(SfnExecution *exec, SfnThread *parent, List *threads)
{
	const SfnState *st = &parent->plan->states[parent->state];
	ListCell   *lc;

	check_stack_depth();
	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);
		const SfnState *cst;
		SfnEvent   *ev;

		if (t->removed || t->parent_id != parent->thread_id)
			continue;
		t->removed = true;
		if (t->done)
			continue;
		cst = &t->plan->states[t->state];
		if (t->phase == SFN_PHASE_FANOUT)
			remove_children(exec, t, threads);
		if (t->phase != SFN_PHASE_ENTER)
		{
			ev = sfn_emit(exec, t->last_event_id,
						  psprintf("%sStateAborted", sfn_state_type_name(cst->type)), NULL);
			t->last_event_id = ev->id;
		}
		if (st->type == SFN_STATE_MAP)
			sfn_emit(exec, t->last_event_id, "MapIterationAborted", iteration_details(st, t->index));
	}
}

/* The children of parent that ended, by index (for collecting outputs). */
static SfnThread **
children_by_index(SfnThread *parent, List *threads, int n)
{
	SfnThread **by = palloc0(sizeof(SfnThread *) * Max(n, 1));
	ListCell   *lc;

	foreach(lc, threads)
	{
		SfnThread  *t = lfirst(lc);

		if (!t->removed && t->parent_id == parent->thread_id && t->done &&
			t->index >= 0 && t->index < n)
			by[t->index] = t;
	}
	return by;
}

static void
fanout_failed(SfnExecution *exec, SfnThread *parent, List *threads)
{
	const SfnPlan *plan = parent->plan;
	const SfnState *st = &plan->states[parent->state];
	SfnThread **by = children_by_index(parent, threads, parent->n_children);
	const char *error = NULL;
	const char *cause = NULL;
	int32		failed_last = parent->last_event_id;
	SfnEvent   *ev;
	SfnOutcome	o;

	/* the failed child with the lowest index: the one that failed first */
	for (int i = 0; i < parent->n_children; i++)
		if (by[i] && by[i]->failed)
		{
			JsonbValue *e = sfn_jv_object_cget(by[i]->result, "Error");
			JsonbValue *c = sfn_jv_object_cget(by[i]->result, "Cause");

			error = e && sfn_jv_is_string(e) ? sfn_jv_cstr(e) : NULL;
			cause = c && sfn_jv_is_string(c) ? sfn_jv_cstr(c) : NULL;
			failed_last = by[i]->last_event_id;
			break;
		}
	remove_children(exec, parent, threads);
	parent->n_children = parent->n_running = parent->n_failed = 0;
	parent->phase = SFN_PHASE_ENTER;
	parent->last_event_id = failed_last;
	sfn_budget_begin();
	sfn_task_failed_ctx(st, parent->input, error, cause, sfn_context_object(exec, st, parent),
						parent->n_retry_counts ? parent->retry_counts : NULL,
						sfn_mix_seed(exec->seed, ((uint64) parent->entered_event_id << 32) |
									 (uint32) parent->retry_count), &o);

	/*
	 * AWS records no *StateFailed before a retry: the state starts again
	 * (*StateStarted) after the failed child's last event.
	 */
	if (o.kind != SFN_OUTCOME_RETRY)
	{
		ev = sfn_emit(exec, failed_last, fanout_event(st, "Failed"), NULL);
		parent->last_event_id = ev->id;
	}
	/* the child's error as it is: its cause already names its state */
	if (o.kind == SFN_OUTCOME_FAILED)
		sfn_fail_execution(exec, parent, o.error, o.cause);
	else
		sfn_apply_outcome(plan, exec, parent, &o);
}

static void
fanout_succeeded(SfnExecution *exec, SfnThread *parent, List *threads)
{
	const SfnPlan *plan = parent->plan;
	const SfnState *st = &plan->states[parent->state];
	int			n = parent->n_children;
	SfnThread **by = children_by_index(parent, threads, n);
	JsonbValue *result = sfn_jv_array();
	SfnOutcome	o;

	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (by[i] == NULL)
			elog(ERROR, "child %d of thread %d is missing", i, parent->thread_id);
		sfn_jv_array_append(result, by[i]->result);
	}
	remove_children(exec, parent, threads);
	parent->n_children = parent->n_running = parent->n_failed = 0;
	parent->phase = SFN_PHASE_ENTER;
	/* *StateExited follows the same event as *StateSucceeded (AWS) */
	if (parent->end_prev_id == 0)
		parent->end_prev_id = parent->last_event_id;
	sfn_emit(exec, parent->end_prev_id, fanout_event(st, "Succeeded"), NULL);
	parent->last_event_id = parent->end_prev_id;
	sfn_budget_begin();
	sfn_task_succeeded(st, parent->input, result, sfn_context_object(exec, st, parent),
					   parent->n_retry_counts ? parent->retry_counts : NULL,
					   sfn_mix_seed(exec->seed, ((uint64) parent->entered_event_id << 32) |
									(uint32) parent->retry_count), &o);
	sfn_apply_outcome(plan, exec, parent, &o);
}

static void fanout_step(SfnExecution *exec, SfnThread *parent, List *threads);

/*
 * A parent goes on outside sfn_decide() (its children ended): its own
 * variables are the evaluation scope of its ItemSelector, Output and Assign.
 */
void
sfn_fanout_step(SfnExecution *exec, SfnThread *parent, List *threads)
{
	SfnEvalScope scope;
	SfnEvalScope *prev;

	memset(&scope, 0, sizeof(scope));
	scope.variables = &parent->variables;
	scope.now_ms = exec->now / 1000 +
		(int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
	scope.seed = exec->seed ? sfn_mix_seed(exec->seed, (uint64) exec->last_event_id) : 0;
	prev = sfn_scope_set(&scope);
	PG_TRY();
	{
		fanout_step(exec, parent, threads);
	}
	PG_FINALLY();
	{
		sfn_scope_set(prev);
	}
	PG_END_TRY();
}

static void
fanout_step(SfnExecution *exec, SfnThread *parent, List *threads)
{
	const SfnState *st = &parent->plan->states[parent->state];

	if (parent->phase != SFN_PHASE_FANOUT)
		return;
	parent->touched = true;
	if (parent->n_failed > 0)
		return fanout_failed(exec, parent, threads);
	if (st->type == SFN_STATE_MAP)
	{
		SfnError	err;
		JsonbValue *effective = parent->map_effective;
		JsonbValue *items = parent->map_items;
		int			concurrency = parent->concurrency;

		/* the items and concurrency, once per load (they never change) */
		sfn_budget_begin();
		if ((parent->concurrency == 0 &&
			 !map_setup(st, exec, parent, sfn_context_object(exec, st, parent),
						&effective, &items, &concurrency, &err)) ||
			!map_start_more(exec, parent, effective, items, concurrency, &err))
		{
			remove_children(exec, parent, threads);
			drop_new_children(exec, parent);
			return sfn_fail_in_state(parent->plan, exec, parent, &err);
		}
		if (parent->n_children < items->val.array.nElems)
			return;
	}
	if (parent->n_running == 0)
		fanout_succeeded(exec, parent, threads);
}
