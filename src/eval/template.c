/*-------------------------------------------------------------------------
 *
 * template.c
 *	  Payload templates (Parameters, ResultSelector, ItemSelector): compiled
 *	  once, evaluated per state visit.
 *
 * A template is compiled into a tree mirroring the JSON value.  Keys ending
 * in ".$" become path or intrinsic nodes; subtrees without any of them are
 * kept as one literal and copied whole at evaluation time.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "eval/budget.h"
#include "eval/intrinsics.h"
#include "eval/jsonpath.h"
#include "eval/template.h"

typedef enum SfnTemplateKind
{
	SFN_TMPL_LITERAL,			/* copied as is */
	SFN_TMPL_OBJECT,			/* children under keys */
	SFN_TMPL_ARRAY,				/* children in order */
	SFN_TMPL_PATH,				/* "key.$": "$.path" */
	SFN_TMPL_FN					/* "key.$": "States.Fn(...)" */
} SfnTemplateKind;

struct SfnTemplate
{
	SfnTemplateKind kind;
	JsonbValue *literal;		/* LITERAL */

	/* OBJECT and ARRAY */
	int			n;
	char	  **keys;			/* output keys (".$" dropped); OBJECT only */
	int		   *keylens;
	SfnTemplate **children;

	/* PATH and FN */
	char	   *field;			/* the key as written, with ".$" */
	SfnPath    *path;
	SfnIntrinsic *fn;
};

/*
 * The location of the value being compiled ("/States/S/Parameters/a/0")
 * is one buffer, extended on the way down and cut back on the way up: a
 * string per level would cost memory quadratic in the template's depth.
 */
static SfnTemplate *sfn_template_compile_value(JsonbValue *v, StringInfo location,
											   List **diags);

/* Append "/name" to the location; returns the length to restore. */
static int
sfn_template_loc_push(StringInfo location, const char *name, int index)
{
	int			len = location->len;

	if (name != NULL)
		appendStringInfo(location, "/%s", name);
	else
		appendStringInfo(location, "/%d", index);
	return len;
}

static void
sfn_template_loc_pop(StringInfo location, int len)
{
	location->len = len;
	location->data[len] = '\0';
}

static bool
sfn_template_is_dynamic_key(const char *key, int len)
{
	return len >= 2 && key[len - 2] == '.' && key[len - 1] == '$';
}

/* Does a plain string value look like it was meant to be a path or call? */
static bool
sfn_template_looks_dynamic(const JsonbValue *v)
{
	const char *s = v->val.string.val;
	int			len = v->val.string.len;

	if (len >= 1 && s[0] == '$' && (len == 1 || s[1] == '.' || s[1] == '[' || s[1] == '$'))
		return true;
	return sfn_intrinsic_looks_like_call(sfn_jv_cstr(v));
}

/* A "key.$" value: a path or an intrinsic call; NULL and reported if bad */
static SfnTemplate *
sfn_template_compile_dynamic(JsonbValue *v, const char *key, const char *location,
							 List **diags)
{
	SfnTemplate *t = palloc0(sizeof(SfnTemplate));
	char	   *errmsg = NULL;
	char	   *text;

	t->field = pstrdup(key);
	if (!sfn_jv_is_string(v))
	{
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call",
					 key);
		return NULL;
	}
	text = sfn_jv_cstr(v);
	if (sfn_intrinsic_looks_like_call(text))
	{
		t->kind = SFN_TMPL_FN;
		t->fn = sfn_intrinsic_parse(text, &errmsg);
		if (t->fn != NULL)
			return t;
	}
	else
	{
		t->kind = SFN_TMPL_PATH;
		t->path = sfn_path_parse(text, false, &errmsg);
		if (t->path != NULL)
			return t;
	}
	sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
				 "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call: %s",
				 key, errmsg ? errmsg : "syntax error");
	return NULL;
}

static bool
sfn_template_all_literal(SfnTemplate **children, int n)
{
	for (int i = 0; i < n; i++)
	{
		if (children[i] == NULL || children[i]->kind != SFN_TMPL_LITERAL)
			return false;
	}
	return true;
}

