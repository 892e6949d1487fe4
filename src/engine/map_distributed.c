/*-------------------------------------------------------------------------
 *
 * map_distributed.c
 *	  The Map state with ProcessorConfig.Mode DISTRIBUTED.
 *
 * Unlike an inline Map, a Distributed Map runs no threads here: like a
 * Task, the state's thread asks for an effect (start a map run, carried
 * out by src/tasks/map_run.c) and waits in phase TASK for the answer, which
 * arrives through sfn.inbox once the last child execution has ended
 * (src/store/map_run_hook.c).  A visit records MapStateEntered,
 * MapStateStarted, MapRunStarted (mapRunArn), then MapRunSucceeded and
 * MapStateSucceeded, or MapRunFailed and MapStateFailed, and
 * MapStateExited; the children's events are in their own histories, so
 * the parent's stays small whatever the number of items.
 *
 * The run's output (the array of the children's outputs) goes through
 * ResultSelector, ResultPath and OutputPath, and its failure through
 * Retry and Catch, exactly as a Task's result (engine/retry.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "engine/dataflow.h"
#include "engine/decide_int.h"
#include "engine/events.h"
#include "engine/retry.h"
#include "eval/budget.h"
#include "eval/entropy.h"
#include "eval/scope.h"

/* AWS's limit on MaxItemsPerBatch and on items a map run reads. */
#define SFN_MAP_MAX_ITEMS 1000000

static JsonbValue *
processor_config(const SfnState *st)
{
	JsonbValue *proc;

	if (st->raw == NULL || !sfn_jv_is_object(st->raw))
		return NULL;
	proc = sfn_jv_object_cget(st->raw, "ItemProcessor");
	if (proc == NULL)
		proc = sfn_jv_object_cget(st->raw, "Iterator");
	if (proc == NULL || !sfn_jv_is_object(proc))
		return NULL;
	return sfn_jv_object_cget(proc, "ProcessorConfig");
}

bool
sfn_map_is_distributed(const SfnState *st)
{
	JsonbValue *cfg = processor_config(st);
	JsonbValue *mode;

	if (st->type != SFN_STATE_MAP || cfg == NULL || !sfn_jv_is_object(cfg))
		return false;
	mode = sfn_jv_object_cget(cfg, "Mode");
	return mode && sfn_jv_is_string(mode) && strcmp(sfn_jv_cstr(mode), "DISTRIBUTED") == 0;
}

/*
 * A number of the state given as a literal (field) or a reference path
 * (field + "Path") into the effective input; *given false when neither.
 */
/*
 * A value of a JSONata Map state's field that may hold "{% %}" expressions
 * (MaxConcurrency, an ItemReader's Arguments, BatchInput...), evaluated over
 * $states.input and $states.context; the value as it is otherwise.
 */
static bool
jsonata_field(const SfnState *st, JsonbValue *v, const char *field, JsonbValue *input,
			  JsonbValue *ctx, JsonbValue **out, SfnError *err)
{
	List	   *diags = NIL;
	SfnJsonataTemplate *t;

	*out = v;
	if (v == NULL || st->query_language != SFN_QL_JSONATA)
		return true;
	t = sfn_jsonata_template_compile(v, field, "", 0, &diags);
	if (t == NULL)
		return sfn_fail(err, SFN_JSONATA_ERROR, "%s",
						((SfnDiag *) linitial(diags))->message);
	sfn_budget_begin();
	return sfn_state_expression(st, t, input, ctx, out, err);
}

