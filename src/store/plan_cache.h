/*-------------------------------------------------------------------------
 *
 * plan_cache.h
 *	  Per-backend cache of compiled plans, keyed by the revision's uuid
 *	  (sfn.state_machine_revisions.revision_id).  A revision's definition
 *	  never changes, so entries never need invalidation; ids of state
 *	  machines repeat after DROP EXTENSION + CREATE EXTENSION, the uuid does
 *	  not.  Bounded by pg_sfn.plan_cache_size, least recently used first out.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_PLAN_CACHE_H
#define SFN_PLAN_CACHE_H

#include "utils/uuid.h"

#include "asl/plan.h"

/*
 * The plan of a revision, compiled on first use.  Valid until the next
 * call (which may evict it).
 */
extern const SfnPlan *sfn_plan_cache_get(const pg_uuid_t *revision_id, int64 sm_id,
										 int32 revision);

/* Bytes the cached plans take, and how many there are. */
extern Size sfn_plan_cache_bytes(int *count);

#endif							/* SFN_PLAN_CACHE_H */
