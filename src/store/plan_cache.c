/*-------------------------------------------------------------------------
 *
 * plan_cache.c
 *	  Compile each (state machine, revision) once per backend.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "store/plan_cache.h"
#include "store/state_machines.h"

typedef struct PlanKey
{
	int64		sm_id;
	int32		revision;
} PlanKey;

typedef struct PlanEntry
{
	PlanKey		key;
	SfnPlan    *plan;
} PlanEntry;

static HTAB *plan_cache = NULL;
static MemoryContext plan_cxt = NULL;

const SfnPlan *
sfn_plan_cache_get(int64 sm_id, int32 revision)
{
	PlanKey		key;
	PlanEntry  *entry;
	bool		found;

	if (plan_cache == NULL)
	{
		HASHCTL		ctl;

		plan_cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn plans",
										 ALLOCSET_DEFAULT_SIZES);
		ctl.keysize = sizeof(PlanKey);
		ctl.entrysize = sizeof(PlanEntry);
		ctl.hcxt = plan_cxt;
		plan_cache = hash_create("pg_sfn plan cache", 64, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.sm_id = sm_id;
	key.revision = revision;
	entry = hash_search(plan_cache, &key, HASH_FIND, &found);
	if (!found)
	{
		/*
		 * Everything, the definition included, lives in plan_cxt: the plan's
		 * strings point into the definition's jsonb.
		 */
		MemoryContext old = MemoryContextSwitchTo(plan_cxt);
		Jsonb	   *definition = sfn_store_get_definition(sm_id, revision);
		List	   *diags = NIL;
		SfnPlan    *plan = sfn_asl_compile(jv_from_jsonb(definition), "STANDARD", &diags);

		MemoryContextSwitchTo(old);
		/* Stored definitions were validated when written. */
		if (plan == NULL)
			elog(ERROR, "stored definition of state machine " INT64_FORMAT " revision %d does not compile",
				 sm_id, revision);
		entry = hash_search(plan_cache, &key, HASH_ENTER, &found);
		entry->plan = plan;
	}
	return entry->plan;
}
