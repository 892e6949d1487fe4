/*-------------------------------------------------------------------------
 *
 * jsonata_value.c
 *	  JSONata values: construction, JsonbValue conversion, numbers printed
 *	  as JavaScript prints them, JSON text as JSON.stringify writes it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "common/shortest_dec.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "eval/budget.h"
#include "eval/jsonata_int.h"

JnVal		jn_null_val = {JN_NULL, 0, NULL, {0}};
JnVal		jn_true_val = {JN_BOOL, 0, NULL, {.b = true}};
JnVal		jn_false_val = {JN_BOOL, 0, NULL, {.b = false}};

JnVal *
jn_num(double d)
{
	JnVal	   *v = palloc(sizeof(JnVal));

	v->type = JN_NUM;
	v->flags = 0;
	v->numeric = NULL;
	v->u.n = d;
	return v;
}

JnVal *
jn_str(const char *s, int len)
{
	JnVal	   *v = palloc(sizeof(JnVal));

	v->type = JN_STR;
	v->flags = 0;
	v->u.s.p = palloc(len + 1);
	memcpy(v->u.s.p, s, len);
	v->u.s.p[len] = '\0';
	v->u.s.len = len;
	return v;
}

JnVal *
jn_cstr(const char *s)
{
	return jn_str(s, strlen(s));
}

JnVal *
jn_arr(int cap)
{
	JnVal	   *v = palloc(sizeof(JnVal));

	v->type = JN_ARR;
	v->flags = 0;
	v->u.a.cap = Max(cap, 4);
	v->u.a.n = 0;
	v->u.a.items = palloc(sizeof(JnVal *) * v->u.a.cap);
	return v;
}

JnVal *
jn_seq(void)
{
	JnVal	   *v = jn_arr(4);

	v->flags = JNF_SEQ;
	return v;
}

JnVal *
jn_obj(int cap)
{
	JnVal	   *v = palloc(sizeof(JnVal));

	v->type = JN_OBJ;
	v->flags = 0;
	v->u.o.cap = Max(cap, 4);
	v->u.o.n = 0;
	v->u.o.pairs = palloc(sizeof(JnPair) * v->u.o.cap);
	return v;
}

JnVal *
jn_funcval(JnFunc *f)
{
	JnVal	   *v = palloc(sizeof(JnVal));

	v->type = JN_FUNC;
	v->flags = 0;
	v->u.f = f;
	return v;
}

void
jn_push(JnVal *arr, JnVal *v)
{
	if (arr->u.a.n == arr->u.a.cap)
	{
		if (arr->u.a.cap >= (int) (MaxAllocSize / sizeof(JnVal *) / 2))
			jn_throw("D1001", -1, NULL, NULL);
		arr->u.a.cap *= 2;
		arr->u.a.items = repalloc(arr->u.a.items, sizeof(JnVal *) * arr->u.a.cap);
	}
	arr->u.a.items[arr->u.a.n++] = v;
}

JnVal *
jn_get(const JnVal *obj, const char *key, int klen)
{
	for (int i = 0; i < obj->u.o.n; i++)
	{
		JnPair	   *p = &obj->u.o.pairs[i];

		if (p->klen == klen && memcmp(p->key, key, klen) == 0)
			return p->val;
	}
	return NULL;
}

void
jn_put(JnVal *obj, const char *key, int klen, JnVal *v)
{
	JnPair	   *p;

	for (int i = 0; i < obj->u.o.n; i++)
	{
		p = &obj->u.o.pairs[i];
		if (p->klen == klen && memcmp(p->key, key, klen) == 0)
		{
			p->val = v;
			return;
		}
	}
	if (obj->u.o.n == obj->u.o.cap)
	{
		if (obj->u.o.cap >= (int) (MaxAllocSize / sizeof(JnPair) / 2))
			jn_throw("D1001", -1, NULL, NULL);
		obj->u.o.cap *= 2;
		obj->u.o.pairs = repalloc(obj->u.o.pairs, sizeof(JnPair) * obj->u.o.cap);
	}
	p = &obj->u.o.pairs[obj->u.o.n++];
	p->key = (char *) key;
	p->klen = klen;
	p->val = v;
}

bool
jn_del(JnVal *obj, const char *key, int klen)
{
	for (int i = 0; i < obj->u.o.n; i++)
	{
		JnPair	   *p = &obj->u.o.pairs[i];

		if (p->klen == klen && memcmp(p->key, key, klen) == 0)
		{
			memmove(p, p + 1, sizeof(JnPair) * (obj->u.o.n - i - 1));
			obj->u.o.n--;
			return true;
		}
	}
	return false;
}

JnVal *
jn_copy_arr(const JnVal *a)
{
	JnVal	   *r = jn_arr(a->u.a.n);

	memcpy(r->u.a.items, a->u.a.items, sizeof(JnVal *) * a->u.a.n);
	r->u.a.n = a->u.a.n;
	return r;
}

JnVal *
jn_shallow_obj(const JnVal *o)
{
	JnVal	   *r = jn_obj(o->u.o.n);

	memcpy(r->u.o.pairs, o->u.o.pairs, sizeof(JnPair) * o->u.o.n);
	r->u.o.n = o->u.o.n;
	return r;
}

JnVal *
jn_deep_copy(const JnVal *v)
{
	JnVal	   *r;

	jn_check_stack();
	jn_charge(1);
	switch (v->type)
	{
		case JN_ARR:
			r = jn_arr(v->u.a.n);
			for (int i = 0; i < v->u.a.n; i++)
				r->u.a.items[i] = v->u.a.items[i] ? jn_deep_copy(v->u.a.items[i]) : NULL;
			r->u.a.n = v->u.a.n;
			return r;
		case JN_OBJ:
			r = jn_obj(v->u.o.n);
			for (int i = 0; i < v->u.o.n; i++)
			{
				r->u.o.pairs[i] = v->u.o.pairs[i];
				r->u.o.pairs[i].val = jn_deep_copy(v->u.o.pairs[i].val);
			}
			r->u.o.n = v->u.o.n;
			return r;
		default:
			return (JnVal *) v;
	}
}

bool
jn_deep_equal(const JnVal *a, const JnVal *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	jn_check_stack();
	jn_charge(1);
	if (a->type != b->type)
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
			return a->u.s.len == b->u.s.len &&
				memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
		case JN_ARR:
			if (a->u.a.n != b->u.a.n)
				return false;
			for (int i = 0; i < a->u.a.n; i++)
				if (!jn_deep_equal(a->u.a.items[i], b->u.a.items[i]))
					return false;
			return true;
		case JN_OBJ:
			if (a->u.o.n != b->u.o.n)
				return false;
			for (int i = 0; i < a->u.o.n; i++)
			{
				JnPair	   *p = &a->u.o.pairs[i];
				JnVal	   *o = jn_get(b, p->key, p->klen);

				if (o == NULL || !jn_deep_equal(p->val, o))
					return false;
			}
			return true;
		case JN_FUNC:
			return false;
	}
	return false;
}

bool
jn_is_int(double d)
{
	return isfinite(d) && d == floor(d);
}

bool
jn_is_array_of_strings(const JnVal *v)
{
	if (v == NULL || v->type != JN_ARR)
		return false;
	for (int i = 0; i < v->u.a.n; i++)
		if (v->u.a.items[i] == NULL || v->u.a.items[i]->type != JN_STR)
			return false;
	return true;
}

bool
jn_is_array_of_numbers(const JnVal *v)
{
	if (v == NULL || v->type != JN_ARR)
		return false;
	for (int i = 0; i < v->u.a.n; i++)
		if (v->u.a.items[i] == NULL || v->u.a.items[i]->type != JN_NUM)
			return false;
	return true;
}

/* ---- conversion ---- */

