/*-------------------------------------------------------------------------
 *
 * jsonata_functions.c
 *	  The JSONata standard library and AWS Step Functions' additions.
 *
 * Each function receives its arguments after the signature check (so
 * optional arguments are NULL and context arguments are filled in).  The
 * behaviour follows jsonata-js 2.0.6; the AWS functions follow the Step
 * Functions documentation (see docs/JSONATA.md).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_collation.h"
#include "common/base64.h"
#include "common/cryptohash.h"
#include "common/md5.h"
#include "common/sha1.h"
#include "common/sha2.h"
#include "mb/pg_wchar.h"
#include "utils/formatting.h"
#include "utils/memutils.h"

#include "eval/budget.h"
#include "eval/jsonata_int.h"

#define ARG(i) ((i) < nargs ? args[(i)] : NULL)
#define FN(name) static JnVal *name(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)

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

/* ---- shared helpers ---- */

bool
jn_boolean(const JnVal *v)
{
	if (v == NULL)
		return false;
	switch (v->type)
	{
		case JN_ARR:
			if (v->u.a.n == 1)
				return jn_boolean(v->u.a.items[0]);
			for (int i = 0; i < v->u.a.n; i++)
				if (jn_boolean(v->u.a.items[i]))
					return true;
			return false;
		case JN_STR:
			return v->u.s.len > 0;
		case JN_NUM:
			return v->u.n != 0 && !isnan(v->u.n);
		case JN_OBJ:
			return v->u.o.n > 0;
		case JN_BOOL:
			return v->u.b;
		default:
			return false;
	}
}

JnVal *
jn_string_of(JnVal *v, bool pretty)
{
	StringInfoData buf;

	if (v == NULL)
		return NULL;
	if (v->type == JN_STR)
		return v;
	if (v->type == JN_FUNC)
		return jn_str("", 0);
	if (v->type == JN_NUM && !isfinite(v->u.n))
		jn_throw("D3001", -1, NULL, v);
	if (is_arr(v) && (v->flags & JNF_OUTER) && v->u.a.n > 0)
		v = v->u.a.items[0];
	if (v->type == JN_NUM || v->type == JN_BOOL || v->type == JN_NULL)
	{
		/* small buffer: $string over many numbers must not take 1 kB each */
		char		small[64];

		buf.data = small;
		buf.maxlen = sizeof(small);
		buf.len = 0;
		buf.cursor = 0;
		buf.data[0] = '\0';
		jn_stringify(&buf, v, false, 0);
		return jn_str(buf.data, buf.len);
	}
	initStringInfo(&buf);
	jn_stringify(&buf, v, pretty, 0);
	return jn_str(buf.data, buf.len);
}

JnVal *
jn_append(JnVal *a, JnVal *b)
{
	JnVal	   *r;

	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	r = jn_arr((is_arr(a) ? a->u.a.n : 1) + (is_arr(b) ? b->u.a.n : 1));
	if (is_arr(a))
		for (int i = 0; i < a->u.a.n; i++)
			jn_push(r, a->u.a.items[i]);
	else
		jn_push(r, a);
	if (is_arr(b))
		for (int i = 0; i < b->u.a.n; i++)
			jn_push(r, b->u.a.items[i]);
	else
		jn_push(r, b);
	return r;
}

JnVal *
jn_lookup(JnVal *input, const char *key, int klen)
{
	if (input == NULL)
		return NULL;
	if (input->type == JN_ARR)
	{
		JnVal	   *result = jn_seq();

		for (int i = 0; i < input->u.a.n; i++)
		{
			JnVal	   *res = jn_lookup(input->u.a.items[i], key, klen);

			if (res == NULL)
				continue;
			if (is_arr(res))
				for (int j = 0; j < res->u.a.n; j++)
					jn_push(result, res->u.a.items[j]);
			else
				jn_push(result, res);
		}
		return result;
	}
	if (input->type == JN_OBJ)
		return jn_get(input, key, klen);
	return NULL;
}

const char *
jn_type_name(const JnVal *v)
{
	switch (v->type)
	{
		case JN_NULL:
			return "null";
		case JN_BOOL:
			return "boolean";
		case JN_NUM:
			return "number";
		case JN_STR:
			return "string";
		case JN_ARR:
			return "array";
		case JN_FUNC:
			return "function";
		default:
			return "object";
	}
}

/* an argument the signature let through as undefined but which is needed */
static void
require_arg(JnVal **args, int nargs, int i)
{
	if (ARG(i) == NULL)
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "T0410";
		e->pos = -1;
		e->index = i + 1;
		jn_throw_err(e);
	}
}

static int
num_int(JnVal *v)
{
	double		d = v ? v->u.n : 0;

	/* saturate (symmetrically, so that abs() cannot overflow) */
	if (isnan(d))
		return 0;
	if (d > PG_INT32_MAX)
		return PG_INT32_MAX;
	if (d < -PG_INT32_MAX)
		return -PG_INT32_MAX;
	return (int) d;
}

/* ---- aggregation ---- */

FN(fn_sum)
{
	double		t = 0;

	if (ARG(0) == NULL)
		return NULL;
	for (int i = 0; i < args[0]->u.a.n; i++)
		t += args[0]->u.a.items[i]->u.n;
	return jn_num(t);
}

FN(fn_count)
{
	return jn_num(ARG(0) ? args[0]->u.a.n : 0);
}

FN(fn_max)
{
	double		m = -INFINITY;

	if (ARG(0) == NULL || args[0]->u.a.n == 0)
		return NULL;
	for (int i = 0; i < args[0]->u.a.n; i++)
		m = Max(m, args[0]->u.a.items[i]->u.n);
	return jn_num(m);
}

FN(fn_min)
{
	double		m = INFINITY;

	if (ARG(0) == NULL || args[0]->u.a.n == 0)
		return NULL;
	for (int i = 0; i < args[0]->u.a.n; i++)
		m = Min(m, args[0]->u.a.items[i]->u.n);
	return jn_num(m);
}

FN(fn_average)
{
	double		t = 0;

	if (ARG(0) == NULL || args[0]->u.a.n == 0)
		return NULL;
	for (int i = 0; i < args[0]->u.a.n; i++)
		t += args[0]->u.a.items[i]->u.n;
	return jn_num(t / args[0]->u.a.n);
}

/* ---- strings ---- */

FN(fn_string)
{
	if (ARG(0) == NULL)
		return NULL;
	return jn_string_of(args[0], ARG(1) != NULL && args[1]->u.b);
}

/* characters of a string as wide chars */
static pg_wchar *
wide(JnVal *s, int *wlen)
{
	return jn_to_wide(s->u.s.p, s->u.s.len, wlen);
}

