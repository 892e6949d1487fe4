/*-------------------------------------------------------------------------
 *
 * compile_fields.c
 *	  Checking and compiling one kind of field: allowed field names, strings,
 *	  integers, paths, payload templates, Next/End, Retry and Catch.
 *
 * Functions named for a field take the location of that field; functions
 * taking an object and a field name (paths, templates) take the location of
 * the object and derive the field's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>

#include "asl/compile_int.h"

/* every field some state type has: a wrong one is "not allowed here" */
static const char *const sfn_known_state_fields[] = {
	"Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath",
	"ResultPath", "Parameters", "ResultSelector", "Result", "Resource", "Retry",
	"Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
	"HeartbeatSecondsPath", "Credentials", "Choices", "Default", "Seconds",
	"Timestamp", "SecondsPath", "TimestampPath", "Error", "ErrorPath", "Cause",
	"CausePath", "Branches", "ItemProcessor", "Iterator", "ItemsPath",
	"ItemSelector", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader",
	"ResultWriter", "ItemBatcher", "ToleratedFailurePercentage",
	"ToleratedFailurePercentagePath", "ToleratedFailureCount",
	"ToleratedFailureCountPath", "Label", "Assign", "Arguments", "Output",
	"Items", NULL
};

static bool
sfn_in_list(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
	{
		if (strcmp(list[i], name) == 0)
			return true;
	}
	return false;
}

/*
 * Report every field of obj not in allowed.  type_name is the state type
 * when obj is a state (NULL otherwise), for a more precise message.
 */
bool
sfn_c_check_fields(SfnCompiler *c, JsonbValue *obj, const char *location,
				   const char *const *allowed, const char *type_name)
{
	bool		ok = true;

	for (int i = 0; i < obj->val.object.nPairs; i++)
	{
		char	   *key = sfn_jv_cstr(&obj->val.object.pairs[i].key);
		char	   *loc = sfn_diag_loc(location, key);

		if (sfn_in_list(allowed, key))
			continue;
		ok = false;
		if (type_name != NULL && sfn_in_list(sfn_known_state_fields, key))
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
						 "The field \"%s\" is not allowed in a state of type \"%s\"",
						 key, type_name);
		else
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
						 "The field \"%s\" is not supported by Step Functions", key);
	}
	return ok;
}

/* A string field; true when present and a string. */
bool
sfn_c_string(SfnCompiler *c, JsonbValue *obj, const char *field,
			 const char *location, char **out)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);

	*out = NULL;
	if (v == NULL)
		return false;
	if (!sfn_jv_is_string(v))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a string", field);
		return false;
	}
	*out = sfn_jv_cstr(v);
	return true;
}

/* An integer field in [min, max]; true when present and valid. */
bool
sfn_c_int(SfnCompiler *c, JsonbValue *obj, const char *field,
		  const char *location, int64 min, int64 max, int64 *out)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	int64		i;

	if (v == NULL)
		return false;
	if (sfn_jv_is_number(v) && sfn_jv_get_int64(v, &i) && i >= min && i <= max)
	{
		*out = i;
		return true;
	}
	if (max == PG_INT64_MAX || max == PG_INT32_MAX)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be an integer not less than " INT64_FORMAT,
					 field, min);
	else
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be an integer between " INT64_FORMAT " and " INT64_FORMAT,
					 field, min, max);
	return false;
}

/* A number field in [min, max]; true when present and valid. */
bool
sfn_c_number(SfnCompiler *c, JsonbValue *obj, const char *field,
			 const char *location, double min, double max, double *out)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	double		d;

	if (v == NULL)
		return false;
	if (sfn_jv_is_number(v))
	{
		d = sfn_jv_get_float8(v);
		if (d >= min && d <= max)
		{
			*out = d;
			return true;
		}
	}
	if (max == DBL_MAX)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a number not less than %g",
					 field, min);
	else
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a number between %g and %g",
					 field, min, max);
	return false;
}