JnVal *
jn_from_jsonb(const JsonbValue *v)
{
	JnVal	   *r;

	jn_check_stack();
	switch (v->type)
	{
		case jbvNull:
			return JN_NULLV;
		case jbvBool:
			return JN_BOOLV(v->val.boolean);
		case jbvNumeric:
			r = jn_num(sfn_jv_get_float8(v));
			r->numeric = v->val.numeric;	/* numerics are immutable */
			return r;
		case jbvString:
			r = palloc(sizeof(JnVal));
			r->type = JN_STR;
			r->flags = 0;
			r->u.s.p = v->val.string.val;
			r->u.s.len = v->val.string.len;
			return r;
		case jbvArray:
			r = jn_arr(v->val.array.nElems);
			for (int i = 0; i < v->val.array.nElems; i++)
				r->u.a.items[i] = jn_from_jsonb(&v->val.array.elems[i]);
			r->u.a.n = v->val.array.nElems;
			return r;
		case jbvObject:
			r = jn_obj(v->val.object.nPairs);
			for (int i = 0; i < v->val.object.nPairs; i++)
			{
				JsonbPair  *p = &v->val.object.pairs[i];

				r->u.o.pairs[i].key = p->key.val.string.val;
				r->u.o.pairs[i].klen = p->key.val.string.len;
				r->u.o.pairs[i].val = jn_from_jsonb(&p->value);
			}
			r->u.o.n = v->val.object.nPairs;
			return r;
		default:
			elog(ERROR, "unexpected JsonbValue type %d", (int) v->type);
	}
	return NULL;
}

