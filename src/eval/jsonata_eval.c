/*-------------------------------------------------------------------------
 *
 * jsonata_eval.c
 *	  JSONata evaluation: paths and tuple streams, operators, functions
 *	  and lambdas, and the public entry points.
 *
 * The semantics follow jsonata-js 2.0.6 (see docs/JSONATA.md).  Every
 * evaluation step is charged to the evaluation budget (eval/budget.h), and
 * recursion is bounded by a depth limit and the stack check, so hostile
 * expressions end with an error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "eval/budget.h"
#include "eval/jsonata_int.h"

#define JN_MAX_DEPTH 10000

struct SfnJsonata
{
	JnNode	   *ast;
};

JnCtx	   *jn_ctx = NULL;

/* ---- errors ---- */

static const struct
{
	const char *code;
	const char *msg;
}			jn_messages[] = {
	{"S0101", "String literal must be terminated by a matching quote"},
	{"S0102", "Number out of range: {{token}}"},
	{"S0103", "Unsupported escape sequence: \\{{token}}"},
	{"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
	{"S0105", "Quoted property name must be terminated with a backquote (`)"},
	{"S0106", "Comment has no closing tag"},
	{"S0201", "Syntax error: {{token}}"},
	{"S0202", "Expected {{value}}, got {{token}}"},
	{"S0203", "Expected {{value}} before end of expression"},
	{"S0204", "Unknown operator: {{token}}"},
	{"S0205", "Unexpected token: {{token}}"},
	{"S0207", "Unexpected end of expression"},
	{"S0208", "Parameter {{value}} of function definition must be a variable name (start with $)"},
	{"S0209", "A predicate cannot follow a grouping expression in a step"},
	{"S0210", "Each step can only have one grouping expression"},
	{"S0211", "The symbol {{token}} cannot be used as a unary operator"},
	{"S0212", "The left side of := must be a variable name (start with $)"},
	{"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
	{"S0214", "The right side of {{token}} must be a variable name (start with $)"},
	{"S0215", "A context variable binding must precede any predicates on a step"},
	{"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
	{"S0217", "The object representing the 'parent' cannot be derived from this expression"},
	{"S0301", "Empty regular expressions are not allowed"},
	{"S0302", "No terminating / in regular expression"},
	{"S0303", "Invalid regular expression: {{value}}"},
	{"S0402", "Choice groups containing parameterized types are not supported"},
	{"S0401", "Type parameters can only be applied to functions and arrays"},
	{"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
	{"T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}"},
	{"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
	{"D1001", "Number out of range: {{value}}"},
	{"D1002", "Cannot negate a non-numeric value: {{value}}"},
	{"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
	{"D1004", "Regular expression matches zero length string"},
	{"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
	{"T1006", "Attempted to invoke a non-function"},
	{"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
	{"T1008", "Attempted to partially apply a non-function"},
	{"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
	{"T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure"},
	{"T2001", "The left side of the {{token}} operator must evaluate to a number"},
	{"T2002", "The right side of the {{token}} operator must evaluate to a number"},
	{"T2003", "The left side of the range operator (..) must evaluate to an integer"},
	{"T2004", "The right side of the range operator (..) must evaluate to an integer"},
	{"T2006", "The right side of the function application operator ~> must be a function"},
	{"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
	{"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
	{"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"},
	{"T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values"},
	{"T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}"},
	{"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"},
	{"T2013", "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."},
	{"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}."},
	{"D3001", "Attempting to invoke string function on Infinity or NaN"},
	{"D3010", "Second argument of replace function cannot be an empty string"},
	{"D3011", "Fourth argument of replace function must evaluate to a positive number"},
	{"D3012", "Attempted to replace a matched string with a non-string value"},
	{"D3020", "Third argument of split function must evaluate to a positive number"},
	{"D3030", "Unable to cast value to a number: {{value}}"},
	{"D3040", "Third argument of match function must evaluate to a positive number"},
	{"D3050", "The second argument of reduce function must be a function with at least two arguments"},
	{"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
	{"D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}"},
	{"D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"},
	{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
	{"D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"},
	{"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
	{"D3120", "Syntax error in expression passed to function eval: {{value}}"},
	{"D3121", "Dynamic error evaluating the expression passed to function eval: {{value}}"},
	{"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"},
	{"D3131", "In a decimal digit pattern, all digits must be from the same decimal group"},
	{"D3132", "Unknown component specifier {{value}} in date/time picture string"},
	{"D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"},
	{"D3134", "The timezone integer format specifier cannot have more than four digits"},
	{"D3135", "No matching closing bracket ']' in date/time picture string"},
	{"D3136", "The date/time picture string is missing specifiers required to parse the timestamp"},
	{"D3137", "{{{message}}}"},
	{"D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."},
	{"D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
	{"D3140", "Malformed URL passed to ${{{token}}}(): {{value}}"},
	{"D3141", "{{{message}}}"},
	{"U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."},
	{"U2001", "The function {{{token}}} is not supported by AWS Step Functions"},
};

static void
append_json(StringInfo buf, JnVal *v)
{
	if (v == NULL)
		appendStringInfoString(buf, "undefined");
	else if (v->type == JN_NUM && !isfinite(v->u.n))
		appendStringInfoString(buf, "null");	/* as JSON.stringify prints it */
	else
		jn_stringify(buf, v, false, 0);
}

char *
jn_error_message(const JnError *e)
{
	const char *tmpl = NULL;
	StringInfoData buf;

	for (int i = 0; i < (int) lengthof(jn_messages); i++)
		if (strcmp(jn_messages[i].code, e->code) == 0)
			tmpl = jn_messages[i].msg;
	if (tmpl == NULL)
		return pstrdup(e->message ? e->message : "");
	initStringInfo(&buf);
	for (const char *p = tmpl; *p; p++)
	{
		if (strncmp(p, "{{{", 3) == 0)
		{
			const char *end = strstr(p, "}}}");

			if (strncmp(p + 3, "token", 5) == 0)
				appendStringInfoString(&buf, e->token ? e->token : "");
			else if (strncmp(p + 3, "message", 7) == 0)
				appendStringInfoString(&buf, e->message ? e->message : "");
			p = end + 2;
		}
		else if (strncmp(p, "{{", 2) == 0)
		{
			const char *end = strstr(p, "}}");

			if (strncmp(p + 2, "token", 5) == 0)
			{
				if (e->token)
					append_json(&buf, jn_cstr(e->token));
				else
					appendStringInfoString(&buf, "undefined");
			}
			else if (strncmp(p + 2, "value2", 6) == 0)
				append_json(&buf, e->value2);
			else if (strncmp(p + 2, "value", 5) == 0)
				append_json(&buf, e->value);
			else if (strncmp(p + 2, "index", 5) == 0)
				appendStringInfo(&buf, "%d", e->index);
			else if (strncmp(p + 2, "type", 4) == 0)
				appendStringInfo(&buf, "\"%s\"", e->type ? e->type : "");
			p = end + 1;
		}
		else
			appendStringInfoChar(&buf, *p);
	}
	return buf.data;
}

/* where the evaluator is: filled into errors raised without a position */
static int	cur_pos = -1;
static const char *cur_token = NULL;

void
jn_throw_err(JnError *e)
{
	if (jn_ctx == NULL)
		elog(ERROR, "JSONata error %s outside an evaluation", e->code);
	if (e->pos < 0)
		e->pos = cur_pos;
	if (e->token == NULL && cur_token != NULL && e->code[0] != 'S')
		e->token = pstrdup(cur_token);
	jn_ctx->error = e;
	siglongjmp(*jn_ctx->jump, 1);
}

void
jn_throw(const char *code, int pos, const char *token, JnVal *value)
{
	JnError    *e = palloc0(sizeof(JnError));

	e->code = code;
	e->pos = pos;
	e->token = token ? pstrdup(token) : NULL;
	e->value = value;
	jn_throw_err(e);
}

void
jn_charge(int64 steps)
{
	/* formatting an error message after the evaluation charges nothing */
	if (jn_ctx == NULL)
		return;
	if (!sfn_budget_charge(steps))
		jn_throw("BUDGET", -1, NULL, NULL);
}

void
jn_check_stack(void)
{
	if (jn_ctx != NULL && stack_is_too_deep())
		jn_throw("U1001", -1, NULL, NULL);
	check_stack_depth();
}

/* ---- random numbers: xorshift64*, seeded per evaluation ---- */

uint64
jn_random_u64(void)
{
	uint64		x = jn_ctx->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	jn_ctx->rng = x;
	return x * UINT64CONST(0x2545F4914F6CDD1D);
}

double
jn_random_double(void)
{
	return (jn_random_u64() >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- environments ---- */

JnEnv *
jn_env_new(JnEnv *parent)
{
	JnEnv	   *e = palloc(sizeof(JnEnv));

	e->parent = parent;
	e->binds = NULL;
	e->n = 0;
	e->cap = 0;
	return e;
}

void
jn_env_bind(JnEnv *env, const char *name, JnVal *v)
{
	for (int i = 0; i < env->n; i++)
		if (strcmp(env->binds[i].name, name) == 0)
		{
			env->binds[i].val = v;
			return;
		}
	if (env->n == env->cap)
	{
		env->cap = env->cap ? env->cap * 2 : 4;
		env->binds = env->binds ? repalloc(env->binds, sizeof(JnBind) * env->cap)
			: palloc(sizeof(JnBind) * env->cap);
	}
	env->binds[env->n].name = name;
	env->binds[env->n].val = v;
	env->n++;
}

JnVal *
jn_env_lookup(JnEnv *env, const char *name, bool *found)
{
	for (JnEnv *e = env; e != NULL; e = e->parent)
		for (int i = e->n - 1; i >= 0; i--)
			if (strcmp(e->binds[i].name, name) == 0)
			{
				if (found)
					*found = true;
				return e->binds[i].val;
			}
	{
		const JnBuiltin *b = jn_lookup_builtin(name);

		if (b)
		{
			if (found)
				*found = true;
			return b->value;
		}
	}
	if (found)
		*found = false;
	return NULL;
}

static JnEnv *
frame_from_tuple(JnEnv *env, JnVal *tuple)
{
	JnEnv	   *f = jn_env_new(env);

	/* an empty tuple stream is grouped as one undefined item */
	if (tuple == NULL || tuple->type != JN_OBJ)
		return f;
	for (int i = 0; i < tuple->u.o.n; i++)
		jn_env_bind(f, tuple->u.o.pairs[i].key, tuple->u.o.pairs[i].val);
	return f;
}

/* ---- helpers ---- */

static inline bool
is_arr(const JnVal *v)
{
	return v != NULL && v->type == JN_ARR;
}

static inline bool
is_func(const JnVal *v)
{
	return v != NULL && v->type == JN_FUNC;
}

static JnVal *
seq_of(JnVal *v)
{
	JnVal	   *s = jn_seq();

	jn_push(s, v);
	return s;
}

static JnVal *
tuple_at(JnVal *tuple)
{
	if (tuple == NULL || tuple->type != JN_OBJ)
		return NULL;
	return jn_get(tuple, "@", 1);
}

static bool
is_numeric(JnVal *v)
{
	if (v == NULL || v->type != JN_NUM)
		return false;
	if (isnan(v->u.n))
		return false;
	if (!isfinite(v->u.n))
		jn_throw("D1001", -1, NULL, v);
	return true;
}

/* ---- the evaluator ---- */

static JnVal *eval_path(JnNode *expr, JnVal *input, JnEnv *env);
static JnVal *eval_group(JnNode *group, JnVal *input, JnEnv *env);
static JnVal *eval_sort(JnNode *expr, JnVal *input, JnEnv *env);
static JnVal *eval_function(JnNode *expr, JnVal *input, JnEnv *env, JnVal *applyto, bool has_applyto);

static JnVal *
eval_filter(JnNode *pred, JnVal *input, JnEnv *env)
{
	JnVal	   *results = jn_seq();
	bool		tuples = is_arr(input) && (input->flags & JNF_TUPLES);

	if (tuples)
		results->flags |= JNF_TUPLES;
	if (!is_arr(input))
		input = seq_of(input);
	if (pred->type == NT_NUMBER)
	{
		double		idx = floor(pred->num);
		JnVal	   *item;

		if (idx < 0)
			idx = input->u.a.n + idx;
		if (idx >= 0 && idx < input->u.a.n)
		{
			item = input->u.a.items[(int) idx];
			if (item != NULL)
			{
				if (is_arr(item))
					results = item;
				else
					jn_push(results, item);
			}
		}
		return results;
	}
	for (int index = 0; index < input->u.a.n; index++)
	{
		JnVal	   *item = input->u.a.items[index];
		JnVal	   *context = item;
		JnEnv	   *e = env;
		JnVal	   *res;

		if (tuples)
		{
			context = tuple_at(item);
			e = frame_from_tuple(env, item);
		}
		res = jn_eval(pred, context, e);
		if (is_numeric(res))
			res = seq_of(res);
		if (is_arr(res) && jn_is_array_of_numbers(res))
		{
			for (int j = 0; j < res->u.a.n; j++)
			{
				double		ii = floor(res->u.a.items[j]->u.n);

				if (ii < 0)
					ii = input->u.a.n + ii;
				if (ii == index)
					jn_push(results, item);
			}
		}
		else if (jn_boolean(res))
			jn_push(results, item);
	}
	return results;
}

static JnVal *
eval_stages(JnNodeList *stages, JnVal *input, JnEnv *env)
{
	JnVal	   *result = input;

	for (int s = 0; s < stages->n; s++)
	{
		JnNode	   *stage = stages->items[s];

		if (stage->type == NT_FILTER)
			result = eval_filter(stage->expr, result, env);
		else if (is_arr(result))
		{
			for (int e = 0; e < result->u.a.n; e++)
				jn_put(result->u.a.items[e], stage->str, strlen(stage->str),
					   jn_num(e));
		}
	}
	return result;
}

static JnVal *
eval_step(JnNode *step, JnVal *input, JnEnv *env, bool last)
{
	JnVal	   *result;
	JnVal	   *seq;

	if (step->type == NT_SORT)
	{
		result = eval_sort(step, input, env);
		if (step->stages.n > 0)
			result = eval_stages(&step->stages, result, env);
		return result;
	}
	result = jn_seq();
	for (int i = 0; i < input->u.a.n; i++)
	{
		JnVal	   *res = jn_eval(step, input->u.a.items[i], env);

		for (int s = 0; s < step->stages.n; s++)
			if (step->stages.items[s]->type == NT_FILTER)
				res = eval_filter(step->stages.items[s]->expr, res, env);
		if (res != NULL)
			jn_push(result, res);
	}
	if (last && result->u.a.n == 1 && is_arr(result->u.a.items[0]) &&
		!(result->u.a.items[0]->flags & JNF_SEQ))
		return result->u.a.items[0];
	seq = jn_seq();
	for (int i = 0; i < result->u.a.n; i++)
	{
		JnVal	   *res = result->u.a.items[i];

		if (!is_arr(res) || (res->flags & JNF_CONS))
			jn_push(seq, res);
		else
			for (int j = 0; j < res->u.a.n; j++)
				jn_push(seq, res->u.a.items[j]);
	}
	return seq;
}

static JnVal *
new_tuple(JnVal *at)
{
	JnVal	   *t = jn_obj(4);

	jn_put(t, "@", 1, at);
	return t;
}

static JnVal *
eval_tuple_step(JnNode *step, JnVal *input, JnVal *tuples, JnEnv *env)
{
	JnVal	   *result;

	if (step->type == NT_SORT)
	{
		if (tuples)
			result = eval_sort(step, tuples, env);
		else
		{
			JnVal	   *sorted = eval_sort(step, input, env);

			result = jn_seq();
			result->flags |= JNF_TUPLES;
			for (int i = 0; sorted && i < sorted->u.a.n; i++)
			{
				JnVal	   *t = new_tuple(sorted->u.a.items[i]);

				if (step->index)
					jn_put(t, step->index, strlen(step->index), jn_num(i));
				jn_push(result, t);
			}
		}
		if (step->stages.n > 0)
			result = eval_stages(&step->stages, result, env);
		return result;
	}
	result = jn_seq();
	result->flags |= JNF_TUPLES;
	if (tuples == NULL)
	{
		tuples = jn_seq();
		for (int i = 0; i < input->u.a.n; i++)
			jn_push(tuples, new_tuple(input->u.a.items[i]));
	}
	for (int e = 0; e < tuples->u.a.n; e++)
	{
		JnVal	   *tuple = tuples->u.a.items[e];
		JnEnv	   *stepenv = frame_from_tuple(env, tuple);
		JnVal	   *res = jn_eval(step, tuple_at(tuple), stepenv);

		if (res == NULL)
			continue;
		if (!is_arr(res))
			res = seq_of(res);
		for (int b = 0; b < res->u.a.n; b++)
		{
			JnVal	   *t = jn_shallow_obj(tuple);

			if (res->flags & JNF_TUPLES)
			{
				JnVal	   *rt = res->u.a.items[b];

				for (int k = 0; k < rt->u.o.n; k++)
					jn_put(t, rt->u.o.pairs[k].key, rt->u.o.pairs[k].klen, rt->u.o.pairs[k].val);
			}
			else
			{
				if (step->focus)
				{
					jn_put(t, step->focus, strlen(step->focus), res->u.a.items[b]);
					jn_put(t, "@", 1, tuple_at(tuple));
				}
				else
					jn_put(t, "@", 1, res->u.a.items[b]);
				if (step->index)
					jn_put(t, step->index, strlen(step->index), jn_num(b));
				if (step->ancestor)
					jn_put(t, step->ancestor->label, strlen(step->ancestor->label),
						   tuple_at(tuple));
			}
			jn_push(result, t);
		}
	}
	if (step->stages.n > 0)
		result = eval_stages(&step->stages, result, env);
	return result;
}

static JnVal *
eval_path(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnVal	   *inputseq;
	JnVal	   *resultseq = NULL;
	JnVal	   *tuples = NULL;
	bool		is_tuple = false;
	int			nsteps = expr->items.n;

	if (is_arr(input) && expr->items.items[0]->type != NT_VARIABLE)
		inputseq = input;
	else
		inputseq = seq_of(input);

	for (int i = 0; i < nsteps; i++)
	{
		JnNode	   *step = expr->items.items[i];

		if (step->tuple)
			is_tuple = true;
		if (i == 0 && step->consarray)
			resultseq = jn_eval(step, inputseq, env);
		else if (is_tuple)
			tuples = eval_tuple_step(step, inputseq, tuples, env);
		else
			resultseq = eval_step(step, inputseq, env, i == nsteps - 1);
		if (!is_tuple && (resultseq == NULL || (is_arr(resultseq) && resultseq->u.a.n == 0)))
			break;
		if (step->focus == NULL)
		{
			inputseq = resultseq;
			if (!is_arr(inputseq))
				inputseq = seq_of(inputseq);
		}
	}
	if (is_tuple)
	{
		if (expr->tuple)
			resultseq = tuples;
		else
		{
			resultseq = jn_seq();
			for (int i = 0; tuples && i < tuples->u.a.n; i++)
				jn_push(resultseq, tuple_at(tuples->u.a.items[i]));
		}
	}
	if (expr->keep_singleton && resultseq != NULL)
	{
		if (is_arr(resultseq) && (resultseq->flags & JNF_CONS) && !(resultseq->flags & JNF_SEQ))
			resultseq = seq_of(resultseq);
		if (is_arr(resultseq))
			resultseq->flags |= JNF_KEEP;
	}
	if (expr->group)
		resultseq = eval_group(expr->group, is_tuple ? tuples : resultseq, env);
	return resultseq;
}

/* ---- operators ---- */

static JnVal *
eval_numeric(JnOp op, JnVal *lhs, JnVal *rhs)
{
	double		l,
				r,
				res = 0;

	if (lhs != NULL && !is_numeric(lhs))
		jn_throw("T2001", -1, NULL, lhs);
	if (rhs != NULL && !is_numeric(rhs))
		jn_throw("T2002", -1, NULL, rhs);
	if (lhs == NULL || rhs == NULL)
		return NULL;
	l = lhs->u.n;
	r = rhs->u.n;
	switch (op)
	{
		case OP_ADD:
			res = l + r;
			break;
		case OP_SUB:
			res = l - r;
			break;
		case OP_MUL:
			res = l * r;
			break;
		case OP_DIV:
			res = l / r;
			break;
		case OP_MOD:
			res = fmod(l, r);
			break;
		default:
			break;
	}
	return jn_num(res);
}

static int
str_cmp(const JnVal *a, const JnVal *b)
{
	int			c = memcmp(a->u.s.p, b->u.s.p, Min(a->u.s.len, b->u.s.len));

	if (c != 0)
		return c;
	return a->u.s.len - b->u.s.len;
}

static JnVal *
eval_comparison(JnOp op, JnVal *lhs, JnVal *rhs)
{
	bool		lc = lhs == NULL || lhs->type == JN_STR || lhs->type == JN_NUM;
	bool		rc = rhs == NULL || rhs->type == JN_STR || rhs->type == JN_NUM;
	int			c;

	if (!lc || !rc)
		jn_throw("T2010", -1, NULL, !lc ? lhs : rhs);
	if (lhs == NULL || rhs == NULL)
		return NULL;
	if (lhs->type != rhs->type)
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "T2009";
		e->pos = -1;
		e->value = lhs;
		e->value2 = rhs;
		jn_throw_err(e);
	}
	if (lhs->type == JN_NUM)
		c = lhs->u.n < rhs->u.n ? -1 : (lhs->u.n > rhs->u.n ? 1 : 0);
	else
		c = str_cmp(lhs, rhs);
	switch (op)
	{
		case OP_LT:
			return JN_BOOLV(c < 0);
		case OP_LE:
			return JN_BOOLV(c <= 0);
		case OP_GT:
			return JN_BOOLV(c > 0);
		default:
			return JN_BOOLV(c >= 0);
	}
}

/* JavaScript's ===: by value for scalars, by identity for containers */
static bool
strict_equal(JnVal *a, JnVal *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL || a->type != b->type)
		return false;
	switch (a->type)
	{
		case JN_NULL:
			return true;
		case JN_BOOL:
			return a->u.b == b->u.b;
		case JN_NUM:
			return a->u.n == b->u.n;
		case JN_STR:
			return a->u.s.len == b->u.s.len && memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
		default:
			return false;
	}
}

static JnVal *
eval_range(JnVal *lhs, JnVal *rhs)
{
	JnVal	   *r;
	double		size;
	int64		lo;

	if (lhs != NULL && !(lhs->type == JN_NUM && jn_is_int(lhs->u.n)))
		jn_throw("T2003", -1, NULL, lhs);
	if (rhs != NULL && !(rhs->type == JN_NUM && jn_is_int(rhs->u.n)))
		jn_throw("T2004", -1, NULL, rhs);
	if (lhs == NULL || rhs == NULL || lhs->u.n > rhs->u.n)
		return NULL;
	size = rhs->u.n - lhs->u.n + 1;
	if (size > 1e7)
		jn_throw("D2014", -1, NULL, jn_num(size));
	jn_charge((int64) size);
	if (!sfn_budget_reserve((Size) size * (sizeof(JnVal) + sizeof(JnVal *))))
		jn_charge(PG_INT64_MAX);
	r = jn_arr((int) size);
	r->flags = JNF_SEQ;
	lo = (int64) lhs->u.n;
	for (int64 i = 0; i < (int64) size; i++)
		r->u.a.items[i] = jn_num((double) (lo + i));
	r->u.a.n = (int) size;
	return r;
}

static JnVal *
eval_binary(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnVal	   *lhs = jn_eval(expr->lhs, input, env);
	JnVal	   *rhs;
	JnVal	   *result = NULL;
	int			save_pos = cur_pos;
	const char *save_tok = cur_token;

	if (expr->op == OP_AND || expr->op == OP_OR)
	{
		bool		l = jn_boolean(lhs);

		if (expr->op == OP_AND)
			return JN_BOOLV(l && jn_boolean(jn_eval(expr->rhs, input, env)));
		return JN_BOOLV(l || jn_boolean(jn_eval(expr->rhs, input, env)));
	}
	rhs = jn_eval(expr->rhs, input, env);
	cur_pos = expr->pos;
	cur_token = expr->str;
	switch (expr->op)
	{
		case OP_ADD:
		case OP_SUB:
		case OP_MUL:
		case OP_DIV:
		case OP_MOD:
			result = eval_numeric(expr->op, lhs, rhs);
			break;
		case OP_EQ:
		case OP_NE:
			if (lhs == NULL || rhs == NULL)
				result = JN_BOOLV(false);
			else
			{
				bool		eq = jn_deep_equal(lhs, rhs);

				result = JN_BOOLV(expr->op == OP_EQ ? eq : !eq);
			}
			break;
		case OP_LT:
		case OP_LE:
		case OP_GT:
		case OP_GE:
			result = eval_comparison(expr->op, lhs, rhs);
			break;
		case OP_CONCAT:
			{
				JnVal	   *ls = lhs ? jn_string_of(lhs, false) : NULL;
				JnVal	   *rs = rhs ? jn_string_of(rhs, false) : NULL;
				int			ll = ls ? ls->u.s.len : 0;
				int			rl = rs ? rs->u.s.len : 0;

				if (!sfn_budget_reserve((Size) ll + rl + 1) ||
					(Size) ll + rl + 1 > MaxAllocSize)
					jn_charge(PG_INT64_MAX);	/* the memory budget's error */
				result = jn_str("", 0);
				result->u.s.p = palloc(ll + rl + 1);
				if (ll)
					memcpy(result->u.s.p, ls->u.s.p, ll);
				if (rl)
					memcpy(result->u.s.p + ll, rs->u.s.p, rl);
				result->u.s.p[ll + rl] = '\0';
				result->u.s.len = ll + rl;
				break;
			}
		case OP_RANGE:
			result = eval_range(lhs, rhs);
			break;
		case OP_IN:
			result = JN_BOOLV(false);
			if (lhs != NULL && rhs != NULL)
			{
				if (!is_arr(rhs))
					result = JN_BOOLV(strict_equal(rhs, lhs));
				else
					for (int i = 0; i < rhs->u.a.n; i++)
						if (strict_equal(rhs->u.a.items[i], lhs))
						{
							result = JN_BOOLV(true);
							break;
						}
			}
			break;
		default:
			break;
	}
	cur_pos = save_pos;
	cur_token = save_tok;
	return result;
}

static void
flatten_into(JnVal *v, JnVal *out)
{
	jn_check_stack();
	if (is_arr(v))
		for (int i = 0; i < v->u.a.n; i++)
			flatten_into(v->u.a.items[i], out);
	else
		jn_push(out, v);
}

static JnVal *
eval_wildcard(JnVal *input)
{
	JnVal	   *results = jn_seq();

	if (is_arr(input) && (input->flags & JNF_OUTER) && input->u.a.n > 0)
		input = input->u.a.items[0];
	if (input != NULL && (input->type == JN_OBJ || input->type == JN_ARR))
	{
		/* an array is an object whose keys are its indexes */
		int			n = input->type == JN_OBJ ? input->u.o.n : input->u.a.n;

		for (int i = 0; i < n; i++)
		{
			JnVal	   *value = input->type == JN_OBJ ? input->u.o.pairs[i].val : input->u.a.items[i];

			jn_charge(1);
			if (is_arr(value))
			{
				JnVal	   *flat = jn_arr(value->u.a.n);

				flatten_into(value, flat);
				results = jn_append(results, flat);
			}
			else
				jn_push(results, value);
		}
	}
	return results;
}

static void
recurse_descendants(JnVal *input, JnVal *results)
{
	jn_check_stack();
	jn_charge(1);
	if (!is_arr(input))
		jn_push(results, input);
	if (is_arr(input))
	{
		for (int i = 0; i < input->u.a.n; i++)
			recurse_descendants(input->u.a.items[i], results);
	}
	else if (input != NULL && input->type == JN_OBJ)
	{
		for (int i = 0; i < input->u.o.n; i++)
			recurse_descendants(input->u.o.pairs[i].val, results);
	}
}

/* group entries: keys in first-seen order, found through a hash table */
typedef struct JnGroupEntry
{
	const char *key;
	int			klen;
	JnVal	   *data;
	int			expr_index;
} JnGroupEntry;

static uint32
hash_key(const char *s, int len)
{
	uint32		h = 2166136261u;

	for (int i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return h;
}

static JnVal *
reduce_tuple_stream(JnVal *ts)
{
	JnVal	   *result;

	if (ts == NULL || (!is_arr(ts) && ts->type != JN_OBJ))
		return jn_obj(1);
	if (!is_arr(ts))
		return jn_shallow_obj(ts);
	result = reduce_tuple_stream(ts->u.a.n > 0 ? ts->u.a.items[0] : NULL);
	for (int i = 1; i < ts->u.a.n; i++)
	{
		JnVal	   *t = ts->u.a.items[i];

		if (t == NULL || t->type != JN_OBJ)
			continue;

		for (int k = 0; k < t->u.o.n; k++)
		{
			JnPair	   *p = &t->u.o.pairs[k];

			jn_put(result, p->key, p->klen, jn_append(jn_get(result, p->key, p->klen), p->val));
		}
	}
	return result;
}

static JnVal *
eval_group(JnNode *group, JnVal *input, JnEnv *env)
{
	JnVal	   *result = jn_obj(8);
	bool		reduce = is_arr(input) && (input->flags & JNF_TUPLES);
	int			npairs = group->items.n / 2;
	JnGroupEntry *entries;
	int			nentries = 0,
				cap = 16;
	int		   *table;
	int			tsize = 64;

	if (!is_arr(input) || (input->u.a.n == 1 && !reduce))
	{
		/* one item (an object constructor in a step): no grouping needed */
		JnVal	   *item = is_arr(input) ? input->u.a.items[0] : input;
		JnVal	  **keys = palloc(sizeof(JnVal *) * (npairs + 1));

		for (int pi = 0; pi < npairs; pi++)
		{
			JnVal	   *key = jn_eval(group->items.items[pi * 2], item, env);

			keys[pi] = key;
			if (key == NULL)
				continue;
			if (key->type != JN_STR)
				jn_throw("T1003", group->pos, NULL, key);
			for (int k = 0; k < pi; k++)
				if (keys[k] && keys[k]->u.s.len == key->u.s.len &&
					memcmp(keys[k]->u.s.p, key->u.s.p, key->u.s.len) == 0)
					jn_throw("D1009", group->pos, NULL, key);
		}
		for (int pi = 0; pi < npairs; pi++)
		{
			JnVal	   *value;

			if (keys[pi] == NULL)
				continue;
			value = jn_eval(group->items.items[pi * 2 + 1], item, env);
			if (value != NULL)
				jn_put(result, keys[pi]->u.s.p, keys[pi]->u.s.len, value);
		}
		return result;
	}
	if (input->u.a.n == 0)
		jn_push(input = jn_seq(), NULL);
	entries = palloc(sizeof(JnGroupEntry) * cap);
	table = palloc(sizeof(int) * tsize);
	memset(table, -1, sizeof(int) * tsize);

	for (int it = 0; it < input->u.a.n; it++)
	{
		JnVal	   *item = input->u.a.items[it];
		JnEnv	   *e = reduce ? frame_from_tuple(env, item) : env;

		for (int pi = 0; pi < npairs; pi++)
		{
			JnVal	   *key = jn_eval(group->items.items[pi * 2], reduce ? tuple_at(item) : item, e);
			uint32		h;
			int			slot;

			if (key == NULL)
				continue;
			if (key->type != JN_STR)
				jn_throw("T1003", group->pos, NULL, key);
			h = hash_key(key->u.s.p, key->u.s.len);
			for (slot = h & (tsize - 1); table[slot] >= 0; slot = (slot + 1) & (tsize - 1))
			{
				JnGroupEntry *ge = &entries[table[slot]];

				if (ge->klen == key->u.s.len && memcmp(ge->key, key->u.s.p, ge->klen) == 0)
					break;
			}
			if (table[slot] >= 0)
			{
				JnGroupEntry *ge = &entries[table[slot]];

				if (ge->expr_index != pi)
					jn_throw("D1009", group->pos, NULL, key);
				ge->data = jn_append(ge->data, item);
				continue;
			}
			if (nentries == cap)
			{
				cap *= 2;
				entries = repalloc(entries, sizeof(JnGroupEntry) * cap);
			}
			entries[nentries].key = key->u.s.p;
			entries[nentries].klen = key->u.s.len;
			entries[nentries].data = item;
			entries[nentries].expr_index = pi;
			table[slot] = nentries++;
			if (nentries * 2 > tsize)
			{
				/* grow the table */
				int			nsize = tsize * 4;
				int		   *nt = palloc(sizeof(int) * nsize);

				memset(nt, -1, sizeof(int) * nsize);
				for (int k = 0; k < nentries; k++)
				{
					int			s2 = hash_key(entries[k].key, entries[k].klen) & (nsize - 1);

					while (nt[s2] >= 0)
						s2 = (s2 + 1) & (nsize - 1);
					nt[s2] = k;
				}
				table = nt;
				tsize = nsize;
			}
		}
	}
	for (int k = 0; k < nentries; k++)
	{
		JnGroupEntry *ge = &entries[k];
		JnVal	   *context = ge->data;
		JnEnv	   *e = env;
		JnVal	   *value;

		if (reduce)
		{
			JnVal	   *tuple = reduce_tuple_stream(ge->data);

			context = tuple_at(tuple);
			jn_del(tuple, "@", 1);
			e = frame_from_tuple(env, tuple);
		}
		value = jn_eval(group->items.items[ge->expr_index * 2 + 1], context, e);
		if (value != NULL)
			jn_put(result, ge->key, ge->klen, value);
	}
	return result;
}

/* ---- order-by ---- */

typedef struct JnSortCtx
{
	JnNode	   *expr;
	JnEnv	   *env;
	bool		tuples;
} JnSortCtx;

static bool
sort_term_after(JnSortCtx *sc, JnVal *a, JnVal *b)
{
	int			comp = 0;

	for (int t = 0; comp == 0 && t < sc->expr->items.n; t++)
	{
		JnNode	   *term = sc->expr->items.items[t];
		JnVal	   *aa,
				   *bb;

		if (sc->tuples)
		{
			aa = jn_eval(term, tuple_at(a), frame_from_tuple(sc->env, a));
			bb = jn_eval(term, tuple_at(b), frame_from_tuple(sc->env, b));
		}
		else
		{
			aa = jn_eval(term, a, sc->env);
			bb = jn_eval(term, b, sc->env);
		}
		if (aa == NULL)
		{
			comp = bb == NULL ? 0 : 1;
			continue;
		}
		if (bb == NULL)
		{
			comp = -1;
			continue;
		}
		if (!(aa->type == JN_STR || aa->type == JN_NUM) || !(bb->type == JN_STR || bb->type == JN_NUM))
			jn_throw("T2008", sc->expr->pos, NULL,
					 !(aa->type == JN_STR || aa->type == JN_NUM) ? aa : bb);
		if (aa->type != bb->type)
		{
			JnError    *e = palloc0(sizeof(JnError));

			e->code = "T2007";
			e->pos = sc->expr->pos;
			e->value = aa;
			e->value2 = bb;
			jn_throw_err(e);
		}
		if (aa->type == JN_NUM)
			comp = aa->u.n == bb->u.n ? 0 : (aa->u.n < bb->u.n ? -1 : 1);
		else
		{
			int			c = str_cmp(aa, bb);

			comp = c == 0 ? 0 : (c < 0 ? -1 : 1);
		}
		if (comp != 0 && sc->expr->descending[t])
			comp = -comp;
	}
	return comp == 1;
}

typedef bool (*JnAfterFn) (void *arg, JnVal *a, JnVal *b);


/* stable merge sort; after(a, b) true means b goes first */
static void
merge_sort(JnVal **items, JnVal **tmp, int n, JnAfterFn after, void *arg)
{
	int			mid,
				i,
				j,
				k;

	if (n <= 1)
		return;
	jn_check_stack();
	mid = n / 2;
	merge_sort(items, tmp, mid, after, arg);
	merge_sort(items + mid, tmp, n - mid, after, arg);
	i = 0;
	j = mid;
	k = 0;
	while (i < mid && j < n)
	{
		jn_charge(1);
		if (after(arg, items[i], items[j]))
			tmp[k++] = items[j++];
		else
			tmp[k++] = items[i++];
	}
	while (i < mid)
		tmp[k++] = items[i++];
	while (j < n)
		tmp[k++] = items[j++];
	memcpy(items, tmp, sizeof(JnVal *) * n);
}

JnVal *
jn_sort_values(JnVal *arr, JnAfterFn after, void *arg)
{
	JnVal	   *r;
	JnVal	  **tmp;

	if (arr->u.a.n <= 1)
		return arr;
	r = jn_copy_arr(arr);
	tmp = palloc(sizeof(JnVal *) * arr->u.a.n);
	merge_sort(r->u.a.items, tmp, r->u.a.n, after, arg);
	return r;
}

static bool
sort_after_cb(void *arg, JnVal *a, JnVal *b)
{
	return sort_term_after((JnSortCtx *) arg, a, b);
}

static JnVal *
eval_sort(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnSortCtx	sc;

	if (input == NULL)
		return NULL;
	if (!is_arr(input))
		return input;
	sc.expr = expr;
	sc.env = env;
	sc.tuples = (input->flags & JNF_TUPLES) != 0;
	return jn_sort_values(input, sort_after_cb, &sc);
}

/* ---- functions ---- */

static char
type_symbol(JnVal *v)
{
	if (v == NULL)
		return 'm';
	switch (v->type)
	{
		case JN_FUNC:
			return 'f';
		case JN_STR:
			return 's';
		case JN_NUM:
			return 'n';
		case JN_BOOL:
			return 'b';
		case JN_NULL:
			return 'l';
		case JN_ARR:
			return 'a';
		default:
			return 'o';
	}
}

/*
 * Match the supplied type symbols against the parameters as the regular
 * expression jsonata-js builds would: greedy, backtracking.  counts[i] is
 * the number of symbols parameter i took.  anchored: must consume all.
 */
static bool
sig_match(JnSig *sig, int pi, const char *sup, int si, int *counts, bool anchored, int *consumed)
{
	JnSigParam *p;
	int			maxn,
				minn;

	if (pi == sig->nparams)
	{
		if (anchored && sup[si] != '\0')
			return false;
		*consumed = si;
		return true;
	}
	p = &sig->params[pi];
	minn = (p->quant == '?' ) ? 0 : 1;
	maxn = 0;
	while (sup[si + maxn] && strchr(p->classes, sup[si + maxn]) &&
		   (p->quant == '+' || maxn < 1))
		maxn++;
	for (int n = maxn; n >= minn; n--)
	{
		counts[pi] = n;
		if (sig_match(sig, pi + 1, sup, si + n, counts, anchored, consumed))
			return true;
	}
	return false;
}

static const char *
array_type_name(char c)
{
	switch (c)
	{
		case 'a':
			return "arrays";
		case 'b':
			return "booleans";
		case 'f':
			return "functions";
		case 'n':
			return "numbers";
		case 'o':
			return "objects";
		case 's':
			return "strings";
	}
	return "";
}

static JnVal **
validate_args(JnSig *sig, JnVal **args, int nargs, JnVal *context, int *nout)
{
	char	   *sup = palloc(nargs + 1);
	int			counts[16];
	int			consumed;
	JnVal	  **out;
	int			n = 0,
				ai = 0;

	for (int i = 0; i < nargs; i++)
		sup[i] = type_symbol(args[i]);
	sup[nargs] = '\0';
	if (!sig_match(sig, 0, sup, 0, counts, true, &consumed))
	{
		JnError    *e = palloc0(sizeof(JnError));
		int			good = 0;
		JnSig		partial;

		for (int k = 1; k <= sig->nparams; k++)
		{
			partial = *sig;
			partial.nparams = k;
			if (!sig_match(&partial, 0, sup, 0, counts, false, &consumed))
				break;
			good = consumed;
		}
		e->code = "T0410";
		e->pos = -1;
		e->value = good < nargs ? args[good] : NULL;
		e->index = good + 1;
		jn_throw_err(e);
	}
	out = palloc(sizeof(JnVal *) * (sig->nparams + nargs + 1));
	for (int pi = 0; pi < sig->nparams; pi++)
	{
		JnSigParam *p = &sig->params[pi];

		if (counts[pi] == 0)
		{
			if (p->context)
			{
				char		ct = type_symbol(context);

				if (strchr(p->classes, ct) && ct != '\0')
					out[n++] = context;
				else
				{
					JnError    *e = palloc0(sizeof(JnError));

					e->code = "T0411";
					e->pos = -1;
					e->value = context;
					e->index = ai + 1;
					jn_throw_err(e);
				}
			}
			else
			{
				out[n++] = ai < nargs ? args[ai] : NULL;
				ai++;
			}
			continue;
		}
		for (int c = 0; c < counts[pi]; c++)
		{
			JnVal	   *arg = args[ai];
			char		single = sup[ai];

			if (p->type == 'a')
			{
				if (single == 'm')
					arg = NULL;
				else
				{
					bool		ok = true;

					if (p->subtype)
					{
						if (single != 'a' && !(counts[pi] == 1 && single == p->subtype && p->subsig[1] == '\0'))
							ok = false;
						else if (single == 'a' && arg->u.a.n > 0)
						{
							char		it = type_symbol(arg->u.a.items[0]);

							if (it != p->subtype)
								ok = false;
							else
								for (int k = 0; k < arg->u.a.n; k++)
									if (type_symbol(arg->u.a.items[k]) != it)
										ok = false;
						}
					}
					if (!ok)
					{
						JnError    *e = palloc0(sizeof(JnError));

						e->code = "T0412";
						e->pos = -1;
						e->value = arg;
						e->index = ai + 1;
						e->type = array_type_name(p->subtype);
						jn_throw_err(e);
					}
					if (single != 'a')
					{
						JnVal	   *w = jn_arr(1);

						jn_push(w, arg);
						arg = w;
					}
				}
			}
			out[n++] = arg;
			ai++;
		}
	}
	*nout = n;
	return out;
}

int
jn_func_arity(const JnFunc *f)
{
	int			n = 0;

	switch (f->kind)
	{
		case JFK_LAMBDA:
			return f->node->params.n;
		case JFK_BUILTIN:
			return f->builtin->arity;
		case JFK_PARTIAL:
			for (int i = 0; i < f->nargs; i++)
				if (f->hole[i])
					n++;
			return n;
		default:
			return 1;
	}
}

static JnVal *regex_match_object(JnFunc *f, JnVal *str);
static JnVal *apply_transform(JnFunc *f, JnVal *obj);

static JnVal *
apply_inner(JnVal *procv, JnVal **args, int nargs, JnVal *input, JnEnv *env)
{
	JnFunc	   *proc;
	JnSig	   *sig = NULL;

	if (!is_func(procv))
		jn_throw("T1006", -1, NULL, NULL);
	proc = procv->u.f;
	if (proc->kind == JFK_LAMBDA)
		sig = proc->node->sig;
	else if (proc->kind == JFK_BUILTIN)
		sig = proc->builtin->sig;
	if (sig)
		args = validate_args(sig, args, nargs, input, &nargs);

	switch (proc->kind)
	{
		case JFK_LAMBDA:
			{
				JnEnv	   *e = jn_env_new(proc->env);
				JnNode	   *node = proc->node;

				for (int i = 0; i < node->params.n; i++)
					jn_env_bind(e, node->params.items[i]->str, i < nargs ? args[i] : NULL);
				return jn_eval(node->body, proc->input, e);
			}
		case JFK_BUILTIN:
			return proc->builtin->fn(args, nargs, input, env, cur_pos);
		case JFK_PARTIAL:
			{
				JnVal	  **full = palloc(sizeof(JnVal *) * (proc->nargs + 1));
				int			k = 0;

				for (int i = 0; i < proc->nargs; i++)
					full[i] = proc->hole[i] ? (k < nargs ? args[k++] : NULL) : proc->args[i];
				return jn_apply(jn_funcval(proc->target), full, proc->nargs, input, env);
			}
		case JFK_REGEX:
			return regex_match_object(proc, nargs > 0 ? args[0] : NULL);
		case JFK_TRANSFORM:
			return apply_transform(proc, nargs > 0 ? args[0] : NULL);
		case JFK_CHAIN:
			{
				JnVal	   *mid = jn_apply(jn_funcval(proc->target), args, Min(nargs, 1), input, env);

				return jn_apply(jn_funcval(proc->second), &mid, 1, input, env);
			}
	}
	return NULL;
}

JnVal *
jn_apply(JnVal *proc, JnVal **args, int nargs, JnVal *input, JnEnv *env)
{
	JnVal	   *result = apply_inner(proc, args, nargs, input, env);

	/* tail calls: a thunk is evaluated here instead of recursing */
	while (is_func(result) && result->u.f->kind == JFK_LAMBDA && result->u.f->node->thunk)
	{
		JnFunc	   *th = result->u.f;
		JnNode	   *call = th->node->body;
		JnVal	   *next;
		JnVal	  **targs;

		jn_charge(1);
		next = jn_eval(call->procedure, th->input, th->env);
		targs = palloc(sizeof(JnVal *) * (call->items.n + 1));
		for (int i = 0; i < call->items.n; i++)
			targs[i] = jn_eval(call->items.items[i], th->input, th->env);
		cur_pos = call->pos;
		if (call->procedure->type == NT_PATH)
			cur_token = call->procedure->items.items[0]->str;
		else
			cur_token = call->procedure->str;
		result = apply_inner(next, targs, call->items.n, input, env);
	}
	return result;
}

/* call fn with (value, index, array) as its arity allows */
JnVal *
jn_apply_hof(JnVal *fn, JnVal *a1, JnVal *a2, JnVal *a3, JnEnv *env)
{
	JnVal	   *args[3] = {a1, a2, a3};
	int			n = 1;
	int			arity = jn_func_arity(fn->u.f);

	if (arity >= 2)
		n = 2;
	if (arity >= 3)
		n = 3;
	return jn_apply(fn, args, n, NULL, env);
}

static const char *
proc_name(JnNode *procedure)
{
	if (procedure->type == NT_PATH)
		return procedure->items.items[0]->str;
	return procedure->str;
}

static JnVal *
eval_function(JnNode *expr, JnVal *input, JnEnv *env, JnVal *applyto, bool has_applyto)
{
	JnVal	   *proc = jn_eval(expr->procedure, input, env);
	JnVal	  **args;
	int			nargs = 0;
	JnVal	   *result;
	int			save_pos = cur_pos;
	const char *save_tok = cur_token;

	if (proc == NULL && expr->procedure->type == NT_PATH)
	{
		bool		found = false;
		JnVal	   *v = jn_env_lookup(env, expr->procedure->items.items[0]->str, &found);

		if (found && v != NULL)
			jn_throw("T1005", expr->pos, expr->procedure->items.items[0]->str, NULL);
	}
	args = palloc(sizeof(JnVal *) * (expr->items.n + 2));
	if (has_applyto)
		args[nargs++] = applyto;
	for (int i = 0; i < expr->items.n; i++)
		args[nargs++] = jn_eval(expr->items.items[i], input, env);
	cur_pos = expr->pos;
	cur_token = proc_name(expr->procedure);
	result = jn_apply(proc, args, nargs, input, env);
	cur_pos = save_pos;
	cur_token = save_tok;
	return result;
}

static JnVal *
eval_partial(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnFunc	   *f = palloc0(sizeof(JnFunc));
	JnVal	   *proc;

	f->kind = JFK_PARTIAL;
	f->nargs = expr->items.n;
	f->args = palloc0(sizeof(JnVal *) * (f->nargs + 1));
	f->hole = palloc0(sizeof(bool) * (f->nargs + 1));
	for (int i = 0; i < expr->items.n; i++)
	{
		if (expr->items.items[i]->type == NT_PLACEHOLDER)
			f->hole[i] = true;
		else
			f->args[i] = jn_eval(expr->items.items[i], input, env);
	}
	proc = jn_eval(expr->procedure, input, env);
	if (proc == NULL && expr->procedure->type == NT_PATH)
	{
		bool		found = false;
		JnVal	   *v = jn_env_lookup(env, expr->procedure->items.items[0]->str, &found);

		if (found && v != NULL)
			jn_throw("T1007", expr->pos, expr->procedure->items.items[0]->str, NULL);
	}
	if (!is_func(proc))
		jn_throw("T1008", expr->pos, proc_name(expr->procedure), NULL);
	f->target = proc->u.f;
	return jn_funcval(f);
}

static JnVal *
regex_match_object(JnFunc *f, JnVal *str)
{
	JnMatch		m;
	pg_wchar   *w;
	int			wlen;
	JnVal	   *r;
	JnVal	   *groups;

	if (str == NULL || str->type != JN_STR)
		return NULL;
	w = jn_to_wide(str->u.s.p, str->u.s.len, &wlen);
	if (!jn_regex_exec(f->node->regex, w, wlen, 0, &m))
		return NULL;
	r = jn_obj(4);
	{
		int			blen;
		char	   *s = jn_from_wide(w + m.start, m.end - m.start, &blen);

		jn_put(r, "match", 5, jn_str(s, blen));
	}
	jn_put(r, "start", 5, jn_num(m.start));
	jn_put(r, "end", 3, jn_num(m.end));
	groups = jn_arr(m.ngroups);
	for (int g = 0; g < m.ngroups; g++)
	{
		int			blen;
		char	   *s;

		if (m.gstart[g] < 0)
		{
			jn_push(groups, jn_str("", 0));
			continue;
		}
		s = jn_from_wide(w + m.gstart[g], m.gend[g] - m.gstart[g], &blen);
		jn_push(groups, jn_str(s, blen));
	}
	jn_put(r, "groups", 6, groups);
	return r;
}

static JnVal *
apply_transform(JnFunc *f, JnVal *obj)
{
	JnNode	   *expr = f->node;
	JnVal	   *clonef;
	JnVal	   *result;
	JnVal	   *matches;

	if (obj == NULL)
		return NULL;
	clonef = jn_env_lookup(f->env, "clone", NULL);
	if (!is_func(clonef))
		jn_throw("T2013", expr->pos, NULL, NULL);
	result = jn_apply(clonef, &obj, 1, NULL, f->env);
	matches = jn_eval(expr->expr, result, f->env);
	if (matches == NULL)
		return result;
	if (!is_arr(matches))
		matches = seq_of(matches);
	for (int i = 0; i < matches->u.a.n; i++)
	{
		JnVal	   *match = matches->u.a.items[i];
		JnVal	   *update = jn_eval(expr->then, match, f->env);

		if (update != NULL)
		{
			if (update->type != JN_OBJ)
				jn_throw("T2011", expr->then->pos, NULL, update);
			if (match != NULL && match->type == JN_OBJ)
				for (int k = 0; k < update->u.o.n; k++)
					jn_put(match, update->u.o.pairs[k].key, update->u.o.pairs[k].klen,
						   update->u.o.pairs[k].val);
		}
		if (expr->els)
		{
			JnVal	   *del = jn_eval(expr->els, match, f->env);

			if (del != NULL)
			{
				JnVal	   *val = del;

				if (!is_arr(del))
					del = seq_of(del);
				if (!jn_is_array_of_strings(del))
					jn_throw("T2012", expr->els->pos, NULL, val);
				if (match != NULL && match->type == JN_OBJ)
					for (int k = 0; k < del->u.a.n; k++)
						jn_del(match, del->u.a.items[k]->u.s.p, del->u.a.items[k]->u.s.len);
			}
		}
	}
	return result;
}

static JnVal *
eval_apply(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnVal	   *lhs = jn_eval(expr->lhs, input, env);
	JnVal	   *func;

	if (expr->rhs->type == NT_FUNCTION)
		return eval_function(expr->rhs, input, env, lhs, true);
	func = jn_eval(expr->rhs, input, env);
	if (!is_func(func))
		jn_throw("T2006", expr->pos, NULL, func);
	if (is_func(lhs))
	{
		JnFunc	   *c = palloc0(sizeof(JnFunc));

		c->kind = JFK_CHAIN;
		c->target = lhs->u.f;
		c->second = func->u.f;
		return jn_funcval(c);
	}
	return jn_apply(func, &lhs, 1, NULL, env);
}

JnVal *
jn_eval(JnNode *expr, JnVal *input, JnEnv *env)
{
	JnVal	   *result = NULL;

	if (stack_is_too_deep() || jn_ctx->depth >= jn_ctx->max_depth)
		jn_throw("U1001", expr->pos, NULL, NULL);
	jn_charge(1);
	jn_ctx->depth++;
	switch (expr->type)
	{
		case NT_PATH:
			result = eval_path(expr, input, env);
			break;
		case NT_BINARY:
			result = eval_binary(expr, input, env);
			break;
		case NT_NEG:
			result = jn_eval(expr->expr, input, env);
			if (result != NULL)
			{
				if (!is_numeric(result))
					jn_throw("D1002", expr->pos, "-", result);
				result = jn_num(-result->u.n);
			}
			break;
		case NT_ARRAY:
			{
				JnVal	   *arr = jn_arr(expr->items.n);

				for (int i = 0; i < expr->items.n; i++)
				{
					JnNode	   *item = expr->items.items[i];
					JnVal	   *v = jn_eval(item, input, env);

					if (v == NULL)
						continue;
					if (item->type == NT_ARRAY || !is_arr(v))
						jn_push(arr, v);
					else
						for (int j = 0; j < v->u.a.n; j++)
							jn_push(arr, v->u.a.items[j]);
				}
				if (expr->consarray)
					arr->flags |= JNF_CONS;
				result = arr;
				break;
			}
		case NT_OBJECT:
			result = eval_group(expr, input, env);
			break;
		case NT_NAME:
			result = jn_lookup(input, expr->str, expr->slen);
			break;
		case NT_STRING:
		case NT_NUMBER:
		case NT_VALUE:
			result = expr->lit;
			break;
		case NT_WILDCARD:
			result = eval_wildcard(input);
			break;
		case NT_DESCENDANT:
			if (input != NULL)
			{
				JnVal	   *seq = jn_seq();

				recurse_descendants(input, seq);
				result = seq->u.a.n == 1 ? seq->u.a.items[0] : seq;
			}
			break;
		case NT_PARENT:
			result = jn_env_lookup(env, expr->slot->label, NULL);
			break;
		case NT_CONDITION:
			if (jn_boolean(jn_eval(expr->expr, input, env)))
				result = jn_eval(expr->then, input, env);
			else if (expr->has_else)
				result = jn_eval(expr->els, input, env);
			break;
		case NT_BLOCK:
			{
				JnEnv	   *frame = jn_env_new(env);

				for (int i = 0; i < expr->items.n; i++)
					result = jn_eval(expr->items.items[i], input, frame);
				break;
			}
		case NT_BIND:
			result = jn_eval(expr->rhs, input, env);
			jn_env_bind(env, expr->lhs->str, result);
			break;
		case NT_REGEX:
			{
				JnFunc	   *f = palloc0(sizeof(JnFunc));

				f->kind = JFK_REGEX;
				f->node = expr;
				result = jn_funcval(f);
				break;
			}
		case NT_FUNCTION:
			result = eval_function(expr, input, env, NULL, false);
			break;
		case NT_VARIABLE:
			if (expr->slen == 0)
				result = (is_arr(input) && (input->flags & JNF_OUTER)) ? input->u.a.items[0] : input;
			else
				result = jn_env_lookup(env, expr->str, NULL);
			break;
		case NT_LAMBDA:
			{
				JnFunc	   *f = palloc0(sizeof(JnFunc));

				f->kind = JFK_LAMBDA;
				f->node = expr;
				f->env = env;
				f->input = input;
				result = jn_funcval(f);
				break;
			}
		case NT_PARTIAL:
			result = eval_partial(expr, input, env);
			break;
		case NT_APPLY:
			result = eval_apply(expr, input, env);
			break;
		case NT_TRANSFORM:
			{
				JnFunc	   *f = palloc0(sizeof(JnFunc));

				f->kind = JFK_TRANSFORM;
				f->node = expr;
				f->env = env;
				result = jn_funcval(f);
				break;
			}
		default:
			elog(ERROR, "unexpected JSONata node type %d", (int) expr->type);
	}
	for (int i = 0; i < expr->predicate.n; i++)
		result = eval_filter(expr->predicate.items[i]->expr, result, env);
	if (expr->type != NT_PATH && expr->group)
		result = eval_group(expr->group, result, env);
	if (is_arr(result) && (result->flags & JNF_SEQ) && !(result->flags & JNF_TUPLES))
	{
		if (expr->keep_array)
			result->flags |= JNF_KEEP;
		if (result->u.a.n == 0)
			result = NULL;
		else if (result->u.a.n == 1 && !(result->flags & JNF_KEEP))
			result = result->u.a.items[0];
	}
	jn_ctx->depth--;
	return result;
}

/* ---- entry points ---- */

static void
fill_error(SfnError *err, JnError *e)
{
	if (strcmp(e->code, "BUDGET") == 0)
	{
		sfn_budget_error(err);
		return;
	}
	err->error = SFN_JSONATA_ERROR;
	if (e->pos >= 0)
		err->cause = psprintf("%s at position %d: %s", e->code, e->pos, jn_error_message(e));
	else
		err->cause = psprintf("%s: %s", e->code, jn_error_message(e));
}

SfnJsonata *
sfn_jsonata_compile(const char *text, int len, SfnError *err)
{
	sigjmp_buf	jb;
	JnCtx		ctx;
	SfnJsonata *volatile result = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ctx.jump = &jb;
	ctx.max_depth = JN_MAX_DEPTH;
	jn_ctx = &ctx;
	cur_pos = -1;
	cur_token = NULL;
	if (sigsetjmp(jb, 0) != 0)
	{
		jn_ctx = NULL;
		fill_error(err, ctx.error);
		return NULL;
	}
	result = palloc(sizeof(SfnJsonata));
	result->ast = jn_parse(text, len);
	jn_ctx = NULL;
	return result;
}

JnNode *
jn_expression_ast(const SfnJsonata *expr)
{
	return expr->ast;
}

struct SfnJsonataValue
{
	JnVal	   *v;
};

SfnJsonataValue *
sfn_jsonata_value(JsonbValue *v)
{
	SfnJsonataValue *r = palloc(sizeof(SfnJsonataValue));

	/* outside an evaluation (one that an ERROR ended may have left it set) */
	jn_ctx = NULL;
	r->v = v ? jn_from_jsonb(v) : NULL;
	return r;
}

/* the evaluation proper, below the entry point's jump buffer */
static JsonbValue *
eval_top(const SfnJsonata *expr, JsonbValue *input, const SfnJsonataValue *pre,
		 const SfnJsonataEnv *senv)
{
	JnEnv	   *env;
	JnVal	   *in = NULL;
	JnVal	   *res;

	if (sfn_budget_exhausted())
		jn_charge(1);
	env = jn_env_new(NULL);
	jn_ctx->global = env;
	if (pre != NULL)
		in = pre->v;
	else if (input != NULL)
		in = jn_from_jsonb(input);
	for (int i = 0; senv && i < senv->nbindings; i++)
	{
		const SfnJsonataBinding *b = &senv->bindings[i];

		if (b->converted)
			jn_env_bind(env, b->name, b->converted->v);
		else
			jn_env_bind(env, b->name, b->value ? jn_from_jsonb(b->value) : NULL);
	}
	jn_env_bind(env, "$", in);
	if (is_arr(in))
	{
		in = seq_of(in);
		in->flags |= JNF_OUTER;
	}
	res = jn_eval(expr->ast, in, env);
	if (res != NULL && is_arr(res) && (res->flags & JNF_SEQ) && res->u.a.n == 0)
		res = NULL;
	return res ? jn_to_jsonb(res) : NULL;
}

static bool
eval_entry(const SfnJsonata *expr, JsonbValue *input, const SfnJsonataValue *pre,
		   const SfnJsonataEnv *senv, JsonbValue **result, SfnError *err)
{
	sigjmp_buf	jb;
	JnCtx		ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.jump = &jb;
	ctx.max_depth = JN_MAX_DEPTH;
	ctx.rng = senv && senv->seed ? senv->seed : UINT64CONST(0x9E3779B97F4A7C15);
	ctx.now_ms = senv ? senv->now_ms : 0;
	if (senv && senv->max_depth > 0)
		ctx.max_depth = Min(senv->max_depth, JN_MAX_DEPTH);
	jn_ctx = &ctx;
	cur_pos = -1;
	cur_token = NULL;
	if (sigsetjmp(jb, 0) != 0)
	{
		jn_ctx = NULL;
		fill_error(err, ctx.error);
		return false;
	}
	*result = eval_top(expr, input, pre, senv);
	jn_ctx = NULL;
	return true;
}

bool
sfn_jsonata_eval(const SfnJsonata *expr, JsonbValue *input, const SfnJsonataEnv *senv,
				 JsonbValue **result, SfnError *err)
{
	return eval_entry(expr, input, NULL, senv, result, err);
}

bool
sfn_jsonata_eval_value(const SfnJsonata *expr, const SfnJsonataValue *input,
					   const SfnJsonataEnv *senv, JsonbValue **result, SfnError *err)
{
	return eval_entry(expr, NULL, input, senv, result, err);
}
