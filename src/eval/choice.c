/*-------------------------------------------------------------------------
 *
 * choice.c
 *	  Choice state rules: compiling and evaluating comparisons and And/Or/Not.
 *
 * A rule is either a comparison (Variable, one operator, its operand) or a
 * logical combination of nested rules.  Compilation checks everything AWS
 * checks when a definition is created, so evaluation only has to follow
 * AWS's runtime semantics: a type mismatch makes a comparison false, and a
 * path that matches nothing fails with States.Runtime (IsPresent aside).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "eval/budget.h"
#include "eval/choice.h"
#include "eval/jsonpath.h"

typedef enum SfnRuleKind
{
	SFN_RULE_AND,
	SFN_RULE_OR,
	SFN_RULE_NOT,
	SFN_RULE_COMPARE
} SfnRuleKind;

/* what a comparison operator compares */
typedef enum SfnCmpType
{
	SFN_CT_STRING,
	SFN_CT_NUMERIC,
	SFN_CT_BOOLEAN,
	SFN_CT_TIMESTAMP,
	SFN_CT_TEST					/* IsNull, IsPresent, ...: operand is a boolean */
} SfnCmpType;

typedef enum SfnCmpOp
{
	SFN_OP_EQ,
	SFN_OP_LT,
	SFN_OP_GT,
	SFN_OP_LE,
	SFN_OP_GE,
	SFN_OP_MATCHES,
	SFN_OP_IS_NULL,
	SFN_OP_IS_PRESENT,
	SFN_OP_IS_NUMERIC,
	SFN_OP_IS_STRING,
	SFN_OP_IS_BOOLEAN,
	SFN_OP_IS_TIMESTAMP
} SfnCmpOp;

typedef struct SfnChoiceOpDef
{
	const char *name;
	SfnCmpType	type;
	SfnCmpOp	op;
	bool		is_path;		/* operand is a reference path (…Path) */
} SfnChoiceOpDef;

#define SFN_CMP_OPS(prefix, type) \
	{prefix "Equals", type, SFN_OP_EQ, false}, \
	{prefix "EqualsPath", type, SFN_OP_EQ, true}, \
	{prefix "LessThan", type, SFN_OP_LT, false}, \
	{prefix "LessThanPath", type, SFN_OP_LT, true}, \
	{prefix "GreaterThan", type, SFN_OP_GT, false}, \
	{prefix "GreaterThanPath", type, SFN_OP_GT, true}, \
	{prefix "LessThanEquals", type, SFN_OP_LE, false}, \
	{prefix "LessThanEqualsPath", type, SFN_OP_LE, true}, \
	{prefix "GreaterThanEquals", type, SFN_OP_GE, false}, \
	{prefix "GreaterThanEqualsPath", type, SFN_OP_GE, true}

static const SfnChoiceOpDef sfn_choice_ops[] = {
	SFN_CMP_OPS("String", SFN_CT_STRING),
	{"StringMatches", SFN_CT_STRING, SFN_OP_MATCHES, false},
	SFN_CMP_OPS("Numeric", SFN_CT_NUMERIC),
	SFN_CMP_OPS("Timestamp", SFN_CT_TIMESTAMP),
	{"BooleanEquals", SFN_CT_BOOLEAN, SFN_OP_EQ, false},
	{"BooleanEqualsPath", SFN_CT_BOOLEAN, SFN_OP_EQ, true},
	{"IsNull", SFN_CT_TEST, SFN_OP_IS_NULL, false},
	{"IsPresent", SFN_CT_TEST, SFN_OP_IS_PRESENT, false},
	{"IsNumeric", SFN_CT_TEST, SFN_OP_IS_NUMERIC, false},
	{"IsString", SFN_CT_TEST, SFN_OP_IS_STRING, false},
	{"IsBoolean", SFN_CT_TEST, SFN_OP_IS_BOOLEAN, false},
	{"IsTimestamp", SFN_CT_TEST, SFN_OP_IS_TIMESTAMP, false},
};

/* a StringMatches pattern element: a byte, or the wildcard */
#define SFN_GLOB_STAR (-1)

struct SfnChoiceRule
{
	SfnRuleKind kind;

	/* And, Or, Not */
	int			n_operands;
	SfnChoiceRule **operands;

