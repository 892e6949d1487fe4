/*-------------------------------------------------------------------------
 *
 * reachability.c
 *	  State names: indexing and resolving them within a plan, and the checks
 *	  on the graph they form: duplicate names anywhere in the definition,
 *	  states no transition reaches, plans without a terminal state.
 *
 * Transitions never leave their plan: a Next in a Parallel branch naming a
 * state of the enclosing machine is a missing target, as in AWS.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "asl/compile_int.h"

static int
sfn_nameref_cmp(const void *a, const void *b)
{
	const SfnNameRef *x = (const SfnNameRef *) a;
	const SfnNameRef *y = (const SfnNameRef *) b;
	int			c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
sfn_nameref_seq_cmp(const void *a, const void *b)
{
	const SfnNameRef *x = *(const SfnNameRef *const *) a;
	const SfnNameRef *y = *(const SfnNameRef *const *) b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
sfn_check_state_name(SfnCompiler *c, const char *name, const char *location)
{
	int			len = pg_mbstrlen_with_len(name, strlen(name));

	if (len == 0)
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_STATE_NAME, location,
					 "A state name must not be empty");
	else if (len > SFN_MAX_STATE_NAME_LEN)
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_STATE_NAME, location,
					 "The state name \"%s\" is %d characters long; the maximum is %d",
					 name, len, SFN_MAX_STATE_NAME_LEN);
}

/*
 * Allocate plan->states from the keys of States, check each name, record it
 * for the duplicate check and build the sorted index used to resolve names.
 */
void
sfn_names_index(SfnCompiler *c, SfnPlanCtx *pc, JsonbValue *states,
				const char *location)
{
	SfnPlan    *plan = pc->plan;
	int			n = states->val.object.nPairs;

	plan->n_states = n;
	plan->states = palloc0(sizeof(SfnState) * Max(n, 1));
	pc->sorted = palloc0(sizeof(SfnNameRef) * Max(n, 1));
	pc->n_sorted = n;

	for (int i = 0; i < n; i++)
	{
		SfnState   *st = &plan->states[i];
		SfnNameRef *ref = palloc0(sizeof(SfnNameRef));

		st->name = sfn_jv_cstr(&states->val.object.pairs[i].key);
		st->index = i;
		st->next = SFN_NO_STATE;
		st->default_next = SFN_NO_STATE;

		ref->name = st->name;
		ref->location = sfn_diag_loc(location, st->name);
		ref->seq = list_length(c->all_names);
		ref->index = i;
		c->all_names = lappend(c->all_names, ref);
		pc->sorted[i] = *ref;

		sfn_check_state_name(c, st->name, ref->location);
	}
	qsort(pc->sorted, n, sizeof(SfnNameRef), sfn_nameref_cmp);
}

/*
 * The index of the state target (a JSON value: StartAt, Next, Default...)
 * names in this plan, or SFN_NO_STATE after reporting why not.
 */
