/*-------------------------------------------------------------------------
 *
 * jsonata_template.c
 *	  JSON values holding "{% expression %}" strings: compile, evaluate.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "eval/jsonata_template.h"

typedef enum SfnJtKind
{
	SFN_JT_LITERAL,				/* no expression below: .literal as is */
	SFN_JT_EXPR,
	SFN_JT_OBJECT,
	SFN_JT_ARRAY
} SfnJtKind;

struct SfnJsonataTemplate
{
	SfnJtKind	kind;
	JsonbValue *literal;		/* LITERAL */
	SfnJsonata *expr;			/* EXPR */
	char	   *text;			/* EXPR: the expression, for messages */
	char	   *field;			/* EXPR: "Output/a/b[0]" */
	int			n;				/* OBJECT, ARRAY */
	JsonbValue *keys;			/* OBJECT: n string keys */
	SfnJsonataTemplate **children;
};

bool
sfn_jsonata_is_expression(const char *s, int len)
{
	return len >= 4 && s[0] == '{' && s[1] == '%' &&
		s[len - 2] == '%' && s[len - 1] == '}';
}

/* AWS's checks of what an expression of a state reads */
static void
check_refs(const SfnJsonata *expr, const char *location, int allow, List **diags,
		   bool *ok)
{
	SfnJsonataRefs refs;
	int			before = list_length(*diags);

	sfn_jsonata_refs(expr, &refs);
	if (refs.top_level_name)
		sfn_diag_add(diags, "UNSUPPORTED_JSONATA_EXPRESSION", location,
					 "Reference to '%s' at the top level is not supported.",
					 refs.top_level_name);
	if (refs.root)
		sfn_diag_add(diags, "UNSUPPORTED_JSONATA_EXPRESSION", location,
					 "Reference to '$$' is not supported.");
	if (refs.states_result && !(allow & SFN_JT_RESULT))
		sfn_diag_add(diags, "UNSUPPORTED_JSONATA_EXPRESSION", location,
					 "Reference to '$states.result' is not supported here: only the Output and Assign of a Task, Parallel or Map state have a result.");
	if (refs.states_error_output && !(allow & SFN_JT_ERROR_OUTPUT))
		sfn_diag_add(diags, "UNSUPPORTED_JSONATA_EXPRESSION", location,
					 "Reference to '$states.errorOutput' is not supported here: only the Output and Assign of a catcher have an error output.");
	if (list_length(*diags) > before)
		*ok = false;
}

static SfnJsonataTemplate *
compile_node(JsonbValue *v, const char *field, const char *location, int allow,
			 List **diags, bool *ok)
{
	SfnJsonataTemplate *t = palloc0(sizeof(SfnJsonataTemplate));
	bool		dynamic = false;

	check_stack_depth();
	if (v->type == jbvString &&
		sfn_jsonata_is_expression(v->val.string.val, v->val.string.len))
	{
		SfnError	err;

		t->kind = SFN_JT_EXPR;
		t->field = pstrdup(field);
		/* AWS names the expression without its braces, trimmed */
		t->text = pnstrdup(v->val.string.val + 2, v->val.string.len - 4);
		while (*t->text == ' ' || *t->text == '\t' || *t->text == '\n' || *t->text == '\r')
			t->text++;
		for (int e = strlen(t->text); e > 0 && strchr(" \t\r\n", t->text[e - 1]); e--)
			t->text[e - 1] = '\0';
		t->expr = sfn_jsonata_compile(t->text, strlen(t->text), &err);
		if (t->expr == NULL)
		{
			sfn_diag_add(diags, "INVALID_JSONATA_EXPRESSION", location,
						 "The JSONata expression '%s' specified for the field '%s' is not valid: %s",
						 t->text, field, err.cause ? err.cause : "syntax error");
			*ok = false;
		}
		else
			check_refs(t->expr, location, allow, diags, ok);
		return t;
	}
	if (v->type == jbvBinary || (v->type != jbvObject && v->type != jbvArray))
	{
		t->kind = SFN_JT_LITERAL;
		t->literal = v;
		return t;
	}
	if (v->type == jbvObject)
	{
		t->kind = SFN_JT_OBJECT;
		t->n = v->val.object.nPairs;
		t->keys = palloc(sizeof(JsonbValue) * Max(t->n, 1));
		t->children = palloc(sizeof(SfnJsonataTemplate *) * Max(t->n, 1));
		for (int i = 0; i < t->n; i++)
		{
			char	   *key = sfn_jv_cstr(&v->val.object.pairs[i].key);

			t->keys[i] = v->val.object.pairs[i].key;
			t->children[i] = compile_node(&v->val.object.pairs[i].value,
										  psprintf("%s/%s", field, key),
										  sfn_diag_loc(location, key), allow, diags, ok);
			dynamic |= t->children[i]->kind != SFN_JT_LITERAL;
		}
	}
	else
	{
		t->kind = SFN_JT_ARRAY;
		t->n = v->val.array.nElems;
		t->children = palloc(sizeof(SfnJsonataTemplate *) * Max(t->n, 1));
		for (int i = 0; i < t->n; i++)
		{
			t->children[i] = compile_node(&v->val.array.elems[i],
										  psprintf("%s[%d]", field, i),
										  sfn_diag_loc_index(location, i), allow, diags, ok);
			dynamic |= t->children[i]->kind != SFN_JT_LITERAL;
		}
	}
	if (!dynamic)
	{
		t->kind = SFN_JT_LITERAL;
		t->literal = v;
	}
	return t;
}

