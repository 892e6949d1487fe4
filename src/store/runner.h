/*-------------------------------------------------------------------------
 *
 * runner.h
 *	  One worker batch: claim due executions, advance them, write the
 *	  result, commit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_RUNNER_H
#define SFN_RUNNER_H

#include "postgres.h"

/*
 * Run one batch in its own transaction.  Returns 0 when more work may be
 * due at once, else the milliseconds until the earliest due work (capped).
 */
extern long sfn_runner_run_due(int worker_slot);

/*
 * After a failed batch (transaction aborted): isolate or end the culprit.
 * False when there was none (the claim itself failed): retrying at once
 * would fail the same way.
 */
extern bool sfn_runner_recover(const char *message);

/* End or remove work rows whose execution cannot run (own transaction). */
extern uint64 sfn_runner_sweep_orphans(void);

/* Executions the last batch claimed. */
extern uint64 sfn_runner_last_claimed;

#endif							/* SFN_RUNNER_H */