static JnVal *
wide_str(const pg_wchar *w, int n)
{
	int			len;
	char	   *s = jn_from_wide(w, Max(n, 0), &len);
	JnVal	   *v = jn_str("", 0);

	v->u.s.p = s;
	v->u.s.len = len;
	return v;
}

FN(fn_substring)
{
	pg_wchar   *w;
	int			n;
	double		start,
				end;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL || isnan(args[1]->u.n))
		return args[0];			/* slice(NaN) is slice(0) */
	w = wide(args[0], &n);
	start = ARG(1)->u.n;
	if (n + start < 0)
		start = 0;
	if (ARG(2) != NULL)
	{
		double		length = args[2]->u.n;

		if (length <= 0)
			return jn_str("", 0);
		end = start >= 0 ? start + length : n + start + length;
	}
	else
		end = n;
	/* Array.prototype.slice semantics */
	start = start < 0 ? Max(n + start, 0) : Min(start, n);
	end = end < 0 ? Max(n + end, 0) : Min(end, n);
	start = floor(start);
	end = floor(end);
	if (end <= start)
		return jn_str("", 0);
	return wide_str(w + (int) start, (int) (end - start));
}

static char *
mem_find(const char *h, int hl, const char *n, int nl)
{
	if (nl == 0)
		return (char *) h;
	for (int i = 0; i + nl <= hl; i++)
		if (h[i] == n[0] && memcmp(h + i, n, nl) == 0)
			return (char *) h + i;
	return NULL;
}

FN(fn_substring_before)
{
	char	   *p;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL)
		return args[0];
	p = mem_find(args[0]->u.s.p, args[0]->u.s.len, args[1]->u.s.p, args[1]->u.s.len);
	if (p == NULL)
		return args[0];
	return jn_str(args[0]->u.s.p, p - args[0]->u.s.p);
}

FN(fn_substring_after)
{
	char	   *p;
	int			off;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL)
		return args[0];
	p = mem_find(args[0]->u.s.p, args[0]->u.s.len, args[1]->u.s.p, args[1]->u.s.len);
	if (p == NULL)
		return args[0];
	off = p - args[0]->u.s.p + args[1]->u.s.len;
	return jn_str(args[0]->u.s.p + off, args[0]->u.s.len - off);
}

FN(fn_lowercase)
{
	char	   *s;

	if (ARG(0) == NULL)
		return NULL;
	s = str_tolower(args[0]->u.s.p, args[0]->u.s.len, DEFAULT_COLLATION_OID);
	return jn_cstr(s);
}

FN(fn_uppercase)
{
	char	   *s;

	if (ARG(0) == NULL)
		return NULL;
	s = str_toupper(args[0]->u.s.p, args[0]->u.s.len, DEFAULT_COLLATION_OID);
	return jn_cstr(s);
}

FN(fn_length)
{
	if (ARG(0) == NULL)
		return NULL;
	return jn_num(jn_utf8_len(args[0]->u.s.p, args[0]->u.s.len));
}