static bool
map_number(const SfnState *st, const JsonbValue *obj, const char *field, JsonbValue *input,
		   JsonbValue *ctx, double max, bool integer, double *out, bool *given, SfnError *err)
{
	char	   *path_field = psprintf("%sPath", field);
	JsonbValue *v;
	JsonbValue *p;

	*given = false;
	if (obj == NULL || !sfn_jv_is_object(obj))
		return true;
	if (!jsonata_field(st, sfn_jv_object_cget(obj, field), field, input, ctx, &v, err))
		return false;
	p = sfn_jv_object_cget(obj, path_field);
	if (p != NULL && sfn_jv_is_string(p))
	{
		char	   *msg = NULL;
		SfnPath    *path = sfn_path_parse(sfn_jv_cstr(p), true, &msg);

		if (path == NULL)
			return sfn_fail(err, "States.Runtime", "The value for the field '%s' is not a valid reference path: %s",
							path_field, msg ? msg : "");
		if (!sfn_path_query(path, input, ctx, &v, err))
			return false;
		if (v == NULL)
			return sfn_fail(err, "States.Runtime",
							"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
							sfn_jv_cstr(p), path_field, sfn_jv_to_text(input));
		field = path_field;
	}
	if (v == NULL)
		return true;
	if (v->type != jbvNumeric)
		return sfn_fail(err, "States.Runtime",
						"The value of the field '%s' must be a non-negative %s no greater than %.0f, but was: %s",
						field, integer ? "integer" : "number", max, sfn_jv_to_text(v));
	*out = sfn_jv_get_float8(v);
	if (*out < 0 || *out > max || (integer && *out != floor(*out)))
		return sfn_fail(err, "States.Runtime",
						"The value of the field '%s' must be a non-negative %s no greater than %.0f, but was: %s",
						field, integer ? "integer" : "number", max, sfn_jv_to_text(v));
	*given = true;
	return true;
}

/*
 * Parameters of an ItemReader or ResultWriter, evaluated against the
 * effective input ("Key.$" fields), in a copy of the object.
 */
static bool
eval_parameters(const SfnState *st, JsonbValue *obj, const char *field, JsonbValue *input,
				JsonbValue *ctx, JsonbValue **out, SfnError *err)
{
	JsonbValue *params;
	JsonbValue *copy;
	List	   *diags = NIL;
	SfnTemplate *t;
	JsonbValue *value;

	*out = NULL;
	if (obj == NULL)
		return true;
	if (!sfn_jv_is_object(obj))
		return sfn_fail(err, "States.Runtime", "The value for the field '%s' must be a JSON object", field);
	copy = sfn_jv_copy(obj);
	/* JSONata's Arguments are the Parameters the readers and writers take */
	if (st->query_language == SFN_QL_JSONATA)
	{
		if (!jsonata_field(st, sfn_jv_object_cget(obj, "Arguments"),
						   psprintf("%s/Arguments", field), input, ctx, &value, err))
			return false;
		if (value != NULL)
			sfn_jv_object_put(copy, "Parameters", 10, value);
		*out = copy;
		return true;
	}
	params = sfn_jv_object_cget(obj, "Parameters");
	if (params != NULL)
	{
		t = sfn_template_compile(params, "Parameters", field, &diags);
		if (t == NULL || diags != NIL)
			return sfn_fail(err, "States.Runtime", "The Parameters of the field '%s' are not valid", field);
		if (!sfn_template_eval(t, input, ctx, &value, err))
			return false;
		sfn_jv_object_put(copy, "Parameters", 10, value);
	}
	*out = copy;
	return true;
}

/* 32 hex digits in the 8-4-4-4-12 form, drawn from the visit's seed. */
static char *
run_uuid(const SfnExecution *exec, const SfnThread *thread)
{
	uint64		seed = exec->seed ? exec->seed : (uint64) exec->id;
	uint64		hi = sfn_mix_seed(seed, ((uint64) thread->entered_event_id << 32) |
								  (uint32) thread->retry_count);
	uint64		lo = sfn_mix_seed(hi, 0x6d6170);	/* "map" */

	/* Version 4, variant 1, as random UUIDs look. */
	hi = (hi & ~UINT64CONST(0xF000)) | UINT64CONST(0x4000);
	lo = (lo & ~(UINT64CONST(0xC) << 60)) | (UINT64CONST(0x8) << 60);
	return psprintf("%08x-%04x-%04x-%04x-%012llx",
					(uint32) (hi >> 32), (uint32) ((hi >> 16) & 0xFFFF), (uint32) (hi & 0xFFFF),
					(uint32) (lo >> 48), (unsigned long long) (lo & UINT64CONST(0xFFFFFFFFFFFF)));
}

