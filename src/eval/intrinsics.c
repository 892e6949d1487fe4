/*-------------------------------------------------------------------------
 *
 * intrinsics.c
 *	  Parser and evaluator for ASL intrinsic functions (States.Format, ...).
 *
 * Grammar (whitespace allowed between tokens):
 *
 *	  call := "States." name "(" [ arg { "," arg } ] ")"
 *	  arg  := 'string' | number | true | false | null | path | call
 *
 * Strings are single-quoted; a backslash escapes ', {, } and \ and nothing
 * else (AWS reports any other backslash as an error).  The raw text of a
 * string literal is kept as well, because States.Format must tell an
 * escaped \{ from a placeholder {}.
 *
 * Argument counts are checked at parse time where they are fixed; types and
 * values are checked at run time, failing with States.IntrinsicFailure.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "support/format.h"
#include "common/base64.h"
#include "common/cryptohash.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "eval/budget.h"
#include "eval/entropy.h"
#include "eval/intrinsics.h"
#include "eval/jsonpath.h"

/* AWS documents at most 10 nested intrinsic functions in a field. */
#define SFN_INTRINSIC_MAX_NESTING	10

/* AWS input-size limits */
#define SFN_MAX_ARRAY_RANGE			1000
#define SFN_MAX_BASE64_INPUT		10000
#define SFN_MAX_HASH_INPUT			10000

#define INTRINSIC_FAILURE "States.IntrinsicFailure"

typedef enum SfnArgKind
{
	SFN_ARG_LITERAL,
	SFN_ARG_PATH,
	SFN_ARG_CALL
} SfnArgKind;

typedef struct SfnArg
{
	SfnArgKind	kind;
	JsonbValue *literal;		/* LITERAL */
	char	   *raw;			/* LITERAL strings: text between the quotes */
	SfnPath    *path;			/* PATH */
	SfnIntrinsic *call;			/* CALL */
} SfnArg;

typedef bool (*SfnIntrinsicFn) (const SfnIntrinsic *f, JsonbValue **argv,
								JsonbValue **result, SfnError *err);

typedef struct SfnFuncDef
{
	const char *name;
	int			minargs;
	int			maxargs;		/* -1: unlimited */
	SfnIntrinsicFn fn;
} SfnFuncDef;

struct SfnIntrinsic
{
	const SfnFuncDef *def;
	int			nargs;
	SfnArg	   *args;
};

/* ----------------------------------------------------------------
 *		helpers for function bodies
 * ----------------------------------------------------------------
 */

static const char *
sfn_jv_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvBool:
			return "a boolean";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvArray:
			return "an array";
		case jbvObject:
			return "an object";
		default:
			return "a value";
	}
}

static bool
ifail(const SfnIntrinsic *f, SfnError *err, const char *problem)
{
	return sfn_fail(err, INTRINSIC_FAILURE, "Invalid arguments in %s: %s",
					f->def->name, problem);
}

/* Argument n (1-based, for messages) must be of the given type. */
static bool
want_type(const SfnIntrinsic *f, JsonbValue *v, int n, enum jbvType type,
		  const char *what, SfnError *err)
{
	if (v->type == type)
		return true;
	return ifail(f, err, psprintf("argument %d must be %s, got %s",
								  n, what, sfn_jv_type_name(v)));
}

static bool
want_int(const SfnIntrinsic *f, JsonbValue *v, int n, int64 *out, SfnError *err)
{
	if (v->type == jbvNumeric && sfn_jv_get_int64(v, out))
		return true;
	if (v->type == jbvNumeric)
		return ifail(f, err, psprintf("argument %d must be an integer, got %s",
									  n, sfn_jv_to_text(v)));
	return ifail(f, err, psprintf("argument %d must be an integer, got %s",
								  n, sfn_jv_type_name(v)));
}

/*
 * An integer argument of States.MathAdd and States.MathRandom.  AWS (Java)
 * rounds a number that is not an integer half up, as Math.round does:
 * 1.5 -> 2, -1.5 -> -1, 1.49 -> 1; it does not fail.
 */
