/*-------------------------------------------------------------------------
 *
 * compile_states.c
 *	  Compiling one state: the fields each state type allows, and one
 *	  function per type checking and compiling its own fields.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "asl/compile_int.h"

/* Which data-flow fields a state type has (see sfn_compile_dataflow). */
#define SFN_DF_INPUT		0x01	/* InputPath, OutputPath */
#define SFN_DF_RESULT		0x02	/* ResultPath */
#define SFN_DF_PARAMETERS	0x04	/* Parameters */
#define SFN_DF_SELECTOR		0x08	/* ResultSelector */
#define SFN_DF_ALL			(SFN_DF_INPUT | SFN_DF_RESULT | SFN_DF_PARAMETERS | SFN_DF_SELECTOR)

#define SFN_COMMON_FIELDS	"Type", "Comment", "QueryLanguage"
#define SFN_FLOW_FIELDS		"Next", "End", "InputPath", "OutputPath"

static const char *const sfn_pass_fields[] = {
	SFN_COMMON_FIELDS, SFN_FLOW_FIELDS, "ResultPath", "Parameters", "Result",
	"Assign", "Output", NULL
};
static const char *const sfn_task_fields[] = {
	SFN_COMMON_FIELDS, SFN_FLOW_FIELDS, "ResultPath", "Parameters",
	"ResultSelector", "Resource", "Retry", "Catch", "TimeoutSeconds",
	"TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
	"Credentials", "Assign", "Output", "Arguments", NULL
};
static const char *const sfn_choice_fields[] = {
	SFN_COMMON_FIELDS, "InputPath", "OutputPath", "Choices", "Default",
	"Assign", "Output", NULL
};
static const char *const sfn_wait_fields[] = {
	SFN_COMMON_FIELDS, SFN_FLOW_FIELDS, "Seconds", "Timestamp", "SecondsPath",
	"TimestampPath", "Assign", "Output", NULL
};
static const char *const sfn_succeed_fields[] = {
	SFN_COMMON_FIELDS, "InputPath", "OutputPath", "Output", NULL
};
static const char *const sfn_fail_fields[] = {
	SFN_COMMON_FIELDS, "Error", "ErrorPath", "Cause", "CausePath", NULL
};
static const char *const sfn_parallel_fields[] = {
	SFN_COMMON_FIELDS, SFN_FLOW_FIELDS, "ResultPath", "Parameters",
	"ResultSelector", "Retry", "Catch", "Branches", "Assign", "Output",
	"Arguments", NULL
};
static const char *const sfn_map_fields[] = {
	SFN_COMMON_FIELDS, SFN_FLOW_FIELDS, "ResultPath", "Parameters",
	"ResultSelector", "Retry", "Catch", "ItemProcessor", "Iterator",
	"ItemsPath", "ItemSelector", "MaxConcurrency", "MaxConcurrencyPath",
	"ItemReader", "ResultWriter", "ItemBatcher", "ToleratedFailurePercentage",
	"ToleratedFailurePercentagePath", "ToleratedFailureCount",
	"ToleratedFailureCountPath", "Label", "Assign", "Output", "Items", NULL
};

/* Fields of one query language only (AWS accepts Assign in both) */
static const char *const sfn_jsonpath_only_fields[] = {
	"InputPath", "OutputPath", "ResultPath", "ResultSelector", "Parameters",
	"Result", "ItemsPath", "MaxConcurrencyPath", "SecondsPath", "TimestampPath",
	"TimeoutSecondsPath", "HeartbeatSecondsPath", "ErrorPath", "CausePath",
	"ToleratedFailurePercentagePath", "ToleratedFailureCountPath", NULL
};
static const char *const sfn_jsonata_only_fields[] = {
	"Arguments", "Output", "Items", NULL
};
static const char *const sfn_processor_extra_fields[] = {"ProcessorConfig", NULL};

typedef struct SfnStateTypeDef
{
	const char *name;
	SfnStateType type;
	const char *const *fields;
} SfnStateTypeDef;

