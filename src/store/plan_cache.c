/*-------------------------------------------------------------------------
 *
 * plan_cache.c
 *	  Compile each revision once per backend, keyed by its uuid.
 *
 * Each plan lives in a memory context of its own (the plan's strings point
 * into its definition's jsonb, which lives there too), so that evicting it
 * frees it all.  After a new plan is compiled, the least recently used
 * others go until the cache is within pg_sfn.plan_cache_size; the plan just
 * compiled always stays, even alone over the limit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/ilist.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "support/guc.h"
#include "store/plan_cache.h"
#include "store/state_machines.h"

typedef struct PlanEntry
{
	pg_uuid_t	key;			/* revision_id */
	SfnPlan    *plan;
	MemoryContext cxt;			/* the plan and its definition */
	Size		bytes;
	dlist_node	lru;			/* head: most recently used */
} PlanEntry;

static HTAB *plan_cache = NULL;
static dlist_head plan_lru = DLIST_STATIC_INIT(plan_lru);
static Size plan_cache_total = 0;
static int	plan_cache_count = 0;

static void
evict(PlanEntry *entry)
{
	bool		found;

	dlist_delete(&entry->lru);
	plan_cache_total -= entry->bytes;
	plan_cache_count--;
	MemoryContextDelete(entry->cxt);
	hash_search(plan_cache, &entry->key, HASH_REMOVE, &found);
}

const SfnPlan *
sfn_plan_cache_get(const pg_uuid_t *revision_id, int64 sm_id, int32 revision)
{
	PlanEntry  *entry;
	bool		found;

	if (plan_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(pg_uuid_t);
		ctl.entrysize = sizeof(PlanEntry);
		ctl.hcxt = TopMemoryContext;
		plan_cache = hash_create("pg_sfn plan cache", 64, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	entry = hash_search(plan_cache, revision_id, HASH_FIND, &found);
	if (found)
	{
		dlist_move_head(&plan_lru, &entry->lru);
		return entry->plan;
	}

	{
		MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn plan",
												  ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(cxt);
		Jsonb	   *definition;
		List	   *diags = NIL;
		SfnPlan    *plan = NULL;

		PG_TRY();
		{
			definition = sfn_store_get_definition(sm_id, revision, revision_id);
			plan = sfn_asl_compile(sfn_jv_from_jsonb(definition), "STANDARD", &diags);
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(old);
			MemoryContextDelete(cxt);
			PG_RE_THROW();
		}
		PG_END_TRY();
		MemoryContextSwitchTo(old);
		/* Stored definitions were validated when written. */
		if (plan == NULL)
		{
			MemoryContextDelete(cxt);
			elog(ERROR, "stored definition of state machine " INT64_FORMAT " revision %d does not compile",
				 sm_id, revision);
		}
		entry = hash_search(plan_cache, revision_id, HASH_ENTER, &found);
		entry->plan = plan;
		entry->cxt = cxt;
		entry->bytes = MemoryContextMemAllocated(cxt, true);
		dlist_push_head(&plan_lru, &entry->lru);
		plan_cache_total += entry->bytes;
		plan_cache_count++;
	}

	/* Least recently used out, never the plan just compiled. */
	while (plan_cache_total > (Size) sfn_plan_cache_size_kb * 1024 && plan_cache_count > 1)
		evict(dlist_container(PlanEntry, lru, dlist_tail_node(&plan_lru)));

	return entry->plan;
}

Size
sfn_plan_cache_bytes(int *count)
{
	if (count)
		*count = plan_cache_count;
	return plan_cache_total;
}
