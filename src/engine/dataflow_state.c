/*-------------------------------------------------------------------------
 *
 * dataflow_state.c
 *	  A state's data flow in its query language: what goes into the state
 *	  (its effective input or arguments) and what comes out (its output and
 *	  the variables it assigns).
 *
 * JSONPath: InputPath, Parameters / ResultSelector, ResultPath, OutputPath
 * (dataflow.c); Assign is a payload template whose "$" is the state's
 * result (Pass: its Result or Parameters; Task, Parallel, Map: after
 * ResultSelector; Choice, Wait: the effective input; a catcher: the error
 * output).  JSONata: Arguments and Output are templates of "{% %}"
 * expressions over $states (input, context, result, errorOutput) and the
 * variables.  In both, every Assign expression sees the variables as they
 * were when the state was entered; the assignments take effect when the
 * state is left (sfn_leave_state_assign).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"

#include "engine/dataflow.h"
#include "engine/retry.h"
#include "eval/scope.h"

/* AWS's limits: one variable, and all of an execution's variables */
#define SFN_MAX_VARIABLE_BYTES		(256 * 1024)
#define SFN_MAX_VARIABLES_BYTES		(10 * 1024 * 1024)

/*
 * The bindings of a JSONata evaluation: $states, then each variable.
 * Converted once per call, for all the expressions of one step.
 */
typedef struct JsonataScope
{
	SfnJsonataEnv env;
	SfnJsonataBinding *bindings;
} JsonataScope;

static void
jsonata_scope(JsonataScope *js, JsonbValue *input, JsonbValue *ctx,
			  const char *extra, JsonbValue *extra_value)
{
	JsonbValue *states = sfn_jv_object();
	JsonbValue *vars = sfn_scope_variables();
	SfnEvalScope *scope = sfn_scope_get();
	int			nvars = vars && vars->type == jbvObject ? vars->val.object.nPairs : 0;
	int			n = 0;

	sfn_jv_object_put(states, "input", 5, input ? input : sfn_jv_null());
	if (ctx)
		sfn_jv_object_put(states, "context", 7, ctx);
	if (extra)
		sfn_jv_object_put(states, extra, strlen(extra), extra_value);

	js->bindings = palloc0(sizeof(SfnJsonataBinding) * (nvars + 1));
	js->bindings[n].name = "states";
	js->bindings[n].converted = sfn_jsonata_value(states);
	n++;
	for (int i = 0; i < nvars; i++)
	{
		JsonbValue *k = &vars->val.object.pairs[i].key;

		js->bindings[n].name = pnstrdup(k->val.string.val, k->val.string.len);
		js->bindings[n].converted = sfn_jsonata_value(&vars->val.object.pairs[i].value);
		n++;
	}
	memset(&js->env, 0, sizeof(js->env));
	js->env.nbindings = n;
	js->env.bindings = js->bindings;
	if (scope)
	{
		js->env.now_ms = scope->now_ms;
		js->env.seed = scope->seed ? sfn_mix_seed(scope->seed, scope->draws++) : 0;
	}
}

bool
sfn_state_input(const SfnState *st, JsonbValue *input, JsonbValue *ctx,
				bool with_parameters, JsonbValue **out, SfnError *err)
{
	JsonataScope js;

	if (st->query_language == SFN_QL_JSONPATH)
	{
		if (!sfn_input_path(&st->input_path, input, ctx, out, err))
			return false;
		return !with_parameters || sfn_parameters(st->parameters, *out, ctx, out, err);
	}
	*out = input;
	if (!with_parameters || st->arguments == NULL)
		return true;
	jsonata_scope(&js, input, ctx, NULL, NULL);
	return sfn_jsonata_template_eval(st->arguments, &js.env, out, err);
}

bool
sfn_state_expression(const SfnState *st, const SfnJsonataTemplate *t, JsonbValue *input,
					 JsonbValue *ctx, JsonbValue **out, SfnError *err)
{
	JsonataScope js;

	jsonata_scope(&js, input, ctx, NULL, NULL);
	return sfn_jsonata_template_eval(t, &js.env, out, err);
}

/* JSONata: Assign and Output with $states.<extra> = value */
static bool
jsonata_output(const SfnOutputFields *f, JsonbValue *input, JsonbValue *ctx,
			   const char *extra, JsonbValue *value, JsonbValue *dflt,
			   JsonbValue **output, JsonbValue **assigned, SfnError *err)
{
	JsonataScope js;

	*output = dflt;
	*assigned = NULL;
	if (f->assign == NULL && f->output == NULL)
		return true;
	jsonata_scope(&js, input, ctx, extra, value);
	if (f->assign && !sfn_jsonata_template_eval(f->assign, &js.env, assigned, err))
		return false;
	return f->output == NULL || sfn_jsonata_template_eval(f->output, &js.env, output, err);
}