/* arn:aws:states:REGION:ACCOUNT:mapRun:STATEMACHINE/LABEL:UUID */
static char *
run_arn(const SfnExecution *exec, const char *label, const char *uuid)
{
	const char *sm = strstr(exec->sm_arn, ":stateMachine:");

	if (sm == NULL)
		return psprintf("%s/%s:%s", exec->sm_arn, label, uuid);
	return psprintf("%.*s:mapRun:%s/%s:%s", (int) (sm - exec->sm_arn), exec->sm_arn,
					sm + strlen(":stateMachine:"), label, uuid);
}

/* One visit's map run: MapStateStarted, MapRunStarted, and the effect. */
static void
start_run(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, JsonbValue *ctx)
{
	const SfnState *st = &plan->states[thread->state];
	SfnMapRunSpec *spec = palloc0(sizeof(SfnMapRunSpec));
	SfnError	err;
	JsonbValue *effective;
	JsonbValue *label;
	JsonbValue *d;
	SfnEvent   *ev;
	SfnEffect  *eff;
	double		n;
	bool		given;

	if (!sfn_state_input(st, thread->input, ctx, false, &effective, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	spec->input = effective;
	spec->context = ctx;
	spec->max_payload = exec->max_payload;
	spec->variables = thread->variables;

	if (!eval_parameters(st, sfn_jv_object_cget(st->raw, "ItemReader"), "ItemReader",
						 effective, ctx, &spec->reader, &err) ||
		!eval_parameters(st, sfn_jv_object_cget(st->raw, "ResultWriter"), "ResultWriter",
						 effective, ctx, &spec->result_writer, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (spec->reader == NULL)
	{
		JsonbValue *items = effective;

		if (st->items_path && !sfn_path_query(st->items_path, effective, ctx, &items, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		if (st->items && !sfn_state_expression(st, st->items, effective, ctx, &items, &err))
			return sfn_fail_in_state(plan, exec, thread, &err);
		if (st->items && items->type != jbvArray)
		{
			sfn_fail(&err, SFN_JSONATA_ERROR,
					 "The JSONata expression '%s' specified for the field 'Items' returned an unexpected data type: %s (an array is required)",
					 sfn_jsonata_template_is_expression(st->items) ?
					 sfn_jsonata_template_text(st->items) : "", sfn_jv_to_text(items));
			return sfn_fail_in_state(plan, exec, thread, &err);
		}
		if (items == NULL || items->type != jbvArray)
		{
			sfn_fail(&err, "States.Runtime",
					 "Map state input must be an array, but ItemsPath '%s' references: %s",
					 st->items_path ? sfn_path_text(st->items_path) : "$",
					 items ? sfn_jv_to_text(items) : "null");
			return sfn_fail_in_state(plan, exec, thread, &err);
		}
		spec->items = items;
	}

	/* MaxConcurrency 0 (or absent) is no limit. */
	spec->max_concurrency = st->max_concurrency;
	if (!map_number(st, st->raw, "MaxConcurrency", effective, ctx, PG_INT32_MAX, true,
					&n, &given, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (given)
		spec->max_concurrency = (int64) n;
	spec->tolerated_count = -1;
	if (!map_number(st, st->raw, "ToleratedFailureCount", effective, ctx, (double) PG_INT64_MAX,
					true, &n, &given, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (given)
		spec->tolerated_count = (int64) n;
	spec->tolerated_percentage = -1;
	if (!map_number(st, st->raw, "ToleratedFailurePercentage", effective, ctx, 100, false,
					&n, &given, &err))
		return sfn_fail_in_state(plan, exec, thread, &err);
	if (given)
		spec->tolerated_percentage = n;

	label = sfn_jv_object_cget(st->raw, "Label");
	spec->label = label && sfn_jv_is_string(label) ? sfn_jv_cstr(label) : NULL;
	spec->uuid = run_uuid(exec, thread);
	spec->arn = run_arn(exec, spec->label ? spec->label : st->name, spec->uuid);

	d = sfn_jv_object();
	if (spec->items)
		sfn_jv_object_put(d, "length", 6, sfn_jv_int(spec->items->val.array.nElems));
	ev = sfn_emit(exec, thread->last_event_id, "MapStateStarted", d);
	thread->last_event_id = ev->id;
	d = sfn_jv_object();
	sfn_jv_object_put(d, "mapRunArn", 9, sfn_jv_cstring(spec->arn));
	ev = sfn_emit(exec, thread->last_event_id, "MapRunStarted", d);
	thread->last_event_id = ev->id;

	/* Wait for the run's answer, with no deadline of its own. */
	thread->phase = SFN_PHASE_TASK;
	thread->task_event_id = ev->id;
	thread->task_deadline = 0;
	thread->heartbeat_deadline = 0;
	thread->heartbeat_seconds = 0;
	thread->due_at = 0;

	eff = palloc0(sizeof(SfnEffect));
	eff->thread_id = thread->thread_id;
	eff->task_event_id = ev->id;
	eff->state = st;
	eff->parameters = effective;
	eff->map_run = spec;
	exec->effects = lappend(exec->effects, eff);
}

void
sfn_run_distributed_map(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						JsonbValue *ctx)
{
	start_run(plan, exec, thread, ctx);
}

/* Jitter's randomness: fixed per execution, state visit and attempt. */
static uint64
attempt_seed(const SfnExecution *exec, const SfnThread *thread)
{
	return sfn_mix_seed(exec->seed, ((uint64) thread->entered_event_id << 32) |
						(uint32) thread->retry_count);
}

/* The map run answered: its result or its failure, then Retry / Catch. */
void
sfn_map_wake(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread, const SfnWake *wake)
{
	const SfnState *st = &plan->states[thread->state];
	SfnOutcome	o;
	SfnEvent   *ev;

	if (thread->done || thread->phase != SFN_PHASE_TASK ||
		wake->task_event_id != thread->task_event_id)
		return;					/* stale: another visit or attempt */
	if (wake->kind == SFN_WAKE_TASK_SUCCEEDED)
	{
		SfnError	err;

		ev = sfn_emit(exec, thread->last_event_id, "MapRunSucceeded", NULL);
		thread->last_event_id = ev->id;
		/* The children's outputs together over the limit fail the state. */
		if (wake->output && sfn_payload_text(exec, st, wake->output, &err) == NULL)
		{
			ev = sfn_emit(exec, thread->last_event_id, "MapStateFailed", NULL);
			thread->last_event_id = ev->id;
			sfn_budget_begin();
			sfn_task_failed(st, thread->input, err.error, err.cause,
							thread->n_retry_counts ? thread->retry_counts : NULL,
							attempt_seed(exec, thread), &o);
			sfn_apply_outcome(plan, exec, thread, &o);
			return;
		}
		ev = sfn_emit(exec, thread->last_event_id, "MapStateSucceeded", NULL);
		thread->last_event_id = ev->id;
		sfn_budget_begin();
		sfn_entropy_begin(exec->seed ? ~attempt_seed(exec, thread) : 0);
		sfn_task_succeeded(st, thread->input, wake->output ? wake->output : sfn_jv_array(),
						   sfn_context_object(exec, st, thread),
						   thread->n_retry_counts ? thread->retry_counts : NULL,
						   attempt_seed(exec, thread), &o);
	}
	else if (wake->kind == SFN_WAKE_TASK_FAILED)
	{
		ev = sfn_emit(exec, thread->last_event_id, "MapRunFailed",
					  sfn_error_details(wake->error, wake->cause));
		thread->last_event_id = ev->id;
		ev = sfn_emit(exec, thread->last_event_id, "MapStateFailed", NULL);
		thread->last_event_id = ev->id;
		sfn_budget_begin();
		sfn_task_failed(st, thread->input, wake->error, wake->cause,
						thread->n_retry_counts ? thread->retry_counts : NULL,
						attempt_seed(exec, thread), &o);
	}
	else
		return;
	sfn_apply_outcome(plan, exec, thread, &o);
}

/* A retry of the Map state is due: a new map run, in the same visit. */
void
sfn_map_due(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread)
{
	const SfnState *st = &plan->states[thread->state];

	if (thread->phase != SFN_PHASE_RETRY)
		return;
	sfn_budget_begin();
	sfn_entropy_begin(exec->seed ? attempt_seed(exec, thread) : 0);
	start_run(plan, exec, thread, sfn_context_object(exec, st, thread));
}

/* $$ of one item: the visit's, with Map.Item {Index, Value}. */
static JsonbValue *
item_context(JsonbValue *base, int64 index, JsonbValue *value)
{
	JsonbValue *ctx = sfn_jv_object();
	JsonbValue *map = sfn_jv_object();
	JsonbValue *item = sfn_jv_object();

	for (int i = 0; i < base->val.object.nPairs; i++)
	{
		JsonbPair  *p = &base->val.object.pairs[i];

		sfn_jv_object_put(ctx, p->key.val.string.val, p->key.val.string.len, &p->value);
	}
	sfn_jv_object_put(item, "Index", 5, sfn_jv_int(index));
	sfn_jv_object_put(item, "Value", 5, value);
	sfn_jv_object_put(map, "Item", 4, item);
	sfn_jv_object_put(ctx, "Map", 3, map);
	return ctx;
}

/* A child's input within the payload limit, or States.DataLimitExceeded. */
static bool
check_child_input(const SfnState *st, const SfnMapRunSpec *spec, JsonbValue *v,
				  int64 index, Size *bytes, SfnError *err)
{
	char	   *text = sfn_jv_to_text_limited(v, spec->max_payload);

	if (text == NULL)
		return sfn_fail(err, "States.DataLimitExceeded",
						"The input of the child execution %lld of the Map state '%s' has a size exceeding the maximum number of bytes service limit.",
						(long long) index, st->name);
	*bytes = strlen(text);
	return true;
}

/* A batch of items as a child's input: {"BatchInput": ..., "Items": [...]}. */
static bool
flush_batch(const SfnState *st, const SfnMapRunSpec *spec, JsonbValue *out,
			JsonbValue *batch, JsonbValue *batch_input, SfnError *err)
{
	JsonbValue *child = sfn_jv_object();
	Size		bytes;

	if (batch_input)
		sfn_jv_object_put(child, "BatchInput", 10, batch_input);
	sfn_jv_object_put(child, "Items", 5, batch);
	if (!check_child_input(st, spec, child, out->val.array.nElems, &bytes, err))
		return false;
	sfn_jv_array_append(out, child);
	return true;
}

static bool child_inputs(const SfnState *st, const SfnMapRunSpec *spec, JsonbValue *items,
						 JsonbValue **inputs, SfnError *err);

/*
 * Called by the tasks layer after sfn_decide(): the thread's variables are
 * made the evaluation scope again for the ItemSelector and BatchInput.
 */
bool
sfn_map_child_inputs(const SfnState *st, const SfnMapRunSpec *spec, JsonbValue *items,
					 JsonbValue **inputs, SfnError *err)
{
	SfnEvalScope scope;
	SfnEvalScope *prev;
	volatile bool ok = false;

	memset(&scope, 0, sizeof(scope));
	scope.variables = &spec->variables;
	prev = sfn_scope_set(&scope);
	PG_TRY();
	{
		ok = child_inputs(st, spec, items, inputs, err);
	}
	PG_FINALLY();
	{
		sfn_scope_set(prev);
	}
	PG_END_TRY();
	return ok;
}

static bool
child_inputs(const SfnState *st, const SfnMapRunSpec *spec, JsonbValue *items,
			 JsonbValue **inputs, SfnError *err)
{
	const SfnTemplate *selector = st->item_selector ? st->item_selector : st->parameters;
	JsonbValue *batcher = sfn_jv_object_cget(st->raw, "ItemBatcher");
	JsonbValue *out = sfn_jv_array();
	JsonbValue *batch = NULL;
	JsonbValue *batch_input = NULL;
	double		max_items = 0;
	double		max_bytes = 0;
	bool		given;
	Size		batch_bytes = 0;
	int			n = items->val.array.nElems;

	if (batcher != NULL)
	{
		JsonbValue *bi;

		if (!sfn_jv_is_object(batcher))
			return sfn_fail(err, "States.Runtime", "The value for the field 'ItemBatcher' must be a JSON object");
		if (!map_number(st, batcher, "MaxItemsPerBatch", spec->input, spec->context,
						SFN_MAP_MAX_ITEMS, true, &max_items, &given, err) ||
			!map_number(st, batcher, "MaxInputBytesPerBatch", spec->input, spec->context,
						PG_INT32_MAX, true, &max_bytes, &given, err))
			return false;
		bi = sfn_jv_object_cget(batcher, "BatchInput");
		if (bi != NULL && st->query_language == SFN_QL_JSONATA)
		{
			if (!jsonata_field(st, bi, "ItemBatcher/BatchInput", spec->input, spec->context,
							   &batch_input, err))
				return false;
		}
		else if (bi != NULL)
		{
			List	   *diags = NIL;
			SfnTemplate *t = sfn_template_compile(bi, "BatchInput", "ItemBatcher", &diags);

			if (t == NULL || diags != NIL)
				return sfn_fail(err, "States.Runtime", "The value for the field 'BatchInput' is not valid");
			sfn_budget_begin();
			if (!sfn_template_eval(t, spec->input, spec->context, &batch_input, err))
				return false;
		}
	}

	for (int i = 0; i < n; i++)
	{
		JsonbValue *item = &items->val.array.elems[i];
		JsonbValue *v = item;
		Size		bytes;

		CHECK_FOR_INTERRUPTS();
		if (st->item_selector_expr)
		{
			sfn_budget_begin();
			if (!sfn_state_expression(st, st->item_selector_expr, spec->input,
									  item_context(spec->context, i, item), &v, err))
				return false;
		}
		else if (selector)
		{
			sfn_budget_begin();
			if (!sfn_template_eval(selector, spec->input,
								   item_context(spec->context, i, item), &v, err))
				return false;
		}
		if (batcher == NULL)
		{
			if (!check_child_input(st, spec, v, i, &bytes, err))
				return false;
			sfn_jv_array_append(out, v);
			continue;
		}
		/* The child input's JSON text: the item and its comma. */
		bytes = strlen(sfn_jv_to_text(v)) + 1;
		/* A full batch goes out before this item (a batch holds one at least). */
		if (batch != NULL &&
			((max_items > 0 && batch->val.array.nElems >= (int) max_items) ||
			 (max_bytes > 0 && batch_bytes + bytes > (Size) max_bytes)))
		{
			if (!flush_batch(st, spec, out, batch, batch_input, err))
				return false;
			batch = NULL;
		}
		if (batch == NULL)
		{
			batch = sfn_jv_array();
			/* {"Items":[]} or {"BatchInput":...,"Items":[]}, less one comma */
			batch_bytes = batch_input ? 25 + strlen(sfn_jv_to_text(batch_input)) : 11;
		}
		sfn_jv_array_append(batch, v);
		batch_bytes += bytes;
	}
	if (batch != NULL && !flush_batch(st, spec, out, batch, batch_input, err))
		return false;
	*inputs = out;
	return true;
}
