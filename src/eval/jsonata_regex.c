/*-------------------------------------------------------------------------
 *
 * jsonata_regex.c
 *	  JSONata regular expressions on PostgreSQL's regex engine.
 *
 * JSONata regexes are JavaScript's.  They are translated to PostgreSQL's
 * advanced regular expressions (ARE): \b and \B become \y and \Y, "."
 * excludes line terminators as in JavaScript, named groups lose their
 * names, an escaped "/" is a plain "/".  Flag i is REG_ICASE and m is
 * REG_NLANCH (^ and $ at line ends).  Differences that remain are listed
 * in docs/JSONATA.md.  Offsets are in characters.
 *
 * The regex library allocates with malloc: a compiled regex is freed by a
 * callback when the memory context of the expression goes away.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "mb/pg_wchar.h"
#include "regex/regex.h"

#include "eval/jsonata_int.h"

static void
jn_regex_free(void *arg)
{
	pg_regfree((regex_t *) arg);
	free(arg);
}

pg_wchar *
jn_to_wide(const char *s, int len, int *wlen)
{
	pg_wchar   *w = palloc(sizeof(pg_wchar) * (len + 1));

	*wlen = pg_mb2wchar_with_len(s, w, len);
	return w;
}

char *
jn_from_wide(const pg_wchar *w, int wlen, int *len)
{
	char	   *s = palloc(wlen * MAX_MULTIBYTE_CHAR_LEN + 1);

	*len = pg_wchar2mb_with_len(w, s, wlen);
	s[*len] = '\0';
	return s;
}

/* JavaScript pattern to ARE */
static char *
translate(const char *p, int len)
{
	StringInfoData buf;
	bool		inclass = false;

	initStringInfo(&buf);
	for (int i = 0; i < len; i++)
	{
		char		c = p[i];

		if (c == '\\' && i + 1 < len)
		{
			char		d = p[++i];

			if (d == '/')
				appendStringInfoChar(&buf, '/');
			else if (!inclass && d == 'b')
				appendStringInfoString(&buf, "\\y");
			else if (!inclass && d == 'B')
				appendStringInfoString(&buf, "\\Y");
			else if (inclass && d == 'b')
				appendStringInfoString(&buf, "\\u0008");
			else
			{
				appendStringInfoChar(&buf, '\\');
				appendStringInfoChar(&buf, d);
			}
			continue;
		}
		if (inclass)
		{
			if (c == ']')
				inclass = false;
			appendStringInfoChar(&buf, c);
			continue;
		}
		if (c == '[')
		{
			inclass = true;
			appendStringInfoChar(&buf, c);
			/* a leading ] or ^] is literal in both languages */
			if (i + 1 < len && p[i + 1] == '^')
				appendStringInfoChar(&buf, p[++i]);
			continue;
		}
		if (c == '.')
		{
			appendStringInfoString(&buf, "[^\\n\\r]");
			continue;
		}
		if (c == '(' && i + 2 < len && p[i + 1] == '?' && p[i + 2] == '<' &&
			i + 3 < len && p[i + 3] != '=' && p[i + 3] != '!')
		{
			/* named group: keep the group, drop the name */
			const char *end = memchr(p + i, '>', len - i);

			if (end)
			{
				appendStringInfoChar(&buf, '(');
				i = end - p;
				continue;
			}
		}
		appendStringInfoChar(&buf, c);
	}
	return buf.data;
}

void *
jn_regex_compile(const char *pattern, int len, const char *flags, int pos)
{
	regex_t    *re = malloc(sizeof(regex_t));
	char	   *are;
	pg_wchar   *w;
	int			wlen;
	int			cflags = REG_ADVANCED;
	int			rc;
	MemoryContextCallback *cb;

	if (re == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (strchr(flags, 'i'))
		cflags |= REG_ICASE;
	if (strchr(flags, 'm'))
		cflags |= REG_NLANCH;
	are = translate(pattern, len);
	w = jn_to_wide(are, strlen(are), &wlen);
	rc = pg_regcomp(re, w, wlen, cflags, DEFAULT_COLLATION_OID);
	if (rc != REG_OKAY)
	{
		char		msg[128];

		pg_regerror(rc, re, msg, sizeof(msg));
		free(re);
		jn_throw("S0303", pos, NULL, jn_cstr(msg));
	}
	cb = palloc(sizeof(MemoryContextCallback));
	cb->func = jn_regex_free;
	cb->arg = re;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return re;
}

bool
jn_regex_exec(void *rev, const pg_wchar *s, int slen, int from, JnMatch *m)
{
	regex_t    *re = (regex_t *) rev;
	int			nmatch = re->re_nsub + 1;
	regmatch_t *pm = palloc(sizeof(regmatch_t) * nmatch);
	int			rc;

	jn_charge(slen - from + 1);
	rc = pg_regexec(re, s, slen, from, NULL, nmatch, pm, 0);
	if (rc == REG_NOMATCH)
		return false;
	if (rc != REG_OKAY)
	{
		char		msg[128];

		pg_regerror(rc, re, msg, sizeof(msg));
		jn_throw("D1004", -1, NULL, jn_cstr(msg));
	}
	m->start = pm[0].rm_so;
	m->end = pm[0].rm_eo;
	m->ngroups = nmatch - 1;
	m->gstart = palloc(sizeof(int) * nmatch);
	m->gend = palloc(sizeof(int) * nmatch);
	for (int g = 1; g < nmatch; g++)
	{
		m->gstart[g - 1] = pm[g].rm_so;
		m->gend[g - 1] = pm[g].rm_eo;
	}
	return true;
}
