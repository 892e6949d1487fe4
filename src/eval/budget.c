/*-------------------------------------------------------------------------
 *
 * budget.c
 *	  A step and memory budget for one evaluation.
 *
 * Steps are whatever an evaluator counts as one unit of work: a node a
 * path visits, a comparison, a character a pattern is matched against.
 * Memory is measured, not estimated: the growth of the memory context that
 * was current when the budget began (evaluators allocate there), checked
 * every few hundred steps, plus what a caller is about to copy.  The
 * context counts whole blocks, so a check may be early by one block.
 *
 * The budget is a single static: evaluations do not nest, and sfn_decide()
 * begins a new one for every state it runs.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "support/guc.h"
#include "eval/budget.h"

/* how often (in steps) the context's memory is measured */
#define SFN_BUDGET_MEMORY_INTERVAL	256

typedef enum SfnBudgetState
{
	SFN_BUDGET_OK,
	SFN_BUDGET_STEPS,			/* out of steps */
	SFN_BUDGET_MEMORY			/* out of memory */
} SfnBudgetState;

typedef struct SfnBudget
{
	SfnBudgetState state;
	int64		step_limit;
	int64		steps_left;
	int			until_memory_check;
	Size		memory_limit;	/* bytes */
	MemoryContext cxt;			/* NULL once reset or deleted */
	Size		base;			/* cxt's memory when the budget began */
} SfnBudget;

/* until the first sfn_budget_begin(), nothing is limited */
static SfnBudget budget = {
	SFN_BUDGET_OK, PG_INT64_MAX, PG_INT64_MAX,
	SFN_BUDGET_MEMORY_INTERVAL, ~(Size) 0, NULL, 0
};

/* The measured context went away: stop measuring it. */
static void
sfn_budget_forget_context(void *arg)
{
	if (budget.cxt == (MemoryContext) arg)
		budget.cxt = NULL;
}

void
sfn_budget_begin(void)
{
	MemoryContextCallback *cb;

	budget.state = SFN_BUDGET_OK;
	budget.step_limit = sfn_eval_step_limit;
	budget.steps_left = sfn_eval_step_limit;
	budget.until_memory_check = SFN_BUDGET_MEMORY_INTERVAL;
	budget.memory_limit = (Size) sfn_eval_memory_limit * 1024;
	if (budget.cxt != CurrentMemoryContext)
	{
		/* learn when this context is reset or deleted, to never read it after */
		cb = MemoryContextAlloc(CurrentMemoryContext, sizeof(MemoryContextCallback));
		cb->func = sfn_budget_forget_context;
		cb->arg = CurrentMemoryContext;
		MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
		budget.cxt = CurrentMemoryContext;
	}
	budget.base = MemoryContextMemAllocated(budget.cxt, true);
}

/* Memory the evaluation has added so far. */
static Size
sfn_budget_used(void)
{
	Size		now;

	if (budget.cxt == NULL)
		return 0;
	now = MemoryContextMemAllocated(budget.cxt, true);
	return now > budget.base ? now - budget.base : 0;
}

bool
sfn_budget_charge(int64 steps)
{
	if (budget.state != SFN_BUDGET_OK)
		return false;
	if (budget.steps_left < steps)
	{
		budget.steps_left = 0;
		budget.state = SFN_BUDGET_STEPS;
		return false;
	}
	budget.steps_left -= steps;
	budget.until_memory_check -= (int) Min(steps, SFN_BUDGET_MEMORY_INTERVAL);
	if (budget.until_memory_check <= 0)
	{
		budget.until_memory_check = SFN_BUDGET_MEMORY_INTERVAL;
		CHECK_FOR_INTERRUPTS();
		if (sfn_budget_used() > budget.memory_limit)
		{
			budget.state = SFN_BUDGET_MEMORY;
			return false;
		}
	}
	return true;
}

bool
sfn_budget_reserve(Size bytes)
{
	Size		used;

	if (budget.state != SFN_BUDGET_OK)
		return false;
	used = sfn_budget_used();
	if (used > budget.memory_limit || bytes > budget.memory_limit - used)
	{
		budget.state = SFN_BUDGET_MEMORY;
		return false;
	}
	return true;
}

/* Add v's deep size to *size; false as soon as it passes limit. */
static bool
sfn_value_size(const JsonbValue *v, Size limit, Size *size)
{
	int			i;

	check_stack_depth();
	if (!sfn_budget_charge(1))
		return false;
	*size += sizeof(JsonbValue);
	switch (v->type)
	{
		case jbvString:
			*size += v->val.string.len + 1;
			break;
		case jbvNumeric:
			*size += VARSIZE_ANY(v->val.numeric);
			break;
		case jbvArray:
			for (i = 0; i < v->val.array.nElems && *size <= limit; i++)
				if (!sfn_value_size(&v->val.array.elems[i], limit, size))
					return false;
			break;
		case jbvObject:
			for (i = 0; i < v->val.object.nPairs && *size <= limit; i++)
			{
				const JsonbPair *p = &v->val.object.pairs[i];

				*size += sizeof(JsonbPair) + p->key.val.string.len + 1;
				if (!sfn_value_size(&p->value, limit, size))
					return false;
			}
			break;
		default:
			break;
	}
	return *size <= limit;
}

bool
sfn_budget_reserve_value(const JsonbValue *v)
{
	Size		used;
	Size		size = 0;

	if (budget.state != SFN_BUDGET_OK)
		return false;
	used = sfn_budget_used();
	if (used > budget.memory_limit ||
		!sfn_value_size(v, budget.memory_limit - used, &size))
	{
		if (budget.state == SFN_BUDGET_OK)
			budget.state = SFN_BUDGET_MEMORY;
		return false;
	}
	return true;
}

bool
sfn_budget_exhausted(void)
{
	return budget.state != SFN_BUDGET_OK;
}

bool
sfn_budget_error(SfnError *err)
{
	if (budget.state == SFN_BUDGET_MEMORY)
		return sfn_fail(err, "States.Runtime",
						"The evaluation exceeded its memory limit of %zu kB; the limit is set by pg_sfn.eval_memory_limit.",
						budget.memory_limit / 1024);
	return sfn_fail(err, "States.Runtime",
					"The evaluation exceeded its limit of " INT64_FORMAT " steps; the limit is set by pg_sfn.eval_step_limit.",
					budget.step_limit);
}
