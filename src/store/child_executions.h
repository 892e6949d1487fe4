/*-------------------------------------------------------------------------
 *
 * child_executions.h
 *	  Nested executions: what happens when a parent or a child ends.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_STORE_CHILD_EXECUTIONS_H
#define SFN_STORE_CHILD_EXECUTIONS_H

#include "postgres.h"

#include "store/executions.h"

/*
 * The executions in ids (an int8[] Datum) have just ended, in this
 * transaction: answer the parents' Task attempts that wait for them
 * (.sync), and stop their own children that they were waiting for.
 * Returns how many answers were queued in sfn.inbox.
 */
extern uint64 sfn_child_executions_ended(Datum ids);

/* The same for one execution. */
extern uint64 sfn_child_execution_ended(int64 id);

/*
 * A start that found a running execution of the same name and input (AWS
 * returns that one): a waiting attempt (parent->task_event_id) waits for
 * it instead.  Returns its start date (0 if it is gone).
 */
extern TimestampTz sfn_child_execution_running(int64 sm_id, const char *name,
											   const SfnParentLink *parent);

#endif							/* SFN_STORE_CHILD_EXECUTIONS_H */