/* X and XPath (and the like) exclude each other; true if both are given. */
bool
sfn_c_exclusive(SfnCompiler *c, JsonbValue *obj, const char *a, const char *b,
				const char *location)
{
	if (sfn_jv_object_cget(obj, a) == NULL || sfn_jv_object_cget(obj, b) == NULL)
		return false;
	sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
				 "The fields \"%s\" and \"%s\" cannot both be present", a, b);
	return true;
}

static SfnPath *
sfn_c_parse_path(SfnCompiler *c, JsonbValue *v, const char *field,
				 const char *location, bool reference)
{
	char	   *errmsg = NULL;
	SfnPath    *path;

	if (!sfn_jv_is_string(v))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a string containing a %s",
					 field, reference ? "reference path" : "JSONPath");
		return NULL;
	}
	path = sfn_path_parse(sfn_jv_cstr(v), reference, &errmsg);
	if (path == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_PATH, location,
					 "The value for the field \"%s\" must be a valid %s: %s",
					 field, reference ? "reference path" : "JSONPath",
					 errmsg ? errmsg : "syntax error");
	return path;
}

/* InputPath, OutputPath (any path), ResultPath (reference path): or null */
void
sfn_c_opt_path(SfnCompiler *c, JsonbValue *obj, const char *field,
			   const char *location, bool reference, SfnOptPath *out)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	char	   *loc = sfn_diag_loc(location, field);

	out->mode = SFN_PATH_DEFAULT;
	out->path = NULL;
	if (v == NULL)
		return;
	if (sfn_jv_is_null(v))
	{
		out->mode = SFN_PATH_NULL;
		return;
	}
	out->path = sfn_c_parse_path(c, v, field, loc, reference);
	out->mode = SFN_PATH_SET;

	/* a result can only be placed into the state's data, never $$ */
	if (reference && out->path != NULL && sfn_path_is_context(out->path))
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_PATH, loc,
					 "The value for the field \"%s\" must be a reference path into the state's data, not the context object",
					 field);
	/* ... nor a variable: variables are set with Assign */
	if (reference && out->path != NULL && sfn_path_is_variable(out->path))
		sfn_diag_add(c->diags, SFN_DIAG_INVALID_PATH, loc,
					 "The value for the field \"%s\" must be a reference path into the state's data, not a variable (use \"Assign\")",
					 field);
}

SfnPath *
sfn_c_ref_path(SfnCompiler *c, JsonbValue *obj, const char *field,
			   const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);

	if (v == NULL)
		return NULL;
	return sfn_c_parse_path(c, v, field, sfn_diag_loc(location, field), true);
}

SfnPath *
sfn_c_any_path(SfnCompiler *c, JsonbValue *obj, const char *field,
			   const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);

	if (v == NULL)
		return NULL;
	return sfn_c_parse_path(c, v, field, sfn_diag_loc(location, field), false);
}

/* ErrorPath, CausePath: a reference path or an intrinsic function call */
SfnValueExpr *
sfn_c_value_expr(SfnCompiler *c, JsonbValue *obj, const char *field,
				 const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	char	   *loc = sfn_diag_loc(location, field);
	SfnValueExpr *e;
	char	   *errmsg = NULL;

	if (v == NULL)
		return NULL;
	if (!sfn_jv_is_string(v) || !sfn_intrinsic_looks_like_call(sfn_jv_cstr(v)))
	{
		SfnPath    *p = sfn_c_parse_path(c, v, field, loc, true);

		if (p == NULL)
			return NULL;
		e = palloc0(sizeof(SfnValueExpr));
		e->path = p;
		return e;
	}
	e = palloc0(sizeof(SfnValueExpr));
	e->fn = sfn_intrinsic_parse(sfn_jv_cstr(v), &errmsg);
	if (e->fn != NULL)
		return e;
	sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
				 "The value for the field \"%s\" must be a valid reference path or a valid intrinsic function call: %s",
				 field, errmsg ? errmsg : "syntax error");
	return NULL;
}