FN(fn_trim)
{
	StringInfoData buf;
	const char *s;
	int			len;
	int			b = 0,
				e;

	if (ARG(0) == NULL)
		return NULL;
	s = args[0]->u.s.p;
	len = args[0]->u.s.len;
	initStringInfo(&buf);
	for (int i = 0; i < len; i++)
	{
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		{
			while (i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\n' || s[i + 1] == '\r'))
				i++;
			appendStringInfoChar(&buf, ' ');
		}
		else
			appendStringInfoChar(&buf, s[i]);
	}
	e = buf.len;
	if (e > 0 && buf.data[0] == ' ')
		b = 1;
	if (e > b && buf.data[e - 1] == ' ')
		e--;
	return jn_str(buf.data + b, e - b);
}

FN(fn_pad)
{
	int			width;
	JnVal	   *ch;
	int			slen,
				padlen;
	pg_wchar   *cw;
	int			cn;
	pg_wchar   *pw;
	JnVal	   *padding;
	StringInfoData buf;

	if (ARG(0) == NULL)
		return NULL;
	width = num_int(args[1]);
	ch = ARG(2);
	if (ch == NULL || ch->u.s.len == 0)
		ch = jn_str(" ", 1);
	slen = jn_utf8_len(args[0]->u.s.p, args[0]->u.s.len);
	padlen = abs(width) - slen;
	if (padlen <= 0)
		return args[0];
	jn_charge(padlen);
	if (!sfn_budget_reserve((Size) padlen * 4))
		jn_charge(PG_INT64_MAX);
	cw = wide(ch, &cn);
	pw = palloc(sizeof(pg_wchar) * padlen);
	for (int i = 0; i < padlen; i++)
		pw[i] = cw[i % cn];
	padding = wide_str(pw, padlen);
	initStringInfo(&buf);
	if (width > 0)
	{
		appendBinaryStringInfo(&buf, args[0]->u.s.p, args[0]->u.s.len);
		appendBinaryStringInfo(&buf, padding->u.s.p, padding->u.s.len);
	}
	else
	{
		appendBinaryStringInfo(&buf, padding->u.s.p, padding->u.s.len);
		appendBinaryStringInfo(&buf, args[0]->u.s.p, args[0]->u.s.len);
	}
	return jn_str(buf.data, buf.len);
}

/* ---- regex matching ---- */

/*
 * A matcher: a regex, or a JSONata function that returns match objects
 * ({match, start, end, groups, next}) as jsonata-js allows.
 */
typedef struct JnMatcher
{
	JnVal	   *fn;				/* a regex or a matcher function */
	pg_wchar   *w;
	int			wlen;
	int			last;			/* lastIndex */
	bool		started;
	JnVal	   *cur;			/* a matcher function's current match object */
	JnVal	   *str;
	JnEnv	   *env;
} JnMatcher;

/* the next match object of a matcher function, as a JnMatch */
static bool
matcher_next_fn(JnMatcher *mt, JnMatch *m)
{
	JnVal	   *obj;
	JnVal	   *start,
			   *end,
			   *groups,
			   *next,
			   *match;
	double		s,
				e;

	if (!mt->started)
	{
		mt->started = true;
		obj = jn_apply(mt->fn, &mt->str, 1, NULL, mt->env);
	}
	else
	{
		next = mt->cur ? jn_get(mt->cur, "next", 4) : NULL;
		if (next == NULL || next->type != JN_FUNC)
			return false;
		obj = jn_apply(next, NULL, 0, NULL, mt->env);
	}
	mt->cur = NULL;
	if (obj == NULL)
		return false;
	if (obj->type != JN_OBJ)
		jn_throw("T1010", -1, NULL, NULL);
	start = jn_get(obj, "start", 5);
	end = jn_get(obj, "end", 3);
	groups = jn_get(obj, "groups", 6);
	next = jn_get(obj, "next", 4);
	match = jn_get(obj, "match", 5);
	if (!((start && start->type == JN_NUM) || (end && end->type == JN_NUM) ||
		  (groups && groups->type == JN_ARR) || (next && next->type == JN_FUNC)))
		jn_throw("T1010", -1, NULL, NULL);
	mt->cur = obj;
	/* offsets come from the user: keep them inside the string */
	s = (start && start->type == JN_NUM) ? start->u.n : 0;
	e = s + ((match && match->type == JN_STR) ? jn_utf8_len(match->u.s.p, match->u.s.len) : 0);
	s = isnan(s) ? 0 : Max(0, Min(s, mt->wlen));
	e = isnan(e) ? s : Max(s, Min(e, mt->wlen));
	m->start = (int) s;
	m->end = (int) e;
	m->ngroups = 0;
	return true;
}

/* the next match as JavaScript's exec with the g flag finds it */
static bool
matcher_next(JnMatcher *mt, JnMatch *m)
{
	void	   *re;

	if (is_func(mt->fn) && mt->fn->u.f->kind != JFK_REGEX)
		return matcher_next_fn(mt, m);
	if (!is_func(mt->fn))
		jn_throw("T1010", -1, NULL, NULL);
	re = mt->fn->u.f->node->regex;

	if (!mt->started)
	{
		mt->started = true;
		if (!jn_regex_exec(re, mt->w, mt->wlen, 0, m))
			return false;
		mt->last = m->end;
		return true;
	}
	if (mt->last >= mt->wlen)
		return false;
	if (!jn_regex_exec(re, mt->w, mt->wlen, mt->last, m))
		return false;
	if (m->end == m->start)
		jn_throw("D1004", -1, NULL, NULL);
	mt->last = m->end;
	return true;
}

/* the matched text */
static JnVal *
match_text(JnMatcher *mt, JnMatch *m)
{
	if (mt->cur)
	{
		JnVal	   *match = jn_get(mt->cur, "match", 5);

		return match ? match : jn_str("", 0);
	}
	return wide_str(mt->w + m->start, m->end - m->start);
}

static JnVal *
group_array(JnMatcher *mt, JnMatch *m)
{
	JnVal	   *groups;

	if (mt->cur)
	{
		groups = jn_get(mt->cur, "groups", 6);
		return (groups && groups->type == JN_ARR) ? groups : jn_arr(1);
	}
	groups = jn_arr(m->ngroups);

	for (int g = 0; g < m->ngroups; g++)
	{
		if (m->gstart[g] < 0)
			jn_push(groups, jn_str("", 0));
		else
			jn_push(groups, wide_str(mt->w + m->gstart[g], m->gend[g] - m->gstart[g]));
	}
	return groups;
}

FN(fn_contains)
{
	if (ARG(0) == NULL)
		return NULL;
	require_arg(args, nargs, 1);
	if (args[1]->type == JN_STR)
		return JN_BOOLV(mem_find(args[0]->u.s.p, args[0]->u.s.len, args[1]->u.s.p, args[1]->u.s.len) != NULL);
	{
		JnMatcher	mt = {args[1], NULL, 0, 0, false, NULL, args[0], env};
		JnMatch		m;

		mt.w = wide(args[0], &mt.wlen);
		return JN_BOOLV(matcher_next(&mt, &m));
	}
}

FN(fn_match)
{
	JnVal	   *result;
	JnMatcher	mt = {ARG(1), NULL, 0, 0, false, NULL, ARG(0), env};
	JnMatch		m;
	double		limit = ARG(2) ? args[2]->u.n : -1;
	int			count = 0;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(2) && limit < 0)
		jn_throw("D3040", -1, NULL, args[2]);
	result = jn_seq();
	if (ARG(2) && limit == 0)
		return result;
	mt.w = wide(args[0], &mt.wlen);
	while ((ARG(2) == NULL || count < limit) && matcher_next(&mt, &m))
	{
		JnVal	   *o = jn_obj(3);

		jn_put(o, "match", 5, match_text(&mt, &m));
		jn_put(o, "index", 5, jn_num(m.start));
		jn_put(o, "groups", 6, group_array(&mt, &m));
		jn_push(result, o);
		count++;
	}
	return result;
}

/* $n substitution in a replacement string */
static void
substitute(StringInfo out, JnVal *repl, JnMatcher *mt, JnMatch *m)
{
	const char *r = repl->u.s.p;
	int			rl = repl->u.s.len;
	JnVal	   *groups = group_array(mt, m);
	int			ng = groups->u.a.n;
	int			i = 0;

	while (i < rl)
	{
		if (r[i] != '$')
		{
			appendStringInfoChar(out, r[i++]);
			continue;
		}
		i++;
		if (i < rl && r[i] == '$')
		{
			appendStringInfoChar(out, '$');
			i++;
		}
		else if (i < rl && r[i] == '0')
		{
			JnVal	   *s = match_text(mt, m);

			appendBinaryStringInfo(out, s->u.s.p, s->u.s.len);
			i++;
		}
		else
		{
			int			maxdigits = ng == 0 ? 1 : (int) floor(log10(ng)) + 1;
			int			idx = 0,
						nd = 0;

			while (nd < maxdigits && i + nd < rl && r[i + nd] >= '0' && r[i + nd] <= '9')
			{
				idx = idx * 10 + (r[i + nd] - '0');
				nd++;
			}
			if (maxdigits > 1 && idx > ng && nd > 1)
			{
				idx /= 10;
				nd--;
			}
			if (nd == 0)
				appendStringInfoChar(out, '$');
			else
			{
				if (ng > 0 && idx >= 1 && idx <= ng && groups->u.a.items[idx - 1] &&
					groups->u.a.items[idx - 1]->type == JN_STR)
				{
					JnVal	   *s = groups->u.a.items[idx - 1];

					appendBinaryStringInfo(out, s->u.s.p, s->u.s.len);
				}
				i += nd;
			}
		}
	}
}