static bool
want_rounded_int(const SfnIntrinsic *f, JsonbValue *v, int n, int64 *out, SfnError *err)
{
	if (v->type == jbvNumeric && !sfn_jv_get_int64(v, out))
	{
		Datum		half = DirectFunctionCall3(numeric_in, CStringGetDatum("0.5"),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		Datum		rounded = DirectFunctionCall1(numeric_floor,
												  DirectFunctionCall2(numeric_add,
																	  NumericGetDatum(v->val.numeric),
																	  half));

		if (sfn_jv_get_int64(sfn_jv_numeric(DatumGetNumeric(rounded)), out))
			return true;
	}
	return want_int(f, v, n, out, err);
}

/* String length in characters (AWS limits count characters). */
static int
sfn_jv_char_length(const JsonbValue *v)
{
	return pg_mbstrlen_with_len(v->val.string.val, v->val.string.len);
}

/*
 * A number as Java's Double.toString writes it (AWS parses JSON numbers
 * with a decimal point or exponent into doubles): the shortest digits that
 * read back the same, plain with at least one decimal for 1e-3 <= |d| <
 * 1e7 ("100.0", "0.5"), else as d.dddE<n> ("1.0E20", "1.5E-5").
 */
static void
append_java_double(StringInfo buf, double d)
{
	char		sci[64];
	char		digits[32];
	int			ndigits = 0;
	int			exp;
	char	   *e;

	if (d == 0)
	{
		appendStringInfoString(buf, signbit(d) ? "-0.0" : "0.0");
		return;
	}
	/* Past double's range (1e400): Java's Double.toString says Infinity. */
	if (isinf(d) || isnan(d))
	{
		appendStringInfoString(buf, isnan(d) ? "NaN" : (d < 0 ? "-Infinity" : "Infinity"));
		return;
	}
	for (int prec = 0; prec <= 17; prec++)
	{
		snprintf(sci, sizeof(sci), "%.*e", prec, d);
		if (strtod(sci, NULL) == d)
			break;
	}
	/* sci is [-]D[.DDD]e(+|-)NN */
	e = strchr(sci, 'e');
	exp = atoi(e + 1);
	for (char *c = sci; c < e; c++)
		if (*c >= '0' && *c <= '9')
			digits[ndigits++] = *c;
	while (ndigits > 1 && digits[ndigits - 1] == '0')
		ndigits--;
	if (d < 0)
		appendStringInfoChar(buf, '-');
	if (fabs(d) >= 1e-3 && fabs(d) < 1e7)
	{
		if (exp < 0)
		{
			appendStringInfoString(buf, "0.");
			for (int i = -1; i > exp; i--)
				appendStringInfoChar(buf, '0');
			appendBinaryStringInfo(buf, digits, ndigits);
		}
		else
		{
			for (int i = 0; i <= exp; i++)
				appendStringInfoChar(buf, i < ndigits ? digits[i] : '0');
			appendStringInfoChar(buf, '.');
			if (ndigits > exp + 1)
				appendBinaryStringInfo(buf, digits + exp + 1, ndigits - exp - 1);
			else
				appendStringInfoChar(buf, '0');
		}
	}
	else
	{
		appendStringInfoChar(buf, digits[0]);
		appendStringInfoChar(buf, '.');
		if (ndigits > 1)
			appendBinaryStringInfo(buf, digits + 1, ndigits - 1);
		else
			appendStringInfoChar(buf, '0');
		appendStringInfo(buf, "E%d", exp);
	}
}

/*
 * A value inside an object or array that States.Format renders: AWS
 * (Java) prints Map.toString() / List.toString(), not JSON: {a=1, b=[x,
 * y]} with keys and strings unquoted.  Integers print as integers, other
 * numbers as Java doubles.  Keys come in jsonb's order (see README).
 */
static void
append_java_value(StringInfo buf, const JsonbValue *v)
{
	check_stack_depth();
	switch (v->type)
	{
		case jbvString:
			appendBinaryStringInfo(buf, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			{
				int64		i;
				char	   *text = sfn_jv_to_text(v);

				if (strpbrk(text, ".eE") == NULL && sfn_jv_get_int64(v, &i))
					appendStringInfoString(buf, text);
				else
					append_java_double(buf, sfn_jv_get_float8(v));
			}
			break;
		case jbvArray:
			appendStringInfoChar(buf, '[');
			for (int i = 0; i < v->val.array.nElems; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, ", ");
				append_java_value(buf, &v->val.array.elems[i]);
			}
			appendStringInfoChar(buf, ']');
			break;
		case jbvObject:
			appendStringInfoChar(buf, '{');
			for (int i = 0; i < v->val.object.nPairs; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, ", ");
				append_java_value(buf, &v->val.object.pairs[i].key);
				appendStringInfoChar(buf, '=');
				append_java_value(buf, &v->val.object.pairs[i].value);
			}
			appendStringInfoChar(buf, '}');
			break;
		default:
			appendStringInfoString(buf, sfn_jv_to_text(v));
			break;
	}
}

/*
 * A States.Format value: a string as-is, an object or array as Java
 * renders it (AWS's recorded behaviour), anything else as compact JSON.
 */
static void
append_format_value(StringInfo buf, const JsonbValue *v)
{
	if (v->type == jbvString)
		appendBinaryStringInfo(buf, v->val.string.val, v->val.string.len);
	else if (v->type == jbvArray || v->type == jbvObject)
		append_java_value(buf, v);
	else
		appendStringInfoString(buf, sfn_jv_to_text(v));
}

/* ----------------------------------------------------------------
 *		the functions
 * ----------------------------------------------------------------
 */

/*
 * States.Format.  A literal template is scanned in its raw form so that
 * \{ and \} stay literal braces; a template coming from a path has no
 * escapes.
 */
static bool
fn_format(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	const char *tmpl;
	int			len;
	bool		escapes = (f->args[0].kind == SFN_ARG_LITERAL);
	int			nvalues = f->nargs - 1;
	int			used = 0;
	int			i;
	StringInfoData buf;

	if (!want_type(f, argv[0], 1, jbvString, "a string", err))
		return false;
	if (escapes)
	{
		tmpl = f->args[0].raw;
		len = strlen(tmpl);
	}
	else
	{
		tmpl = argv[0]->val.string.val;
		len = argv[0]->val.string.len;
	}
	initStringInfo(&buf);
	for (i = 0; i < len; i++)
	{
		if (escapes && tmpl[i] == '\\' && i + 1 < len)
			appendStringInfoChar(&buf, tmpl[++i]);
		else if (tmpl[i] == '{' && i + 1 < len && tmpl[i + 1] == '}')
		{
			if (used < nvalues)
			{
				JsonbValue *v = argv[used + 1];

				/* a template may repeat one large value many times */
				if (v->type == jbvString ?
					!sfn_budget_reserve((Size) buf.len + v->val.string.len) :
					!sfn_budget_reserve_value(v))
					return sfn_budget_error(err);
				append_format_value(&buf, v);
			}
			used++;
			i++;
		}
		else
			appendStringInfoChar(&buf, tmpl[i]);
	}
	if (used != nvalues)
		return ifail(f, err, psprintf("the number of values (%d) does not match the number of {} placeholders (%d)",
									  nvalues, used));
	*result = sfn_jv_string(buf.data, buf.len);
	return true;
}