	/* comparison */
	SfnPath    *variable;
	const SfnChoiceOpDef *op;
	JsonbValue *operand;		/* literal operand */
	SfnPath    *operand_path;	/* …Path operand */
	TimestampTz ts;				/* Timestamp… literal, parsed */
	bool		flag;			/* Is… literal */
	int		   *glob;			/* StringMatches, compiled */
	int			glob_len;
};

static SfnChoiceRule *sfn_choice_compile_rec(JsonbValue *rule, bool top_level,
											 const char *location, int max_depth,
											 int limit, List **diags);

/* ---------------------------------------------------------------------
 * RFC 3339 timestamps
 * ---------------------------------------------------------------------
 */

/* Read exactly n digits at *p into *out; false if they are not digits. */
static bool
sfn_ts_digits(const char **p, const char *end, int n, int *out)
{
	int			v = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool
sfn_ts_expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* ".fraction" (any number of digits; beyond microseconds is truncated) */
static bool
sfn_ts_fraction(const char **p, const char *end, int64 *usec)
{
	int64		scale = 100000;
	int			ndigits = 0;

	*usec = 0;
	if (*p >= end || **p != '.')
		return true;
	(*p)++;
	while (*p < end && **p >= '0' && **p <= '9')
	{
		*usec += (**p - '0') * scale;
		scale /= 10;
		ndigits++;
		(*p)++;
	}
	return ndigits > 0;
}

/* "Z" or "+HH:MM" / "-HH:MM", as seconds east of UTC */
static bool
sfn_ts_zone(const char **p, const char *end, int *offset)
{
	int			sign,
				hh,
				mm;

	if (*p < end && **p == 'Z')
	{
		(*p)++;
		*offset = 0;
		return true;
	}
	if (*p >= end || (**p != '+' && **p != '-'))
		return false;
	sign = (**p == '-') ? -1 : 1;
	(*p)++;
	if (!sfn_ts_digits(p, end, 2, &hh) || !sfn_ts_expect(p, end, ':') ||
		!sfn_ts_digits(p, end, 2, &mm) || hh > 23 || mm > 59)
		return false;
	*offset = sign * (hh * 3600 + mm * 60);
	return true;
}

bool
sfn_timestamp_parse(const char *s, int len, TimestampTz *out)
{
	const char *p = s;
	const char *end = s + len;
	int			y,
				mo,
				d,
				h,
				mi,
				sec,
				offset;
	int64		usec;
	int64		days;

	if (!sfn_ts_digits(&p, end, 4, &y) || !sfn_ts_expect(&p, end, '-') ||
		!sfn_ts_digits(&p, end, 2, &mo) || !sfn_ts_expect(&p, end, '-') ||
		!sfn_ts_digits(&p, end, 2, &d) || !sfn_ts_expect(&p, end, 'T') ||
		!sfn_ts_digits(&p, end, 2, &h) || !sfn_ts_expect(&p, end, ':') ||
		!sfn_ts_digits(&p, end, 2, &mi) || !sfn_ts_expect(&p, end, ':') ||
		!sfn_ts_digits(&p, end, 2, &sec) || !sfn_ts_fraction(&p, end, &usec) ||
		!sfn_ts_zone(&p, end, &offset) || p != end)
		return false;

	if (mo < 1 || mo > 12 || d < 1 || d > day_tab[isleap(y)][mo - 1] ||
		h > 23 || mi > 59 || sec > 59)
		return false;

	days = date2j(y, mo, d) - POSTGRES_EPOCH_JDATE;
	*out = ((days * 24 + h) * 60 + mi) * 60 + sec - offset;
	*out = *out * USECS_PER_SEC + usec;
	return true;
}

/* ---------------------------------------------------------------------
 * Compilation
 * ---------------------------------------------------------------------
 */

static const SfnChoiceOpDef *
sfn_choice_find_op(const char *name)
{
	for (int i = 0; i < (int) lengthof(sfn_choice_ops); i++)
	{
		if (strcmp(sfn_choice_ops[i].name, name) == 0)
			return &sfn_choice_ops[i];
	}
	return NULL;
}

/* A reference path field (Variable, …Path); NULL and reported if bad. */
static SfnPath *
sfn_choice_ref_path(JsonbValue *v, const char *field, const char *location,
					List **diags)
{
	char	   *errmsg = NULL;
	SfnPath    *path;

	if (!sfn_jv_is_string(v))
	{
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 "The value for the field \"%s\" must be a string containing a reference path",
					 field);
		return NULL;
	}
	path = sfn_path_parse(sfn_jv_cstr(v), true, &errmsg);
	if (path == NULL)
		sfn_diag_add(diags, SFN_DIAG_INVALID_PATH, location,
					 "The value for the field \"%s\" must be a valid reference path: %s",
					 field, errmsg ? errmsg : "syntax error");
	return path;
}