static const SfnStateTypeDef sfn_state_types[] = {
	{"Pass", SFN_STATE_PASS, sfn_pass_fields},
	{"Task", SFN_STATE_TASK, sfn_task_fields},
	{"Choice", SFN_STATE_CHOICE, sfn_choice_fields},
	{"Wait", SFN_STATE_WAIT, sfn_wait_fields},
	{"Succeed", SFN_STATE_SUCCEED, sfn_succeed_fields},
	{"Fail", SFN_STATE_FAIL, sfn_fail_fields},
	{"Parallel", SFN_STATE_PARALLEL, sfn_parallel_fields},
	{"Map", SFN_STATE_MAP, sfn_map_fields},
};

bool
sfn_state_type_from_name(const char *name, SfnStateType *out)
{
	for (int i = 0; i < (int) lengthof(sfn_state_types); i++)
	{
		if (strcmp(sfn_state_types[i].name, name) == 0)
		{
			*out = sfn_state_types[i].type;
			return true;
		}
	}
	return false;
}

/*
 * JSONPath: InputPath, OutputPath, ResultPath, Parameters, ResultSelector;
 * JSONata: Arguments (where Parameters would be) and Output; both: Assign.
 */
static void
sfn_compile_dataflow(SfnCompiler *c, SfnState *st, JsonbValue *obj,
					 const char *location, int which)
{
	/* only Task, Parallel and Map have a result */
	sfn_c_output_fields(c, st, obj, location, "",
						(which & SFN_DF_SELECTOR) ? SFN_JT_RESULT : 0, &st->out);
	if (st->query_language == SFN_QL_JSONATA)
	{
		JsonbValue *args = sfn_jv_object_cget(obj, "Arguments");

		if (args != NULL)
			st->arguments = sfn_jsonata_template_compile(args, "Arguments",
														 sfn_diag_loc(location, "Arguments"),
														 0, c->diags);
		return;
	}
	if (which & SFN_DF_INPUT)
	{
		sfn_c_opt_path(c, obj, "InputPath", location, false, &st->input_path);
		sfn_c_opt_path(c, obj, "OutputPath", location, false, &st->output_path);
	}
	if (which & SFN_DF_RESULT)
		sfn_c_opt_path(c, obj, "ResultPath", location, true, &st->result_path);
	if (which & SFN_DF_PARAMETERS)
		st->parameters = sfn_c_template(c, obj, "Parameters", location);
	if (which & SFN_DF_SELECTOR)
		st->result_selector = sfn_c_template(c, obj, "ResultSelector", location);
}

/* Does a Pass Result hold "key.$" fields, which AWS never evaluates? */
static bool
sfn_result_has_dynamic_key(const JsonbValue *v)
{
	check_stack_depth();
	if (sfn_jv_is_array(v))
	{
		for (int i = 0; i < v->val.array.nElems; i++)
			if (sfn_result_has_dynamic_key(&v->val.array.elems[i]))
				return true;
	}
	else if (sfn_jv_is_object(v))
	{
		for (int i = 0; i < v->val.object.nPairs; i++)
		{
			const JsonbValue *k = &v->val.object.pairs[i].key;
			int			len = k->val.string.len;

			if ((len >= 2 && k->val.string.val[len - 2] == '.' && k->val.string.val[len - 1] == '$') ||
				sfn_result_has_dynamic_key(&v->val.object.pairs[i].value))
				return true;
		}
	}
	return false;
}

static void
sfn_compile_pass(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				 const char *location)
{
	sfn_compile_dataflow(c, st, obj, location,
						 SFN_DF_INPUT | SFN_DF_RESULT | SFN_DF_PARAMETERS);
	if (st->query_language == SFN_QL_JSONPATH)
		st->result = sfn_jv_object_cget(obj, "Result");
	if (st->result != NULL && sfn_result_has_dynamic_key(st->result))
		sfn_diag_warn(c->diags, SFN_DIAG_PASS_RESULT_IS_STATIC,
					  sfn_diag_loc(location, "Result"),
					  "The \"Result\" of a Pass state is static: its fields ending in \".$\" are not evaluated; use \"Parameters\" instead");
	sfn_c_transition(c, pc, st, obj, location);
}

