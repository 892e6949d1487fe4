/*-------------------------------------------------------------------------
 *
 * compile.c
 *	  Compiling a state machine definition into an SfnPlan: the entry
 *	  points, plans (StartAt + States, at the top level, in Parallel branches
 *	  and in Map processors) and the per-state dispatch.
 *
 * The compiler never stops at the first problem: every one is appended to
 * the caller's diagnostics and compilation carries on with whatever can
 * still be checked.  A plan is returned only when nothing of severity ERROR
 * was reported.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "asl/compile_int.h"

static const char *const sfn_plan_fields[] = {"Comment", "StartAt", "States", NULL};
static const char *const sfn_top_extra_fields[] = {
	"TimeoutSeconds", "Version", "QueryLanguage", NULL
};

/* allowed = the fields of every plan, then the caller's extra ones */
static const char **
sfn_plan_allowed_fields(const char *const *extra)
{
	int			n = 0,
				m = 0;
	const char **all;

	while (extra && extra[m])
		m++;
	all = palloc0(sizeof(char *) * (lengthof(sfn_plan_fields) + m));
	for (; sfn_plan_fields[n]; n++)
		all[n] = sfn_plan_fields[n];
	for (int i = 0; i < m; i++)
		all[n + i] = extra[i];
	return all;
}

/* One entry of States: its Type decides everything else. */
static void
sfn_compile_state(SfnCompiler *c, SfnPlanCtx *pc, int index, JsonbValue *obj,
				  const char *location)
{
	SfnState   *st = &pc->plan->states[index];
	JsonbValue *type = NULL;
	char	   *type_name;

	st->raw = obj;
	if (!sfn_jv_is_object(obj))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "A state must be a JSON object");
		pc->graph_known = false;
		return;
	}

	type = sfn_jv_object_cget(obj, "Type");
	if (type == NULL)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [Type]");
		pc->graph_known = false;
		return;
	}
	type_name = sfn_jv_is_string(type) ? sfn_jv_cstr(type) : NULL;
	if (type_name == NULL || !sfn_state_type_from_name(type_name, &st->type))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Type"),
					 "The value for the field \"Type\" must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]%s%s%s",
					 type_name ? ": \"" : "", type_name ? type_name : "",
					 type_name ? "\" is not a state type" : "");
		pc->graph_known = false;
		return;
	}
	sfn_compile_state_body(c, pc, st, obj, location);
}

static void
sfn_compile_states(SfnCompiler *c, SfnPlanCtx *pc, JsonbValue *states,
				   const char *location)
{
	char	   *loc = sfn_diag_loc(location, "States");

	sfn_names_index(c, pc, states, loc);
	for (int i = 0; i < pc->plan->n_states; i++)
	{
		check_stack_depth();
		sfn_compile_state(c, pc, i, &states->val.object.pairs[i].value,
						  sfn_diag_loc(loc, pc->plan->states[i].name));
	}
}

/*
 * A plan: {"StartAt": ..., "States": {...}} plus extra_fields, which the
 * caller checks.  depth is 0 at the top level and grows by one per Parallel
 * branch or Map processor.
 */
SfnPlan *
sfn_compile_plan(SfnCompiler *c, JsonbValue *obj, const char *location,
				 int depth, const char *const *extra_fields)
{
	SfnPlan    *plan = palloc0(sizeof(SfnPlan));
	SfnPlanCtx	pc = {plan, location, NULL, 0, true};
	JsonbValue *start = NULL;
	JsonbValue *states = NULL;
	char	   *comment;

	check_stack_depth();
	plan->depth = depth;
	plan->start = SFN_NO_STATE;
	plan->query_language = c->lang;

	if (depth > SFN_MAX_NESTING)
	{
		sfn_diag_add(c->diags, SFN_DIAG_TOO_DEEP, location,
					 "The states are nested too deeply: at most %d levels of Parallel branches and Map processors are allowed",
					 SFN_MAX_NESTING);
		return NULL;
	}
	if (!sfn_jv_is_object(obj))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value must be a JSON object with the fields \"StartAt\" and \"States\"");
		return NULL;
	}

	sfn_c_check_fields(c, obj, location, sfn_plan_allowed_fields(extra_fields), NULL);
	sfn_c_string(c, obj, "Comment", sfn_diag_loc(location, "Comment"), &comment);

	start = sfn_jv_object_cget(obj, "StartAt");
	states = sfn_jv_object_cget(obj, "States");
	if (start == NULL || states == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "These fields are required: [%s]",
					 start == NULL && states == NULL ? "StartAt, States"
					 : start == NULL ? "StartAt" : "States");

	if (states != NULL && !sfn_jv_is_object(states))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "States"),
					 "The value for the field \"States\" must be a JSON object of states");
	else if (states != NULL)
		sfn_compile_states(c, &pc, states, location);

	if (start != NULL)
		plan->start = sfn_names_resolve(c, &pc, start, "StartAt",
										sfn_diag_loc(location, "StartAt"));

	sfn_check_reachability(c, &pc);
	return plan;
}

