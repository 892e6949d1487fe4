/*-------------------------------------------------------------------------
 *
 * json.c
 *	  A mutable JSON document model on top of PostgreSQL's JsonbValue.
 *
 * Trees built here are fully expanded (no jbvBinary) so that evaluators can
 * walk and modify them directly.  Parsing goes through common/jsonapi.h with
 * semantic actions, which reports errors by return code rather than ereport,
 * so bad JSON text coming from a workflow becomes an AWS error, not an SQL
 * one.  Text output is compact and keeps key order, as AWS prints JSON.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <errno.h>
#include <math.h>

#include "support/format.h"
#include "common/jsonapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "eval/budget.h"
#include "eval/json.h"

/* ----------------------------------------------------------------
 *		errors
 * ----------------------------------------------------------------
 */

bool
sfn_fail(SfnError *err, const char *error, const char *fmt,...)
{
	if (err == NULL)
		return false;
	err->error = error;
	if (fmt == NULL)
		err->cause = NULL;
	else
	{
		va_list		args;

		va_start(args, fmt);
		err->cause = sfn_vformat(fmt, args);
		va_end(args);
	}
	return false;
}

/* ----------------------------------------------------------------
 *		constructors
 * ----------------------------------------------------------------
 */

JsonbValue *
sfn_jv_null(void)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));

	v->type = jbvNull;
	return v;
}

JsonbValue *
sfn_jv_bool(bool b)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));

	v->type = jbvBool;
	v->val.boolean = b;
	return v;
}

JsonbValue *
sfn_jv_string(const char *s, int len)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));
	char	   *copy = palloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	v->type = jbvString;
	v->val.string.val = copy;
	v->val.string.len = len;
	return v;
}

JsonbValue *
sfn_jv_cstring(const char *s)
{
	return sfn_jv_string(s, strlen(s));
}

JsonbValue *
sfn_jv_numeric(Numeric n)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));

	v->type = jbvNumeric;
	v->val.numeric = n;
	return v;
}

JsonbValue *
sfn_jv_int(int64 i)
{
	return sfn_jv_numeric(int64_to_numeric(i));
}

/* Non-finite doubles have no JSON form; they become null. */
JsonbValue *
sfn_jv_float8(double d)
{
	if (isnan(d) || isinf(d))
		return sfn_jv_null();
	return sfn_jv_numeric(DatumGetNumeric(DirectFunctionCall1(float8_numeric,
														  Float8GetDatum(d))));
}

JsonbValue *
sfn_jv_array(void)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));

	v->type = jbvArray;
	v->val.array.nElems = 0;
	v->val.array.elems = NULL;
	v->val.array.rawScalar = false;
	return v;
}

JsonbValue *
sfn_jv_object(void)
{
	JsonbValue *v = palloc0(sizeof(JsonbValue));

	v->type = jbvObject;
	v->val.object.nPairs = 0;
	v->val.object.pairs = NULL;
	return v;
}

/*
 * Containers grow in powers of two; the allocated capacity is not stored,
 * it is derived from the count (capacity is the next power of two >= n).
 */
static int
sfn_jv_capacity(int n)
{
	int			cap = 4;

	/* no container holds 2^30 items (they would take over 1GB) */
	while (cap < n && cap <= PG_INT32_MAX / 2)
		cap *= 2;
	return cap;
}

void
sfn_jv_array_append(JsonbValue *arr, JsonbValue *elem)
{
	int			n = arr->val.array.nElems;
	JsonbValue	copy = *elem;	/* elem may point into arr's storage */

	Assert(arr->type == jbvArray);
	if (arr->val.array.elems == NULL)
		arr->val.array.elems = palloc(sizeof(JsonbValue) * sfn_jv_capacity(1));
	else if (n >= 4 && (n & (n - 1)) == 0)
		arr->val.array.elems = repalloc(arr->val.array.elems,
										sizeof(JsonbValue) * n * 2);
	arr->val.array.elems[n] = copy;
	arr->val.array.nElems = n + 1;
}