/*
 * Express workflows cannot wait for a job, a callback or an activity
 * worker (AWS's recorded message for activities).
 */
static void
sfn_check_express_resource(SfnCompiler *c, const char *resource, const char *location)
{
	const char *patterns[] = {".sync", ".sync:2", ".waitForTaskToken"};
	int			len = strlen(resource);

	if (strncmp(resource, "arn:", 4) == 0 && strstr(resource, ":states:") != NULL &&
		strstr(resource, ":activity:") != NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "Express state machine does not support Activity ARN");

	for (int i = 0; i < (int) lengthof(patterns); i++)
	{
		int			plen = strlen(patterns[i]);

		if (len > plen && strcmp(resource + len - plen, patterns[i]) == 0)
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
						 "Express state machines do not support the \"%s\" service integration pattern",
						 patterns[i]);
	}
}

static void
sfn_compile_task_resource(SfnCompiler *c, SfnState *st, JsonbValue *obj,
						  const char *location)
{
	char	   *loc = sfn_diag_loc(location, "Resource");

	if (sfn_jv_object_cget(obj, "Resource") == NULL)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [Resource]");
		return;
	}
	if (!sfn_c_string(c, obj, "Resource", loc, &st->resource))
		return;
	if (st->resource[0] == '\0')
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_RESOURCE, loc,
					 "The value for the field \"Resource\" must not be empty");
	else
	{
		sfn_check_service_resource(c, st->resource, loc);
		if (c->express)
			sfn_check_express_resource(c, st->resource, loc);
	}
}

/*
 * In a JSONata state, a field that holds a number or a string may hold an
 * expression instead: compile it into *expr and return true.
 */
static bool
sfn_c_jsonata_field(SfnCompiler *c, const SfnState *st, JsonbValue *obj,
					const char *field, const char *location, SfnJsonataTemplate **expr)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);

	*expr = NULL;
	if (st->query_language != SFN_QL_JSONATA || v == NULL || !sfn_jv_is_string(v) ||
		!sfn_jsonata_is_expression(v->val.string.val, v->val.string.len))
		return false;
	*expr = sfn_jsonata_template_compile(v, field, sfn_diag_loc(location, field), 0, c->diags);
	return true;
}

static void
sfn_compile_task_timeouts(SfnCompiler *c, SfnState *st, JsonbValue *obj,
						  const char *location)
{
	bool		has_timeout,
				has_heartbeat;

	sfn_c_exclusive(c, obj, "TimeoutSeconds", "TimeoutSecondsPath", location);
	sfn_c_exclusive(c, obj, "HeartbeatSeconds", "HeartbeatSecondsPath", location);
	has_timeout = !sfn_c_jsonata_field(c, st, obj, "TimeoutSeconds", location,
									   &st->timeout_expr) &&
		sfn_c_int(c, obj, "TimeoutSeconds", sfn_diag_loc(location, "TimeoutSeconds"),
				  1, SFN_MAX_SECONDS, &st->timeout_seconds);
	st->timeout_seconds_path = sfn_c_ref_path(c, obj, "TimeoutSecondsPath", location);
	has_heartbeat = !sfn_c_jsonata_field(c, st, obj, "HeartbeatSeconds", location,
										 &st->heartbeat_expr) &&
		sfn_c_int(c, obj, "HeartbeatSeconds",
				  sfn_diag_loc(location, "HeartbeatSeconds"),
				  1, SFN_MAX_SECONDS, &st->heartbeat_seconds);
	st->heartbeat_seconds_path = sfn_c_ref_path(c, obj, "HeartbeatSecondsPath", location);

	if (has_heartbeat && st->heartbeat_seconds >= (has_timeout ? st->timeout_seconds : SFN_MAX_SECONDS))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "HeartbeatSeconds"),
					 "The value for the field \"HeartbeatSeconds\" (" INT64_FORMAT ") must be smaller than the value for the field \"TimeoutSeconds\" (" INT64_FORMAT ")",
					 st->heartbeat_seconds, has_timeout ? st->timeout_seconds : SFN_MAX_SECONDS);
}