static bool
fn_string_to_json(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	const char *p;
	const char *end;

	if (!want_type(f, argv[0], 1, jbvString, "a string", err))
		return false;
	/* AWS returns null for an empty string or one of only whitespace. */
	p = argv[0]->val.string.val;
	end = p + argv[0]->val.string.len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == end)
	{
		*result = sfn_jv_null();
		return true;
	}
	*result = sfn_jv_parse(argv[0]->val.string.val, argv[0]->val.string.len);
	if (*result == NULL)
		return ifail(f, err, "the string is not valid JSON");
	return true;
}

static bool
fn_json_to_string(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	*result = sfn_jv_cstring(sfn_jv_to_text(argv[0]));
	return true;
}

static bool
fn_array(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *arr = sfn_jv_array();
	int			i;

	for (i = 0; i < f->nargs; i++)
		sfn_jv_array_append(arr, argv[i]);
	*result = arr;
	return true;
}

static bool
fn_array_partition(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *arr = argv[0];
	JsonbValue *out = sfn_jv_array();
	JsonbValue *chunk = NULL;
	int64		size;
	int			i;

	if (!want_type(f, arr, 1, jbvArray, "an array", err) ||
		!want_int(f, argv[1], 2, &size, err))
		return false;
	if (size <= 0)
		return ifail(f, err, "the chunk size must be greater than 0");
	for (i = 0; i < arr->val.array.nElems; i++)
	{
		if (!sfn_budget_charge(1))
			return sfn_budget_error(err);
		if (chunk == NULL)
			chunk = sfn_jv_array();
		sfn_jv_array_append(chunk, &arr->val.array.elems[i]);
		if (chunk->val.array.nElems == size || i == arr->val.array.nElems - 1)
		{
			sfn_jv_array_append(out, chunk);
			chunk = NULL;
		}
	}
	*result = out;
	return true;
}

static bool
fn_array_contains(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	int			i;

	if (!want_type(f, argv[0], 1, jbvArray, "an array", err))
		return false;
	for (i = 0; i < argv[0]->val.array.nElems; i++)
	{
		if (!sfn_budget_charge(1))
			return sfn_budget_error(err);
		if (sfn_jv_equal(&argv[0]->val.array.elems[i], argv[1]))
		{
			*result = sfn_jv_bool(true);
			return true;
		}
	}
	*result = sfn_jv_bool(false);
	return true;
}

static bool
fn_array_range(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	int64		start,
				end,
				step,
				count,
				value,
				i;
	JsonbValue *out;

	if (!want_int(f, argv[0], 1, &start, err) ||
		!want_int(f, argv[1], 2, &end, err) ||
		!want_int(f, argv[2], 3, &step, err))
		return false;
	if (step == 0)
		return ifail(f, err, "the step must not be 0");

	/*
	 * Count the items in unsigned arithmetic: end - start and i * step can
	 * both exceed int64 (ArrayRange(-9e18, 9e18, 9e18) has three items).
	 */
	if ((step > 0 && start > end) || (step < 0 && start < end))
		count = 0;
	else
	{
		uint64		span = step > 0 ? (uint64) end - (uint64) start
			: (uint64) start - (uint64) end;
		uint64		ustep = step > 0 ? (uint64) step : -(uint64) step;
		uint64		n = span / ustep;

		count = n >= SFN_MAX_ARRAY_RANGE ? SFN_MAX_ARRAY_RANGE + 1 : (int64) n + 1;
	}
	if (count > SFN_MAX_ARRAY_RANGE)
		return ifail(f, err, psprintf("the range would have more than %d items",
									  SFN_MAX_ARRAY_RANGE));
	out = sfn_jv_array();
	value = start;
	for (i = 0; i < count; i++)
	{
		sfn_jv_array_append(out, sfn_jv_int(value));
		/* items lie within [start, end]; only a step past the last overflows */
		if (i + 1 < count)
			value += step;
	}
	*result = out;
	return true;
}

static bool
fn_array_get_item(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	int64		idx;

	if (!want_type(f, argv[0], 1, jbvArray, "an array", err) ||
		!want_int(f, argv[1], 2, &idx, err))
		return false;
	if (idx < 0 || idx >= argv[0]->val.array.nElems)
		return ifail(f, err, psprintf("index " INT64_FORMAT " is out of bounds for an array of length %d",
									  idx, argv[0]->val.array.nElems));
	*result = &argv[0]->val.array.elems[idx];
	return true;
}

static bool
fn_array_length(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	if (!want_type(f, argv[0], 1, jbvArray, "an array", err))
		return false;
	*result = sfn_jv_int(argv[0]->val.array.nElems);
	return true;
}