/* "\*" is a literal star, "\\" a literal backslash, "*" matches anything */
static void
sfn_choice_compile_glob(SfnChoiceRule *r, const char *pat, int len)
{
	int			n = 0;

	r->glob = palloc(sizeof(int) * (len + 1));
	for (int i = 0; i < len; i++)
	{
		if (pat[i] == '\\' && i + 1 < len)
			r->glob[n++] = (unsigned char) pat[++i];
		else if (pat[i] == '*')
			r->glob[n++] = SFN_GLOB_STAR;
		else
			r->glob[n++] = (unsigned char) pat[i];
	}
	r->glob_len = n;
}

/* Check the literal operand of a comparison against its operator's type. */
static void
sfn_choice_compile_literal(SfnChoiceRule *r, JsonbValue *v,
						   const char *location, List **diags)
{
	const char *name = r->op->name;

	r->operand = v;
	switch (r->op->type)
	{
		case SFN_CT_STRING:
			if (!sfn_jv_is_string(v))
				sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
							 "The value for the field \"%s\" must be a string", name);
			else if (r->op->op == SFN_OP_MATCHES)
				sfn_choice_compile_glob(r, v->val.string.val, v->val.string.len);
			break;
		case SFN_CT_NUMERIC:
			if (!sfn_jv_is_number(v))
				sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
							 "The value for the field \"%s\" must be a number", name);
			break;
		case SFN_CT_BOOLEAN:
		case SFN_CT_TEST:
			if (!sfn_jv_is_bool(v))
				sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
							 "The value for the field \"%s\" must be a boolean", name);
			else
				r->flag = v->val.boolean;
			break;
		case SFN_CT_TIMESTAMP:
			if (!sfn_jv_is_string(v) ||
				!sfn_timestamp_parse(v->val.string.val, v->val.string.len, &r->ts))
				sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
							 "The value for the field \"%s\" must be a timestamp in RFC 3339 format, such as \"2016-03-14T01:59:00Z\"",
							 name);
			break;
	}
}

static void
sfn_choice_compile_compare(SfnChoiceRule *r, JsonbValue *rule,
						   const char *location, List **diags)
{
	JsonbValue *var = sfn_jv_object_cget(rule, "Variable");
	JsonbValue *operand = sfn_jv_object_cget(rule, r->op->name);
	char	   *oploc = sfn_diag_loc(location, r->op->name);

	r->kind = SFN_RULE_COMPARE;
	if (var == NULL)
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 "These fields are required: [Variable]");
	else
		r->variable = sfn_choice_ref_path(var, "Variable",
										  sfn_diag_loc(location, "Variable"), diags);

	if (r->op->is_path)
		r->operand_path = sfn_choice_ref_path(operand, r->op->name, oploc, diags);
	else
		sfn_choice_compile_literal(r, operand, oploc, diags);
}

static void
sfn_choice_compile_logical(SfnChoiceRule *r, const char *name, JsonbValue *v,
						   const char *location, int max_depth, int limit,
						   List **diags)
{
	char	   *oploc = sfn_diag_loc(location, name);

	if (strcmp(name, "Not") == 0)
	{
		r->kind = SFN_RULE_NOT;
		r->n_operands = 1;
		r->operands = palloc0(sizeof(SfnChoiceRule *));
		r->operands[0] = sfn_choice_compile_rec(v, false, oploc, max_depth - 1,
											   limit, diags);
		return;
	}

	r->kind = strcmp(name, "And") == 0 ? SFN_RULE_AND : SFN_RULE_OR;
	if (!sfn_jv_is_array(v) || v->val.array.nElems == 0)
	{
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, oploc,
					 "The value for the field \"%s\" must be a non-empty array of choice rules",
					 name);
		return;
	}
	r->n_operands = v->val.array.nElems;
	r->operands = palloc0(sizeof(SfnChoiceRule *) * r->n_operands);
	for (int i = 0; i < r->n_operands; i++)
		r->operands[i] = sfn_choice_compile_rec(&v->val.array.elems[i], false,
												sfn_diag_loc_index(oploc, i),
												max_depth - 1, limit, diags);
}