static void
sfn_compile_task(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				 const char *location)
{
	JsonbValue *cred = sfn_jv_object_cget(obj, "Credentials");

	sfn_compile_dataflow(c, st, obj, location, SFN_DF_ALL);
	sfn_compile_task_resource(c, st, obj, location);
	if (st->resource)
		sfn_resource_parse(st->resource, &st->target);
	sfn_compile_task_timeouts(c, st, obj, location);
	if (cred != NULL && !sfn_jv_is_object(cred))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Credentials"),
					 "The value for the field \"Credentials\" must be a JSON object");
	st->credentials = cred;
	sfn_c_retry(c, st, obj, location);
	sfn_c_catch(c, pc, st, obj, location);
	sfn_c_transition(c, pc, st, obj, location);
}

/* A JSONPath rule: its Assign here, the comparison in eval/choice.c */
static void
sfn_compile_jsonpath_rule(SfnCompiler *c, SfnState *st, SfnChoiceBranch *br,
						  JsonbValue *rule, const char *location)
{
	JsonbValue *cmp = rule;

	if (sfn_jv_is_object(rule) && (sfn_jv_object_cget(rule, "Assign") != NULL ||
								   sfn_jv_object_cget(rule, "Output") != NULL))
	{
		sfn_c_language_fields(c, rule, location, SFN_QL_JSONPATH, "Output", NULL);
		sfn_c_output_fields(c, st, rule, location, "", 0, &br->out);
		/* the comparison without them */
		cmp = sfn_jv_object();
		for (int i = 0; i < rule->val.object.nPairs; i++)
		{
			JsonbValue *k = &rule->val.object.pairs[i].key;

			if ((k->val.string.len == 6 && strncmp(k->val.string.val, "Assign", 6) == 0) ||
				(k->val.string.len == 6 && strncmp(k->val.string.val, "Output", 6) == 0))
				continue;
			sfn_jv_object_put(cmp, k->val.string.val, k->val.string.len,
							  &rule->val.object.pairs[i].value);
		}
	}
	br->rule = sfn_choice_compile(cmp, true, location, SFN_MAX_NESTING, c->diags);
}

/* A JSONata rule: Condition, Next, Assign, Output */
static void
sfn_compile_jsonata_rule(SfnCompiler *c, SfnState *st, SfnChoiceBranch *br,
						 JsonbValue *rule, const char *location, int index)
{
	static const char *const fields[] = {
		"Condition", "Next", "Assign", "Output", "Comment", NULL
	};
	JsonbValue *cond;
	JsonbValue *next;

	if (!sfn_jv_is_object(rule))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "A choice rule must be a JSON object");
		return;
	}
	sfn_c_check_fields(c, rule, location, fields, NULL);
	cond = sfn_jv_object_cget(rule, "Condition");
	next = sfn_jv_object_cget(rule, "Next");
	if (cond == NULL || next == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "These fields are required: [%s]",
					 cond == NULL && next == NULL ? "Condition, Next" :
					 cond == NULL ? "Condition" : "Next");
	else if (next != NULL && !sfn_jv_is_string(next))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Next"),
					 "The value for the field \"Next\" must be a string");
	if (cond != NULL && !sfn_jv_is_bool(cond) &&
		!(sfn_jv_is_string(cond) &&
		  sfn_jsonata_is_expression(cond->val.string.val, cond->val.string.len)))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Condition"),
					 "The value for the field \"Condition\" must be a boolean or a JSONata expression \"{%% ... %%}\"");
	else if (cond != NULL)
		br->condition = sfn_jsonata_template_compile(cond, psprintf("Choices[%d]/Condition", index),
													 sfn_diag_loc(location, "Condition"),
													 0, c->diags);
	sfn_c_output_fields(c, st, rule, location, psprintf("Choices[%d]/", index), 0,
						&br->out);
}