/* Append a pair without looking for an existing key. */
static void
sfn_jv_object_append(JsonbValue *obj, const char *key, int keylen, JsonbValue *val)
{
	int			n = obj->val.object.nPairs;
	JsonbValue	copy = *val;	/* val may point into obj's storage */
	JsonbPair  *p;

	if (obj->val.object.pairs == NULL)
		obj->val.object.pairs = palloc(sizeof(JsonbPair) * sfn_jv_capacity(1));
	else if (n >= 4 && (n & (n - 1)) == 0)
		obj->val.object.pairs = repalloc(obj->val.object.pairs,
										 sizeof(JsonbPair) * n * 2);
	p = &obj->val.object.pairs[n];
	p->key.type = jbvString;
	p->key.val.string.val = pnstrdup(key, keylen);
	p->key.val.string.len = keylen;
	p->value = copy;
	p->order = n;
	obj->val.object.nPairs = n + 1;
}

void
sfn_jv_object_add(JsonbValue *obj, const char *key, int keylen, JsonbValue *val)
{
	Assert(obj->type == jbvObject);
	sfn_jv_object_append(obj, key, keylen, val);
}

void
sfn_jv_object_put(JsonbValue *obj, const char *key, int keylen, JsonbValue *val)
{
	int			i;

	Assert(obj->type == jbvObject);
	for (i = 0; i < obj->val.object.nPairs; i++)
	{
		JsonbPair  *p = &obj->val.object.pairs[i];

		if (p->key.val.string.len == keylen &&
			memcmp(p->key.val.string.val, key, keylen) == 0)
		{
			p->value = *val;
			return;
		}
	}
	sfn_jv_object_append(obj, key, keylen, val);
}

JsonbValue *
sfn_jv_object_get(const JsonbValue *obj, const char *key, int keylen)
{
	int			i;

	Assert(obj->type == jbvObject);
	for (i = 0; i < obj->val.object.nPairs; i++)
	{
		JsonbPair  *p = &obj->val.object.pairs[i];

		if (p->key.val.string.len == keylen &&
			memcmp(p->key.val.string.val, key, keylen) == 0)
			return &p->value;
	}
	return NULL;
}

JsonbValue *
sfn_jv_object_cget(const JsonbValue *obj, const char *key)
{
	return sfn_jv_object_get(obj, key, strlen(key));
}

char *
sfn_jv_cstr(const JsonbValue *v)
{
	Assert(v->type == jbvString);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* ----------------------------------------------------------------
 *		conversion from and to Jsonb
 * ----------------------------------------------------------------
 */

static JsonbValue *
sfn_jv_from_iterator(JsonbIterator **it, JsonbIteratorToken tok, JsonbValue *first)
{
	JsonbValue	v;
	JsonbValue *result;

	check_stack_depth();
	if (tok == WJB_BEGIN_ARRAY)
	{
		result = sfn_jv_array();
		while ((tok = JsonbIteratorNext(it, &v, false)) != WJB_END_ARRAY)
		{
			if (tok == WJB_ELEM)
				sfn_jv_array_append(result, sfn_jv_copy(&v));
			else
				sfn_jv_array_append(result, sfn_jv_from_iterator(it, tok, &v));
		}
		return result;
	}
	if (tok == WJB_BEGIN_OBJECT)
	{
		result = sfn_jv_object();
		while ((tok = JsonbIteratorNext(it, &v, false)) != WJB_END_OBJECT)
		{
			JsonbValue	key = v;
			JsonbValue *val;

			Assert(tok == WJB_KEY);
			tok = JsonbIteratorNext(it, &v, false);
			if (tok == WJB_VALUE)
				val = sfn_jv_copy(&v);
			else
				val = sfn_jv_from_iterator(it, tok, &v);
			sfn_jv_object_append(result, key.val.string.val, key.val.string.len, val);
		}
		return result;
	}
	return sfn_jv_copy(first);
}

JsonbValue *
sfn_jv_from_jsonb(Jsonb *jb)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (JB_ROOT_IS_SCALAR(jb))
	{
		if (!JsonbExtractScalar(&jb->root, &v))
			elog(ERROR, "could not extract scalar from jsonb");
		return sfn_jv_copy(&v);
	}
	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);
	return sfn_jv_from_iterator(&it, tok, &v);
}