FN(fn_replace)
{
	JnVal	   *str = ARG(0),
			   *pattern = ARG(1),
			   *repl = ARG(2),
			   *lim = ARG(3);
	int			count = 0;
	StringInfoData out;

	if (str == NULL)
		return NULL;
	require_arg(args, nargs, 1);
	require_arg(args, nargs, 2);
	if (pattern->type == JN_STR && pattern->u.s.len == 0)
		jn_throw("D3010", -1, NULL, pattern);
	if (lim && lim->u.n < 0)
		jn_throw("D3011", -1, NULL, lim);
	if (lim && lim->u.n == 0)
		return str;
	initStringInfo(&out);
	if (pattern->type == JN_STR)
	{
		const char *s = str->u.s.p;
		int			len = str->u.s.len;
		int			p = 0;
		char	   *hit;

		if (repl->type != JN_STR)
			jn_throw("T0410", -1, NULL, repl);
		while ((lim == NULL || count < lim->u.n) &&
			   (hit = mem_find(s + p, len - p, pattern->u.s.p, pattern->u.s.len)) != NULL)
		{
			appendBinaryStringInfo(&out, s + p, hit - (s + p));
			appendBinaryStringInfo(&out, repl->u.s.p, repl->u.s.len);
			p = hit - s + pattern->u.s.len;
			count++;
			jn_charge(1);
		}
		appendBinaryStringInfo(&out, s + p, len - p);
		return jn_str(out.data, out.len);
	}
	{
		JnMatcher	mt = {pattern, NULL, 0, 0, false, NULL, str, env};
		JnMatch		m;
		int			position = 0;
		bool		any = false;

		mt.w = wide(str, &mt.wlen);
		while ((lim == NULL || count < lim->u.n) && matcher_next(&mt, &m))
		{
			JnVal	   *pre = wide_str(mt.w + position, m.start - position);

			any = true;
			appendBinaryStringInfo(&out, pre->u.s.p, pre->u.s.len);
			if (repl->type == JN_STR)
				substitute(&out, repl, &mt, &m);
			else
			{
				JnVal	   *mo = jn_obj(4);
				JnVal	   *r;

				jn_put(mo, "match", 5, match_text(&mt, &m));
				jn_put(mo, "start", 5, jn_num(m.start));
				jn_put(mo, "end", 3, jn_num(m.end));
				jn_put(mo, "groups", 6, group_array(&mt, &m));
				r = jn_apply(repl, &mo, 1, NULL, env);
				if (r == NULL || r->type != JN_STR)
					jn_throw("D3012", -1, NULL, r);
				appendBinaryStringInfo(&out, r->u.s.p, r->u.s.len);
			}
			position = m.end;
			count++;
		}
		if (!any)
			return str;
		{
			JnVal	   *rest = wide_str(mt.w + position, mt.wlen - position);

			appendBinaryStringInfo(&out, rest->u.s.p, rest->u.s.len);
		}
		return jn_str(out.data, out.len);
	}
}

FN(fn_split)
{
	JnVal	   *str = ARG(0),
			   *sep = ARG(1),
			   *lim = ARG(2);
	JnVal	   *result;
	int			count = 0;

	if (str == NULL)
		return NULL;
	require_arg(args, nargs, 1);
	if (lim && lim->u.n < 0)
		jn_throw("D3020", -1, NULL, lim);
	result = jn_arr(4);
	if (lim && lim->u.n == 0)
		return result;
	if (sep->type == JN_STR)
	{
		const char *s = str->u.s.p;
		int			len = str->u.s.len;

		if (lim)
			lim = jn_num(floor(lim->u.n));
		if (sep->u.s.len == 0)
		{
			for (int i = 0; i < len && (lim == NULL || count < lim->u.n); count++)
			{
				int			cl = jn_utf8_offset(s + i, len - i, 1);

				jn_push(result, jn_str(s + i, cl));
				i += cl;
			}
			return result;
		}
		{
			int			p = 0;
			char	   *hit;

			for (;;)
			{
				if (lim && count >= lim->u.n)
					break;
				jn_charge(1);
				hit = mem_find(s + p, len - p, sep->u.s.p, sep->u.s.len);
				if (hit == NULL)
				{
					jn_push(result, jn_str(s + p, len - p));
					break;
				}
				jn_push(result, jn_str(s + p, hit - (s + p)));
				count++;
				p = hit - s + sep->u.s.len;
			}
		}
		return result;
	}
	{
		JnMatcher	mt = {sep, NULL, 0, 0, false, NULL, str, env};
		JnMatch		m;
		int			start = 0;
		bool		any = false;

		mt.w = wide(str, &mt.wlen);
		while ((lim == NULL || count < lim->u.n) && matcher_next(&mt, &m))
		{
			any = true;
			jn_push(result, wide_str(mt.w + start, m.start - start));
			start = m.end;
			count++;
		}
		if (!any)
			jn_push(result, str);
		else if (lim == NULL || count < lim->u.n)
			jn_push(result, wide_str(mt.w + start, mt.wlen - start));
	}
	return result;
}

FN(fn_join)
{
	StringInfoData buf;
	JnVal	   *sep = ARG(1);

	if (ARG(0) == NULL)
		return NULL;
	initStringInfo(&buf);
	for (int i = 0; i < args[0]->u.a.n; i++)
	{
		if (i > 0 && sep)
			appendBinaryStringInfo(&buf, sep->u.s.p, sep->u.s.len);
		appendBinaryStringInfo(&buf, args[0]->u.a.items[i]->u.s.p, args[0]->u.a.items[i]->u.s.len);
		if (!sfn_budget_reserve(buf.len))
			jn_charge(PG_INT64_MAX);
	}
	return jn_str(buf.data, buf.len);
}

/* ---- numbers ---- */

static bool
js_number_syntax(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.')
	{
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E')
	{
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

FN(fn_number)
{
	JnVal	   *a = ARG(0);

	if (a == NULL)
		return NULL;
	if (a->type == JN_NUM)
		return a;
	if (a->type == JN_BOOL)
		return jn_num(a->u.b ? 1 : 0);
	if (a->type == JN_STR)
	{
		const char *s = a->u.s.p;

		if (js_number_syntax(s))
		{
			double		d = strtod(s, NULL);

			if (isfinite(d))
				return jn_num(d);
		}
		else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O' ||
								 s[1] == 'b' || s[1] == 'B') && s[2] != '\0')
		{
			int			base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
			double		d = 0;
			bool		ok = true;

			for (const char *p = s + 2; *p; p++)
			{
				int			dv;

				if (*p >= '0' && *p <= '9')
					dv = *p - '0';
				else if (*p >= 'a' && *p <= 'f')
					dv = *p - 'a' + 10;
				else if (*p >= 'A' && *p <= 'F')
					dv = *p - 'A' + 10;
				else
					dv = 99;
				if (dv >= base)
				{
					ok = false;
					break;
				}
				d = d * base + dv;
			}
			if (ok)
				return jn_num(d);
		}
	}
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "D3030";
		e->pos = -1;
		e->value = a;
		e->index = 1;
		jn_throw_err(e);
	}
	return NULL;
}

FN(fn_floor)
{
	return ARG(0) ? jn_num(floor(args[0]->u.n)) : NULL;
}

FN(fn_ceil)
{
	return ARG(0) ? jn_num(ceil(args[0]->u.n)) : NULL;
}

FN(fn_abs)
{
	return ARG(0) ? jn_num(fabs(args[0]->u.n)) : NULL;
}