/*
 * A hash consistent with sfn_jv_equal(): numbers hash by value (1 and 1.0
 * alike), object members in any order.  Steps are charged per node; once
 * the budget is spent the hash is meaningless and the caller fails.
 */
static uint64
sfn_jv_hash(const JsonbValue *v)
{
	uint64		h;
	int			i;

	check_stack_depth();
	if (!sfn_budget_charge(1))
		return 0;
	switch (v->type)
	{
		case jbvNull:
			return 1;
		case jbvBool:
			return v->val.boolean ? 3 : 2;
		case jbvString:
			return hash_bytes_extended((const unsigned char *) v->val.string.val,
									   v->val.string.len, 4);
		case jbvNumeric:
			return DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
													  NumericGetDatum(v->val.numeric),
													  UInt64GetDatum(5)));
		case jbvArray:
			h = 6;
			for (i = 0; i < v->val.array.nElems; i++)
				h = hash_combine64(h, sfn_jv_hash(&v->val.array.elems[i]));
			return h;
		case jbvObject:
			/* a sum does not depend on the members' order */
			h = 7;
			for (i = 0; i < v->val.object.nPairs; i++)
			{
				const JsonbPair *p = &v->val.object.pairs[i];

				h += hash_combine64(hash_bytes_extended((const unsigned char *) p->key.val.string.val,
														p->key.val.string.len, 8),
									sfn_jv_hash(&p->value));
			}
			return h;
		default:
			return 0;
	}
}

typedef struct UniqueKey
{
	uint64		hash;
	int			index;
} UniqueKey;

static int
unique_key_cmp(const void *a, const void *b)
{
	const UniqueKey *ka = (const UniqueKey *) a;
	const UniqueKey *kb = (const UniqueKey *) b;

	if (ka->hash != kb->hash)
		return ka->hash < kb->hash ? -1 : 1;
	return (ka->index > kb->index) - (ka->index < kb->index);
}

/*
 * Keeps the first occurrence of each value, in the input's order.  Items
 * are sorted by (hash, position), so only items of equal hash are compared
 * and the first of equal items is the one kept: O(n log n), not O(n^2).
 */
static bool
fn_array_unique(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *arr = argv[0];
	JsonbValue *out;
	UniqueKey  *keys;
	bool	   *dup;
	int			n,
				i,
				j,
				a,
				b;

	if (!want_type(f, arr, 1, jbvArray, "an array", err))
		return false;
	n = arr->val.array.nElems;
	keys = palloc(sizeof(UniqueKey) * Max(n, 1));
	dup = palloc0(sizeof(bool) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		keys[i].hash = sfn_jv_hash(&arr->val.array.elems[i]);
		keys[i].index = i;
	}
	if (sfn_budget_exhausted())
		return sfn_budget_error(err);
	qsort(keys, n, sizeof(UniqueKey), unique_key_cmp);
	for (i = 0; i < n; i = j)
	{
		for (j = i + 1; j < n && keys[j].hash == keys[i].hash; j++)
			;
		for (a = i; a < j; a++)
		{
			if (dup[keys[a].index])
				continue;
			for (b = a + 1; b < j; b++)
			{
				if (dup[keys[b].index])
					continue;
				if (!sfn_budget_charge(1))
					return sfn_budget_error(err);
				if (sfn_jv_equal(&arr->val.array.elems[keys[a].index],
							 &arr->val.array.elems[keys[b].index]))
					dup[keys[b].index] = true;
			}
		}
	}
	out = sfn_jv_array();
	for (i = 0; i < n; i++)
		if (!dup[i])
			sfn_jv_array_append(out, &arr->val.array.elems[i]);
	pfree(keys);
	pfree(dup);
	*result = out;
	return true;
}

static bool
fn_base64_encode(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *s = argv[0];
	char	   *dst;
	int			n;

	if (!want_type(f, s, 1, jbvString, "a string", err))
		return false;
	if (sfn_jv_char_length(s) > SFN_MAX_BASE64_INPUT)
		return ifail(f, err, psprintf("the input is longer than %d characters",
									  SFN_MAX_BASE64_INPUT));
	dst = palloc(pg_b64_enc_len(s->val.string.len) + 1);
	n = pg_b64_encode(s->val.string.val, s->val.string.len, dst,
					  pg_b64_enc_len(s->val.string.len));
	if (n < 0)
		return ifail(f, err, "the input could not be encoded");
	*result = sfn_jv_string(dst, n);
	return true;
}

static bool
fn_base64_decode(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *s = argv[0];
	char	   *dst;
	int			n;

	if (!want_type(f, s, 1, jbvString, "a string", err))
		return false;
	if (sfn_jv_char_length(s) > SFN_MAX_BASE64_INPUT)
		return ifail(f, err, psprintf("the input is longer than %d characters",
									  SFN_MAX_BASE64_INPUT));
	dst = palloc(pg_b64_dec_len(s->val.string.len) + 1);
	n = pg_b64_decode(s->val.string.val, s->val.string.len, dst,
					  pg_b64_dec_len(s->val.string.len));
	if (n < 0)
		return ifail(f, err, "the input is not valid base64");
	/* the decoded bytes become a JSON string, so they must be text */
	if (memchr(dst, '\0', n) != NULL ||
		pg_encoding_verifymbstr(GetDatabaseEncoding(), dst, n) != n)
		return ifail(f, err, "the decoded data is not valid text");
	*result = sfn_jv_string(dst, n);
	return true;
}