/* Returns what pushJsonbValue returned for the last token pushed. */
static JsonbValue *
sfn_jv_push(JsonbParseState **state, const JsonbValue *v, JsonbIteratorToken scalar_tok)
{
	int			i;

	check_stack_depth();
	switch (v->type)
	{
		case jbvArray:
			pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
			for (i = 0; i < v->val.array.nElems; i++)
				sfn_jv_push(state, &v->val.array.elems[i], WJB_ELEM);
			return pushJsonbValue(state, WJB_END_ARRAY, NULL);
		case jbvObject:
			pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
			for (i = 0; i < v->val.object.nPairs; i++)
			{
				JsonbPair  *p = &v->val.object.pairs[i];

				pushJsonbValue(state, WJB_KEY, &p->key);
				sfn_jv_push(state, &p->value, WJB_VALUE);
			}
			/* closing the object sorts and de-duplicates its keys */
			return pushJsonbValue(state, WJB_END_OBJECT, NULL);
		default:
			return pushJsonbValue(state, scalar_tok, (JsonbValue *) v);
	}
}

Jsonb *
sfn_jv_to_jsonb(const JsonbValue *v)
{
	JsonbParseState *state = NULL;

	if (v->type != jbvArray && v->type != jbvObject)
		return JsonbValueToJsonb((JsonbValue *) v);
	return JsonbValueToJsonb(sfn_jv_push(&state, v, WJB_ELEM));
}

/* ----------------------------------------------------------------
 *		parsing JSON text
 * ----------------------------------------------------------------
 */

typedef struct JvParseState
{
	JsonbValue **stack;			/* open containers */
	char	  **keys;			/* the key each open container goes under */
	int			depth;
	int			maxdepth;
	char	   *key;			/* pending object key */
	JsonbValue *root;
	bool		failed;			/* a number did not fit numeric */
} JvParseState;

/* Attach a freshly made value to the innermost open container. */
static void
sfn_jv_parse_attach(JvParseState *ps, JsonbValue *v)
{
	if (ps->depth == 0)
	{
		ps->root = v;
		return;
	}
	if (ps->stack[ps->depth - 1]->type == jbvArray)
		sfn_jv_array_append(ps->stack[ps->depth - 1], v);
	else
		sfn_jv_object_append(ps->stack[ps->depth - 1], ps->key, strlen(ps->key), v);
}

/*
 * Containers are attached before being filled, but attaching copies the
 * JsonbValue struct; so containers are attached at their end instead.
 */
static void
sfn_jv_parse_open(JvParseState *ps, JsonbValue *container)
{
	if (ps->depth >= ps->maxdepth)
	{
		ps->maxdepth *= 2;
		ps->stack = repalloc(ps->stack, sizeof(JsonbValue *) * ps->maxdepth);
		ps->keys = repalloc(ps->keys, sizeof(char *) * ps->maxdepth);
	}
	ps->keys[ps->depth] = ps->key;
	ps->stack[ps->depth++] = container;
}

static void
sfn_jv_sem_object_start(void *state)
{
	sfn_jv_parse_open((JvParseState *) state, sfn_jv_object());
}

static void
sfn_jv_sem_array_start(void *state)
{
	sfn_jv_parse_open((JvParseState *) state, sfn_jv_array());
}

static bool
sfn_jv_pair_same_key(const JsonbPair *a, const JsonbPair *b)
{
	return a->key.val.string.len == b->key.val.string.len &&
		memcmp(a->key.val.string.val, b->key.val.string.val,
			   a->key.val.string.len) == 0;
}