static int	jn_shortest_digits(double d, char *digits, int *n);

/* Undefined items of arrays become null; functions become "". */
JsonbValue *
jn_to_jsonb(const JnVal *v)
{
	JsonbValue *r;

	jn_check_stack();
	jn_charge(1);
	if (v == NULL)
		return sfn_jv_null();
	switch (v->type)
	{
		case JN_NULL:
			return sfn_jv_null();
		case JN_BOOL:
			return sfn_jv_bool(v->u.b);
		case JN_NUM:
			{
				StringInfoData buf;

				char		small[64];

				if (!isfinite(v->u.n))
					jn_throw("D1001", -1, NULL, (JnVal *) v);
				if (v->numeric != NULL)
					return sfn_jv_numeric((Numeric) v->numeric);
				if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 1e15)
					return sfn_jv_numeric(int64_to_numeric((int64) v->u.n));
				else
				{
					/* a decimal fraction: its digits over a power of ten */
					char		digits[40];
					int			n;
					int			k = jn_shortest_digits(v->u.n, digits, &n);

					if (k <= 17 && n <= k && k - n <= 300)
					{
						int64		m = strtoll(digits, NULL, 10);

						return sfn_jv_numeric(int64_div_fast_to_numeric(v->u.n < 0 ? -m : m, k - n));
					}
				}
				buf.data = small;
				buf.maxlen = sizeof(small);
				buf.len = 0;
				buf.cursor = 0;
				small[0] = '\0';
				jn_format_number(&buf, v->u.n);
				return sfn_jv_numeric(DatumGetNumeric(DirectFunctionCall3(numeric_in,
																		  CStringGetDatum(buf.data),
																		  ObjectIdGetDatum(InvalidOid),
																		  Int32GetDatum(-1))));
			}
		case JN_STR:
			return sfn_jv_string(v->u.s.p, v->u.s.len);
		case JN_FUNC:
			return sfn_jv_string("", 0);
		case JN_ARR:
			r = sfn_jv_array();
			for (int i = 0; i < v->u.a.n; i++)
				sfn_jv_array_append(r, jn_to_jsonb(v->u.a.items[i]));
			return r;
		case JN_OBJ:
			r = sfn_jv_object();
			for (int i = 0; i < v->u.o.n; i++)
				sfn_jv_object_add(r, v->u.o.pairs[i].key, v->u.o.pairs[i].klen,
								  jn_to_jsonb(v->u.o.pairs[i].val));
			sfn_jv_object_finish(r);
			return r;
	}
	return NULL;
}

/* ---- numbers ---- */

/*
 * The shortest decimal digits that read back as d (PostgreSQL's Ryu):
 * digits[] and the decimal exponent n such that |d| = 0.digits * 10^n.
 */
static int
jn_shortest_digits(double d, char *digits, int *n)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	char	   *p = buf;
	int			k = 0,
				dp = -1,
				exp = 0;

	double_to_shortest_decimal_buf(d, buf);
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
	{
		if (*p == '.')
			dp = k;
		else
			digits[k++] = *p;
	}
	if (*p == 'e')
		exp = atoi(p + 1);
	if (dp < 0)
		dp = k;
	/* leading zeros move the decimal point; trailing zeros go */
	while (k > 1 && digits[0] == '0')
	{
		memmove(digits, digits + 1, --k);
		dp--;
	}
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*n = dp + exp;
	return k;
}