FN(fn_sqrt)
{
	if (ARG(0) == NULL)
		return NULL;
	if (args[0]->u.n < 0)
		jn_throw("D3060", -1, NULL, args[0]);
	return jn_num(sqrt(args[0]->u.n));
}

FN(fn_power)
{
	double		r;

	if (ARG(0) == NULL)
		return NULL;
	r = ARG(1) ? pow(args[0]->u.n, args[1]->u.n) : NAN;
	if (!isfinite(r))
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "D3061";
		e->pos = -1;
		e->value = args[0];
		e->value2 = args[1];
		jn_throw_err(e);
	}
	return jn_num(r);
}

/* shift the decimal point of d by p places, through its decimal text */
static double
shift_decimal(double d, int p)
{
	StringInfoData buf;
	char	   *e;
	int			exp = 0;

	initStringInfo(&buf);
	jn_format_number(&buf, d);
	e = strchr(buf.data, 'e');
	if (e)
	{
		exp = atoi(e + 1);
		*e = '\0';
	}
	return strtod(psprintf("%se%d", buf.data, exp + p), NULL);
}

double
jn_round_half_even(double arg, int precision)
{
	double		result,
				diff;

	if (precision)
		arg = shift_decimal(arg, precision);
	result = floor(arg + 0.5);	/* Math.round */
	diff = result - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1)
		result = result - 1;
	if (precision)
		result = shift_decimal(result, -precision);
	if (result == 0)
		result = 0;				/* no -0 */
	return result;
}

FN(fn_round)
{
	if (ARG(0) == NULL)
		return NULL;
	return jn_num(jn_round_half_even(args[0]->u.n, ARG(1) ? num_int(args[1]) : 0));
}