/* The fields only the top level has. */
static void
sfn_compile_top_fields(SfnCompiler *c, SfnPlan *plan, JsonbValue *def)
{
	char	   *version;

	sfn_c_int(c, def, "TimeoutSeconds", "/TimeoutSeconds", 1, SFN_MAX_SECONDS,
			  &plan->timeout_seconds);
	sfn_c_string(c, def, "Version", "/Version", &version);
}

SfnPlan *
sfn_asl_compile(JsonbValue *definition, const char *type, List **diags)
{
	SfnCompiler c = {diags, false, NIL, SFN_QL_JSONPATH};
	int			errors = sfn_diag_error_count(*diags);
	SfnPlan    *plan;
	char	   *text;

	if (definition == NULL)
	{
		sfn_diag_add(diags, SFN_DIAG_MISSING_DESCRIPTION, "/",
					 "The state machine definition is null or empty");
		return NULL;
	}
	if (!sfn_jv_is_object(definition))
	{
		sfn_diag_add(diags, SFN_DIAG_INVALID_JSON, "/",
					 "The state machine definition must be a JSON object");
		return NULL;
	}

	/* AWS's limit is on the text; the compact form is the least we could send */
	text = sfn_jv_to_text(definition);
	if (strlen(text) > SFN_MAX_DEFINITION_BYTES)
	{
		sfn_diag_add(diags, SFN_DIAG_TOO_LARGE, "/",
					 "The state machine definition is %zu bytes of JSON, over the limit of %d bytes",
					 strlen(text), SFN_MAX_DEFINITION_BYTES);
		return NULL;
	}
	pfree(text);

	if (type != NULL && strcmp(type, "EXPRESS") == 0)
		c.express = true;
	else if (type != NULL && strcmp(type, "STANDARD") != 0)
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, "/",
					 "The state machine type must be STANDARD or EXPRESS, not \"%s\"", type);

	/* every state needs the machine's language: read it first */
	c.lang = sfn_c_query_language(&c, definition, "/QueryLanguage", SFN_QL_JSONPATH);
	plan = sfn_compile_plan(&c, definition, "", 0, sfn_top_extra_fields);
	if (plan != NULL)
		sfn_compile_top_fields(&c, plan, definition);
	sfn_check_duplicate_names(&c);

	return sfn_diag_error_count(*diags) > errors ? NULL : plan;
}

SfnPlan *
sfn_asl_compile_text(const char *text, int len, const char *type, List **diags)
{
	JsonbValue *def;
	SfnPlan    *plan;
	int			errors;
	int			i = 0;

	while (text != NULL && i < len && isspace((unsigned char) text[i]))
		i++;
	if (text == NULL || i == len)
	{
		sfn_diag_add(diags, SFN_DIAG_MISSING_DESCRIPTION, "/",
					 "The state machine definition is null or empty");
		return NULL;
	}
	if (len > SFN_MAX_DEFINITION_BYTES)
	{
		sfn_diag_add(diags, SFN_DIAG_TOO_LARGE, "/",
					 "The state machine definition is %d bytes of JSON, over the limit of %d bytes",
					 len, SFN_MAX_DEFINITION_BYTES);
		return NULL;
	}
	def = sfn_jv_parse(text, len);
	if (def == NULL)
	{
		sfn_diag_add(diags, SFN_DIAG_INVALID_JSON, "/",
					 "The state machine definition is not valid JSON");
		return NULL;
	}
	/* Reported first, as they come from the text; the rest still checked. */
	errors = sfn_diag_error_count(*diags);
	sfn_check_duplicate_keys(text, len, diags);
	plan = sfn_asl_compile(def, type, diags);
	return sfn_diag_error_count(*diags) > errors ? NULL : plan;
}

int
sfn_plan_find_state(const SfnPlan *plan, const char *name)
{
	for (int i = 0; i < plan->n_states; i++)
	{
		if (strcmp(plan->states[i].name, name) == 0)
			return i;
	}
	return SFN_NO_STATE;
}

int
sfn_plan_find_state_deep(const SfnPlan *plan, const char *name, const SfnPlan **found)
{
	int			i = sfn_plan_find_state(plan, name);

	check_stack_depth();
	if (i != SFN_NO_STATE)
	{
		*found = plan;
		return i;
	}
	for (i = 0; i < plan->n_states; i++)
	{
		const SfnState *st = &plan->states[i];
		int			j;

		for (int b = 0; b < st->n_branches; b++)
			if (st->branches[b] &&
				(j = sfn_plan_find_state_deep(st->branches[b], name, found)) != SFN_NO_STATE)
				return j;
		if (st->processor &&
			(j = sfn_plan_find_state_deep(st->processor, name, found)) != SFN_NO_STATE)
			return j;
	}
	return SFN_NO_STATE;
}

const char *
sfn_state_type_name(SfnStateType t)
{
	switch (t)
	{
		case SFN_STATE_PASS:
			return "Pass";
		case SFN_STATE_TASK:
			return "Task";
		case SFN_STATE_CHOICE:
			return "Choice";
		case SFN_STATE_WAIT:
			return "Wait";
		case SFN_STATE_SUCCEED:
			return "Succeed";
		case SFN_STATE_FAIL:
			return "Fail";
		case SFN_STATE_PARALLEL:
			return "Parallel";
		case SFN_STATE_MAP:
			return "Map";
	}
	return "Unknown";
}