/* Parameters, ResultSelector, ItemSelector */
SfnTemplate *
sfn_c_template(SfnCompiler *c, JsonbValue *obj, const char *field,
			   const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	char	   *loc = sfn_diag_loc(location, field);

	/* Any JSON value: arrays and scalars are payloads too. */
	if (v == NULL)
		return NULL;
	return sfn_template_compile(v, field, loc, c->diags);
}

/* Next or End: exactly one, on the state types that transition */
void
sfn_c_transition(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
				 const char *location)
{
	JsonbValue *next = sfn_jv_object_cget(obj, "Next");
	JsonbValue *end = sfn_jv_object_cget(obj, "End");

	st->next = SFN_NO_STATE;
	if (end != NULL && !sfn_jv_is_bool(end))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "End"),
					 "The value for the field \"End\" must be a boolean");
		pc->graph_known = false;
		return;
	}
	st->end = (end != NULL && end->val.boolean);

	if (next != NULL && st->end)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The fields \"Next\" and \"End\" cannot both be present");
		pc->graph_known = false;
	}
	else if (next == NULL && !st->end)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "A %s state must have either \"Next\" or \"End\": true",
					 sfn_state_type_name(st->type));
		pc->graph_known = false;
	}
	if (next != NULL)
		st->next = sfn_names_resolve(c, pc, next, "Next", sfn_diag_loc(location, "Next"));
}

/*
 * ErrorEquals of a retrier or catcher: a non-empty array of strings, where
 * States.ALL must be alone and in the last retrier or catcher.
 */
static List *
sfn_c_error_equals(SfnCompiler *c, JsonbValue *obj, const char *location,
				   const char *what, bool is_last)
{
	JsonbValue *v = sfn_jv_object_cget(obj, "ErrorEquals");
	char	   *loc = sfn_diag_loc(location, "ErrorEquals");
	List	   *errors = NIL;

	if (v == NULL)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [ErrorEquals]");
		return NIL;
	}
	if (!sfn_jv_is_array(v) || v->val.array.nElems == 0)
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"ErrorEquals\" must be a non-empty array of error names");
		return NIL;
	}
	for (int i = 0; i < v->val.array.nElems; i++)
	{
		JsonbValue *e = &v->val.array.elems[i];

		if (!sfn_jv_is_string(e))
		{
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc_index(loc, i),
						 "An error name in \"ErrorEquals\" must be a string");
			continue;
		}
		errors = lappend(errors, sfn_jv_cstr(e));
		if (strcmp(sfn_jv_cstr(e), "States.ALL") != 0)
			continue;
		if (v->val.array.nElems > 1)
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
						 "\"States.ALL\" must appear alone in \"ErrorEquals\"");
		if (!is_last)
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
						 "A %s matching \"States.ALL\" must be the last one", what);
	}
	return errors;
}

static SfnRetrier *
sfn_c_retrier(SfnCompiler *c, JsonbValue *obj, const char *location, bool is_last)
{
	static const char *const fields[] = {
		"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
		"MaxDelaySeconds", "JitterStrategy", "Comment", NULL
	};
	SfnRetrier *r = palloc0(sizeof(SfnRetrier));
	int64		i;
	char	   *s;

	r->interval_seconds = 1;
	r->max_attempts = 3;
	r->backoff_rate = 2.0;
	if (!sfn_jv_is_object(obj))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "A retrier must be a JSON object");
		return r;
	}
	sfn_c_check_fields(c, obj, location, fields, NULL);
	sfn_c_string(c, obj, "Comment", sfn_diag_loc(location, "Comment"), &s);
	r->errors = sfn_c_error_equals(c, obj, location, "retrier", is_last);
	if (sfn_c_int(c, obj, "IntervalSeconds", sfn_diag_loc(location, "IntervalSeconds"),
				  1, SFN_MAX_SECONDS, &i))
		r->interval_seconds = i;
	if (sfn_c_int(c, obj, "MaxAttempts", sfn_diag_loc(location, "MaxAttempts"),
				  0, SFN_MAX_SECONDS, &i))
		r->max_attempts = (int) i;
	sfn_c_number(c, obj, "BackoffRate", sfn_diag_loc(location, "BackoffRate"),
				 1.0, DBL_MAX, &r->backoff_rate);
	sfn_c_int(c, obj, "MaxDelaySeconds", sfn_diag_loc(location, "MaxDelaySeconds"),
			  1, 31622400, &r->max_delay_seconds);
	if (sfn_c_string(c, obj, "JitterStrategy", sfn_diag_loc(location, "JitterStrategy"), &s))
	{
		if (strcmp(s, "FULL") != 0 && strcmp(s, "NONE") != 0)
			sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "JitterStrategy"),
						 "The value for the field \"JitterStrategy\" must be one of [FULL, NONE]");
		r->jitter_full = (strcmp(s, "FULL") == 0);
	}
	return r;
}