SfnJsonataTemplate *
sfn_jsonata_template_compile(JsonbValue *v, const char *field, const char *location,
							 int allow, List **diags)
{
	bool		ok = true;
	SfnJsonataTemplate *t;

	if (v == NULL)
		return NULL;
	t = compile_node(v, field, location, allow, diags, &ok);
	return ok ? t : NULL;
}

bool
sfn_jsonata_template_is_expression(const SfnJsonataTemplate *t)
{
	return t->kind == SFN_JT_EXPR;
}

JsonbValue *
sfn_jsonata_template_literal(const SfnJsonataTemplate *t)
{
	return t->kind == SFN_JT_LITERAL ? t->literal : NULL;
}

const char *
sfn_jsonata_template_text(const SfnJsonataTemplate *t)
{
	return t->text;
}

const char *
sfn_jsonata_template_field(const SfnJsonataTemplate *t)
{
	return t->field;
}

/* The field of the expression evaluated last (its failure's location). */
static const char *failed_field = NULL;

const char *
sfn_jsonata_template_failed_field(void)
{
	return failed_field;
}

bool
sfn_jsonata_template_eval(const SfnJsonataTemplate *t, const SfnJsonataEnv *env,
						  JsonbValue **out, SfnError *err)
{
	JsonbValue *v;

	check_stack_depth();
	switch (t->kind)
	{
		case SFN_JT_LITERAL:
			*out = t->literal;
			return true;
		case SFN_JT_EXPR:
			failed_field = t->field;
			if (!sfn_jsonata_eval(t->expr, NULL, env, &v, err))
			{
				/* name the expression and the field, as AWS does */
				if (strcmp(err->error, SFN_JSONATA_ERROR) == 0)
					err->cause = psprintf("An error occurred while evaluating the JSONata expression '%s' specified for the field '%s': %s",
										  t->text, t->field, err->cause ? err->cause : "");
				return false;
			}
			if (v == NULL)
				return sfn_fail(err, SFN_JSONATA_ERROR,
								"The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).",
								t->text, t->field);
			*out = v;
			return true;
		case SFN_JT_OBJECT:
			*out = sfn_jv_object();
			for (int i = 0; i < t->n; i++)
			{
				if (!sfn_jsonata_template_eval(t->children[i], env, &v, err))
					return false;
				sfn_jv_object_add(*out, t->keys[i].val.string.val,
								  t->keys[i].val.string.len, v);
			}
			sfn_jv_object_finish(*out);
			return true;
		case SFN_JT_ARRAY:
			*out = sfn_jv_array();
			for (int i = 0; i < t->n; i++)
			{
				if (!sfn_jsonata_template_eval(t->children[i], env, &v, err))
					return false;
				sfn_jv_array_append(*out, v);
			}
			return true;
	}
	return false;
}