/* Next: required on a Choices element (the caller resolves it), else banned */
static void
sfn_choice_check_next(JsonbValue *rule, bool top_level, const char *location,
					  List **diags)
{
	JsonbValue *next = sfn_jv_object_cget(rule, "Next");

	if (!top_level)
	{
		if (next != NULL)
			sfn_diag_add(diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Next"),
						 "The field \"Next\" is only allowed in a top-level choice rule");
		return;
	}
	if (next == NULL)
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 "These fields are required: [Next]");
	else if (!sfn_jv_is_string(next))
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Next"),
					 "The value for the field \"Next\" must be a string");
}

static SfnChoiceRule *
sfn_choice_compile_rec(JsonbValue *rule, bool top_level, const char *location,
					   int max_depth, int limit, List **diags)
{
	SfnChoiceRule *r;
	const SfnChoiceOpDef *op = NULL;
	const char *logical = NULL;
	int			nops = 0;
	int			errors = sfn_diag_error_count(*diags);

	check_stack_depth();
	if (max_depth < 1)
	{
		sfn_diag_add(diags, SFN_DIAG_TOO_DEEP, location,
					 "The choice rule is nested too deeply: at most %d levels are allowed",
					 limit);
		return NULL;
	}
	if (!sfn_jv_is_object(rule))
	{
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 "A choice rule must be a JSON object");
		return NULL;
	}

	/* classify every field: operators, and fields we do not know */
	for (int i = 0; i < rule->val.object.nPairs; i++)
	{
		JsonbValue *k = &rule->val.object.pairs[i].key;
		char	   *key = sfn_jv_cstr(k);
		const SfnChoiceOpDef *d;

		if (strcmp(key, "And") == 0 || strcmp(key, "Or") == 0 || strcmp(key, "Not") == 0)
		{
			logical = key;
			nops++;
		}
		else if ((d = sfn_choice_find_op(key)) != NULL)
		{
			op = d;
			nops++;
		}
		else if (strcmp(key, "Comment") == 0)
		{
			if (!sfn_jv_is_string(&rule->val.object.pairs[i].value))
				sfn_diag_add(diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, key),
							 "The value for the field \"Comment\" must be a string");
		}
		else if (strcmp(key, "Variable") != 0 && strcmp(key, "Next") != 0)
			sfn_diag_add(diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, key),
						 "The field \"%s\" is not supported by Step Functions", key);
	}

	sfn_choice_check_next(rule, top_level, location, diags);

	r = palloc0(sizeof(SfnChoiceRule));
	if (nops != 1)
		sfn_diag_add(diags, SFN_DIAG_SCHEMA, location,
					 nops == 0
					 ? "A choice rule must have exactly one comparison operator or one of \"And\", \"Or\", \"Not\"; it has none"
					 : "A choice rule must have exactly one comparison operator or one of \"And\", \"Or\", \"Not\"; it has %d",
					 nops);
	else if (logical != NULL)
	{
		if (sfn_jv_object_cget(rule, "Variable") != NULL)
			sfn_diag_add(diags, SFN_DIAG_SCHEMA, sfn_diag_loc(location, "Variable"),
						 "The field \"Variable\" is not allowed in a rule using \"%s\"",
						 logical);
		sfn_choice_compile_logical(r, logical, sfn_jv_object_cget(rule, logical),
								   location, max_depth, limit, diags);
	}
	else
	{
		r->op = op;
		sfn_choice_compile_compare(r, rule, location, diags);
	}

	return sfn_diag_error_count(*diags) > errors ? NULL : r;
}