void
sfn_c_retry(SfnCompiler *c, SfnState *st, JsonbValue *obj, const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, "Retry");
	char	   *loc = sfn_diag_loc(location, "Retry");

	if (v == NULL)
		return;
	if (!sfn_jv_is_array(v))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"Retry\" must be an array of retriers");
		return;
	}
	for (int i = 0; i < v->val.array.nElems; i++)
		st->retriers = lappend(st->retriers,
							   sfn_c_retrier(c, &v->val.array.elems[i],
											 sfn_diag_loc_index(loc, i),
											 i == v->val.array.nElems - 1));
}

static SfnCatcher *
sfn_c_catcher(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
			  const char *location, int index, bool is_last)
{
	static const char *const fields[] = {
		"ErrorEquals", "Next", "ResultPath", "Comment", "Assign", "Output", NULL
	};
	SfnCatcher *k = palloc0(sizeof(SfnCatcher));
	JsonbValue *next;
	char	   *s;

	k->next = SFN_NO_STATE;
	if (!sfn_jv_is_object(obj))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "A catcher must be a JSON object");
		return k;
	}
	sfn_c_check_fields(c, obj, location, fields, NULL);
	sfn_c_string(c, obj, "Comment", sfn_diag_loc(location, "Comment"), &s);
	k->errors = sfn_c_error_equals(c, obj, location, "catcher", is_last);
	next = sfn_jv_object_cget(obj, "Next");
	if (next == NULL)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location, "These fields are required: [Next]");
	else
		k->next = sfn_names_resolve(c, pc, next, "Next", sfn_diag_loc(location, "Next"));
	if (st->query_language == SFN_QL_JSONATA)
	{
		sfn_c_language_fields(c, obj, location, SFN_QL_JSONATA, "ResultPath", NULL);
		sfn_c_output_fields(c, st, obj, location, psprintf("Catch[%d]/", index),
							SFN_JT_ERROR_OUTPUT, &k->out);
	}
	else
	{
		sfn_c_language_fields(c, obj, location, SFN_QL_JSONPATH, "Output", NULL);
		sfn_c_opt_path(c, obj, "ResultPath", location, true, &k->result_path);
		sfn_c_output_fields(c, st, obj, location, "", 0, &k->out);
	}
	return k;
}

void
sfn_c_catch(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st, JsonbValue *obj,
			const char *location)
{
	JsonbValue *v = sfn_jv_object_cget(obj, "Catch");
	char	   *loc = sfn_diag_loc(location, "Catch");

	if (v == NULL)
		return;
	if (!sfn_jv_is_array(v))
	{
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"Catch\" must be an array of catchers");
		return;
	}
	for (int i = 0; i < v->val.array.nElems; i++)
		st->catchers = lappend(st->catchers,
							   sfn_c_catcher(c, pc, st, &v->val.array.elems[i],
											 sfn_diag_loc_index(loc, i), i,
											 i == v->val.array.nElems - 1));
}