static SfnTemplate *
sfn_template_compile_object(JsonbValue *v, StringInfo location, List **diags)
{
	SfnTemplate *t = palloc0(sizeof(SfnTemplate));

	t->kind = SFN_TMPL_OBJECT;
	t->n = v->val.object.nPairs;
	t->keys = palloc0(sizeof(char *) * (t->n + 1));
	t->keylens = palloc0(sizeof(int) * (t->n + 1));
	t->children = palloc0(sizeof(SfnTemplate *) * (t->n + 1));

	for (int i = 0; i < t->n; i++)
	{
		JsonbPair  *pair = &v->val.object.pairs[i];
		char	   *key = sfn_jv_cstr(&pair->key);
		int			len = pair->key.val.string.len;
		int			saved = sfn_template_loc_push(location, key, 0);

		t->keys[i] = key;
		t->keylens[i] = len;
		if (sfn_template_is_dynamic_key(key, len))
		{
			t->keylens[i] = len - 2;
			t->children[i] = sfn_template_compile_dynamic(&pair->value, key,
														  location->data, diags);
		}
		else
		{
			if (sfn_jv_is_string(&pair->value) && sfn_template_looks_dynamic(&pair->value))
				sfn_diag_warn(diags, SFN_DIAG_NO_DOLLAR, location->data,
							  "The value for the field '%s' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'",
							  key);
			t->children[i] = sfn_template_compile_value(&pair->value, location, diags);
		}
		sfn_template_loc_pop(location, saved);
	}
	return t;
}

static SfnTemplate *
sfn_template_compile_array(JsonbValue *v, StringInfo location, List **diags)
{
	SfnTemplate *t = palloc0(sizeof(SfnTemplate));

	t->kind = SFN_TMPL_ARRAY;
	t->n = v->val.array.nElems;
	t->children = palloc0(sizeof(SfnTemplate *) * (t->n + 1));
	for (int i = 0; i < t->n; i++)
	{
		int			saved = sfn_template_loc_push(location, NULL, i);

		t->children[i] = sfn_template_compile_value(&v->val.array.elems[i],
													location, diags);
		sfn_template_loc_pop(location, saved);
	}
	return t;
}

static SfnTemplate *
sfn_template_compile_value(JsonbValue *v, StringInfo location, List **diags)
{
	SfnTemplate *t = NULL;

	check_stack_depth();
	if (sfn_jv_is_object(v))
		t = sfn_template_compile_object(v, location, diags);
	else if (sfn_jv_is_array(v))
		t = sfn_template_compile_array(v, location, diags);

	/* a scalar, or a container with nothing to evaluate, is one literal */
	if (t == NULL || sfn_template_all_literal(t->children, t->n))
	{
		t = palloc0(sizeof(SfnTemplate));
		t->kind = SFN_TMPL_LITERAL;
		t->literal = v;
	}
	return t;
}

SfnTemplate *
sfn_template_compile(JsonbValue *tmpl, const char *field, const char *location,
					 List **diags)
{
	int			errors = sfn_diag_error_count(*diags);
	StringInfoData loc;
	SfnTemplate *t;

	initStringInfo(&loc);
	appendStringInfoString(&loc, location ? location : "");
	t = sfn_template_compile_value(tmpl, &loc, diags);
	pfree(loc.data);
	return sfn_diag_error_count(*diags) > errors ? NULL : t;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * ---------------------------------------------------------------------
 */

static bool
sfn_template_eval_path(const SfnTemplate *t, JsonbValue *input,
					   JsonbValue *context, JsonbValue **out, SfnError *err)
{
	JsonbValue *v;

	if (!sfn_path_query(t->path, input, context, &v, err))
		return false;

	/*
	 * AWS's recorded cause names the state's input even for a context path
	 * ($$...) that does not resolve.
	 */
	if (v == NULL)
		return sfn_fail(err, "States.Runtime",
						"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
						sfn_path_text(t->path), t->field, sfn_jv_to_text(input));
	/* many fields may select the same large value; count every copy */
	if (!sfn_budget_reserve_value(v))
		return sfn_budget_error(err);
	*out = sfn_jv_copy(v);
	return true;
}

bool
sfn_template_eval(const SfnTemplate *t, JsonbValue *input, JsonbValue *context,
				  JsonbValue **out, SfnError *err)
{
	JsonbValue *child;

	check_stack_depth();
	switch (t->kind)
	{
		case SFN_TMPL_LITERAL:
			if (!sfn_budget_reserve_value(t->literal))
				return sfn_budget_error(err);
			*out = sfn_jv_copy(t->literal);
			return true;
		case SFN_TMPL_PATH:
			return sfn_template_eval_path(t, input, context, out, err);
		case SFN_TMPL_FN:
			return sfn_intrinsic_eval(t->fn, input, context, out, err);
		case SFN_TMPL_OBJECT:
			*out = sfn_jv_object();
			for (int i = 0; i < t->n; i++)
			{
				if (!sfn_template_eval(t->children[i], input, context, &child, err))
					return false;
				sfn_jv_object_add(*out, t->keys[i], t->keylens[i], child);
			}
			/* "a" and "a.$" in one template: the later one wins */
			sfn_jv_object_finish(*out);
			return true;
		case SFN_TMPL_ARRAY:
			*out = sfn_jv_array();
			for (int i = 0; i < t->n; i++)
			{
				if (!sfn_template_eval(t->children[i], input, context, &child, err))
					return false;
				sfn_jv_array_append(*out, child);
			}
			return true;
	}
	return false;
}