static bool
fn_hash(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	static const struct
	{
		const char *name;
		pg_cryptohash_type type;
		int			len;
	}			algs[] =
	{
		{"MD5", PG_MD5, 16},
		{"SHA-1", PG_SHA1, 20},
		{"SHA-256", PG_SHA256, 32},
		{"SHA-384", PG_SHA384, 48},
		{"SHA-512", PG_SHA512, 64},
	};
	char	   *alg;
	int			a;
	pg_cryptohash_ctx *ctx;
	uint8		digest[64];
	char		hex[129];
	int			i;

	if (!want_type(f, argv[0], 1, jbvString, "a string", err) ||
		!want_type(f, argv[1], 2, jbvString, "a string", err))
		return false;
	if (sfn_jv_char_length(argv[0]) > SFN_MAX_HASH_INPUT)
		return ifail(f, err, psprintf("the input is longer than %d characters",
									  SFN_MAX_HASH_INPUT));
	alg = sfn_jv_cstr(argv[1]);
	for (a = 0; a < (int) lengthof(algs); a++)
		if (strcmp(alg, algs[a].name) == 0)
			break;
	if (a == lengthof(algs))
		return ifail(f, err, psprintf("unsupported hash algorithm \"%s\" (supported: MD5, SHA-1, SHA-256, SHA-384, SHA-512)",
									  alg));
	ctx = pg_cryptohash_create(algs[a].type);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) argv[0]->val.string.val,
							 argv[0]->val.string.len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
	{
		const char *why = ctx ? pg_cryptohash_error(ctx) : "out of memory";

		if (ctx)
			pg_cryptohash_free(ctx);
		return ifail(f, err, psprintf("could not compute hash: %s", why));
	}
	pg_cryptohash_free(ctx);
	for (i = 0; i < algs[a].len; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	*result = sfn_jv_string(hex, 2 * algs[a].len);
	return true;
}

/* Shallow merge: keys of the second object replace those of the first. */
static bool
fn_json_merge(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	JsonbValue *out;
	int			i;

	if (!want_type(f, argv[0], 1, jbvObject, "an object", err) ||
		!want_type(f, argv[1], 2, jbvObject, "an object", err) ||
		!want_type(f, argv[2], 3, jbvBool, "a boolean", err))
		return false;
	if (argv[2]->val.boolean)
		return ifail(f, err, "deep merge is not supported; the third argument must be false");
	out = sfn_jv_copy(argv[0]);
	for (i = 0; i < argv[1]->val.object.nPairs; i++)
	{
		JsonbPair  *p = &argv[1]->val.object.pairs[i];

		sfn_jv_object_add(out, p->key.val.string.val, p->key.val.string.len, &p->value);
	}
	sfn_jv_object_finish(out);
	*result = out;
	return true;
}

/*
 * A seeded draw follows java.util.Random(seed).nextInt(bound), so that a
 * seed gives a stable value across calls and servers.
 */
static int32
java_random_next_int(int64 seed, int32 bound)
{
	const uint64 mult = UINT64CONST(0x5DEECE66D);
	const uint64 mask = (UINT64CONST(1) << 48) - 1;
	uint64		s = ((uint64) seed ^ mult) & mask;
	int32		bits,
				val;

	if ((bound & -bound) == bound)
	{
		s = (s * mult + 0xB) & mask;
		return (int32) (((int64) bound * (int64) (s >> 17)) >> 31);
	}
	do
	{
		s = (s * mult + 0xB) & mask;
		bits = (int32) (s >> 17);
		val = bits % bound;
	} while ((int32) ((uint32) bits - (uint32) val + (uint32) (bound - 1)) < 0);
	return val;
}

/* A random integer in [start, end). */
static bool
fn_math_random(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	int64		start,
				end,
				seed;

	if (!want_rounded_int(f, argv[0], 1, &start, err) ||
		!want_rounded_int(f, argv[1], 2, &end, err))
		return false;
	if (start < PG_INT32_MIN || start > PG_INT32_MAX ||
		end < PG_INT32_MIN || end > PG_INT32_MAX)
		return ifail(f, err, "the start and end values must be 32-bit integers");
	if (start >= end)
		return ifail(f, err, "the start value must be less than the end value");
	if (f->nargs == 3)
	{
		if (!want_rounded_int(f, argv[2], 3, &seed, err))
			return false;
		if (end - start > PG_INT32_MAX)
			return ifail(f, err, "the range between start and end is too large");
		*result = sfn_jv_int(start + java_random_next_int(seed, (int32) (end - start)));
	}
	else
		*result = sfn_jv_int(start + (int64) sfn_entropy_range((uint64) (end - start - 1)));
	return true;
}

static bool
fn_math_add(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	int64		a,
				b,
				sum;

	if (!want_rounded_int(f, argv[0], 1, &a, err) ||
		!want_rounded_int(f, argv[1], 2, &b, err))
		return false;
	if (pg_add_s64_overflow(a, b, &sum))
		return ifail(f, err, "the sum is out of range");
	*result = sfn_jv_int(sum);
	return true;
}