SfnChoiceRule *
sfn_choice_compile(JsonbValue *rule, bool top_level, const char *location,
				   int max_depth, List **diags)
{
	return sfn_choice_compile_rec(rule, top_level, location, max_depth,
								  max_depth, diags);
}

/* ---------------------------------------------------------------------
 * Evaluation
 * ---------------------------------------------------------------------
 */

static bool
sfn_choice_fail_path(SfnError *err, const SfnPath *p)
{
	return sfn_fail(err, "States.Runtime",
					"Invalid path '%s': The choice state's condition path references an invalid value.",
					sfn_path_text(p));
}

/*
 * Backtracking after a star makes this O(n * m); steps are charged in
 * batches, and a spent budget ends the match (the caller reports it).
 */
static bool
sfn_choice_glob(const int *pat, int m, const char *s, int n)
{
	int			i = 0,
				p = 0,
				star = -1,
				mark = 0,
				batch = 0;

	while (i < n)
	{
		if (++batch == 1024)
		{
			batch = 0;
			if (!sfn_budget_charge(1024))
				return false;
		}
		if (p < m && pat[p] != SFN_GLOB_STAR && pat[p] == (unsigned char) s[i])
		{
			i++;
			p++;
		}
		else if (p < m && pat[p] == SFN_GLOB_STAR)
		{
			star = p++;
			mark = i;
		}
		else if (star >= 0)
		{
			p = star + 1;
			i = ++mark;
		}
		else
			return false;
	}
	while (p < m && pat[p] == SFN_GLOB_STAR)
		p++;
	return p == m;
}

static bool
sfn_choice_cmp_result(SfnCmpOp op, int cmp)
{
	switch (op)
	{
		case SFN_OP_EQ:
			return cmp == 0;
		case SFN_OP_LT:
			return cmp < 0;
		case SFN_OP_GT:
			return cmp > 0;
		case SFN_OP_LE:
			return cmp <= 0;
		case SFN_OP_GE:
			return cmp >= 0;
		default:
			return false;
	}
}

/* First UTF-16 code unit of the UTF-8 character at p. */
static int
utf16_first_unit(const unsigned char *p, int avail)
{
	int			len = pg_utf_mblen(p);
	pg_wchar	cp;

	if (len > avail)
		return *p;
	cp = utf8_to_unicode(p);
	return cp >= 0x10000 ? (int) (0xD800 + ((cp - 0x10000) >> 10)) : (int) cp;
}

static int
sfn_choice_strcmp(const JsonbValue *a, const JsonbValue *b)
{
	/*
	 * AWS compares as Java's String.compareTo: by UTF-16 code unit.  UTF-8
	 * byte order agrees except that characters above U+FFFF (surrogate
	 * pairs, D800-DBFF) sort before U+E000..U+FFFF.
	 */
	const unsigned char *pa = (const unsigned char *) a->val.string.val;
	const unsigned char *pb = (const unsigned char *) b->val.string.val;
	const unsigned char *ea = pa + a->val.string.len;
	const unsigned char *eb = pb + b->val.string.len;

	while (pa < ea && pb < eb)
	{
		int			ua = utf16_first_unit(pa, ea - pa);
		int			ub = utf16_first_unit(pb, eb - pb);

		if (ua != ub)
			return ua < ub ? -1 : 1;
		if (*pa != *pb || pg_utf_mblen(pa) != pg_utf_mblen(pb) ||
			memcmp(pa, pb, pg_utf_mblen(pa)) != 0)
		{
			/* same first unit, different characters: both are astral */
			int			c = memcmp(pa, pb, Min(pg_utf_mblen(pa), pg_utf_mblen(pb)));

			return c < 0 ? -1 : 1;
		}
		pa += pg_utf_mblen(pa);
		pb += pg_utf_mblen(pb);
	}
	return (pa < ea) - (pb < eb);
}

static bool
sfn_choice_is_timestamp(const JsonbValue *v, TimestampTz *ts)
{
	return sfn_jv_is_string(v) &&
		sfn_timestamp_parse(v->val.string.val, v->val.string.len, ts);
}