/* order by key, then by position */
static int
sfn_jv_pair_key_cmp(const void *a, const void *b)
{
	const JsonbPair *pa = *(JsonbPair *const *) a;
	const JsonbPair *pb = *(JsonbPair *const *) b;
	int			la = pa->key.val.string.len;
	int			lb = pb->key.val.string.len;
	int			c = memcmp(pa->key.val.string.val, pb->key.val.string.val, Min(la, lb));

	if (c != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return pa->order < pb->order ? -1 : (pa->order > pb->order);
}

/*
 * Duplicate keys: the last value wins but keeps the first key's position,
 * the same result as repeated sfn_jv_object_put() without its quadratic cost.
 */
static void
sfn_jv_object_dedup(JsonbValue *obj)
{
	int			n = obj->val.object.nPairs;
	JsonbPair **sorted;
	bool	   *drop;
	bool		any = false;
	int			i,
				j,
				k;

	if (n < 2)
		return;
	sorted = palloc(sizeof(JsonbPair *) * n);
	drop = palloc0(sizeof(bool) * n);
	for (i = 0; i < n; i++)
	{
		obj->val.object.pairs[i].order = i;
		sorted[i] = &obj->val.object.pairs[i];
	}
	qsort(sorted, n, sizeof(JsonbPair *), sfn_jv_pair_key_cmp);
	for (i = 0; i < n; i = j)
	{
		for (j = i + 1; j < n && sfn_jv_pair_same_key(sorted[i], sorted[j]); j++)
			drop[sorted[j]->order] = true;
		if (j - i > 1)
		{
			sorted[i]->value = sorted[j - 1]->value;
			any = true;
		}
	}
	if (any)
	{
		for (i = 0, k = 0; i < n; i++)
		{
			if (drop[i])
				continue;
			obj->val.object.pairs[k] = obj->val.object.pairs[i];
			obj->val.object.pairs[k].order = k;
			k++;
		}
		obj->val.object.nPairs = k;
	}
	pfree(sorted);
	pfree(drop);
}

void
sfn_jv_object_finish(JsonbValue *obj)
{
	Assert(obj->type == jbvObject);
	sfn_jv_object_dedup(obj);
}

static void
sfn_jv_sem_end(void *state)
{
	JvParseState *ps = (JvParseState *) state;
	JsonbValue *c = ps->stack[--ps->depth];

	ps->key = ps->keys[ps->depth];
	if (c->type == jbvObject)
		sfn_jv_object_dedup(c);
	sfn_jv_parse_attach(ps, c);
	/* nested containers were copied into their parent */
	if (ps->depth > 0)
		pfree(c);
}

static void
sfn_jv_sem_field_start(void *state, char *fname, bool isnull)
{
	((JvParseState *) state)->key = fname;
}

/*
 * The lexer has already checked number syntax; numeric_in can still reject
 * exponents beyond numeric's range, which must not escape as an ERROR.
 */
static bool
sfn_jv_number_fits(const char *token)
{
	const char *e = strpbrk(token, "eE");
	long		exp;

	if (e == NULL)
		return strlen(token) < 1000;
	errno = 0;
	exp = strtol(e + 1, NULL, 10);
	return errno == 0 && exp > -1000 && exp < 1000 && (e - token) < 1000;
}

static void
sfn_jv_sem_scalar(void *state, char *token, JsonTokenType tokentype)
{
	JvParseState *ps = (JvParseState *) state;
	JsonbValue *v;

	switch (tokentype)
	{
		case JSON_TOKEN_STRING:
			v = palloc0(sizeof(JsonbValue));
			v->type = jbvString;
			v->val.string.val = token;
			v->val.string.len = strlen(token);
			break;
		case JSON_TOKEN_NUMBER:
			if (!sfn_jv_number_fits(token))
			{
				ps->failed = true;
				v = sfn_jv_null();
				break;
			}
			v = sfn_jv_numeric(DatumGetNumeric(DirectFunctionCall3(numeric_in,
															   CStringGetDatum(token),
															   ObjectIdGetDatum(InvalidOid),
															   Int32GetDatum(-1))));
			break;
		case JSON_TOKEN_TRUE:
			v = sfn_jv_bool(true);
			break;
		case JSON_TOKEN_FALSE:
			v = sfn_jv_bool(false);
			break;
		default:
			v = sfn_jv_null();
			break;
	}
	sfn_jv_parse_attach(ps, v);
}

JsonbValue *
sfn_jv_parse(const char *text, int len)
{
	JsonLexContext *lex;
	JsonSemAction sem;
	JvParseState ps;

	/* jsonb cannot hold NUL characters; neither can our strings */
	if (memchr(text, '\0', len) != NULL)
		return NULL;
	if (pg_encoding_verifymbstr(GetDatabaseEncoding(), text, len) != len)
		return NULL;

	memset(&ps, 0, sizeof(ps));
	ps.maxdepth = 16;
	ps.stack = palloc(sizeof(JsonbValue *) * ps.maxdepth);
	ps.keys = palloc(sizeof(char *) * ps.maxdepth);

	memset(&sem, 0, sizeof(sem));
	sem.semstate = &ps;
	sem.object_start = sfn_jv_sem_object_start;
	sem.object_end = sfn_jv_sem_end;
	sem.array_start = sfn_jv_sem_array_start;
	sem.array_end = sfn_jv_sem_end;
	sem.object_field_start = sfn_jv_sem_field_start;
	sem.scalar = sfn_jv_sem_scalar;

	lex = makeJsonLexContextCstringLen(pnstrdup(text, len), len,
									   GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &sem) != JSON_SUCCESS || ps.failed)
		return NULL;
	return ps.root;
}