/* AWS's $random accepts a seed: the same seed gives the same number */
FN(fn_random)
{
	uint64		x;
	double		seed;

	if (ARG(0) == NULL)
		return jn_num(jn_random_double());
	seed = args[0]->u.n;
	memcpy(&x, &seed, sizeof(x));
	/* splitmix64 of the seed's bits */
	x += UINT64CONST(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64CONST(0x94D049BB133111EB);
	x ^= x >> 31;
	return jn_num((x >> 11) * (1.0 / 9007199254740992.0));
}

/* ---- booleans ---- */

FN(fn_boolean)
{
	if (ARG(0) == NULL)
		return NULL;
	return JN_BOOLV(jn_boolean(args[0]));
}

FN(fn_not)
{
	if (ARG(0) == NULL)
		return NULL;
	return JN_BOOLV(!jn_boolean(args[0]));
}

FN(fn_exists)
{
	return JN_BOOLV(ARG(0) != NULL);
}

/* ---- higher-order ---- */

FN(fn_map)
{
	JnVal	   *arr = ARG(0);
	JnVal	   *result;

	if (arr == NULL)
		return NULL;
	result = jn_seq();
	for (int i = 0; i < arr->u.a.n; i++)
	{
		JnVal	   *r = jn_apply_hof(args[1], arr->u.a.items[i], jn_num(i), arr, env);

		if (r != NULL)
			jn_push(result, r);
	}
	return result;
}

FN(fn_filter)
{
	JnVal	   *arr = ARG(0);
	JnVal	   *result;

	if (arr == NULL)
		return NULL;
	result = jn_seq();
	for (int i = 0; i < arr->u.a.n; i++)
	{
		JnVal	   *r = jn_apply_hof(args[1], arr->u.a.items[i], jn_num(i), arr, env);

		if (jn_boolean(r))
			jn_push(result, arr->u.a.items[i]);
	}
	return result;
}

FN(fn_single)
{
	JnVal	   *arr = ARG(0);
	JnVal	   *result = NULL;
	bool		found = false;

	if (arr == NULL)
		return NULL;
	for (int i = 0; i < arr->u.a.n; i++)
	{
		bool		ok = true;

		if (ARG(1))
			ok = jn_boolean(jn_apply_hof(args[1], arr->u.a.items[i], jn_num(i), arr, env));
		if (ok)
		{
			if (found)
				jn_throw("D3138", -1, NULL, NULL);
			result = arr->u.a.items[i];
			found = true;
		}
	}
	if (!found)
		jn_throw("D3139", -1, NULL, NULL);
	return result;
}

FN(fn_reduce)
{
	JnVal	   *arr = ARG(0);
	JnVal	   *result;
	int			arity,
				index;

	if (arr == NULL)
		return NULL;
	arity = jn_func_arity(args[1]->u.f);
	if (arity < 2)
		jn_throw("D3050", -1, NULL, NULL);
	if (ARG(2) == NULL && arr->u.a.n > 0)
	{
		result = arr->u.a.items[0];
		index = 1;
	}
	else
	{
		result = ARG(2);
		index = 0;
	}
	for (; index < arr->u.a.n; index++)
	{
		JnVal	   *a[4] = {result, arr->u.a.items[index], jn_num(index), arr};

		result = jn_apply(args[1], a, Min(arity, 4), NULL, env);
	}
	return result;
}

FN(fn_zip)
{
	JnVal	   *result = jn_arr(4);
	int			len = PG_INT32_MAX;

	for (int i = 0; i < nargs; i++)
		len = Min(len, is_arr(args[i]) ? args[i]->u.a.n : 0);
	if (nargs == 0)
		len = 0;
	for (int k = 0; k < len; k++)
	{
		JnVal	   *t = jn_arr(nargs);

		for (int i = 0; i < nargs; i++)
			jn_push(t, args[i]->u.a.items[k]);
		jn_push(result, t);
	}
	return result;
}

FN(fn_sift)
{
	JnVal	   *obj = ARG(0);
	JnVal	   *result;

	if (obj == NULL)
		return NULL;
	require_arg(args, nargs, 1);
	result = jn_obj(obj->u.o.n);
	for (int i = 0; i < obj->u.o.n; i++)
	{
		JnPair	   *p = &obj->u.o.pairs[i];

		if (jn_boolean(jn_apply_hof(args[1], p->val, jn_str(p->key, p->klen), obj, env)))
			jn_put(result, p->key, p->klen, p->val);
	}
	if (result->u.o.n == 0)
		return NULL;
	return result;
}

FN(fn_each)
{
	JnVal	   *obj = ARG(0);
	JnVal	   *result = jn_seq();

	if (obj == NULL)
		return NULL;
	for (int i = 0; i < obj->u.o.n; i++)
	{
		JnPair	   *p = &obj->u.o.pairs[i];
		JnVal	   *r = jn_apply_hof(args[1], p->val, jn_str(p->key, p->klen), obj, env);

		if (r != NULL)
			jn_push(result, r);
	}
	return result;
}

typedef struct JnCmpCtx
{
	JnVal	   *fn;
	JnEnv	   *env;
} JnCmpCtx;


static bool
cmp_default(void *arg, JnVal *a, JnVal *b)
{
	if (a->type == JN_NUM)
		return a->u.n > b->u.n;
	{
		int			c = memcmp(a->u.s.p, b->u.s.p, Min(a->u.s.len, b->u.s.len));

		return c > 0 || (c == 0 && a->u.s.len > b->u.s.len);
	}
}

static bool
cmp_fn(void *arg, JnVal *a, JnVal *b)
{
	JnCmpCtx   *c = arg;
	JnVal	   *ab[2] = {a, b};

	return jn_boolean(jn_apply(c->fn, ab, 2, NULL, c->env));
}

FN(fn_sort)
{
	JnVal	   *arr = ARG(0);
	JnCmpCtx	c;
	JnVal	   *r;

	if (arr == NULL)
		return NULL;
	if (arr->u.a.n <= 1)
		return arr;
	if (ARG(1) == NULL)
	{
		if (!jn_is_array_of_numbers(arr) && !jn_is_array_of_strings(arr))
			jn_throw("D3070", -1, NULL, NULL);
		r = jn_sort_values(arr, cmp_default, NULL);
	}
	else
	{
		c.fn = args[1];
		c.env = env;
		r = jn_sort_values(arr, cmp_fn, &c);
	}
	if (r == arr)
		r = jn_copy_arr(arr);
	r->flags = 0;
	return r;
}

/* ---- arrays and objects ---- */

FN(fn_keys)
{
	JnVal	   *a = ARG(0);
	JnVal	   *result = jn_seq();

	if (is_arr(a))
	{
		JnVal	   *merged = jn_obj(8);

		for (int i = 0; i < a->u.a.n; i++)
		{
			JnVal	   *item = a->u.a.items[i];

			if (item && item->type == JN_OBJ)
				for (int k = 0; k < item->u.o.n; k++)
					if (jn_get(merged, item->u.o.pairs[k].key, item->u.o.pairs[k].klen) == NULL)
						jn_put(merged, item->u.o.pairs[k].key, item->u.o.pairs[k].klen, JN_BOOLV(true));
		}
		a = merged;
	}
	if (a != NULL && a->type == JN_OBJ)
		for (int k = 0; k < a->u.o.n; k++)
			jn_push(result, jn_str(a->u.o.pairs[k].key, a->u.o.pairs[k].klen));
	return result;
}

FN(fn_lookup)
{
	if (ARG(1) == NULL)
		return NULL;
	return jn_lookup(ARG(0), args[1]->u.s.p, args[1]->u.s.len);
}

FN(fn_append)
{
	return jn_append(ARG(0), ARG(1));
}

static JnVal *
spread(JnVal *a)
{
	JnVal	   *result = jn_seq();

	if (is_arr(a))
	{
		for (int i = 0; i < a->u.a.n; i++)
			result = jn_append(result, spread(a->u.a.items[i]));
		return result;
	}
	if (a != NULL && a->type == JN_OBJ)
	{
		for (int k = 0; k < a->u.o.n; k++)
		{
			JnVal	   *o = jn_obj(1);

			jn_put(o, a->u.o.pairs[k].key, a->u.o.pairs[k].klen, a->u.o.pairs[k].val);
			jn_push(result, o);
		}
		return result;
	}
	return a;
}

FN(fn_spread)
{
	return spread(ARG(0));
}

FN(fn_merge)
{
	JnVal	   *result;

	if (ARG(0) == NULL)
		return NULL;
	result = jn_obj(8);
	for (int i = 0; i < args[0]->u.a.n; i++)
	{
		JnVal	   *o = args[0]->u.a.items[i];

		for (int k = 0; k < o->u.o.n; k++)
			jn_put(result, o->u.o.pairs[k].key, o->u.o.pairs[k].klen, o->u.o.pairs[k].val);
	}
	return result;
}

FN(fn_reverse)
{
	JnVal	   *a = ARG(0),
			   *r;

	if (a == NULL)
		return NULL;
	if (a->u.a.n <= 1)
		return a;
	r = jn_arr(a->u.a.n);
	for (int i = a->u.a.n - 1; i >= 0; i--)
		jn_push(r, a->u.a.items[i]);
	return r;
}

FN(fn_shuffle)
{
	JnVal	   *a = ARG(0),
			   *r;

	if (a == NULL)
		return NULL;
	if (a->u.a.n <= 1)
		return a;
	r = jn_arr(a->u.a.n);
	r->u.a.n = a->u.a.n;
	for (int i = 0; i < a->u.a.n; i++)
	{
		int			j = (int) floor(jn_random_double() * (i + 1));

		if (i != j)
			r->u.a.items[i] = r->u.a.items[j];
		r->u.a.items[j] = a->u.a.items[i];
	}
	return r;
}

FN(fn_distinct)
{
	JnVal	   *a = ARG(0),
			   *r;

	if (a == NULL)
		return NULL;
	if (!is_arr(a) || a->u.a.n <= 1)
		return a;
	r = (a->flags & JNF_SEQ) ? jn_seq() : jn_arr(a->u.a.n);
	for (int i = 0; i < a->u.a.n; i++)
	{
		bool		dup = false;

		for (int j = 0; j < r->u.a.n && !dup; j++)
			dup = jn_deep_equal(a->u.a.items[i], r->u.a.items[j]);
		if (!dup)
			jn_push(r, a->u.a.items[i]);
	}
	return r;
}

FN(fn_type)
{
	if (ARG(0) == NULL)
		return NULL;
	return jn_cstr(jn_type_name(args[0]));
}

FN(fn_error)
{
	JnError    *e = palloc0(sizeof(JnError));

	e->code = "D3137";
	e->pos = -1;
	e->message = ARG(0) && args[0]->u.s.len > 0 ? args[0]->u.s.p : "$error() function evaluated";
	jn_throw_err(e);
	return NULL;
}

FN(fn_assert)
{
	if (ARG(0) == NULL || !ARG(0)->u.b)
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "D3141";
		e->pos = -1;
		e->message = ARG(1) && args[1]->u.s.len > 0 ? args[1]->u.s.p : "$assert() statement failed";
		jn_throw_err(e);
	}
	return NULL;
}

FN(fn_clone)
{
	if (ARG(0) == NULL)
		return NULL;
	return jn_deep_copy(args[0]);
}

FN(fn_eval)
{
	jn_throw("U2001", -1, "eval", NULL);
	return NULL;
}

/* ---- encodings ---- */

FN(fn_base64encode)
{
	int			len;
	char	   *out;

	if (ARG(0) == NULL)
		return NULL;
	out = palloc(pg_b64_enc_len(args[0]->u.s.len) + 1);
	len = pg_b64_encode(args[0]->u.s.p, args[0]->u.s.len, out, pg_b64_enc_len(args[0]->u.s.len));
	return jn_str(out, Max(len, 0));
}