/* Compare value with operand (both present); a type mismatch is false. */
static bool
sfn_choice_compare(const SfnChoiceRule *r, const JsonbValue *v,
				   const JsonbValue *o)
{
	TimestampTz a,
				b;
	int			cmp;

	switch (r->op->type)
	{
		case SFN_CT_STRING:
			if (!sfn_jv_is_string(v) || !sfn_jv_is_string(o))
				return false;
			if (r->op->op == SFN_OP_MATCHES)
				return sfn_choice_glob(r->glob, r->glob_len,
									   v->val.string.val, v->val.string.len);
			return sfn_choice_cmp_result(r->op->op, sfn_choice_strcmp(v, o));
		case SFN_CT_NUMERIC:
			if (!sfn_jv_is_number(v) || !sfn_jv_is_number(o))
				return false;
			cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp,
													NumericGetDatum(v->val.numeric),
													NumericGetDatum(o->val.numeric)));
			return sfn_choice_cmp_result(r->op->op, cmp);
		case SFN_CT_BOOLEAN:
			return sfn_jv_is_bool(v) && sfn_jv_is_bool(o) &&
				v->val.boolean == o->val.boolean;
		case SFN_CT_TIMESTAMP:
			if (!sfn_choice_is_timestamp(v, &a))
				return false;
			if (r->operand_path == NULL)
				b = r->ts;
			else if (!sfn_choice_is_timestamp(o, &b))
				return false;
			return sfn_choice_cmp_result(r->op->op, (a > b) - (a < b));
		case SFN_CT_TEST:
			break;
	}
	return false;
}

/* IsNull, IsNumeric, ...: does v (present) pass the test? */
static bool
sfn_choice_test(SfnCmpOp op, const JsonbValue *v)
{
	TimestampTz ts;

	switch (op)
	{
		case SFN_OP_IS_NULL:
			return sfn_jv_is_null(v);
		case SFN_OP_IS_NUMERIC:
			return sfn_jv_is_number(v);
		case SFN_OP_IS_STRING:
			return sfn_jv_is_string(v);
		case SFN_OP_IS_BOOLEAN:
			return sfn_jv_is_bool(v);
		case SFN_OP_IS_TIMESTAMP:
			return sfn_choice_is_timestamp(v, &ts);
		default:
			return true;
	}
}

static bool
sfn_choice_eval_compare(const SfnChoiceRule *r, JsonbValue *input,
						JsonbValue *context, bool *matched, SfnError *err)
{
	JsonbValue *v;
	JsonbValue *o = r->operand;

	if (!sfn_path_query(r->variable, input, context, &v, err))
		return false;

	/* IsPresent is the one test that never fails on a missing value */
	if (r->op->op == SFN_OP_IS_PRESENT)
	{
		*matched = ((v != NULL) == r->flag);
		return true;
	}
	if (v == NULL)
		return sfn_choice_fail_path(err, r->variable);
	if (r->op->type == SFN_CT_TEST)
	{
		*matched = (sfn_choice_test(r->op->op, v) == r->flag);
		return true;
	}
	if (r->operand_path != NULL)
	{
		if (!sfn_path_query(r->operand_path, input, context, &o, err))
			return false;
		if (o == NULL)
			return sfn_choice_fail_path(err, r->operand_path);
	}
	*matched = sfn_choice_compare(r, v, o);
	if (sfn_budget_exhausted())
		return sfn_budget_error(err);
	return true;
}

bool
sfn_choice_eval(const SfnChoiceRule *r, JsonbValue *input, JsonbValue *context,
				bool *matched, SfnError *err)
{
	check_stack_depth();

	switch (r->kind)
	{
		case SFN_RULE_COMPARE:
			return sfn_choice_eval_compare(r, input, context, matched, err);
		case SFN_RULE_NOT:
			if (!sfn_choice_eval(r->operands[0], input, context, matched, err))
				return false;
			*matched = !*matched;
			return true;
		case SFN_RULE_AND:
		case SFN_RULE_OR:
			/* short-circuit as AWS does: later operands are not evaluated */
			for (int i = 0; i < r->n_operands; i++)
			{
				if (!sfn_choice_eval(r->operands[i], input, context, matched, err))
					return false;
				if (*matched != (r->kind == SFN_RULE_AND))
					return true;
			}
			*matched = (r->kind == SFN_RULE_AND);
			return true;
	}
	return false;
}
