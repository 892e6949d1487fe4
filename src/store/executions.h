/*-------------------------------------------------------------------------
 *
 * executions.h
 *	  Table access for starting, stopping and finding executions.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_STORE_EXECUTIONS_H
#define SFN_STORE_EXECUTIONS_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

typedef enum SfnStartResult
{
	SFN_START_CREATED,			/* a new execution */
	SFN_START_SAME_RUNNING,		/* same name and input, still running */
	SFN_START_CONFLICT,			/* same name, other input or closed */
	SFN_START_DELETED			/* the state machine was deleted meanwhile */
} SfnStartResult;

/*
 * Insert the execution, its ExecutionStarted event and its work row in one
 * statement; the unique (state machine, name) constraint decides races.
 * Serialized with deletion of the state machine (sfn_lock_state_machine).
 */
/* The Task attempt that started a nested execution (parent NULL: none). */
typedef struct SfnParentLink
{
	int64		execution_id;
	int32		thread_id;
	int32		task_event_id;	/* the attempt waiting for the end (.sync), or 0 */
} SfnParentLink;

extern SfnStartResult sfn_store_start_execution(int64 sm_id, int32 revision, const char *name,
												Jsonb *input, Jsonb *started_details,
												TimestampTz start, const SfnParentLink *parent);

/*
 * End a RUNNING execution from outside the engine (StopExecution, or a
 * worker giving up on an execution that raises an internal error): waits
 * for a worker holding it, then writes the closing event.  Returns false
 * if it was not running; *final_status is its status either way.
 */
extern bool sfn_store_end_execution(int64 exec_id, const char *status, const char *event_type,
									bool previous_is_last, const char *error, const char *cause,
									TimestampTz *stop_date, char **final_status);

/* Id of the execution (state machine name, execution name); raises ExecutionDoesNotExist. */
/* The execution's id; *sm_id and *sm_owner get its state machine's. */
extern int64 sfn_store_find_execution(const char *sm_name, const char *exec_name, const char *arn,
									  int64 *sm_id, char **sm_owner);

/*
 * The rows a running execution has beside its own (threads and the task
 * queues: tokens, inbox answers, activity tasks, HTTP requests), deleted
 * when it ends or is removed: CTEs for a WITH list, IDS an SQL expression
 * for "= ANY (IDS)" (an array parameter or a subquery).  Every place that
 * ends executions uses it, so a new per-execution table is added once.
 */
#define SFN_DELETE_EXECUTION_ROWS(IDS) \
	" t AS (DELETE FROM sfn.threads WHERE execution_id OPERATOR(pg_catalog.=) ANY (" IDS "))," \
	" k AS (DELETE FROM sfn.task_tokens WHERE execution_id OPERATOR(pg_catalog.=) ANY (" IDS "))," \
	" i AS (DELETE FROM sfn.inbox WHERE execution_id OPERATOR(pg_catalog.=) ANY (" IDS "))," \
	" a AS (DELETE FROM sfn.activity_tasks WHERE execution_id OPERATOR(pg_catalog.=) ANY (" IDS "))," \
	" r AS (DELETE FROM sfn.http_requests WHERE execution_id OPERATOR(pg_catalog.=) ANY (" IDS "))"

#endif							/* SFN_STORE_EXECUTIONS_H */