FN(fn_base64decode)
{
	int			len;
	char	   *out;

	if (ARG(0) == NULL)
		return NULL;
	out = palloc(pg_b64_dec_len(args[0]->u.s.len) + 1);
	len = pg_b64_decode(args[0]->u.s.p, args[0]->u.s.len, out, pg_b64_dec_len(args[0]->u.s.len));
	return jn_str(out, Max(len, 0));
}

static JnVal *
url_encode(JnVal *s, const char *keep)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < s->u.s.len; i++)
	{
		unsigned char c = (unsigned char) s->u.s.p[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			(c != 0 && strchr(keep, c)))
			appendStringInfoChar(&buf, (char) c);
		else
			appendStringInfo(&buf, "%%%02X", c);
	}
	return jn_str(buf.data, buf.len);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static JnVal *
url_decode(JnVal *s, const char *reserved, const char *fname)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < s->u.s.len; i++)
	{
		char		c = s->u.s.p[i];

		if (c == '%')
		{
			int			h,
						l;

			if (i + 2 >= s->u.s.len)
				jn_throw("D3140", -1, fname, s);
			h = hexval(s->u.s.p[i + 1]);
			l = hexval(s->u.s.p[i + 2]);
			if (h < 0 || l < 0)
				jn_throw("D3140", -1, fname, s);
			c = (char) (h * 16 + l);
			if (c == 0)			/* PostgreSQL text cannot hold NUL */
				jn_throw("D3140", -1, fname, s);
			if (strchr(reserved, c))
				appendBinaryStringInfo(&buf, s->u.s.p + i, 3);
			else
				appendStringInfoChar(&buf, c);
			i += 2;
		}
		else
			appendStringInfoChar(&buf, c);
	}
	if (pg_verify_mbstr(PG_UTF8, buf.data, buf.len, true) != true)
		jn_throw("D3140", -1, fname, s);
	return jn_str(buf.data, buf.len);
}

FN(fn_encode_url_component)
{
	return ARG(0) ? url_encode(args[0], "-_.!~*'()") : NULL;
}

FN(fn_encode_url)
{
	return ARG(0) ? url_encode(args[0], "-_.!~*'();/?:@&=+$,#") : NULL;
}

FN(fn_decode_url_component)
{
	return ARG(0) ? url_decode(args[0], "", "decodeUrlComponent") : NULL;
}

FN(fn_decode_url)
{
	return ARG(0) ? url_decode(args[0], ";/?:@&=+$,#", "decodeUrl") : NULL;
}

/* ---- AWS Step Functions additions ---- */

FN(fn_partition)
{
	JnVal	   *a = ARG(0);
	JnVal	   *r;
	double		size;

	if (a == NULL)
		return NULL;
	size = ARG(1) ? args[1]->u.n : 0;
	if (!jn_is_int(size) || size < 1)
		jn_throw("D3137", -1, NULL, NULL);
	r = jn_arr(4);
	for (int i = 0; i < a->u.a.n; i += (int) Min(size, PG_INT32_MAX))
	{
		JnVal	   *chunk = jn_arr(4);

		for (int k = i; k < a->u.a.n && k < i + size; k++)
			jn_push(chunk, a->u.a.items[k]);
		jn_push(r, chunk);
	}
	return r;
}

FN(fn_range)
{
	double		start,
				end,
				step = ARG(2) ? args[2]->u.n : 1;
	JnVal	   *r = jn_arr(4);

	require_arg(args, nargs, 0);
	require_arg(args, nargs, 1);
	start = args[0]->u.n;
	end = args[1]->u.n;
	if (step == 0 || !isfinite(step))
		return r;
	for (double v = start; step > 0 ? v <= end : v >= end; v += step)
	{
		jn_charge(1);
		if (r->u.a.n >= 10000000)
			jn_throw("D2014", -1, NULL, NULL);
		jn_push(r, jn_num(v));
	}
	return r;
}

FN(fn_hash)
{
	const char *alg = ARG(1) ? ARG(1)->u.s.p : "undefined";
	pg_cryptohash_type type;
	int			dlen;
	uint8		digest[PG_SHA512_DIGEST_LENGTH];
	pg_cryptohash_ctx *ctx;
	StringInfoData buf;

	if (ARG(0) == NULL)
		return NULL;
	if (strcmp(alg, "MD5") == 0)
	{
		type = PG_MD5;
		dlen = MD5_DIGEST_LENGTH;
	}
	else if (strcmp(alg, "SHA-1") == 0)
	{
		type = PG_SHA1;
		dlen = SHA1_DIGEST_LENGTH;
	}
	else if (strcmp(alg, "SHA-256") == 0)
	{
		type = PG_SHA256;
		dlen = PG_SHA256_DIGEST_LENGTH;
	}
	else if (strcmp(alg, "SHA-384") == 0)
	{
		type = PG_SHA384;
		dlen = PG_SHA384_DIGEST_LENGTH;
	}
	else if (strcmp(alg, "SHA-512") == 0)
	{
		type = PG_SHA512;
		dlen = PG_SHA512_DIGEST_LENGTH;
	}
	else
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "D3137";
		e->pos = -1;
		e->message = psprintf("The hash algorithm %s is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", alg);
		jn_throw_err(e);
	}
	ctx = pg_cryptohash_create(type);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) args[0]->u.s.p, args[0]->u.s.len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute %s hash", alg);
	pg_cryptohash_free(ctx);
	initStringInfo(&buf);
	for (int i = 0; i < dlen; i++)
		appendStringInfo(&buf, "%02x", digest[i]);
	return jn_str(buf.data, buf.len);
}

FN(fn_uuid)
{
	uint8		b[16];
	uint64		hi = jn_random_u64(),
				lo = jn_random_u64();

	for (int i = 0; i < 8; i++)
	{
		b[i] = (uint8) (hi >> (56 - 8 * i));
		b[8 + i] = (uint8) (lo >> (56 - 8 * i));
	}
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* variant 10 */
	return jn_cstr(psprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
							b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
							b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]));
}

FN(fn_parse)
{
	JsonbValue *v;

	if (ARG(0) == NULL)
		return NULL;
	v = sfn_jv_parse(args[0]->u.s.p, args[0]->u.s.len);
	if (v == NULL)
	{
		JnError    *e = palloc0(sizeof(JnError));

		e->code = "D3137";
		e->pos = -1;
		e->message = "The argument of $parse is not valid JSON";
		jn_throw_err(e);
	}
	return jn_from_jsonb(v);
}

/* ---- the table ---- */