void
jn_format_number(StringInfo buf, double d)
{
	char		digits[40];
	int			k,
				n;

	if (isnan(d))
	{
		appendStringInfoString(buf, "NaN");
		return;
	}
	if (isinf(d))
	{
		appendStringInfoString(buf, d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (d == 0)
	{
		appendStringInfoChar(buf, '0');
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15)
	{
		appendStringInfo(buf, "%.0f", d);
		return;
	}
	if (d < 0)
	{
		appendStringInfoChar(buf, '-');
		d = -d;
	}
	k = jn_shortest_digits(d, digits, &n);
	if (k <= n && n <= 21)
	{
		appendStringInfoString(buf, digits);
		for (int i = 0; i < n - k; i++)
			appendStringInfoChar(buf, '0');
	}
	else if (0 < n && n <= 21)
	{
		appendBinaryStringInfo(buf, digits, n);
		appendStringInfoChar(buf, '.');
		appendStringInfoString(buf, digits + n);
	}
	else if (-6 < n && n <= 0)
	{
		appendStringInfoString(buf, "0.");
		for (int i = 0; i < -n; i++)
			appendStringInfoChar(buf, '0');
		appendStringInfoString(buf, digits);
	}
	else
	{
		appendStringInfoChar(buf, digits[0]);
		if (k > 1)
		{
			appendStringInfoChar(buf, '.');
			appendStringInfoString(buf, digits + 1);
		}
		appendStringInfo(buf, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
}

static void
jn_append_json_string(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '"':
				appendStringInfoString(buf, "\\\"");
				break;
			case '\\':
				appendStringInfoString(buf, "\\\\");
				break;
			case '\b':
				appendStringInfoString(buf, "\\b");
				break;
			case '\f':
				appendStringInfoString(buf, "\\f");
				break;
			case '\n':
				appendStringInfoString(buf, "\\n");
				break;
			case '\r':
				appendStringInfoString(buf, "\\r");
				break;
			case '\t':
				appendStringInfoString(buf, "\\t");
				break;
			default:
				if (c < 0x20)
					appendStringInfo(buf, "\\u%04x", c);
				else
					appendStringInfoChar(buf, (char) c);
		}
	}
	appendStringInfoChar(buf, '"');
}

static void
jn_newline(StringInfo buf, bool pretty, int indent)
{
	if (!pretty)
		return;
	appendStringInfoChar(buf, '\n');
	for (int i = 0; i < indent; i++)
		appendStringInfoString(buf, "  ");
}

void
jn_stringify(StringInfo buf, const JnVal *v, bool pretty, int indent)
{
	jn_check_stack();
	jn_charge(1);
	/* measuring memory is not free: check the text's growth now and then */
	if (buf->len > 65536 && buf->len / 65536 != buf->cursor)
	{
		buf->cursor = buf->len / 65536;
		if (!sfn_budget_reserve(buf->len))
			jn_charge(PG_INT64_MAX);
	}
	if (v == NULL)
	{
		appendStringInfoString(buf, "null");
		return;
	}
	switch (v->type)
	{
		case JN_NULL:
			appendStringInfoString(buf, "null");
			break;
		case JN_BOOL:
			appendStringInfoString(buf, v->u.b ? "true" : "false");
			break;
		case JN_NUM:
			if (!isfinite(v->u.n))
				jn_throw("D1001", -1, NULL, (JnVal *) v);
			else
			{
				char		digits[40];
				int			n;

				/* JSONata prints numbers to 15 significant digits */
				if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 1e15)
					appendStringInfo(buf, "%.0f", v->u.n);
				else if (jn_shortest_digits(v->u.n, digits, &n) <= 15)
					jn_format_number(buf, v->u.n);
				else
				{
					char		tmp[40];

					snprintf(tmp, sizeof(tmp), "%.14e", v->u.n);
					jn_format_number(buf, strtod(tmp, NULL));
				}
			}
			break;
		case JN_STR:
			jn_append_json_string(buf, v->u.s.p, v->u.s.len);
			break;
		case JN_FUNC:
			appendStringInfoString(buf, "\"\"");
			break;
		case JN_ARR:
			if (v->u.a.n == 0)
			{
				appendStringInfoString(buf, "[]");
				break;
			}
			appendStringInfoChar(buf, '[');
			for (int i = 0; i < v->u.a.n; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				jn_newline(buf, pretty, indent + 1);
				jn_stringify(buf, v->u.a.items[i], pretty, indent + 1);
			}
			jn_newline(buf, pretty, indent);
			appendStringInfoChar(buf, ']');
			break;
		case JN_OBJ:
			if (v->u.o.n == 0)
			{
				appendStringInfoString(buf, "{}");
				break;
			}
			appendStringInfoChar(buf, '{');
			for (int i = 0; i < v->u.o.n; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				jn_newline(buf, pretty, indent + 1);
				jn_append_json_string(buf, v->u.o.pairs[i].key, v->u.o.pairs[i].klen);
				appendStringInfoString(buf, pretty ? ": " : ":");
				jn_stringify(buf, v->u.o.pairs[i].val, pretty, indent + 1);
			}
			jn_newline(buf, pretty, indent);
			appendStringInfoChar(buf, '}');
			break;
	}
}

/* ---- UTF-8 ---- */

static inline int
jn_utf8_charlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

int
jn_utf8_len(const char *s, int len)
{
	int			n = 0;

	for (int i = 0; i < len; i += jn_utf8_charlen((unsigned char) s[i]))
		n++;
	return n;
}

int
jn_utf8_offset(const char *s, int len, int chars)
{
	int			i = 0;

	while (chars > 0 && i < len)
	{
		i += jn_utf8_charlen((unsigned char) s[i]);
		chars--;
	}
	return Min(i, len);
}
