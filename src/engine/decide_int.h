/*-------------------------------------------------------------------------
 *
 * decide_int.h
 *	  What the state functions of the interpreter share (decide.c, task.c,
 *	  mocked.c).
 *	  Not for use outside src/engine/.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_DECIDE_INT_H
#define SFN_DECIDE_INT_H

#include "engine/engine.h"

/* End the execution: ExecutionFailed with error and cause (either NULL). */
extern void sfn_fail_execution(SfnExecution *exec, SfnThread *thread,
							   const char *error, const char *cause);

/* End the execution with ExecutionFailed, whichever thread is running. */
extern void sfn_end_execution_failed(SfnExecution *exec, const char *error,
									 const char *cause);

/* A runtime error in the current state: AWS's "An error occurred..." cause. */
extern void sfn_fail_in_state(const SfnPlan *plan, SfnExecution *exec,
							  SfnThread *thread, SfnError *err);

/*
 * A JSONata expression of the current state failed (err is a
 * States.QueryEvaluationError with its raw cause): the EvaluationFailed
 * event AWS records, naming the state and the field.
 */
extern void sfn_evaluation_failed(SfnExecution *exec, SfnThread *thread,
								  const SfnState *st, const SfnError *err);

/* Is err a States.QueryEvaluationError? */
#define sfn_is_query_error(e) ((e) != NULL && strcmp((e), SFN_JSONATA_ERROR) == 0)

/* JSON text of v, or NULL with err set (States.DataLimitExceeded). */
extern char *sfn_payload_text(const SfnExecution *exec, const SfnState *st,
							  JsonbValue *v, SfnError *err);

/* *StateExited, then Next (or the end of the execution when SFN_NO_STATE). */
extern void sfn_leave_state(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
							JsonbValue *output, int next);

/* The same, applying assigned (the state's Assign, or NULL) to the variables. */
extern void sfn_leave_state_assign(const SfnPlan *plan, SfnExecution *exec,
								   SfnThread *thread, JsonbValue *output,
								   JsonbValue *assigned, int next);

/* The history limit: true when it ended the execution (decide.c). */
extern bool sfn_enforce_history_limit(SfnExecution *exec, SfnThread *thread);

/* Is the thread unable to go on before a wake-up? */
extern bool sfn_thread_blocked(const SfnExecution *exec, const SfnThread *thread);

/* task.c */
extern void sfn_run_task(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						 JsonbValue *ctx);
extern void sfn_task_wake(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						  const SfnWake *wake);
extern void sfn_task_due(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread);

/* Go on after a task (or Parallel, Map) result or error (task.c). */
struct SfnOutcome;
extern void sfn_apply_outcome(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
							  struct SfnOutcome *o);

/* fanout.c: Parallel and inline Map states */
extern void sfn_run_parallel(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
							 JsonbValue *ctx);
extern void sfn_run_map_inline(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
							   JsonbValue *ctx);
extern void sfn_fanout_retry(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread);
/* A FANOUT parent whose children changed: start more, collect or fail. */
extern void sfn_fanout_step(SfnExecution *exec, SfnThread *parent, List *children);
/* Would sfn_fanout_step do something now? */
extern bool sfn_fanout_ready(const SfnThread *parent);

/* ItemsPath of a Map: an array, else States.Runtime (mocked.c). */
extern bool sfn_map_items(const SfnState *st, JsonbValue *effective, JsonbValue *ctx,
						  JsonbValue **items, SfnError *err);

/* map_distributed.c: the Map state in DISTRIBUTED mode */
extern void sfn_run_distributed_map(const SfnPlan *plan, SfnExecution *exec,
									SfnThread *thread, JsonbValue *ctx);
extern void sfn_map_wake(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						 const SfnWake *wake);
extern void sfn_map_due(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread);

/* mocked.c: TestState's mocked Task, Map and Parallel states */
extern void sfn_run_mocked(const SfnPlan *plan, SfnExecution *exec, SfnThread *thread,
						   JsonbValue *ctx);

/* Record a step's value for TestState's inspectionData. */
#define SFN_INSPECT(exec, field, value) \
	do { \
		if ((exec)->inspect) \
			(exec)->inspect->field = (value); \
	} while (0)

#endif							/* SFN_DECIDE_INT_H */