int
sfn_names_resolve(SfnCompiler *c, SfnPlanCtx *pc, JsonbValue *target,
				  const char *field, const char *location)
{
	const char *name;
	SfnNameRef *found = NULL;

	if (!sfn_jv_is_string(target))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a string", field);
		pc->graph_known = false;
		return SFN_NO_STATE;
	}
	name = sfn_jv_cstr(target);

	/* any entry of that name will do: compare names only */
	for (int lo = 0, hi = pc->n_sorted - 1; lo <= hi;)
	{
		int			mid = (lo + hi) / 2;
		int			cmp = strcmp(name, pc->sorted[mid].name);

		if (cmp == 0)
		{
			found = &pc->sorted[mid];
			break;
		}
		if (cmp < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	if (found != NULL)
		return found->index;

	/* AWS says 'Next' for StartAt too */
	pc->graph_known = false;
	sfn_diag_add(c->diags, SFN_DIAG_MISSING_TARGET, location,
				 "Missing '%s' target: %s",
				 strcmp(field, "StartAt") == 0 ? "Next" : field, name);
	return SFN_NO_STATE;
}

static void
sfn_mark(int *queue, int *tail, bool *seen, int target)
{
	if (target == SFN_NO_STATE || seen[target])
		return;
	seen[target] = true;
	queue[(*tail)++] = target;
}

/* Every state a transition of st can go to. */
static void
sfn_mark_successors(const SfnState *st, int *queue, int *tail, bool *seen)
{
	ListCell   *lc;

	sfn_mark(queue, tail, seen, st->next);
	sfn_mark(queue, tail, seen, st->default_next);
	for (int i = 0; i < st->n_choices; i++)
		sfn_mark(queue, tail, seen, st->choices[i].next);
	foreach(lc, st->catchers)
		sfn_mark(queue, tail, seen, ((SfnCatcher *) lfirst(lc))->next);
}

static bool
sfn_is_terminal(const SfnState *st)
{
	return st->end || st->type == SFN_STATE_SUCCEED || st->type == SFN_STATE_FAIL;
}

/*
 * Report states no path from StartAt reaches, and a plan in which no state
 * ends the execution.  Skipped when StartAt is unresolved (every state would
 * look unreachable); the terminal check is skipped when some state's type
 * or transition was invalid.
 */
void
sfn_check_reachability(SfnCompiler *c, SfnPlanCtx *pc)
{
	SfnPlan    *plan = pc->plan;
	int			n = plan->n_states;
	bool	   *seen;
	int		   *queue;
	int			head = 0,
				tail = 0;
	bool		has_terminal = false;

	if (n == 0 || plan->start == SFN_NO_STATE)
		return;

	seen = palloc0(sizeof(bool) * n);
	queue = palloc(sizeof(int) * n);
	sfn_mark(queue, &tail, seen, plan->start);
	while (head < tail)
		sfn_mark_successors(&plan->states[queue[head++]], queue, &tail, seen);

	for (int i = 0; i < n; i++)
	{
		has_terminal |= sfn_is_terminal(&plan->states[i]);
		if (!seen[i])
			sfn_diag_add(c->diags, SFN_DIAG_UNREACHABLE,
						 sfn_diag_loc(sfn_diag_loc(pc->location, "States"),
									  plan->states[i].name),
						 "State \"%s\" is not reachable.", plan->states[i].name);
	}

	if (!has_terminal && pc->graph_known)
		sfn_diag_add(c->diags, SFN_DIAG_MISSING_END, sfn_diag_loc(pc->location, "States"),
					 "No state is terminal: at least one state must have \"End\": true or be a Succeed or Fail state");
}

/*
 * State names must be unique in the whole definition, branches and
 * processors included; every repeat after the first is reported, in the
 * order the definition lists them.
 */
void
sfn_check_duplicate_names(SfnCompiler *c)
{
	int			n = list_length(c->all_names);
	SfnNameRef *sorted;
	SfnNameRef **dups;
	int			ndups = 0;
	int			i = 0;
	ListCell   *lc;

	if (n < 2)
		return;
	sorted = palloc(sizeof(SfnNameRef) * n);
	foreach(lc, c->all_names)
		sorted[i++] = *(SfnNameRef *) lfirst(lc);
	qsort(sorted, n, sizeof(SfnNameRef), sfn_nameref_cmp);

	dups = palloc(sizeof(SfnNameRef *) * n);
	for (i = 1; i < n; i++)
	{
		if (strcmp(sorted[i].name, sorted[i - 1].name) == 0)
			dups[ndups++] = &sorted[i];
	}
	qsort(dups, ndups, sizeof(SfnNameRef *), sfn_nameref_seq_cmp);

	for (i = 0; i < ndups; i++)
		sfn_diag_add(c->diags, SFN_DIAG_DUPLICATE_STATE, dups[i]->location,
					 "Duplicate State name: \"%s\"; state names must be unique within the whole state machine",
					 dups[i]->name);
}