/* Splits on every character of the delimiter string; drops empty tokens. */
static bool
fn_string_split(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	const char *s;
	const char *end;
	const char *tok;
	const char *delims;
	const char *d;
	int			dlen;
	bool		single[256] = {false};
	int			nmulti = 0;
	JsonbValue *out = sfn_jv_array();

	if (!want_type(f, argv[0], 1, jbvString, "a string", err) ||
		!want_type(f, argv[1], 2, jbvString, "a string", err))
		return false;
	s = argv[0]->val.string.val;
	end = s + argv[0]->val.string.len;
	delims = argv[1]->val.string.val;
	dlen = argv[1]->val.string.len;

	/*
	 * One-byte delimiters go in a table; only the multibyte ones are
	 * searched for each character, so a long delimiter list costs O(n).
	 */
	for (d = delims; d < delims + dlen; d += pg_mblen(d))
	{
		if (pg_mblen(d) == 1)
			single[(unsigned char) *d] = true;
		else
			nmulti++;
	}
	tok = s;
	while (s < end)
	{
		int			clen = pg_mblen(s);
		bool		is_delim = false;

		if (!sfn_budget_charge(clen == 1 ? 1 : 1 + nmulti))
			return sfn_budget_error(err);
		if (clen == 1)
			is_delim = single[(unsigned char) *s];
		else if (nmulti > 0)
			for (d = delims; d < delims + dlen && !is_delim; d += pg_mblen(d))
				is_delim = (pg_mblen(d) == clen && memcmp(d, s, clen) == 0);
		if (is_delim)
		{
			if (s > tok)
				sfn_jv_array_append(out, sfn_jv_string(tok, s - tok));
			tok = s + clen;
		}
		s += clen;
	}
	if (end > tok)
		sfn_jv_array_append(out, sfn_jv_string(tok, end - tok));
	*result = out;
	return true;
}

static bool
fn_uuid(const SfnIntrinsic *f, JsonbValue **argv, JsonbValue **result, SfnError *err)
{
	uint8		b[16];
	char		buf[37];
	int			i,
				pos = 0;

	if (!sfn_entropy_bytes(b, sizeof(b)))
		return sfn_fail(err, "States.Runtime", "could not generate random values");
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[pos++] = '-';
		snprintf(buf + pos, 3, "%02x", b[i]);
		pos += 2;
	}
	*result = sfn_jv_string(buf, 36);
	return true;
}

static const SfnFuncDef sfn_functions[] =
{
	{"States.Format", 1, -1, fn_format},
	{"States.StringToJson", 1, 1, fn_string_to_json},
	{"States.JsonToString", 1, 1, fn_json_to_string},
	{"States.Array", 0, -1, fn_array},
	{"States.ArrayPartition", 2, 2, fn_array_partition},
	{"States.ArrayContains", 2, 2, fn_array_contains},
	{"States.ArrayRange", 3, 3, fn_array_range},
	{"States.ArrayGetItem", 2, 2, fn_array_get_item},
	{"States.ArrayLength", 1, 1, fn_array_length},
	{"States.ArrayUnique", 1, 1, fn_array_unique},
	{"States.Base64Encode", 1, 1, fn_base64_encode},
	{"States.Base64Decode", 1, 1, fn_base64_decode},
	{"States.Hash", 2, 2, fn_hash},
	{"States.JsonMerge", 3, 3, fn_json_merge},
	{"States.MathRandom", 2, 3, fn_math_random},
	{"States.MathAdd", 2, 2, fn_math_add},
	{"States.StringSplit", 2, 2, fn_string_split},
	{"States.UUID", 0, 0, fn_uuid},
};

/* ----------------------------------------------------------------
 *		parsing
 * ----------------------------------------------------------------
 */

typedef struct IParser
{
	const char *s;
	int			len;
	int			pos;
	char	   *errmsg;
} IParser;

#define IP_PEEK(ip) ((ip)->pos < (ip)->len ? (ip)->s[(ip)->pos] : '\0')

static SfnIntrinsic *ip_parse_call(IParser *ip, int nesting);

static bool
ip_error(IParser *ip, const char *fmt,...) pg_attribute_printf(2, 3);

static bool
ip_error(IParser *ip, const char *fmt,...)
{
	va_list		args;

	if (ip->errmsg != NULL)
		return false;
	va_start(args, fmt);
	ip->errmsg = sfn_vformat(fmt, args);
	va_end(args);
	return false;
}

static void
ip_skip_space(IParser *ip)
{
	while (ip->pos < ip->len && scanner_isspace(ip->s[ip->pos]))
		ip->pos++;
}

