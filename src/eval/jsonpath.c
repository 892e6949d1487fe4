/*-------------------------------------------------------------------------
 *
 * jsonpath.c
 *	  JSONPath as Amazon States Language uses it (Jayway semantics).
 *
 * AWS evaluates paths with the Jayway JSONPath library, so its rules are
 * followed here: a path is "definite" when it has only name and single
 * index steps; a definite path yields one value or nothing, any other path
 * yields an array of every match (possibly empty).  Deep scans visit nodes
 * in document order, parents before children.
 *
 * Paths are parsed into a flat array of steps.  Filter expressions
 * ([?(...)]) are parsed into a small expression tree whose operands are
 * literals or further paths rooted at @ (the current node) or $.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "parser/scansup.h"

#include "support/format.h"
#include "eval/budget.h"
#include "eval/jsonpath.h"
#include "eval/scope.h"

typedef enum SfnStepKind
{
	SFN_STEP_NAME,				/* .name or ['name'] */
	SFN_STEP_NAMES,				/* ['a','b'] */
	SFN_STEP_INDEX,				/* [n], n may be negative */
	SFN_STEP_INDEXES,			/* [n,m,...] */
	SFN_STEP_SLICE,				/* [from:to:step] */
	SFN_STEP_WILDCARD,			/* .* or [*] */
	SFN_STEP_FILTER,			/* [?(expr)] */
	SFN_STEP_LENGTH				/* .length() */
} SfnStepKind;

typedef struct SfnFilter SfnFilter;

typedef struct SfnStep
{
	SfnStepKind kind;
	bool		scan;			/* preceded by ".." */
	int			nnames;			/* NAME, NAMES */
	char	  **names;
	int		   *namelens;
	int			nindexes;		/* INDEX, INDEXES */
	int64	   *indexes;
	bool		has_from;		/* SLICE */
	bool		has_to;
	int64		from;
	int64		to;
	int64		step;
	SfnFilter  *filter;			/* FILTER */
} SfnStep;

struct SfnPath
{
	char	   *text;
	char		root;			/* '$' input, 'C' context ($$), '@' current,
								 * 'V' a workflow variable ($name) */
	char	   *var;			/* 'V': the variable's name */
	bool		definite;
	int			nsteps;
	SfnStep    *steps;
};

typedef enum SfnFilterKind
{
	SFN_FX_OR,
	SFN_FX_AND,
	SFN_FX_NOT,
	SFN_FX_EXISTS,
	SFN_FX_CMP
} SfnFilterKind;

typedef enum SfnCmpOp
{
	SFN_OP_EQ,
	SFN_OP_NE,
	SFN_OP_LT,
	SFN_OP_LE,
	SFN_OP_GT,
	SFN_OP_GE
} SfnCmpOp;

/* An operand: a literal or a path (exactly one is set). */
typedef struct SfnOperand
{
	JsonbValue *literal;
	SfnPath    *path;
} SfnOperand;

struct SfnFilter
{
	SfnFilterKind kind;
	SfnFilter  *left;			/* OR, AND, NOT */
	SfnFilter  *right;			/* OR, AND */
	SfnCmpOp	op;				/* CMP */
	SfnOperand	a;				/* CMP, EXISTS */
	SfnOperand	b;				/* CMP */
};

/* parser state */
typedef struct PathParser
{
	const char *s;
	int			len;
	int			pos;
	bool		reference_only;
	bool		in_filter;		/* names also end at operator characters */
	int			depth;
	char	   *errmsg;
} PathParser;

#define PP_PEEK(pp) ((pp)->pos < (pp)->len ? (pp)->s[(pp)->pos] : '\0')
#define PP_AT(pp, off) ((pp)->pos + (off) < (pp)->len ? (pp)->s[(pp)->pos + (off)] : '\0')

/* Filters nest through parentheses and paths; bound that nesting. */
#define SFN_PATH_MAX_DEPTH 64

static SfnPath *pp_parse_path(PathParser *pp);
static SfnFilter *pp_parse_or(PathParser *pp);

static bool
pp_error(PathParser *pp, const char *fmt,...) pg_attribute_printf(2, 3);

static bool
pp_error(PathParser *pp, const char *fmt,...)
{
	va_list		args;

	/* keep the first (innermost) message */
	if (pp->errmsg != NULL)
		return false;
	va_start(args, fmt);
	pp->errmsg = sfn_vformat(fmt, args);
	va_end(args);
	return false;
}

static void
pp_skip_space(PathParser *pp)
{
	while (pp->pos < pp->len && scanner_isspace(pp->s[pp->pos]))
		pp->pos++;
}

/* Characters that end an unquoted name. */
static bool
pp_name_stop(PathParser *pp, char c)
{
	if (c == '\0' || scanner_isspace(c) || strchr(".[]()'\",", c) != NULL)
		return true;
	return pp->in_filter && strchr("=!<>&|", c) != NULL;
}

static void
pp_add_step(SfnPath *p, int *cap, SfnStep *step)
{
	if (p->nsteps >= *cap)
	{
		*cap *= 2;
		p->steps = repalloc(p->steps, sizeof(SfnStep) * *cap);
	}
	p->steps[p->nsteps++] = *step;
}