static void
sfn_compile_choice_rules(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
						 JsonbValue *choices, const char *location)
{
	st->n_choices = choices->val.array.nElems;
	st->choices = palloc0(sizeof(SfnChoiceBranch) * st->n_choices);
	for (int i = 0; i < st->n_choices; i++)
	{
		JsonbValue *rule = &choices->val.array.elems[i];
		char	   *loc = sfn_diag_loc_index(location, i);
		JsonbValue *next;

		if (st->query_language == SFN_QL_JSONATA)
			sfn_compile_jsonata_rule(c, st, &st->choices[i], rule, loc, i);
		else
			sfn_compile_jsonpath_rule(c, st, &st->choices[i], rule, loc);
		st->choices[i].next = SFN_NO_STATE;
		next = sfn_jv_is_object(rule) ? sfn_jv_object_cget(rule, "Next") : NULL;
		if (next != NULL && sfn_jv_is_string(next))
			st->choices[i].next = sfn_names_resolve(c, pc, next, "Next",
													sfn_diag_loc(loc, "Next"));
	}
}

static void
sfn_compile_choice(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				   const char *location)
{
	JsonbValue *choices = sfn_jv_object_cget(obj, "Choices");
	JsonbValue *def = sfn_jv_object_cget(obj, "Default");

	sfn_compile_dataflow(c, st, obj, location, SFN_DF_INPUT);
	st->default_next = SFN_NO_STATE;
	if (choices == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [Choices]");
	else if (!sfn_jv_is_array(choices) || choices->val.array.nElems == 0)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Choices"),
					 "The value for the field \"Choices\" must be a non-empty array of choice rules");
	else
		sfn_compile_choice_rules(c, pc, st, choices, sfn_diag_loc(location, "Choices"));
	if (def != NULL)
		st->default_next = sfn_names_resolve(c, pc, def, "Default",
											 sfn_diag_loc(location, "Default"));
}

static void
sfn_compile_wait_timestamp(SfnCompiler *c, SfnState *st, JsonbValue *obj,
						   const char *location)
{
	JsonbValue *ts = sfn_jv_object_cget(obj, "Timestamp");

	if (ts == NULL)
		return;
	st->has_timestamp = sfn_jv_is_string(ts) &&
		sfn_timestamp_parse(ts->val.string.val, ts->val.string.len, &st->timestamp);
	if (!st->has_timestamp)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Timestamp"),
					 "The value for the field \"Timestamp\" must be a timestamp in RFC 3339 format, such as \"2016-03-14T01:59:00Z\"");
}

static void
sfn_compile_wait(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				 const char *location)
{
	static const char *const waits[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
	int			n = 0;

	sfn_compile_dataflow(c, st, obj, location, SFN_DF_INPUT);
	for (int i = 0; i < (int) lengthof(waits); i++)
		n += sfn_jv_object_cget(obj, waits[i]) != NULL;
	if (n != 1)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "A Wait state must have exactly one of the fields \"Seconds\", \"Timestamp\", \"SecondsPath\", \"TimestampPath\"; it has %d",
					 n);

	st->has_seconds = !sfn_c_jsonata_field(c, st, obj, "Seconds", location, &st->seconds_expr) &&
		sfn_c_int(c, obj, "Seconds", sfn_diag_loc(location, "Seconds"),
				  0, SFN_MAX_SECONDS, &st->seconds);
	if (!sfn_c_jsonata_field(c, st, obj, "Timestamp", location, &st->timestamp_expr))
		sfn_compile_wait_timestamp(c, st, obj, location);
	st->seconds_path = sfn_c_ref_path(c, obj, "SecondsPath", location);
	st->timestamp_path = sfn_c_ref_path(c, obj, "TimestampPath", location);
	sfn_c_transition(c, pc, st, obj, location);
}