/*
 * QueryLanguage of a state or of the machine: JSONPath only for exactly
 * "JSONPath", JSONata for any other value (AWS resolves it so, and reports a
 * value outside the enum as well); dflt when absent.
 */
SfnQueryLanguage
sfn_c_query_language(SfnCompiler *c, JsonbValue *obj, const char *location,
					 SfnQueryLanguage dflt)
{
	JsonbValue *v = sfn_jv_object_cget(obj, "QueryLanguage");
	char	   *lang;

	if (v == NULL)
		return dflt;
	if (!sfn_c_string(c, obj, "QueryLanguage", location, &lang))
		return SFN_QL_JSONATA;
	if (strcmp(lang, "JSONPath") == 0)
		return SFN_QL_JSONPATH;
	if (strcmp(lang, "JSONata") != 0)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"QueryLanguage\" must be one of [JSONPath, JSONata]");
	return SFN_QL_JSONATA;
}

/*
 * Report the fields of obj (among the NULL-terminated names) that the
 * other query language has: AWS's message, at the state's location.
 */
void
sfn_c_language_fields(SfnCompiler *c, JsonbValue *obj, const char *location,
					  SfnQueryLanguage lang, const char *first,...)
{
	va_list		ap;
	const char *name = first;

	va_start(ap, first);
	for (; name != NULL; name = va_arg(ap, const char *))
	{
		if (sfn_jv_object_cget(obj, name) == NULL)
			continue;
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage",
					 lang == SFN_QL_JSONATA ? "JSONata" : "JSONPath", name,
					 lang == SFN_QL_JSONATA ? "JSONPath" : "JSONata");
	}
	va_end(ap);
}

/*
 * Assign (both languages) and Output (JSONata) of a state, a Choice rule or
 * a catcher.  prefix names the owner in runtime messages ("Choices[1]/").
 */
void
sfn_c_output_fields(SfnCompiler *c, const SfnState *st, JsonbValue *obj,
					const char *location, const char *prefix, int allow,
					SfnOutputFields *out)
{
	JsonbValue *assign = sfn_jv_object_cget(obj, "Assign");
	JsonbValue *output = sfn_jv_object_cget(obj, "Output");
	char	   *loc = sfn_diag_loc(location, "Assign");

	memset(out, 0, sizeof(SfnOutputFields));
	if (assign != NULL && !sfn_jv_is_object(assign))
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, loc,
					 "The value for the field \"Assign\" must be a JSON object");
	else if (assign != NULL)
	{
		for (int i = 0; i < assign->val.object.nPairs; i++)
		{
			const JsonbValue *k = &assign->val.object.pairs[i].key;
			int			len = k->val.string.len;

			/* JSONPath: "name.$" takes its value from a path */
			if (st->query_language == SFN_QL_JSONPATH && len >= 2 &&
				k->val.string.val[len - 2] == '.' && k->val.string.val[len - 1] == '$')
				len -= 2;
			if (!sfn_variable_name_valid(k->val.string.val, len))
				sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(loc, sfn_jv_cstr(k)),
							 "The variable name \"%.*s\" is not valid: it must start with a letter or an underscore followed by letters, digits or underscores",
							 len, k->val.string.val);
			else if (len == 6 && strncmp(k->val.string.val, "states", 6) == 0)
				sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, sfn_diag_loc(loc, sfn_jv_cstr(k)),
							 "The variable name \"states\" is reserved");
		}
		if (st->query_language == SFN_QL_JSONATA)
			out->assign = sfn_jsonata_template_compile(assign, psprintf("%sAssign", prefix),
													   loc, allow, c->diags);
		else
			out->assign_path = sfn_template_compile(assign, "Assign", loc, c->diags);
	}
	if (output != NULL && st->query_language == SFN_QL_JSONATA)
		out->output = sfn_jsonata_template_compile(output, psprintf("%sOutput", prefix),
												   sfn_diag_loc(location, "Output"), allow,
												   c->diags);
}