/* The value of hex digits s[0..3], or -1. */
static int
pp_hex4(const char *s)
{
	int			v = 0;

	for (int i = 0; i < 4; i++)
	{
		int			c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * A quoted name: '...' or "...".  Escapes are Java's, as AWS's JSONPath
 * (Jayway) unescapes them: \t \n \r \f \b, \uXXXX (surrogate pairs
 * joined), and a backslash before any other character stands for that
 * character (\' \" \\ \/).
 */
static bool
pp_parse_quoted(PathParser *pp, char **out, int *outlen)
{
	char		quote = PP_PEEK(pp);
	int			start = pp->pos + 1;
	int			end;
	char	   *name;
	int			n = 0;

	/* find the end first: a buffer per name sized to it, not 1 kB each */
	for (end = start; end < pp->len && pp->s[end] != quote; end++)
		if (pp->s[end] == '\\' && end + 1 < pp->len)
			end++;
	if (end >= pp->len)
	{
		pp->pos = pp->len;
		return pp_error(pp, "unterminated quoted name");
	}
	/* an escape never takes more bytes than its text */
	name = palloc(end - start + 1);
	for (pp->pos = start; pp->pos < end; pp->pos++)
	{
		char		c = pp->s[pp->pos];

		if (c == '\\' && pp->pos + 1 < end)
		{
			c = pp->s[++pp->pos];
			switch (c)
			{
				case 't':
					c = '\t';
					break;
				case 'n':
					c = '\n';
					break;
				case 'r':
					c = '\r';
					break;
				case 'f':
					c = '\f';
					break;
				case 'b':
					c = '\b';
					break;
				case 'u':
					{
						int			cp = pp->pos + 4 < end ? pp_hex4(pp->s + pp->pos + 1) : -1;

						if (cp < 0)
							return pp_error(pp, "invalid \\u escape at position %d", pp->pos);
						pp->pos += 4;
						if (cp >= 0xD800 && cp <= 0xDBFF && pp->pos + 6 < end &&
							pp->s[pp->pos + 1] == '\\' && pp->s[pp->pos + 2] == 'u')
						{
							int			lo = pp_hex4(pp->s + pp->pos + 3);

							if (lo >= 0xDC00 && lo <= 0xDFFF)
							{
								cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
								pp->pos += 6;
							}
						}
						if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
							return pp_error(pp, "invalid \\u escape at position %d", pp->pos - 4);
						unicode_to_utf8((pg_wchar) cp, (unsigned char *) name + n);
						n += pg_utf_mblen((unsigned char *) name + n);
						continue;
					}
				default:
					break;		/* the character itself */
			}
		}
		name[n++] = c;
	}
	name[n] = '\0';
	pp->pos = end + 1;
	*out = name;
	*outlen = n;
	return true;
}

static bool
pp_parse_int(PathParser *pp, int64 *out)
{
	int			start = pp->pos;
	char	   *num;
	char	   *end;

	if (PP_PEEK(pp) == '-')
		pp->pos++;
	if (!isdigit((unsigned char) PP_PEEK(pp)))
		return pp_error(pp, "expected an integer at position %d", pp->pos + 1);
	while (isdigit((unsigned char) PP_PEEK(pp)))
		pp->pos++;
	num = pnstrdup(pp->s + start, pp->pos - start);
	errno = 0;
	*out = strtoi64(num, &end, 10);
	if (errno != 0)
		return pp_error(pp, "index %s is out of range", num);
	return true;
}

/* [ 'a', 'b' ] after the opening bracket */
static bool
pp_parse_names(PathParser *pp, SfnStep *step)
{
	int			cap = 4;

	step->names = palloc(sizeof(char *) * cap);
	step->namelens = palloc(sizeof(int) * cap);
	for (;;)
	{
		pp_skip_space(pp);
		if (PP_PEEK(pp) != '\'' && PP_PEEK(pp) != '"')
			return pp_error(pp, "expected a quoted name at position %d", pp->pos + 1);
		if (step->nnames >= cap)
		{
			cap *= 2;
			step->names = repalloc(step->names, sizeof(char *) * cap);
			step->namelens = repalloc(step->namelens, sizeof(int) * cap);
		}
		if (!pp_parse_quoted(pp, &step->names[step->nnames], &step->namelens[step->nnames]))
			return false;
		step->nnames++;
		pp_skip_space(pp);
		if (PP_PEEK(pp) != ',')
			break;
		pp->pos++;
	}
	step->kind = step->nnames == 1 ? SFN_STEP_NAME : SFN_STEP_NAMES;
	return true;
}

/* [n], [n,m,...], [a:b], [a:b:c] after the opening bracket */
static bool
pp_parse_numeric_subscript(PathParser *pp, SfnStep *step)
{
	int64		n = 0;
	bool		have_first = false;
	int			cap = 4;

	pp_skip_space(pp);
	if (PP_PEEK(pp) != ':')
	{
		if (!pp_parse_int(pp, &n))
			return false;
		have_first = true;
		pp_skip_space(pp);
	}
	if (PP_PEEK(pp) == ':')
	{
		step->kind = SFN_STEP_SLICE;
		step->has_from = have_first;
		step->from = n;
		step->step = 1;
		pp->pos++;
		pp_skip_space(pp);
		if (PP_PEEK(pp) == '-' || isdigit((unsigned char) PP_PEEK(pp)))
		{
			if (!pp_parse_int(pp, &step->to))
				return false;
			step->has_to = true;
			pp_skip_space(pp);
		}
		if (PP_PEEK(pp) == ':')
		{
			pp->pos++;
			pp_skip_space(pp);
			if (PP_PEEK(pp) == '-' || isdigit((unsigned char) PP_PEEK(pp)))
			{
				if (!pp_parse_int(pp, &step->step))
					return false;
				if (step->step == 0)
					return pp_error(pp, "slice step cannot be zero");
				pp_skip_space(pp);
			}
		}
		return true;
	}
	step->kind = SFN_STEP_INDEX;
	step->indexes = palloc(sizeof(int64) * cap);
	step->indexes[0] = n;
	step->nindexes = 1;
	while (PP_PEEK(pp) == ',')
	{
		pp->pos++;
		pp_skip_space(pp);
		/* grow by doubling: a path may list very many indexes */
		if (step->nindexes >= cap)
		{
			cap *= 2;
			step->indexes = repalloc(step->indexes, sizeof(int64) * cap);
		}
		if (!pp_parse_int(pp, &step->indexes[step->nindexes]))
			return false;
		step->nindexes++;
		step->kind = SFN_STEP_INDEXES;
		pp_skip_space(pp);
	}
	return true;
}

/* A bracketed step; pp is at '['. */
static bool
pp_parse_bracket(PathParser *pp, SfnStep *step)
{
	char		c;

	pp->pos++;
	pp_skip_space(pp);
	c = PP_PEEK(pp);
	if (c == '*')
	{
		step->kind = SFN_STEP_WILDCARD;
		pp->pos++;
	}
	else if (c == '?')
	{
		bool		save = pp->in_filter;

		pp->pos++;
		pp_skip_space(pp);
		if (PP_PEEK(pp) != '(')
			return pp_error(pp, "expected \"(\" after \"?\" at position %d", pp->pos + 1);
		pp->pos++;
		pp->in_filter = true;
		step->kind = SFN_STEP_FILTER;
		step->filter = pp_parse_or(pp);
		pp->in_filter = save;
		if (step->filter == NULL)
			return false;
		pp_skip_space(pp);
		if (PP_PEEK(pp) != ')')
			return pp_error(pp, "expected \")\" at position %d", pp->pos + 1);
		pp->pos++;
	}
	else if (c == '\'' || c == '"')
	{
		if (!pp_parse_names(pp, step))
			return false;
	}
	else if (c == '-' || c == ':' || isdigit((unsigned char) c))
	{
		if (!pp_parse_numeric_subscript(pp, step))
			return false;
	}
	else if (c == '\0')
		return pp_error(pp, "unterminated \"[\"");
	else
		return pp_error(pp, "unexpected character \"%c\" at position %d", c, pp->pos + 1);
	pp_skip_space(pp);
	if (PP_PEEK(pp) != ']')
		return pp_error(pp, "expected \"]\" at position %d", pp->pos + 1);
	pp->pos++;
	return true;
}

/* A dotted step; pp is just after '.' (or ".."). */
static bool
pp_parse_dotted(PathParser *pp, SfnStep *step)
{
	int			start = pp->pos;

	if (PP_PEEK(pp) == '*')
	{
		step->kind = SFN_STEP_WILDCARD;
		pp->pos++;
		return true;
	}
	while (!pp_name_stop(pp, PP_PEEK(pp)))
		pp->pos++;
	if (pp->pos == start)
	{
		if (PP_PEEK(pp) == '\0')
			return pp_error(pp, "path must not end with \".\"");
		return pp_error(pp, "unexpected character \"%c\" at position %d",
						PP_PEEK(pp), pp->pos + 1);
	}
	if (PP_PEEK(pp) == '(' && PP_AT(pp, 1) == ')')
	{
		if (pp->pos - start == 6 && strncmp(pp->s + start, "length", 6) == 0)
		{
			step->kind = SFN_STEP_LENGTH;
			pp->pos += 2;
			return true;
		}
		return pp_error(pp, "unsupported function \"%.*s()\"",
						pp->pos - start, pp->s + start);
	}
	step->kind = SFN_STEP_NAME;
	step->nnames = 1;
	step->names = palloc(sizeof(char *));
	step->namelens = palloc(sizeof(int));
	step->names[0] = pnstrdup(pp->s + start, pp->pos - start);
	step->namelens[0] = pp->pos - start;
	return true;
}

static bool
pp_check_reference(PathParser *pp, SfnStep *step)
{
	if (step->scan)
		return pp_error(pp, "a reference path cannot contain \"..\"");
	switch (step->kind)
	{
		case SFN_STEP_NAME:
			return true;
		case SFN_STEP_INDEX:
			if (step->indexes[0] < 0)
				return pp_error(pp, "a reference path cannot contain a negative index");
			return true;
		case SFN_STEP_WILDCARD:
			return pp_error(pp, "a reference path cannot contain \"*\"");
		case SFN_STEP_FILTER:
			return pp_error(pp, "a reference path cannot contain a filter");
		case SFN_STEP_SLICE:
			return pp_error(pp, "a reference path cannot contain a slice");
		case SFN_STEP_LENGTH:
			return pp_error(pp, "a reference path cannot contain a function");
		default:
			return pp_error(pp, "a reference path cannot contain a union");
	}
}

/*
 * Parse a path starting at pp->pos; stops at the first character that
 * cannot continue it.
 */
static SfnPath *
pp_parse_path(PathParser *pp)
{
	SfnPath    *p = palloc0(sizeof(SfnPath));
	int			cap = 4;
	int			text_start = pp->pos;
	int			i;

	p->steps = palloc(sizeof(SfnStep) * cap);
	p->definite = true;
	if (PP_PEEK(pp) == '$' && PP_AT(pp, 1) == '$' && !pp->in_filter)
	{
		p->root = 'C';
		pp->pos += 2;
	}
	else if (PP_PEEK(pp) == '$' && !pp->in_filter &&
			 (isalpha((unsigned char) PP_AT(pp, 1)) || PP_AT(pp, 1) == '_'))
	{
		int			start = ++pp->pos;

		while (isalnum((unsigned char) PP_PEEK(pp)) || PP_PEEK(pp) == '_')
			pp->pos++;
		p->root = 'V';
		p->var = pnstrdup(pp->s + start, pp->pos - start);
	}
	else if (PP_PEEK(pp) == '$' || (PP_PEEK(pp) == '@' && pp->in_filter))
		p->root = pp->s[pp->pos++];
	else
	{
		pp_error(pp, "a path must start with \"$\"");
		return NULL;
	}

	for (;;)
	{
		SfnStep		step;
		char		c = PP_PEEK(pp);

		memset(&step, 0, sizeof(step));
		if (c == '.' && PP_AT(pp, 1) == '.')
		{
			step.scan = true;
			pp->pos += 2;
			if (PP_PEEK(pp) == '[')
			{
				if (!pp_parse_bracket(pp, &step))
					return NULL;
			}
			else if (!pp_parse_dotted(pp, &step))
				return NULL;
		}
		else if (c == '.')
		{
			pp->pos++;
			if (!pp_parse_dotted(pp, &step))
				return NULL;
		}
		else if (c == '[')
		{
			if (!pp_parse_bracket(pp, &step))
				return NULL;
		}
		else
			break;

		if (pp->reference_only && !pp_check_reference(pp, &step))
			return NULL;
		if (p->nsteps > 0 && p->steps[p->nsteps - 1].kind == SFN_STEP_LENGTH)
		{
			pp_error(pp, "length() must be the last step of a path");
			return NULL;
		}
		if (step.scan || (step.kind != SFN_STEP_NAME && step.kind != SFN_STEP_INDEX &&
						  step.kind != SFN_STEP_LENGTH && step.kind != SFN_STEP_NAMES))
			p->definite = false;
		pp_add_step(p, &cap, &step);
	}

	/* ['a','b'] merges into one object when last, else it iterates */
	for (i = 0; i < p->nsteps - 1; i++)
		if (p->steps[i].kind == SFN_STEP_NAMES)
			p->definite = false;
	p->text = pnstrdup(pp->s + text_start, pp->pos - text_start);
	return p;
}

/* ----------------------------------------------------------------
 *		filter expressions
 * ----------------------------------------------------------------
 */

static bool
pp_match(PathParser *pp, const char *tok)
{
	int			n = strlen(tok);

	if (pp->pos + n <= pp->len && strncmp(pp->s + pp->pos, tok, n) == 0)
	{
		pp->pos += n;
		return true;
	}
	return false;
}

/* Is the word at pos exactly kw (not a prefix of a longer word)? */
static bool
pp_keyword(PathParser *pp, const char *kw)
{
	int			n = strlen(kw);

	if (pp->pos + n > pp->len || strncmp(pp->s + pp->pos, kw, n) != 0)
		return false;
	if (isalnum((unsigned char) PP_AT(pp, n)) || PP_AT(pp, n) == '_')
		return false;
	pp->pos += n;
	return true;
}

static bool
pp_parse_number_literal(PathParser *pp, SfnOperand *op)
{
	int			start = pp->pos;
	char	   *num;

	if (PP_PEEK(pp) == '-')
		pp->pos++;
	if (!isdigit((unsigned char) PP_PEEK(pp)))
		return pp_error(pp, "unexpected character \"%c\" at position %d",
						PP_PEEK(pp), pp->pos + 1);
	while (isdigit((unsigned char) PP_PEEK(pp)))
		pp->pos++;
	if (PP_PEEK(pp) == '.' && isdigit((unsigned char) PP_AT(pp, 1)))
	{
		pp->pos++;
		while (isdigit((unsigned char) PP_PEEK(pp)))
			pp->pos++;
	}
	if ((PP_PEEK(pp) == 'e' || PP_PEEK(pp) == 'E') &&
		(isdigit((unsigned char) PP_AT(pp, 1)) ||
		 ((PP_AT(pp, 1) == '-' || PP_AT(pp, 1) == '+') && isdigit((unsigned char) PP_AT(pp, 2)))))
	{
		int			expstart;

		pp->pos += 2;
		expstart = pp->pos;
		while (isdigit((unsigned char) PP_PEEK(pp)))
			pp->pos++;
		if (pp->pos - expstart > 3)
			return pp_error(pp, "number out of range at position %d", start + 1);
	}
	if (pp->pos - start > 300)
		return pp_error(pp, "number too long at position %d", start + 1);
	num = pnstrdup(pp->s + start, pp->pos - start);
	op->literal = sfn_jv_numeric(DatumGetNumeric(DirectFunctionCall3(numeric_in,
																 CStringGetDatum(num),
																 ObjectIdGetDatum(InvalidOid),
																 Int32GetDatum(-1))));
	return true;
}

static bool
pp_parse_operand(PathParser *pp, SfnOperand *op)
{
	char		c;

	pp_skip_space(pp);
	c = PP_PEEK(pp);
	memset(op, 0, sizeof(*op));
	if (c == '@' || c == '$')
	{
		bool		save = pp->reference_only;

		pp->reference_only = false;
		op->path = pp_parse_path(pp);
		pp->reference_only = save;
		return op->path != NULL;
	}
	if (c == '\'' || c == '"')
	{
		char	   *s;
		int			len;

		if (!pp_parse_quoted(pp, &s, &len))
			return false;
		op->literal = sfn_jv_string(s, len);
		return true;
	}
	if (pp_keyword(pp, "true"))
		op->literal = sfn_jv_bool(true);
	else if (pp_keyword(pp, "false"))
		op->literal = sfn_jv_bool(false);
	else if (pp_keyword(pp, "null"))
		op->literal = sfn_jv_null();
	else if (c == '\0')
		return pp_error(pp, "unterminated filter expression");
	else
		return pp_parse_number_literal(pp, op);
	return true;
}

static bool
pp_parse_cmp_op(PathParser *pp, SfnCmpOp *op)
{
	if (pp_match(pp, "=="))
		*op = SFN_OP_EQ;
	else if (pp_match(pp, "!="))
		*op = SFN_OP_NE;
	else if (pp_match(pp, "<="))
		*op = SFN_OP_LE;
	else if (pp_match(pp, ">="))
		*op = SFN_OP_GE;
	else if (pp_match(pp, "<"))
		*op = SFN_OP_LT;
	else if (pp_match(pp, ">"))
		*op = SFN_OP_GT;
	else
		return false;
	return true;
}

static SfnFilter *
pp_parse_primary(PathParser *pp)
{
	SfnFilter  *f;

	check_stack_depth();
	pp_skip_space(pp);
	if (++pp->depth > SFN_PATH_MAX_DEPTH)
	{
		pp_error(pp, "filter expression is nested too deeply");
		return NULL;
	}
	if (PP_PEEK(pp) == '!' && PP_AT(pp, 1) != '=')
	{
		pp->pos++;
		f = palloc0(sizeof(SfnFilter));
		f->kind = SFN_FX_NOT;
		f->left = pp_parse_primary(pp);
		pp->depth--;
		return f->left ? f : NULL;
	}
	if (PP_PEEK(pp) == '(')
	{
		pp->pos++;
		f = pp_parse_or(pp);
		if (f == NULL)
			return NULL;
		pp_skip_space(pp);
		if (PP_PEEK(pp) != ')')
		{
			pp_error(pp, "expected \")\" at position %d", pp->pos + 1);
			return NULL;
		}
		pp->pos++;
		pp->depth--;
		return f;
	}
	f = palloc0(sizeof(SfnFilter));
	if (!pp_parse_operand(pp, &f->a))
		return NULL;
	pp_skip_space(pp);
	if (pp_parse_cmp_op(pp, &f->op))
	{
		f->kind = SFN_FX_CMP;
		if (!pp_parse_operand(pp, &f->b))
			return NULL;
	}
	else
	{
		if (f->a.path == NULL)
		{
			pp_error(pp, "expected a comparison operator at position %d", pp->pos + 1);
			return NULL;
		}
		f->kind = SFN_FX_EXISTS;
	}
	pp->depth--;
	return f;
}

static SfnFilter *
pp_parse_and(PathParser *pp)
{
	SfnFilter  *left = pp_parse_primary(pp);

	while (left != NULL)
	{
		SfnFilter  *f;

		pp_skip_space(pp);
		if (!pp_match(pp, "&&"))
			break;
		f = palloc0(sizeof(SfnFilter));
		f->kind = SFN_FX_AND;
		f->left = left;
		f->right = pp_parse_primary(pp);
		left = f->right ? f : NULL;
	}
	return left;
}

static SfnFilter *
pp_parse_or(PathParser *pp)
{
	SfnFilter  *left = pp_parse_and(pp);

	while (left != NULL)
	{
		SfnFilter  *f;

		pp_skip_space(pp);
		if (!pp_match(pp, "||"))
			break;
		f = palloc0(sizeof(SfnFilter));
		f->kind = SFN_FX_OR;
		f->left = left;
		f->right = pp_parse_and(pp);
		left = f->right ? f : NULL;
	}
	return left;
}

/* ----------------------------------------------------------------
 *		public parse API
 * ----------------------------------------------------------------
 */

SfnPath *
sfn_path_parse_prefix(const char *text, int len, bool reference_only,
					  int *consumed, char **errmsg)
{
	PathParser	pp;
	SfnPath    *p;

	memset(&pp, 0, sizeof(pp));
	pp.s = text;
	pp.len = len;
	pp.reference_only = reference_only;
	p = pp_parse_path(&pp);
	if (p == NULL)
	{
		*errmsg = pp.errmsg ? pp.errmsg : pstrdup("syntax error");
		return NULL;
	}
	*consumed = pp.pos;
	return p;
}

SfnPath *
sfn_path_parse(const char *text, bool reference_only, char **errmsg)
{
	int			len = strlen(text);
	int			consumed;
	SfnPath    *p;

	p = sfn_path_parse_prefix(text, len, reference_only, &consumed, errmsg);
	if (p == NULL)
		return NULL;
	if (consumed < len)
	{
		*errmsg = psprintf("unexpected character \"%c\" at position %d",
						   text[consumed], consumed + 1);
		return NULL;
	}
	return p;
}

const char *
sfn_path_text(const SfnPath *p)
{
	return p->text;
}

bool
sfn_path_is_context(const SfnPath *p)
{
	return p->root == 'C';
}

bool
sfn_path_is_variable(const SfnPath *p)
{
	return p->root == 'V';
}

bool
sfn_path_is_root(const SfnPath *p)
{
	return p->nsteps == 0;
}

bool
sfn_path_is_definite(const SfnPath *p)
{
	return p->definite;
}

/* ----------------------------------------------------------------
 *		evaluation
 * ----------------------------------------------------------------
 */

typedef struct PathEval
{
	const SfnPath *path;
	JsonbValue *root;			/* what "$" means inside filters */
	List	   *matches;		/* JsonbValue pointers */
} PathEval;

static void pe_steps(PathEval *pe, int i, JsonbValue *node);
static bool filter_test(const SfnFilter *f, JsonbValue *node, JsonbValue *root);

/* Evaluate a path (any root) against a node; collects matches. */
static List *
path_matches(const SfnPath *p, JsonbValue *start, JsonbValue *root)
{
	PathEval	pe;

	pe.path = p;
	pe.root = root;
	pe.matches = NIL;
	pe_steps(&pe, 0, start);
	return pe.matches;
}

static void
pe_slice(PathEval *pe, int i, const SfnStep *st, JsonbValue *arr)
{
	int64		n = arr->val.array.nElems;
	int64		from,
				to,
				k;

	if (st->step > 0)
	{
		from = st->has_from ? st->from : 0;
		to = st->has_to ? st->to : n;
		if (from < 0)
			from = Max(from + n, 0);
		if (to < 0)
			to = Max(to + n, 0);
		to = Min(to, n);
		/* a huge step must end the loop, not wrap k around to negative */
		for (k = from; k < to;)
		{
			pe_steps(pe, i + 1, &arr->val.array.elems[k]);
			if (pg_add_s64_overflow(k, st->step, &k))
				break;
		}
	}
	else
	{
		from = st->has_from ? st->from : n - 1;
		to = st->has_to ? st->to : -n - 1;
		if (from < 0)
			from += n;
		from = Min(from, n - 1);
		if (to < 0)
			to = Max(to + n, -1);
		/* k >= 0 here, so k + step cannot go below INT64_MIN */
		for (k = from; k > to && k >= 0; k += st->step)
			pe_steps(pe, i + 1, &arr->val.array.elems[k]);
	}
}

/* Apply step i (ignoring its scan flag) to node. */
static void
pe_apply(PathEval *pe, int i, JsonbValue *node)
{
	const SfnStep *st = &pe->path->steps[i];
	int			k;

	switch (st->kind)
	{
		case SFN_STEP_NAME:
			if (node->type == jbvObject)
			{
				JsonbValue *child = sfn_jv_object_get(node, st->names[0], st->namelens[0]);

				if (child != NULL)
					pe_steps(pe, i + 1, child);
			}
			break;
		case SFN_STEP_NAMES:
			if (node->type != jbvObject)
				break;
			if (i == pe->path->nsteps - 1)
			{
				/* Jayway merges the named properties into one object */
				JsonbValue *merged = sfn_jv_object();

				for (k = 0; k < st->nnames; k++)
				{
					JsonbValue *child = sfn_jv_object_get(node, st->names[k], st->namelens[k]);

					if (child != NULL)
						sfn_jv_object_add(merged, st->names[k], st->namelens[k], child);
				}
				/* a name listed twice appears once */
				sfn_jv_object_finish(merged);
				pe_steps(pe, i + 1, merged);
			}
			else
			{
				for (k = 0; k < st->nnames; k++)
				{
					JsonbValue *child = sfn_jv_object_get(node, st->names[k], st->namelens[k]);

					if (child != NULL)
						pe_steps(pe, i + 1, child);
				}
			}
			break;
		case SFN_STEP_INDEX:
		case SFN_STEP_INDEXES:
			if (node->type != jbvArray)
				break;
			for (k = 0; k < st->nindexes; k++)
			{
				int64		idx = st->indexes[k];

				if (idx < 0)
					idx += node->val.array.nElems;
				if (idx >= 0 && idx < node->val.array.nElems)
					pe_steps(pe, i + 1, &node->val.array.elems[idx]);
			}
			break;
		case SFN_STEP_SLICE:
			if (node->type == jbvArray)
				pe_slice(pe, i, st, node);
			break;
		case SFN_STEP_WILDCARD:
			if (node->type == jbvArray)
				for (k = 0; k < node->val.array.nElems; k++)
					pe_steps(pe, i + 1, &node->val.array.elems[k]);
			else if (node->type == jbvObject)
				for (k = 0; k < node->val.object.nPairs; k++)
					pe_steps(pe, i + 1, &node->val.object.pairs[k].value);
			break;
		case SFN_STEP_FILTER:
			/* arrays filter their elements, objects filter themselves */
			if (node->type == jbvArray)
			{
				for (k = 0; k < node->val.array.nElems; k++)
					if (filter_test(st->filter, &node->val.array.elems[k], pe->root))
						pe_steps(pe, i + 1, &node->val.array.elems[k]);
			}
			else if (node->type == jbvObject && filter_test(st->filter, node, pe->root))
				pe_steps(pe, i + 1, node);
			break;
		case SFN_STEP_LENGTH:
			if (node->type == jbvArray)
				pe_steps(pe, i + 1, sfn_jv_int(node->val.array.nElems));
			else if (node->type == jbvObject)
				pe_steps(pe, i + 1, sfn_jv_int(node->val.object.nPairs));
			break;
	}
}

/* "..step": apply step to node and every container below it, pre-order. */
static void
pe_scan(PathEval *pe, int i, JsonbValue *node)
{
	const SfnStep *st = &pe->path->steps[i];
	int			k;

	check_stack_depth();
	if (!sfn_budget_charge(1))
		return;
	if (node->type == jbvObject)
	{
		pe_apply(pe, i, node);
		for (k = 0; k < node->val.object.nPairs; k++)
			pe_scan(pe, i, &node->val.object.pairs[k].value);
	}
	else if (node->type == jbvArray)
	{
		/* a filter tests the objects themselves, met one level down */
		if (st->kind != SFN_STEP_FILTER)
			pe_apply(pe, i, node);
		for (k = 0; k < node->val.array.nElems; k++)
			pe_scan(pe, i, &node->val.array.elems[k]);
	}
}

static void
pe_steps(PathEval *pe, int i, JsonbValue *node)
{
	check_stack_depth();
	if (!sfn_budget_charge(1))
		return;
	if (i == pe->path->nsteps)
		pe->matches = lappend(pe->matches, node);
	else if (pe->path->steps[i].scan)
		pe_scan(pe, i, node);
	else
		pe_apply(pe, i, node);
}

/* Value of a filter operand, or NULL when a path matches nothing. */
static JsonbValue *
operand_value(const SfnOperand *op, JsonbValue *node, JsonbValue *root)
{
	List	   *m;

	if (op->literal != NULL)
		return op->literal;
	m = path_matches(op->path, op->path->root == '@' ? node : root, root);
	if (op->path->definite)
		return m == NIL ? NULL : (JsonbValue *) linitial(m);
	else
	{
		JsonbValue *arr = sfn_jv_array();
		ListCell   *lc;

		foreach(lc, m)
			sfn_jv_array_append(arr, (JsonbValue *) lfirst(lc));
		return arr;
	}
}

static int
compare_strings(const JsonbValue *a, const JsonbValue *b)
{
	int			c = memcmp(a->val.string.val, b->val.string.val,
						   Min(a->val.string.len, b->val.string.len));

	if (c != 0)
		return c;
	return a->val.string.len - b->val.string.len;
}

static bool
filter_compare(SfnCmpOp op, JsonbValue *a, JsonbValue *b)
{
	int			c;

	if (a == NULL || b == NULL)
		return op == SFN_OP_NE;
	if (!sfn_budget_charge(1))
		return false;
	if (op == SFN_OP_EQ)
		return sfn_jv_equal(a, b);
	if (op == SFN_OP_NE)
		return !sfn_jv_equal(a, b);
	/* ordering is defined between two numbers or two strings only */
	if (a->type == jbvNumeric && b->type == jbvNumeric)
		c = DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											  NumericGetDatum(a->val.numeric),
											  NumericGetDatum(b->val.numeric)));
	else if (a->type == jbvString && b->type == jbvString)
		c = compare_strings(a, b);
	else
		return false;
	switch (op)
	{
		case SFN_OP_LT:
			return c < 0;
		case SFN_OP_LE:
			return c <= 0;
		case SFN_OP_GT:
			return c > 0;
		default:
			return c >= 0;
	}
}

static bool
filter_test(const SfnFilter *f, JsonbValue *node, JsonbValue *root)
{
	check_stack_depth();
	if (sfn_budget_exhausted())
		return false;
	switch (f->kind)
	{
		case SFN_FX_OR:
			return filter_test(f->left, node, root) || filter_test(f->right, node, root);
		case SFN_FX_AND:
			return filter_test(f->left, node, root) && filter_test(f->right, node, root);
		case SFN_FX_NOT:
			return !filter_test(f->left, node, root);
		case SFN_FX_EXISTS:
			{
				JsonbValue *v = operand_value(&f->a, node, root);

				/* an indefinite path "exists" when it matched something */
				if (v != NULL && !f->a.path->definite)
					return v->val.array.nElems > 0;
				return v != NULL;
			}
		case SFN_FX_CMP:
			return filter_compare(f->op, operand_value(&f->a, node, root),
								  operand_value(&f->b, node, root));
	}
	return false;
}

bool
sfn_path_query(const SfnPath *p, JsonbValue *input, JsonbValue *context,
			   JsonbValue **out, SfnError *err)
{
	JsonbValue *start = p->root == 'C' ? context : input;
	List	   *m;
	JsonbValue *arr;
	ListCell   *lc;

	if (p->root == 'V')
		start = sfn_scope_variable(p->var, strlen(p->var));

	*out = NULL;
	if (start == NULL)
		return true;
	m = path_matches(p, start, start);
	if (sfn_budget_exhausted())
		return sfn_budget_error(err);
	if (p->definite)
	{
		*out = m == NIL ? NULL : (JsonbValue *) linitial(m);
		return true;
	}
	arr = sfn_jv_array();
	foreach(lc, m)
		sfn_jv_array_append(arr, (JsonbValue *) lfirst(lc));
	list_free(m);

	/*
	 * The matches share the input's nodes (each match of $..a contains the
	 * next one), so the result can be far larger than the input once it is
	 * copied or printed.  Refuse a result whose copy would not fit.
	 */
	if (!sfn_budget_reserve_value(arr))
		return sfn_budget_error(err);
	*out = arr;
	return true;
}

/* ----------------------------------------------------------------
 *		ResultPath
 * ----------------------------------------------------------------
 */

static bool
set_fail(const SfnPath *p, JsonbValue *target, SfnError *err)
{
	return sfn_fail(err, "States.ResultPathMatchFailure",
					"Unable to apply ResultPath \"%s\" to input \"%s\"",
					p->text, sfn_jv_to_text(target));
}

bool
sfn_path_set(const SfnPath *p, JsonbValue *target, JsonbValue *value,
			 JsonbValue **out, SfnError *err)
{
	JsonbValue *result;
	JsonbValue *node;
	int			i;

	if (p->root == 'C')
		return sfn_fail(err, "States.ResultPathMatchFailure",
						"ResultPath \"%s\" cannot refer to the context object", p->text);
	if (p->root == 'V')
		return sfn_fail(err, "States.ResultPathMatchFailure",
						"ResultPath \"%s\" cannot refer to a variable", p->text);
	if (p->nsteps == 0)
	{
		*out = value;
		return true;
	}
	result = sfn_jv_copy(target);
	node = result;
	for (i = 0; i < p->nsteps; i++)
	{
		const SfnStep *st = &p->steps[i];
		bool		last = (i == p->nsteps - 1);

		if (st->scan || (st->kind != SFN_STEP_NAME && st->kind != SFN_STEP_INDEX))
			return sfn_fail(err, "States.ResultPathMatchFailure",
							"ResultPath \"%s\" is not a reference path", p->text);
		if (st->kind == SFN_STEP_NAME)
		{
			JsonbValue *child;

			if (node->type != jbvObject)
				return set_fail(p, target, err);
			if (last)
			{
				sfn_jv_object_put(node, st->names[0], st->namelens[0], value);
				break;
			}
			child = sfn_jv_object_get(node, st->names[0], st->namelens[0]);
			if (child == NULL)
			{
				sfn_jv_object_put(node, st->names[0], st->namelens[0], sfn_jv_object());
				child = sfn_jv_object_get(node, st->names[0], st->namelens[0]);
			}
			node = child;
		}
		else
		{
			int64		idx = st->indexes[0];

			if (node->type != jbvArray)
				return set_fail(p, target, err);
			if (idx < 0)
				idx += node->val.array.nElems;
			if (idx < 0 || idx >= node->val.array.nElems)
				return set_fail(p, target, err);
			if (last)
			{
				node->val.array.elems[idx] = *value;
				break;
			}
			node = &node->val.array.elems[idx];
		}
	}
	*out = result;
	return true;
}