static bool
ip_is_name_char(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

/* Length of "States.Name" at the start of s, or 0. */
static int
ip_function_name_length(const char *s, int len)
{
	int			n = 7;

	if (len < 8 || strncmp(s, "States.", 7) != 0)
		return 0;
	while (n < len && ip_is_name_char(s[n]))
		n++;
	return n > 7 ? n : 0;
}

/* 'string' with \' \{ \} \\ escapes; keeps the raw text too. */
static bool
ip_parse_string(IParser *ip, SfnArg *arg)
{
	StringInfoData buf;
	int			start;
	int			end;

	ip->pos++;
	start = ip->pos;

	/*
	 * Size the buffer to this literal (found first), not 1 kB each: a call
	 * may have very many literals.
	 */
	for (end = start; end < ip->len && ip->s[end] != '\''; end++)
		if (ip->s[end] == '\\')
			end++;
	buf.maxlen = Min(end, ip->len) - start + 1;
	buf.data = palloc(buf.maxlen);
	resetStringInfo(&buf);
	while (ip->pos < ip->len && ip->s[ip->pos] != '\'')
	{
		char		c = ip->s[ip->pos];

		if (c == '\\')
		{
			char		next = ip->pos + 1 < ip->len ? ip->s[ip->pos + 1] : '\0';

			if (next != '\'' && next != '{' && next != '}' && next != '\\')
				return ip_error(ip, "invalid escape sequence at position %d; only \\', \\{, \\} and \\\\ are allowed",
								ip->pos + 1);
			ip->pos++;
			c = next;
		}
		appendStringInfoChar(&buf, c);
		ip->pos++;
	}
	if (ip->pos >= ip->len)
		return ip_error(ip, "unterminated string literal");
	arg->kind = SFN_ARG_LITERAL;
	arg->raw = pnstrdup(ip->s + start, ip->pos - start);
	arg->literal = sfn_jv_string(buf.data, buf.len);
	ip->pos++;
	return true;
}

static bool
ip_parse_number(IParser *ip, SfnArg *arg)
{
	int			start = ip->pos;
	char	   *num;

	if (IP_PEEK(ip) == '-')
		ip->pos++;
	if (!isdigit((unsigned char) IP_PEEK(ip)))
		return ip_error(ip, "unexpected character \"%c\" at position %d",
						IP_PEEK(ip) ? IP_PEEK(ip) : ' ', ip->pos + 1);
	while (isdigit((unsigned char) IP_PEEK(ip)))
		ip->pos++;
	if (IP_PEEK(ip) == '.')
	{
		ip->pos++;
		if (!isdigit((unsigned char) IP_PEEK(ip)))
			return ip_error(ip, "invalid number at position %d", start + 1);
		while (isdigit((unsigned char) IP_PEEK(ip)))
			ip->pos++;
	}
	if (IP_PEEK(ip) == 'e' || IP_PEEK(ip) == 'E')
	{
		int			expstart;

		ip->pos++;
		if (IP_PEEK(ip) == '+' || IP_PEEK(ip) == '-')
			ip->pos++;
		expstart = ip->pos;
		while (isdigit((unsigned char) IP_PEEK(ip)))
			ip->pos++;
		if (ip->pos == expstart || ip->pos - expstart > 3)
			return ip_error(ip, "invalid number at position %d", start + 1);
	}
	if (ip->pos - start > 300)
		return ip_error(ip, "number too long at position %d", start + 1);
	num = pnstrdup(ip->s + start, ip->pos - start);
	arg->kind = SFN_ARG_LITERAL;
	arg->literal = sfn_jv_numeric(DatumGetNumeric(DirectFunctionCall3(numeric_in,
																  CStringGetDatum(num),
																  ObjectIdGetDatum(InvalidOid),
																  Int32GetDatum(-1))));
	return true;
}

static bool
ip_keyword(IParser *ip, const char *kw)
{
	int			n = strlen(kw);

	if (ip->pos + n > ip->len || strncmp(ip->s + ip->pos, kw, n) != 0 ||
		(ip->pos + n < ip->len && ip_is_name_char(ip->s[ip->pos + n])))
		return false;
	ip->pos += n;
	return true;
}

static bool
ip_parse_arg(IParser *ip, SfnArg *arg, int nesting)
{
	char		c = IP_PEEK(ip);

	memset(arg, 0, sizeof(*arg));
	if (c == '\'')
		return ip_parse_string(ip, arg);
	if (c == '$')
	{
		int			consumed;
		char	   *msg;

		arg->kind = SFN_ARG_PATH;
		arg->path = sfn_path_parse_prefix(ip->s + ip->pos, ip->len - ip->pos,
										  false, &consumed, &msg);
		if (arg->path == NULL)
			return ip_error(ip, "invalid path at position %d: %s", ip->pos + 1, msg);
		ip->pos += consumed;
		return true;
	}
	if (ip_function_name_length(ip->s + ip->pos, ip->len - ip->pos) > 0)
	{
		arg->kind = SFN_ARG_CALL;
		arg->call = ip_parse_call(ip, nesting + 1);
		return arg->call != NULL;
	}
	arg->kind = SFN_ARG_LITERAL;
	if (ip_keyword(ip, "true"))
		arg->literal = sfn_jv_bool(true);
	else if (ip_keyword(ip, "false"))
		arg->literal = sfn_jv_bool(false);
	else if (ip_keyword(ip, "null"))
		arg->literal = sfn_jv_null();
	else if (c == '\0')
		return ip_error(ip, "unexpected end of input");
	else
		return ip_parse_number(ip, arg);
	return true;
}

static const SfnFuncDef *
ip_lookup(const char *name, int len)
{
	int			i;

	for (i = 0; i < (int) lengthof(sfn_functions); i++)
		if ((int) strlen(sfn_functions[i].name) == len &&
			strncmp(sfn_functions[i].name, name, len) == 0)
			return &sfn_functions[i];
	return NULL;
}

static bool
ip_check_arity(IParser *ip, const SfnIntrinsic *f)
{
	const SfnFuncDef *d = f->def;

	if (f->nargs >= d->minargs && (d->maxargs < 0 || f->nargs <= d->maxargs))
		return true;
	if (d->maxargs < 0)
		return ip_error(ip, "%s expects at least %d argument%s, got %d",
						d->name, d->minargs, d->minargs == 1 ? "" : "s", f->nargs);
	if (d->minargs != d->maxargs)
		return ip_error(ip, "%s expects %d to %d arguments, got %d",
						d->name, d->minargs, d->maxargs, f->nargs);
	return ip_error(ip, "%s expects %d argument%s, got %d",
					d->name, d->minargs, d->minargs == 1 ? "" : "s", f->nargs);
}

static SfnIntrinsic *
ip_parse_call(IParser *ip, int nesting)
{
	int			namelen = ip_function_name_length(ip->s + ip->pos, ip->len - ip->pos);
	SfnIntrinsic *f;
	int			cap = 4;

	check_stack_depth();
	if (nesting > SFN_INTRINSIC_MAX_NESTING)
	{
		ip_error(ip, "intrinsic functions are nested more than %d deep",
				 SFN_INTRINSIC_MAX_NESTING);
		return NULL;
	}
	if (namelen == 0)
	{
		ip_error(ip, "expected an intrinsic function name at position %d", ip->pos + 1);
		return NULL;
	}
	f = palloc0(sizeof(SfnIntrinsic));
	f->def = ip_lookup(ip->s + ip->pos, namelen);
	if (f->def == NULL)
	{
		ip_error(ip, "unknown intrinsic function \"%.*s\"", namelen, ip->s + ip->pos);
		return NULL;
	}
	ip->pos += namelen;
	ip_skip_space(ip);
	if (IP_PEEK(ip) != '(')
	{
		ip_error(ip, "expected \"(\" after %s", f->def->name);
		return NULL;
	}
	ip->pos++;
	f->args = palloc(sizeof(SfnArg) * cap);
	ip_skip_space(ip);
	if (IP_PEEK(ip) != ')')
	{
		for (;;)
		{
			ip_skip_space(ip);
			if (f->nargs >= cap)
			{
				cap *= 2;
				f->args = repalloc(f->args, sizeof(SfnArg) * cap);
			}
			if (!ip_parse_arg(ip, &f->args[f->nargs], nesting))
				return NULL;
			f->nargs++;
			ip_skip_space(ip);
			if (IP_PEEK(ip) == ',')
			{
				ip->pos++;
				continue;
			}
			if (IP_PEEK(ip) == ')')
				break;
			if (IP_PEEK(ip) == '\0')
				ip_error(ip, "missing \")\" at end of %s call", f->def->name);
			else
				ip_error(ip, "unexpected character \"%c\" at position %d",
						 IP_PEEK(ip), ip->pos + 1);
			return NULL;
		}
	}
	ip->pos++;
	if (!ip_check_arity(ip, f))
		return NULL;
	return f;
}

bool
sfn_intrinsic_looks_like_call(const char *text)
{
	int			len = strlen(text);
	int			n = ip_function_name_length(text, len);

	if (n == 0)
		return false;
	while (n < len && scanner_isspace(text[n]))
		n++;
	return n < len && text[n] == '(';
}

SfnIntrinsic *
sfn_intrinsic_parse(const char *text, char **errmsg)
{
	IParser		ip;
	SfnIntrinsic *f;

	memset(&ip, 0, sizeof(ip));
	ip.s = text;
	ip.len = strlen(text);
	f = ip_parse_call(&ip, 1);
	if (f != NULL)
	{
		ip_skip_space(&ip);
		if (ip.pos < ip.len)
		{
			ip_error(&ip, "unexpected text after the closing \")\" at position %d",
					 ip.pos + 1);
			f = NULL;
		}
	}
	if (f == NULL)
		*errmsg = ip.errmsg ? ip.errmsg : pstrdup("syntax error");
	return f;
}

/* ----------------------------------------------------------------
 *		evaluation
 * ----------------------------------------------------------------
 */

static bool
eval_arg(const SfnArg *arg, JsonbValue *input, JsonbValue *context,
		 JsonbValue **out, SfnError *err)
{
	switch (arg->kind)
	{
		case SFN_ARG_LITERAL:
			*out = arg->literal;
			return true;
		case SFN_ARG_PATH:
			if (!sfn_path_query(arg->path, input, context, out, err))
				return false;
			if (*out == NULL)
			{
				JsonbValue *doc = sfn_path_is_context(arg->path) ? context : input;

				return sfn_fail(err, "States.Runtime",
								"The JsonPath argument for the field '%s' could not be found in the input '%s'",
								sfn_path_text(arg->path),
								doc ? sfn_jv_to_text(doc) : "null");
			}
			return true;
		case SFN_ARG_CALL:
			return sfn_intrinsic_eval(arg->call, input, context, out, err);
	}
	return false;
}

bool
sfn_intrinsic_eval(const SfnIntrinsic *f, JsonbValue *input, JsonbValue *context,
				   JsonbValue **result, SfnError *err)
{
	JsonbValue **argv;
	int			i;

	check_stack_depth();
	argv = palloc(sizeof(JsonbValue *) * Max(f->nargs, 1));
	for (i = 0; i < f->nargs; i++)
		if (!eval_arg(&f->args[i], input, context, &argv[i], err))
			return false;
	if (!f->def->fn(f, argv, result, err))
		return false;

	/*
	 * A result may hold one argument many times (States.Array($.big,
	 * $.big, ...)); it is copied and printed in full later.
	 */
	if (!sfn_budget_reserve_value(*result))
		return sfn_budget_error(err);
	return true;
}