/* ----------------------------------------------------------------
 *		compact text output
 * ----------------------------------------------------------------
 */

/* Escape as Jackson does: only what JSON requires, uppercase hex. */
static void
sfn_jv_append_escaped(StringInfo buf, const char *s, int len)
{
	int			i;

	appendStringInfoCharMacro(buf, '"');
	for (i = 0; i < len; i++)
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
					appendStringInfo(buf, "\\u%04X", c);
				else
					appendStringInfoCharMacro(buf, c);
				break;
		}
	}
	appendStringInfoCharMacro(buf, '"');
}

/* Append v's text; stops early (the text then incomplete) past limit. */
static void
sfn_jv_append_text(StringInfo buf, const JsonbValue *v, int limit)
{
	int			i;

	check_stack_depth();
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(buf, "null");
			break;
		case jbvBool:
			appendStringInfoString(buf, v->val.boolean ? "true" : "false");
			break;
		case jbvString:
			sfn_jv_append_escaped(buf, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			appendStringInfoString(buf,
								   DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(v->val.numeric))));
			break;
		case jbvArray:
			appendStringInfoCharMacro(buf, '[');
			for (i = 0; i < v->val.array.nElems; i++)
			{
				if (buf->len > limit)
					return;
				if (i > 0)
					appendStringInfoCharMacro(buf, ',');
				sfn_jv_append_text(buf, &v->val.array.elems[i], limit);
			}
			appendStringInfoCharMacro(buf, ']');
			break;
		case jbvObject:
			appendStringInfoCharMacro(buf, '{');
			for (i = 0; i < v->val.object.nPairs; i++)
			{
				JsonbPair  *p = &v->val.object.pairs[i];

				if (buf->len > limit)
					return;
				if (i > 0)
					appendStringInfoCharMacro(buf, ',');
				sfn_jv_append_escaped(buf, p->key.val.string.val, p->key.val.string.len);
				appendStringInfoCharMacro(buf, ':');
				sfn_jv_append_text(buf, &p->value, limit);
			}
			appendStringInfoCharMacro(buf, '}');
			break;
		case jbvBinary:
			{
				/* not expected in our trees, but print it faithfully */
				Jsonb	   *jb = JsonbValueToJsonb((JsonbValue *) v);

				sfn_jv_append_text(buf, sfn_jv_from_jsonb(jb), limit);
			}
			break;
		default:
			elog(ERROR, "unexpected JsonbValue type %d", (int) v->type);
	}
}

char *
sfn_jv_to_text(const JsonbValue *v)
{
	StringInfoData buf;

	initStringInfo(&buf);
	sfn_jv_append_text(&buf, v, (int) MaxAllocSize);
	return buf.data;
}

char *
sfn_jv_to_text_limited(const JsonbValue *v, int limit)
{
	StringInfoData buf;

	initStringInfo(&buf);
	sfn_jv_append_text(&buf, v, limit);
	if (buf.len > limit)
	{
		pfree(buf.data);
		return NULL;
	}
	return buf.data;
}

/* ----------------------------------------------------------------
 *		copy and equality
 * ----------------------------------------------------------------
 */

/* Deep copy into a caller-provided slot. */
static void
sfn_jv_copy_into(JsonbValue *dst, const JsonbValue *src)
{
	int			i;

	check_stack_depth();
	*dst = *src;
	switch (src->type)
	{
		case jbvString:
			dst->val.string.val = pnstrdup(src->val.string.val, src->val.string.len);
			break;
		case jbvArray:
			dst->val.array.elems = src->val.array.nElems > 0 ?
				palloc(sizeof(JsonbValue) * sfn_jv_capacity(src->val.array.nElems)) : NULL;
			for (i = 0; i < src->val.array.nElems; i++)
				sfn_jv_copy_into(&dst->val.array.elems[i], &src->val.array.elems[i]);
			break;
		case jbvObject:
			dst->val.object.pairs = src->val.object.nPairs > 0 ?
				palloc(sizeof(JsonbPair) * sfn_jv_capacity(src->val.object.nPairs)) : NULL;
			for (i = 0; i < src->val.object.nPairs; i++)
			{
				JsonbPair  *d = &dst->val.object.pairs[i];
				const JsonbPair *s = &src->val.object.pairs[i];

				sfn_jv_copy_into(&d->key, &s->key);
				sfn_jv_copy_into(&d->value, &s->value);
				d->order = i;
			}
			break;
		case jbvBinary:
			{
				Jsonb	   *jb = JsonbValueToJsonb((JsonbValue *) src);

				*dst = *sfn_jv_from_jsonb(jb);
			}
			break;
		default:
			/* numerics are immutable; sharing them is fine */
			break;
	}
}

