/*-------------------------------------------------------------------------
 *
 * map_run.h
 *	  Distributed Map: starting a map run (the effect of a Distributed Map
 *	  state) and counting its children as they end.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_MAP_RUN_H
#define SFN_MAP_RUN_H

#include "engine/engine.h"

/* Most items (or batches) a map run takes. */
#define SFN_MAP_RUN_MAX_ITEMS 1000000

/*
 * Children running at once when MaxConcurrency is 0 (AWS's own limit of a
 * Distributed Map).
 */
#define SFN_MAP_RUN_DEFAULT_CONCURRENCY 10000

/*
 * Read the items, write the map run and its pending children, start the
 * first ones.  Returns the answer when the run ends at once (no items, or
 * the reader failed), else NULL: the last child to end answers through
 * sfn.inbox.  role: the state machine's role (the reader runs as it).
 */
extern SfnWake *sfn_map_run_start(int64 exec_id, Oid role, const SfnEffect *eff);

/* Create up to n pending children of the run; returns how many. */
extern int64 sfn_map_run_start_children(int64 run_id, int64 n, TimestampTz now);

/*
 * The ResultWriter of a run that ended: its rows into the table, and the
 * Map state's result; false with States.ResultWriterFailed.
 */
extern bool sfn_map_run_write_results(int64 run_id, JsonbValue *writer, JsonbValue **output,
									  char **error, char **cause);

/*
 * Executions ended in this transaction (ids, an int8[] datum): count the
 * children among them in their map runs, start more, answer a parent whose
 * run is over; abort the runs of parents among them.  Call once per batch
 * of ended executions, after their status is written.
 */
extern void sfn_map_runs_executions_ended(Datum ids);

/* The orphan sweep: children of ended runs that a batch held when they ended. */
extern uint64 sfn_map_runs_abort_stragglers(int limit);

#endif							/* SFN_MAP_RUN_H */
