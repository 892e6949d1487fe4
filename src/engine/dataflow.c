/*-------------------------------------------------------------------------
 *
 * dataflow.c
 *	  InputPath, Parameters, ResultPath, OutputPath and the context object.
 *
 * A field that is absent means "$" (pass everything); a field that is JSON
 * null means "nothing": {} for InputPath/OutputPath, and for ResultPath
 * "discard the result and keep the input".
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "engine/dataflow.h"

/*
 * The path in the bracket notation AWS's messages use: $.a.b[0] is
 * $['a']['b'][0].  Anything not in dot notation is kept as written.
 */
static char *
bracket_notation(const char *text)
{
	StringInfoData buf;
	const char *p = text;

	initStringInfo(&buf);
	while (*p == '$')
		appendStringInfoChar(&buf, *p++);
	while (*p)
	{
		if (*p == '.' && p[1] != '.' && p[1] != '*' && p[1] != '\0')
		{
			const char *start = ++p;

			while (*p && *p != '.' && *p != '[')
				p++;
			appendStringInfo(&buf, "['%.*s']", (int) (p - start), start);
		}
		else
			appendStringInfoChar(&buf, *p++);
	}
	return buf.data;
}

/*
 * AWS's wording when a path selects nothing from the state's data: when a
 * step before the last one is missing, Jayway names that step ("Missing
 * property in path $['a']"); otherwise "No results for path".
 */
static bool
path_not_found(SfnError *err, const SfnPath *p, JsonbValue *value, JsonbValue *ctx)
{
	char	   *full = bracket_notation(sfn_path_text(p));
	char	   *step = full;

	while ((step = strstr(step + 1, "['")) != NULL)
	{
		char	   *prefix = pnstrdup(full, strstr(step, "']") + 2 - full);
		char	   *errmsg;
		JsonbValue *found;
		SfnPath    *pp;

		if (strlen(prefix) == strlen(full))
			break;
		pp = sfn_path_parse(prefix, false, &errmsg);
		if (pp == NULL)
			break;
		if (!sfn_path_query(pp, value, ctx, &found, err))
			return false;
		if (found == NULL)
			return sfn_fail(err, "States.Runtime",
							"Invalid path '%s' : Missing property in path %s",
							sfn_path_text(p), prefix);
	}
	return sfn_fail(err, "States.Runtime",
					"Invalid path '%s' : No results for path: %s",
					sfn_path_text(p), full);
}

static bool
select_path(const SfnOptPath *p, JsonbValue *value, JsonbValue *ctx,
			JsonbValue **out, SfnError *err)
{
	JsonbValue *v;

	switch (p->mode)
	{
		case SFN_PATH_DEFAULT:
			*out = value;
			return true;
		case SFN_PATH_NULL:
			*out = sfn_jv_object();
			return true;
		case SFN_PATH_SET:
			if (!sfn_path_query(p->path, value, ctx, &v, err))
				return false;
			if (v == NULL)
				return path_not_found(err, p->path, value, ctx);
			*out = v;
			return true;
	}
	return false;				/* keep compiler quiet */
}

bool
sfn_input_path(const SfnOptPath *p, JsonbValue *input, JsonbValue *ctx,
			   JsonbValue **out, SfnError *err)
{
	return select_path(p, input, ctx, out, err);
}

bool
sfn_output_path(const SfnOptPath *p, JsonbValue *value, JsonbValue *ctx,
				JsonbValue **out, SfnError *err)
{
	return select_path(p, value, ctx, out, err);
}

bool
sfn_result_path(const SfnOptPath *p, JsonbValue *input, JsonbValue *result,
				JsonbValue **out, SfnError *err)
{
	switch (p->mode)
	{
		case SFN_PATH_DEFAULT:
			*out = result;
			return true;
		case SFN_PATH_NULL:
			*out = input;
			return true;
		case SFN_PATH_SET:
			return sfn_path_set(p->path, input, result, out, err);
	}
	return false;
}

bool
sfn_parameters(const SfnTemplate *t, JsonbValue *input, JsonbValue *ctx,
			   JsonbValue **out, SfnError *err)
{
	if (t == NULL)
	{
		*out = input;
		return true;
	}
	return sfn_template_eval(t, input, ctx, out, err);
}

JsonbValue *
sfn_context_object(const SfnExecution *exec, const SfnState *state,
				   const SfnThread *thread)
{
	JsonbValue *ctx;
	JsonbValue *e;
	JsonbValue *s;
	JsonbValue *m;

	/* TestState's context argument replaces the whole object, as on AWS. */
	if (exec->context)
		return exec->context;
	ctx = sfn_jv_object();
	s = sfn_jv_object();
	e = exec->ctx_execution;
	m = exec->ctx_state_machine;
	if (e == NULL)
	{
		/* A memo, not a change of the execution: hence the cast. */
		SfnExecution *memo = (SfnExecution *) exec;

		e = sfn_jv_object();
		sfn_jv_object_put(e, "Id", 2, sfn_jv_cstring(exec->arn));
		sfn_jv_object_put(e, "Input", 5, exec->input);
		sfn_jv_object_put(e, "Name", 4, sfn_jv_cstring(exec->name));
		sfn_jv_object_put(e, "RoleArn", 7, sfn_jv_cstring(exec->role_arn));
		sfn_jv_object_put(e, "StartTime", 9, sfn_jv_cstring(sfn_format_timestamp(exec->start_date)));
		sfn_jv_object_put(e, "RedriveCount", 12, sfn_jv_int(exec->redrive_count));
		m = sfn_jv_object();
		sfn_jv_object_put(m, "Id", 2, sfn_jv_cstring(exec->sm_arn));
		sfn_jv_object_put(m, "Name", 4, sfn_jv_cstring(exec->sm_name));
		memo->ctx_execution = e;
		memo->ctx_state_machine = m;
	}

	sfn_jv_object_put(s, "EnteredTime", 11, sfn_jv_cstring(sfn_format_timestamp(thread->entered_at)));
	sfn_jv_object_put(s, "Name", 4, sfn_jv_cstring(state->name));
	/* AWS gives RetryCount to Task states only. */
	if (state->type == SFN_STATE_TASK)
		sfn_jv_object_put(s, "RetryCount", 10, sfn_jv_int(thread->retry_count));

	sfn_jv_object_put(ctx, "Execution", 9, e);
	sfn_jv_object_put(ctx, "State", 5, s);
	sfn_jv_object_put(ctx, "StateMachine", 12, m);
	return ctx;
}