static JnBuiltin builtins[] = {
	{"abs", "<n-:n>", fn_abs, 1, NULL, NULL},
	{"append", "<xx:a>", fn_append, 2, NULL, NULL},
	{"assert", "<bs?:x>", fn_assert, 2, NULL, NULL},
	{"average", "<a<n>:n>", fn_average, 1, NULL, NULL},
	{"base64decode", "<s-:s>", fn_base64decode, 1, NULL, NULL},
	{"base64encode", "<s-:s>", fn_base64encode, 1, NULL, NULL},
	{"boolean", "<x-:b>", fn_boolean, 1, NULL, NULL},
	{"ceil", "<n-:n>", fn_ceil, 1, NULL, NULL},
	{"clone", "<(oa)-:o>", fn_clone, 1, NULL, NULL},
	{"contains", "<s-(sf):b>", fn_contains, 2, NULL, NULL},
	{"count", "<a:n>", fn_count, 1, NULL, NULL},
	{"decodeUrl", "<s-:s>", fn_decode_url, 1, NULL, NULL},
	{"decodeUrlComponent", "<s-:s>", fn_decode_url_component, 1, NULL, NULL},
	{"distinct", "<x:x>", fn_distinct, 1, NULL, NULL},
	{"each", "<o-f:a>", fn_each, 2, NULL, NULL},
	{"encodeUrl", "<s-:s>", fn_encode_url, 1, NULL, NULL},
	{"encodeUrlComponent", "<s-:s>", fn_encode_url_component, 1, NULL, NULL},
	{"error", "<s?:x>", fn_error, 1, NULL, NULL},
	{"eval", "<sx?:x>", fn_eval, 2, NULL, NULL},
	{"exists", "<x:b>", fn_exists, 1, NULL, NULL},
	{"filter", "<af>", fn_filter, 2, NULL, NULL},
	{"floor", "<n-:n>", fn_floor, 1, NULL, NULL},
	{"formatBase", "<n-n?:s>", jn_fn_format_base, 2, NULL, NULL},
	{"formatInteger", "<n-s:s>", jn_fn_format_integer, 2, NULL, NULL},
	{"formatNumber", "<n-so?:s>", jn_fn_format_number, 3, NULL, NULL},
	{"fromMillis", "<n-s?s?:s>", jn_fn_from_millis, 3, NULL, NULL},
	{"hash", "<s-s:s>", fn_hash, 2, NULL, NULL},
	{"join", "<a<s>s?:s>", fn_join, 2, NULL, NULL},
	{"keys", "<x-:a<s>>", fn_keys, 1, NULL, NULL},
	{"length", "<s-:n>", fn_length, 1, NULL, NULL},
	{"lookup", "<x-s:x>", fn_lookup, 2, NULL, NULL},
	{"lowercase", "<s-:s>", fn_lowercase, 1, NULL, NULL},
	{"map", "<af>", fn_map, 2, NULL, NULL},
	{"match", "<s-f<s:o>n?:a<o>>", fn_match, 3, NULL, NULL},
	{"max", "<a<n>:n>", fn_max, 1, NULL, NULL},
	{"merge", "<a<o>:o>", fn_merge, 1, NULL, NULL},
	{"millis", "<:n>", jn_fn_millis, 0, NULL, NULL},
	{"min", "<a<n>:n>", fn_min, 1, NULL, NULL},
	{"not", "<x-:b>", fn_not, 1, NULL, NULL},
	{"now", "<s?s?:s>", jn_fn_now, 2, NULL, NULL},
	{"number", "<(nsb)-:n>", fn_number, 1, NULL, NULL},
	{"pad", "<s-ns?:s>", fn_pad, 3, NULL, NULL},
	{"parse", "<s-:j>", fn_parse, 1, NULL, NULL},
	{"parseInteger", "<s-s:n>", jn_fn_parse_integer, 2, NULL, NULL},
	{"partition", "<an:a>", fn_partition, 2, NULL, NULL},
	{"power", "<n-n:n>", fn_power, 2, NULL, NULL},
	{"random", "<n?:n>", fn_random, 1, NULL, NULL},
	{"range", "<nnn?:a>", fn_range, 3, NULL, NULL},
	{"reduce", "<afj?:j>", fn_reduce, 3, NULL, NULL},
	{"replace", "<s-(sf)(sf)n?:s>", fn_replace, 4, NULL, NULL},
	{"reverse", "<a:a>", fn_reverse, 1, NULL, NULL},
	{"round", "<n-n?:n>", fn_round, 2, NULL, NULL},
	{"shuffle", "<a:a>", fn_shuffle, 1, NULL, NULL},
	{"sift", "<o-f?:o>", fn_sift, 2, NULL, NULL},
	{"single", "<af?>", fn_single, 2, NULL, NULL},
	{"sort", "<af?:a>", fn_sort, 2, NULL, NULL},
	{"split", "<s-(sf)n?:a<s>>", fn_split, 3, NULL, NULL},
	{"spread", "<x-:a<o>>", fn_spread, 1, NULL, NULL},
	{"sqrt", "<n-:n>", fn_sqrt, 1, NULL, NULL},
	{"string", "<x-b?:s>", fn_string, 1, NULL, NULL},
	{"substring", "<s-nn?:s>", fn_substring, 3, NULL, NULL},
	{"substringAfter", "<s-s:s>", fn_substring_after, 2, NULL, NULL},
	{"substringBefore", "<s-s:s>", fn_substring_before, 2, NULL, NULL},
	{"sum", "<a<n>:n>", fn_sum, 1, NULL, NULL},
	{"toMillis", "<s-s?:n>", jn_fn_to_millis, 2, NULL, NULL},
	{"trim", "<s-:s>", fn_trim, 1, NULL, NULL},
	{"type", "<x:s>", fn_type, 1, NULL, NULL},
	{"uppercase", "<s-:s>", fn_uppercase, 1, NULL, NULL},
	{"uuid", "<:s>", fn_uuid, 0, NULL, NULL},
	{"zip", "<a+>", fn_zip, 1, NULL, NULL},
};

static int
builtin_cmp(const void *key, const void *elem)
{
	return strcmp((const char *) key, ((const JnBuiltin *) elem)->name);
}

const JnBuiltin *
jn_lookup_builtin(const char *name)
{
	JnBuiltin  *b = bsearch(name, builtins, lengthof(builtins), sizeof(JnBuiltin), builtin_cmp);

	if (b == NULL)
		return NULL;
	if (b->sig == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		JnFunc	   *f;

		b->sig = jn_parse_signature(b->signature, strlen(b->signature), 0);
		f = palloc0(sizeof(JnFunc));
		f->kind = JFK_BUILTIN;
		f->builtin = b;
		b->value = jn_funcval(f);
		MemoryContextSwitchTo(old);
	}
	return b;
}
