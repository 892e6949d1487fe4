/*-------------------------------------------------------------------------
 *
 * worker.h
 *	  Background workers that advance executions.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_WORKER_H
#define SFN_WORKER_H

#include "postgres.h"

/* Register workers and shared memory; called from _PG_init when preloaded. */
extern void sfn_worker_init(void);

/*
 * Ask the workers to look at the run queue once the current transaction
 * commits (new runnable work was queued).  Cheap to call repeatedly.
 */
extern void sfn_wake_workers_at_commit(void);

#endif							/* SFN_WORKER_H */
