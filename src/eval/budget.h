/*-------------------------------------------------------------------------
 *
 * budget.h
 *	  A step and memory budget for one evaluation.
 *
 * Workflow definitions and inputs come from users; a path like $..a over a
 * deeply nested input or a filter inside a deep scan can cost far more
 * than the input's size.  Every evaluator charges the steps it takes and
 * checks the memory it is about to build against one budget, begun by the
 * engine for each state it runs and by each SQL entry point.  Once the
 * budget is spent it stays spent until the next sfn_budget_begin(); the
 * evaluators stop early and their public entry points turn it into an
 * AWS runtime error (see sfn_budget_error).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_BUDGET_H
#define SFN_BUDGET_H

#include "eval/json.h"

/* Start a fresh budget from pg_sfn.eval_step_limit and eval_memory_limit. */
extern void sfn_budget_begin(void);

/* Charge steps; false once the budget (steps or memory) is spent. */
extern bool sfn_budget_charge(int64 steps);

/*
 * About to build about bytes of new data: false (and the budget spent) if
 * that would take the evaluation past its memory limit.
 */
extern bool sfn_budget_reserve(Size bytes);

/* Memory a deep copy of v would take, walking at most until over limit. */
extern bool sfn_budget_reserve_value(const JsonbValue *v);

extern bool sfn_budget_exhausted(void);

/* Fill err with the limit that was reached; returns false. */
extern bool sfn_budget_error(SfnError *err);

#endif							/* SFN_BUDGET_H */