static void
sfn_compile_succeed(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
					const char *location)
{
	sfn_compile_dataflow(c, st, obj, location, SFN_DF_INPUT);
	st->end = true;
}

/* Error or Cause given literally: a value that looks like a path is a slip */
static void
sfn_compile_fail_literal(SfnCompiler *c, JsonbValue *obj, const char *field,
						 const char *location, char **out)
{
	char	   *loc = sfn_diag_loc(location, field);
	char	   *errmsg = NULL;

	if (sfn_c_string(c, obj, field, loc, out) && (*out)[0] == '$' &&
		sfn_path_parse(*out, false, &errmsg) != NULL)
		sfn_diag_warn(c->diags, SFN_DIAG_NO_PATH, loc,
					  "The value for the field \"%s\" looks like a JSONPath, but the field name does not end with \"Path\"",
					  field);
}

static void
sfn_compile_fail(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				 const char *location)
{
	sfn_c_exclusive(c, obj, "Error", "ErrorPath", location);
	sfn_c_exclusive(c, obj, "Cause", "CausePath", location);
	if (!sfn_c_jsonata_field(c, st, obj, "Error", location, &st->error_expr))
		sfn_compile_fail_literal(c, obj, "Error", location, &st->error);
	if (!sfn_c_jsonata_field(c, st, obj, "Cause", location, &st->cause_expr))
		sfn_compile_fail_literal(c, obj, "Cause", location, &st->cause);
	st->error_path = sfn_c_value_expr(c, obj, "ErrorPath", location);
	st->cause_path = sfn_c_value_expr(c, obj, "CausePath", location);
	st->end = true;
}

static void
sfn_compile_parallel(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
					 const char *location)
{
	JsonbValue *branches = sfn_jv_object_cget(obj, "Branches");
	char	   *loc = sfn_diag_loc(location, "Branches");

	sfn_compile_dataflow(c, st, obj, location, SFN_DF_ALL);
	if (branches == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [Branches]");
	else if (!sfn_jv_is_array(branches) || branches->val.array.nElems == 0)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"Branches\" must be a non-empty array of objects with \"StartAt\" and \"States\"");
	else
	{
		st->n_branches = branches->val.array.nElems;
		st->branches = palloc0(sizeof(SfnPlan *) * st->n_branches);
		for (int i = 0; i < st->n_branches; i++)
			st->branches[i] = sfn_compile_plan(c, &branches->val.array.elems[i],
											   sfn_diag_loc_index(loc, i),
											   pc->plan->depth + 1, NULL);
	}
	sfn_c_retry(c, st, obj, location);
	sfn_c_catch(c, pc, st, obj, location);
	sfn_c_transition(c, pc, st, obj, location);
}

/* ProcessorConfig: {"Mode": "INLINE"|"DISTRIBUTED", "ExecutionType": ...} */
static void
sfn_compile_processor_config(SfnCompiler *c, JsonbValue *proc, const char *location)
{
	static const char *const fields[] = {"Mode", "ExecutionType", NULL};
	JsonbValue *cfg = sfn_jv_object_cget(proc, "ProcessorConfig");
	char	   *loc = sfn_diag_loc(location, "ProcessorConfig");
	char	   *mode = NULL;
	char	   *etype = NULL;

	if (cfg == NULL)
		return;
	if (!sfn_jv_is_object(cfg))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"ProcessorConfig\" must be a JSON object");
		return;
	}
	sfn_c_check_fields(c, cfg, loc, fields, NULL);
	if (sfn_c_string(c, cfg, "Mode", sfn_diag_loc(loc, "Mode"), &mode) &&
		strcmp(mode, "INLINE") != 0 && strcmp(mode, "DISTRIBUTED") != 0)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(loc, "Mode"),
					 "The value for the field \"Mode\" must be one of [INLINE, DISTRIBUTED]");
	if (sfn_c_string(c, cfg, "ExecutionType", sfn_diag_loc(loc, "ExecutionType"), &etype) &&
		strcmp(etype, "STANDARD") != 0 && strcmp(etype, "EXPRESS") != 0)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(loc, "ExecutionType"),
					 "The value for the field \"ExecutionType\" must be one of [STANDARD, EXPRESS]");
}

