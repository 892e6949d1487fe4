/*-------------------------------------------------------------------------
 *
 * plan_cache.h
 *	  Per-backend cache of compiled plans, keyed by (state machine,
 *	  revision).  A revision's definition never changes, so entries never
 *	  need invalidation.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_PLAN_CACHE_H
#define SFN_PLAN_CACHE_H

#include "asl/plan.h"

extern const SfnPlan *sfn_plan_cache_get(int64 sm_id, int32 revision);

#endif							/* SFN_PLAN_CACHE_H */