/* JSONPath: Assign as a template over value ("$") */
static bool
jsonpath_assign(const SfnOutputFields *f, JsonbValue *value, JsonbValue *ctx,
				JsonbValue **assigned, SfnError *err)
{
	*assigned = NULL;
	if (f->assign_path == NULL)
		return true;
	return sfn_template_eval(f->assign_path, value, ctx, assigned, err);
}

bool
sfn_state_output(const SfnState *st, const SfnOutputFields *f, SfnResultKind kind,
				 JsonbValue *input, JsonbValue *effective, JsonbValue *result,
				 JsonbValue *ctx, JsonbValue **output, JsonbValue **assigned,
				 SfnError *err)
{
	JsonbValue *v;

	if (f == NULL)
		f = &st->out;
	if (st->query_language == SFN_QL_JSONATA)
	{
		if (kind == SFN_RESULT_TASK)
			return jsonata_output(f, input, ctx, "result", result, result,
								  output, assigned, err);
		return jsonata_output(f, input, ctx, NULL, NULL, input, output, assigned, err);
	}

	switch (kind)
	{
		case SFN_RESULT_NONE:
			if (!jsonpath_assign(f, effective, ctx, assigned, err))
				return false;
			return sfn_output_path(&st->output_path, effective, ctx, output, err);
		case SFN_RESULT_PASS:
		case SFN_RESULT_TASK:
			v = result;
			if (kind == SFN_RESULT_TASK && st->result_selector &&
				!sfn_parameters(st->result_selector, result, ctx, &v, err))
				return false;
			if (!jsonpath_assign(f, v, ctx, assigned, err) ||
				!sfn_result_path(&st->result_path, input, v, output, err))
				return false;
			return sfn_output_path(&st->output_path, *output, ctx, output, err);
	}
	return false;
}

bool
sfn_catcher_output(const SfnState *st, const SfnCatcher *k, JsonbValue *input,
				   JsonbValue *error_output, JsonbValue *ctx, JsonbValue **output,
				   JsonbValue **assigned, SfnError *err)
{
	if (st->query_language == SFN_QL_JSONATA)
		return jsonata_output(&k->out, input, ctx, "errorOutput", error_output,
							  error_output, output, assigned, err);
	/* The catcher's ResultPath places the error in the raw input. */
	return jsonpath_assign(&k->out, error_output, ctx, assigned, err) &&
		sfn_result_path(&k->result_path, input, error_output, output, err);
}

/*
 * The variables after a state assigned: a copy of vars with each of
 * assigned's keys set.  Fails (States.Runtime) past AWS's size limits;
 * *texts gets the JSON text of each assigned value, for the history.
 */
bool
sfn_assign_variables(JsonbValue *vars, JsonbValue *assigned, JsonbValue **out,
					 JsonbValue **texts, SfnError *err)
{
	JsonbValue *result = sfn_jv_object();
	int64		total = 0;

	/* a new top-level object sharing the values, which are never modified */
	for (int i = 0; vars && vars->type == jbvObject && i < vars->val.object.nPairs; i++)
		sfn_jv_object_add(result, vars->val.object.pairs[i].key.val.string.val,
						  vars->val.object.pairs[i].key.val.string.len,
						  &vars->val.object.pairs[i].value);
	*texts = sfn_jv_object();
	for (int i = 0; i < assigned->val.object.nPairs; i++)
	{
		JsonbValue *k = &assigned->val.object.pairs[i].key;
		JsonbValue *v = &assigned->val.object.pairs[i].value;
		char	   *text = sfn_jv_to_text_limited(v, SFN_MAX_VARIABLE_BYTES);

		if (text == NULL)
			return sfn_fail(err, "States.Runtime",
							"The value assigned to the variable '%.*s' is larger than the limit of %d bytes.",
							k->val.string.len, k->val.string.val, SFN_MAX_VARIABLE_BYTES);
		sfn_jv_object_put(*texts, k->val.string.val, k->val.string.len, sfn_jv_cstring(text));
		sfn_jv_object_put(result, k->val.string.val, k->val.string.len, v);
	}
	for (int i = 0; i < result->val.object.nPairs; i++)
	{
		char	   *text = sfn_jv_to_text_limited(&result->val.object.pairs[i].value,
												  SFN_MAX_VARIABLES_BYTES - (int) total);

		if (text == NULL)
			return sfn_fail(err, "States.Runtime",
							"The variables of the execution are larger than the limit of %d bytes.",
							SFN_MAX_VARIABLES_BYTES);
		total += strlen(text);
		pfree(text);
	}
	*out = result;
	return true;
}