static void
sfn_compile_map_processor(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
						  JsonbValue *obj, const char *location)
{
	JsonbValue *proc = sfn_jv_object_cget(obj, "ItemProcessor");
	JsonbValue *iter = sfn_jv_object_cget(obj, "Iterator");
	int			depth = pc->plan->depth + 1;

	if (proc == NULL && iter == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "These fields are required: [ItemProcessor]");
	else if (sfn_c_exclusive(c, obj, "ItemProcessor", "Iterator", location))
		return;
	else if (proc != NULL)
	{
		char	   *loc = sfn_diag_loc(location, "ItemProcessor");

		st->processor = sfn_compile_plan(c, proc, loc, depth, sfn_processor_extra_fields);
		if (sfn_jv_is_object(proc))
			sfn_compile_processor_config(c, proc, loc);
	}
	else
	{
		/* AWS accepts a ProcessorConfig in the older Iterator too. */
		char	   *loc = sfn_diag_loc(location, "Iterator");

		st->processor = sfn_compile_plan(c, iter, loc, depth, sfn_processor_extra_fields);
		if (sfn_jv_is_object(iter))
			sfn_compile_processor_config(c, iter, loc);
	}
}

/* ItemReader, ResultWriter, ItemBatcher: accepted as given, if objects */
static void
sfn_compile_map_objects(SfnCompiler *c, JsonbValue *obj, const char *location)
{
	static const char *const fields[] = {"ItemReader", "ResultWriter", "ItemBatcher"};

	for (int i = 0; i < (int) lengthof(fields); i++)
	{
		JsonbValue *v = sfn_jv_object_cget(obj, fields[i]);

		if (v != NULL && !sfn_jv_is_object(v))
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, fields[i]),
						 "The value for the field \"%s\" must be a JSON object", fields[i]);
	}
}

static void
sfn_compile_map_limits(SfnCompiler *c, SfnState *st, JsonbValue *obj,
					   const char *location)
{
	int64		max_concurrency = 0;
	char	   *label;

	sfn_c_exclusive(c, obj, "MaxConcurrency", "MaxConcurrencyPath", location);
	sfn_c_exclusive(c, obj, "ToleratedFailurePercentage",
					"ToleratedFailurePercentagePath", location);
	sfn_c_exclusive(c, obj, "ToleratedFailureCount", "ToleratedFailureCountPath", location);

	if (!sfn_c_jsonata_field(c, st, obj, "MaxConcurrency", location, &st->max_concurrency_expr) &&
		sfn_c_int(c, obj, "MaxConcurrency", sfn_diag_loc(location, "MaxConcurrency"),
				  0, PG_INT32_MAX, &max_concurrency))
		st->max_concurrency = (int) max_concurrency;
	st->max_concurrency_path = sfn_c_ref_path(c, obj, "MaxConcurrencyPath", location);
	if (!sfn_c_jsonata_field(c, st, obj, "ToleratedFailurePercentage", location,
							 &st->tolerated_percentage_expr))
		sfn_c_number(c, obj, "ToleratedFailurePercentage",
					 sfn_diag_loc(location, "ToleratedFailurePercentage"), 0, 100,
					 &st->tolerated_failure_percentage);
	sfn_c_ref_path(c, obj, "ToleratedFailurePercentagePath", location);
	if (!sfn_c_jsonata_field(c, st, obj, "ToleratedFailureCount", location,
							 &st->tolerated_count_expr))
		sfn_c_int(c, obj, "ToleratedFailureCount", sfn_diag_loc(location, "ToleratedFailureCount"),
				  0, PG_INT64_MAX, &st->tolerated_failure_count);
	sfn_c_ref_path(c, obj, "ToleratedFailureCountPath", location);
	sfn_c_string(c, obj, "Label", sfn_diag_loc(location, "Label"), &label);
}