JsonbValue *
sfn_jv_copy(const JsonbValue *v)
{
	JsonbValue *res = palloc(sizeof(JsonbValue));

	sfn_jv_copy_into(res, v);
	return res;
}

/*
 * Large objects (same member count): compare their members in key order,
 * O(n log n) instead of one lookup per member.  Keys are unique in our
 * objects, so equal objects have equal sorted member lists.
 */
static bool
sfn_jv_equal_objects_sorted(const JsonbValue *a, const JsonbValue *b)
{
	int			n = a->val.object.nPairs;
	JsonbPair **sa = palloc(sizeof(JsonbPair *) * n);
	JsonbPair **sb = palloc(sizeof(JsonbPair *) * n);
	bool		equal = true;
	int			i;

	for (i = 0; i < n; i++)
	{
		sa[i] = &a->val.object.pairs[i];
		sb[i] = &b->val.object.pairs[i];
	}
	qsort(sa, n, sizeof(JsonbPair *), sfn_jv_pair_key_cmp);
	qsort(sb, n, sizeof(JsonbPair *), sfn_jv_pair_key_cmp);
	for (i = 0; i < n && equal; i++)
		equal = sfn_jv_pair_same_key(sa[i], sb[i]) &&
			sfn_jv_equal(&sa[i]->value, &sb[i]->value);
	pfree(sa);
	pfree(sb);
	return equal;
}

bool
sfn_jv_equal(const JsonbValue *a, const JsonbValue *b)
{
	int			i;

	check_stack_depth();
	/* an evaluation past its budget fails; its comparisons do not matter */
	if (!sfn_budget_charge(1))
		return false;
	if (a->type != b->type)
		return false;
	switch (a->type)
	{
		case jbvNull:
			return true;
		case jbvBool:
			return a->val.boolean == b->val.boolean;
		case jbvString:
			return a->val.string.len == b->val.string.len &&
				memcmp(a->val.string.val, b->val.string.val, a->val.string.len) == 0;
		case jbvNumeric:
			return DatumGetBool(DirectFunctionCall2(numeric_eq,
													NumericGetDatum(a->val.numeric),
													NumericGetDatum(b->val.numeric)));
		case jbvArray:
			if (a->val.array.nElems != b->val.array.nElems)
				return false;
			for (i = 0; i < a->val.array.nElems; i++)
				if (!sfn_jv_equal(&a->val.array.elems[i], &b->val.array.elems[i]))
					return false;
			return true;
		case jbvObject:
			if (a->val.object.nPairs != b->val.object.nPairs)
				return false;
			if (a->val.object.nPairs > 8)
				return sfn_jv_equal_objects_sorted(a, b);
			for (i = 0; i < a->val.object.nPairs; i++)
			{
				const JsonbPair *p = &a->val.object.pairs[i];
				JsonbValue *other = sfn_jv_object_get(b, p->key.val.string.val,
												  p->key.val.string.len);

				if (other == NULL || !sfn_jv_equal(&p->value, other))
					return false;
			}
			return true;
		default:
			return false;
	}
}

/* ----------------------------------------------------------------
 *		numbers
 * ----------------------------------------------------------------
 */

bool
sfn_jv_get_int64(const JsonbValue *v, int64 *out)
{
	char	   *text;
	char	   *end;
	int64		val;

	if (v->type != jbvNumeric || numeric_is_nan(v->val.numeric) ||
		numeric_is_inf(v->val.numeric))
		return false;
	/* numeric_normalize drops trailing fractional zeros: "2.00" -> "2" */
	text = numeric_normalize(v->val.numeric);
	if (strchr(text, '.') != NULL)
		return false;
	errno = 0;
	val = strtoi64(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = val;
	return true;
}

double
sfn_jv_get_float8(const JsonbValue *v)
{
	Assert(v->type == jbvNumeric);
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(v->val.numeric)));
}