static void
sfn_compile_map(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				const char *location)
{
	sfn_compile_dataflow(c, st, obj, location, SFN_DF_ALL);
	sfn_c_exclusive(c, obj, "ItemSelector", "Parameters", location);
	if (st->query_language == SFN_QL_JSONATA)
		st->item_selector_expr =
			sfn_jsonata_template_compile(sfn_jv_object_cget(obj, "ItemSelector"), "ItemSelector",
										 sfn_diag_loc(location, "ItemSelector"), 0, c->diags);
	else
		st->item_selector = sfn_c_template(c, obj, "ItemSelector", location);
	if (st->query_language == SFN_QL_JSONATA && sfn_jv_object_cget(obj, "Items") != NULL)
	{
		JsonbValue *items = sfn_jv_object_cget(obj, "Items");

		if (!sfn_jv_is_array(items) &&
			!(sfn_jv_is_string(items) &&
			  sfn_jsonata_is_expression(items->val.string.val, items->val.string.len)))
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Items"),
						 "The value for the field \"Items\" must be an array or a JSONata expression \"{%% ... %%}\"");
		else
			st->items = sfn_jsonata_template_compile(items, "Items",
													 sfn_diag_loc(location, "Items"), 0, c->diags);
	}
	st->items_path = sfn_c_any_path(c, obj, "ItemsPath", location);
	sfn_compile_map_processor(c, pc, st, obj, location);
	sfn_compile_map_objects(c, obj, location);
	sfn_compile_map_limits(c, st, obj, location);
	sfn_c_retry(c, st, obj, location);
	sfn_c_catch(c, pc, st, obj, location);
	sfn_c_transition(c, pc, st, obj, location);
}

typedef void (*SfnStateCompiler) (SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
								  JsonbValue *obj, const char *location);

/* indexed by SfnStateType */
static const SfnStateCompiler sfn_state_compilers[] = {
	sfn_compile_pass,
	sfn_compile_task,
	sfn_compile_choice,
	sfn_compile_wait,
	sfn_compile_succeed,
	sfn_compile_fail,
	sfn_compile_parallel,
	sfn_compile_map,
};

/* Fields of the other query language that the state type has */
static void
sfn_check_language_fields(SfnCompiler *c, const SfnState *st, const SfnStateTypeDef *def,
						  JsonbValue *obj, const char *location)
{
	const char *const *other = st->query_language == SFN_QL_JSONATA ?
		sfn_jsonpath_only_fields : sfn_jsonata_only_fields;

	for (int i = 0; def->fields[i]; i++)
	{
		for (int j = 0; other[j]; j++)
			if (strcmp(def->fields[i], other[j]) == 0)
				sfn_c_language_fields(c, obj, location, st->query_language, other[j], NULL);
	}
}

/* Everything after Type: the fields the type allows, then its own checks. */
void
sfn_compile_state_body(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
					   JsonbValue *obj, const char *location)
{
	const SfnStateTypeDef *def = &sfn_state_types[st->type];
	char	   *comment;

	Assert(def->type == st->type);
	sfn_c_check_fields(c, obj, location, def->fields, def->name);
	sfn_c_string(c, obj, "Comment", sfn_diag_loc(location, "Comment"), &comment);
	st->query_language = sfn_c_query_language(c, obj, sfn_diag_loc(location, "QueryLanguage"),
											  c->lang);
	if (st->query_language == SFN_QL_JSONPATH && c->lang == SFN_QL_JSONATA)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
	else
		sfn_check_language_fields(c, st, def, obj, location);
	sfn_state_compilers[st->type] (c, pc, st, obj, location);
}
