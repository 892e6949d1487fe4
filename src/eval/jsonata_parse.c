/*-------------------------------------------------------------------------
 *
 * jsonata_parse.c
 *	  JSONata lexer and parser: text to syntax tree.
 *
 * A top-down operator-precedence parser with JSONata's binding powers,
 * then a pass (jn_process) that flattens location paths into steps with
 * their predicates, index and focus bindings, group-by and order-by, and
 * resolves the parent operator (%) to the step it refers to, as jsonata-js
 * does.  Syntax errors carry JSONata's codes (S0xxx) and positions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "eval/jsonata_int.h"

typedef enum JnTokType
{
	TK_END,
	TK_NAME,
	TK_VARIABLE,
	TK_OPERATOR,
	TK_STRING,
	TK_NUMBER,
	TK_VALUE,
	TK_REGEX
} JnTokType;

typedef struct JnTok
{
	JnTokType	type;
	char	   *str;			/* name, variable, operator, string, regex */
	int			slen;
	char	   *flags;			/* regex */
	double		num;
	JnVal	   *val;			/* value literal */
	int			pos;
} JnTok;

typedef struct JnParser
{
	const char *src;
	int			len;
	int			p;				/* lexer position */
	JnTok		tok;			/* current token */
	/* ancestry of the parent operator */
	int			label_seq;
	JnNode	  **ancestry;
	int			nancestry;
	int			cap_ancestry;
	int			depth;
} JnParser;

static JnNode *expression(JnParser *ps, int rbp);

void
jn_nodelist_add(JnNodeList *l, JnNode *n)
{
	if (l->n == l->cap)
	{
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = l->items ? repalloc(l->items, sizeof(JnNode *) * l->cap)
			: palloc(sizeof(JnNode *) * l->cap);
	}
	l->items[l->n++] = n;
}

static JnNode *
new_node(JnNodeType type, int pos)
{
	JnNode	   *n = palloc0(sizeof(JnNode));

	n->type = type;
	n->pos = pos;
	return n;
}

static pg_attribute_noreturn() void
syntax_error(const char *code, int pos, const char *token, JnVal *value)
{
	jn_throw(code, pos, token, value);
}

/* ---- lexer ---- */

static bool
is_operator_char(char c)
{
	return strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != NULL && c != '\0';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

static void
append_utf8(StringInfo buf, uint32 cp)
{
	if (cp < 0x80)
		appendStringInfoChar(buf, (char) cp);
	else if (cp < 0x800)
	{
		appendStringInfoChar(buf, (char) (0xC0 | (cp >> 6)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		appendStringInfoChar(buf, (char) (0xE0 | (cp >> 12)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 6) & 0x3F)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3F)));
	}
	else
	{
		appendStringInfoChar(buf, (char) (0xF0 | (cp >> 18)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 12) & 0x3F)));
		appendStringInfoChar(buf, (char) (0x80 | ((cp >> 6) & 0x3F)));
		appendStringInfoChar(buf, (char) (0x80 | (cp & 0x3F)));
	}
}

static bool
hex4(const char *s, int avail, uint32 *out)
{
	uint32		v = 0;

	if (avail < 4)
		return false;
	for (int i = 0; i < 4; i++)
	{
		char		c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return false;
	}
	*out = v;
	return true;
}

static void
scan_regex(JnParser *ps, JnTok *t)
{
	const char *s = ps->src;
	int			start = ps->p;
	int			depth = 0;

	while (ps->p < ps->len)
	{
		char		c = s[ps->p];

		if (c == '/' && depth == 0)
		{
			int			bs = 0;

			while (ps->p - (bs + 1) >= 0 && s[ps->p - (bs + 1)] == '\\')
				bs++;
			if (bs % 2 == 0)
			{
				int			fstart;

				if (ps->p == start)
					syntax_error("S0301", ps->p, NULL, NULL);
				t->str = pnstrdup(s + start, ps->p - start);
				t->slen = ps->p - start;
				ps->p++;
				fstart = ps->p;
				while (ps->p < ps->len && (s[ps->p] == 'i' || s[ps->p] == 'm'))
					ps->p++;
				t->flags = pnstrdup(s + fstart, ps->p - fstart);
				return;
			}
		}
		if ((c == '(' || c == '[' || c == '{') && (ps->p == 0 || s[ps->p - 1] != '\\'))
			depth++;
		if ((c == ')' || c == ']' || c == '}') && (ps->p == 0 || s[ps->p - 1] != '\\'))
			depth--;
		ps->p++;
	}
	syntax_error("S0302", ps->p, NULL, NULL);
}

/* Next token into ps->tok; infix: a '/' here is division, not a regex. */
static void
lex(JnParser *ps, bool infix)
{
	const char *s = ps->src;
	JnTok	   *t = &ps->tok;
	char		c;

	memset(t, 0, sizeof(*t));
	for (;;)
	{
		while (ps->p < ps->len && is_space(s[ps->p]))
			ps->p++;
		if (ps->p + 1 < ps->len && s[ps->p] == '/' && s[ps->p + 1] == '*')
		{
			int			cstart = ps->p;

			ps->p += 2;
			while (!(ps->p + 1 < ps->len && s[ps->p] == '*' && s[ps->p + 1] == '/'))
			{
				ps->p++;
				if (ps->p >= ps->len)
					syntax_error("S0106", cstart, NULL, NULL);
			}
			ps->p += 2;
			continue;
		}
		break;
	}
	if (ps->p >= ps->len)
	{
		t->type = TK_END;
		t->pos = ps->len;
		return;
	}
	c = s[ps->p];
	if (!infix && c == '/')
	{
		ps->p++;
		t->type = TK_REGEX;
		scan_regex(ps, t);
		t->pos = ps->p;
		return;
	}
	if (ps->p + 1 < ps->len)
	{
		char		d = s[ps->p + 1];
		const char *two = NULL;

		if (c == '.' && d == '.')
			two = "..";
		else if (c == ':' && d == '=')
			two = ":=";
		else if (c == '!' && d == '=')
			two = "!=";
		else if (c == '>' && d == '=')
			two = ">=";
		else if (c == '<' && d == '=')
			two = "<=";
		else if (c == '*' && d == '*')
			two = "**";
		else if (c == '~' && d == '>')
			two = "~>";
		if (two)
		{
			ps->p += 2;
			t->type = TK_OPERATOR;
			t->str = (char *) two;
			t->slen = 2;
			t->pos = ps->p;
			return;
		}
	}
	if (is_operator_char(c))
	{
		ps->p++;
		t->type = TK_OPERATOR;
		t->str = pnstrdup(&c, 1);
		t->slen = 1;
		t->pos = ps->p;
		return;
	}
	if (c == '"' || c == '\'')
	{
		char		q = c;
		StringInfoData buf;

		initStringInfo(&buf);
		ps->p++;
		while (ps->p < ps->len)
		{
			c = s[ps->p];
			if (c == '\\')
			{
				ps->p++;
				c = ps->p < ps->len ? s[ps->p] : '\0';
				switch (c)
				{
					case '"':
					case '\\':
					case '/':
						appendStringInfoChar(&buf, c);
						break;
					case 'b':
						appendStringInfoChar(&buf, '\b');
						break;
					case 'f':
						appendStringInfoChar(&buf, '\f');
						break;
					case 'n':
						appendStringInfoChar(&buf, '\n');
						break;
					case 'r':
						appendStringInfoChar(&buf, '\r');
						break;
					case 't':
						appendStringInfoChar(&buf, '\t');
						break;
					case 'u':
						{
							uint32		cp,
										lo;

							if (!hex4(s + ps->p + 1, ps->len - ps->p - 1, &cp))
								syntax_error("S0104", ps->p, NULL, NULL);
							ps->p += 4;
							/* a surrogate pair makes one character */
							if (cp >= 0xD800 && cp <= 0xDBFF &&
								ps->p + 6 < ps->len && s[ps->p + 1] == '\\' && s[ps->p + 2] == 'u' &&
								hex4(s + ps->p + 3, ps->len - ps->p - 3, &lo) &&
								lo >= 0xDC00 && lo <= 0xDFFF)
							{
								cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
								ps->p += 6;
							}
							append_utf8(&buf, cp);
							break;
						}
					default:
						{
							char		tok[2] = {c, '\0'};

							syntax_error("S0103", ps->p, tok, NULL);
						}
				}
			}
			else if (c == q)
			{
				ps->p++;
				t->type = TK_STRING;
				t->str = buf.data;
				t->slen = buf.len;
				t->pos = ps->p;
				return;
			}
			else
				appendStringInfoChar(&buf, c);
			ps->p++;
		}
		syntax_error("S0101", ps->p, NULL, NULL);
	}
	if (c >= '0' && c <= '9')
	{
		int			i = ps->p;
		double		num;
		char	   *tmp;

		if (s[i] == '0')
			i++;
		else
			while (i < ps->len && s[i] >= '0' && s[i] <= '9')
				i++;
		if (i + 1 < ps->len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
		{
			i++;
			while (i < ps->len && s[i] >= '0' && s[i] <= '9')
				i++;
		}
		if (i < ps->len && (s[i] == 'e' || s[i] == 'E'))
		{
			int			j = i + 1;

			if (j < ps->len && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < ps->len && s[j] >= '0' && s[j] <= '9')
			{
				while (j < ps->len && s[j] >= '0' && s[j] <= '9')
					j++;
				i = j;
			}
		}
		tmp = pnstrdup(s + ps->p, i - ps->p);
		num = strtod(tmp, NULL);
		if (!isfinite(num))
			syntax_error("S0102", ps->p, tmp, NULL);
		ps->p = i;
		t->type = TK_NUMBER;
		t->num = num;
		t->str = tmp;
		t->slen = strlen(tmp);
		t->pos = ps->p;
		return;
	}
	if (c == '`')
	{
		const char *end;

		ps->p++;
		end = memchr(s + ps->p, '`', ps->len - ps->p);
		if (end == NULL)
		{
			ps->p = ps->len;
			syntax_error("S0105", ps->p, NULL, NULL);
		}
		t->type = TK_NAME;
		t->slen = end - (s + ps->p);
		t->str = pnstrdup(s + ps->p, t->slen);
		ps->p = end - s + 1;
		t->pos = ps->p;
		return;
	}
	{
		int			i = ps->p;

		while (i < ps->len && !is_space(s[i]) && !is_operator_char(s[i]))
			i++;
		if (s[ps->p] == '$')
		{
			t->type = TK_VARIABLE;
			t->slen = i - ps->p - 1;
			t->str = pnstrdup(s + ps->p + 1, t->slen);
		}
		else
		{
			t->slen = i - ps->p;
			t->str = pnstrdup(s + ps->p, t->slen);
			t->type = TK_NAME;
			if (strcmp(t->str, "and") == 0 || strcmp(t->str, "or") == 0 ||
				strcmp(t->str, "in") == 0)
				t->type = TK_OPERATOR;
			else if (strcmp(t->str, "true") == 0)
			{
				t->type = TK_VALUE;
				t->val = JN_BOOLV(true);
			}
			else if (strcmp(t->str, "false") == 0)
			{
				t->type = TK_VALUE;
				t->val = JN_BOOLV(false);
			}
			else if (strcmp(t->str, "null") == 0)
			{
				t->type = TK_VALUE;
				t->val = JN_NULLV;
			}
		}
		ps->p = i;
		t->pos = ps->p;
	}
}

/* ---- parser ---- */

static bool
tok_is(JnParser *ps, const char *op)
{
	return ps->tok.type == TK_OPERATOR && strcmp(ps->tok.str, op) == 0;
}

/* binding power of an operator */
static int
lbp_of(const char *op)
{
	static const struct
	{
		const char *op;
		int			bp;
	}			table[] = {
		{".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80},
		{"?", 20}, {"+", 50}, {"-", 50}, {"*", 60}, {"/", 60}, {"%", 60},
		{"=", 40}, {"<", 40}, {">", 40}, {"^", 40}, {"!=", 40}, {"<=", 40},
		{">=", 40}, {"~>", 40}, {":=", 10}, {"and", 30}, {"or", 25},
		{"in", 40}, {"&", 50}
	};

	for (int i = 0; i < (int) lengthof(table); i++)
		if (strcmp(table[i].op, op) == 0)
			return table[i].bp;
	return 0;
}

/* left binding power of the current token */
static int
lbp(JnParser *ps)
{
	return ps->tok.type == TK_OPERATOR ? lbp_of(ps->tok.str) : 0;
}

static const char *
tok_text(JnTok *t)
{
	if (t->type == TK_END)
		return "(end)";
	if (t->type == TK_VALUE)
		return t->val->type == JN_NULL ? "null" : (t->val->u.b ? "true" : "false");
	return t->str;
}

/* Check that the current token is op and move past it. */
static void
advance(JnParser *ps, const char *op, bool infix)
{
	if (op && !tok_is(ps, op))
	{
		if (ps->tok.type == TK_END)
			syntax_error("S0203", ps->tok.pos, tok_text(&ps->tok), jn_cstr(op));
		syntax_error("S0202", ps->tok.pos, tok_text(&ps->tok), jn_cstr(op));
	}
	lex(ps, infix);
	if (ps->tok.type == TK_OPERATOR)
	{
		/* operators the grammar knows */
		static const char *const known[] = {
			".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?",
			"+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "**", "..",
			":=", "!=", "<=", ">=", "~>", "and", "or", "in", "&"
		};
		bool		ok = false;

		for (int i = 0; i < (int) lengthof(known); i++)
			if (strcmp(known[i], ps->tok.str) == 0)
				ok = true;
		if (!ok)
			syntax_error("S0204", ps->tok.pos, ps->tok.str, NULL);
	}
}

static JnOp
binary_op(const char *s)
{
	static const struct
	{
		const char *s;
		JnOp		op;
	}			ops[] = {
		{"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MUL}, {"/", OP_DIV},
		{"%", OP_MOD}, {"=", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT},
		{"<=", OP_LE}, {">", OP_GT}, {">=", OP_GE}, {"&", OP_CONCAT},
		{"..", OP_RANGE}, {"in", OP_IN}, {"and", OP_AND}, {"or", OP_OR}
	};

	for (int i = 0; i < (int) lengthof(ops); i++)
		if (strcmp(ops[i].s, s) == 0)
			return ops[i].op;
	return OP_NONE;
}

/* the object constructor's pairs: { k: v, ... } */
static void
parse_pairs(JnParser *ps, JnNodeList *l)
{
	if (!tok_is(ps, "}"))
	{
		for (;;)
		{
			JnNode	   *k = expression(ps, 0);
			JnNode	   *v;

			advance(ps, ":", false);
			v = expression(ps, 0);
			jn_nodelist_add(l, k);
			jn_nodelist_add(l, v);
			if (!tok_is(ps, ","))
				break;
			advance(ps, ",", false);
		}
	}
	advance(ps, "}", true);
}

static JnNode *
nud(JnParser *ps, JnTok *t)
{
	JnNode	   *n;

	switch (t->type)
	{
		case TK_NAME:
			n = new_node(NT_NAME, t->pos);
			n->str = t->str;
			n->slen = t->slen;
			return n;
		case TK_VARIABLE:
			n = new_node(NT_VARIABLE, t->pos);
			n->str = t->str;
			n->slen = t->slen;
			return n;
		case TK_STRING:
			n = new_node(NT_STRING, t->pos);
			n->str = t->str;
			n->slen = t->slen;
			n->lit = jn_str(t->str, t->slen);
			return n;
		case TK_NUMBER:
			n = new_node(NT_NUMBER, t->pos);
			n->num = t->num;
			n->lit = jn_num(t->num);
			return n;
		case TK_VALUE:
			n = new_node(NT_VALUE, t->pos);
			n->lit = t->val;
			return n;
		case TK_REGEX:
			n = new_node(NT_REGEX, t->pos);
			n->str = t->str;
			n->slen = t->slen;
			n->regex = jn_regex_compile(t->str, t->slen, t->flags, t->pos);
			return n;
		case TK_END:
			syntax_error("S0207", t->pos, NULL, NULL);
		case TK_OPERATOR:
			break;
	}
	if (strcmp(t->str, "and") == 0 || strcmp(t->str, "or") == 0 || strcmp(t->str, "in") == 0)
	{
		n = new_node(NT_RAW_OPERATOR, t->pos);
		n->str = t->str;
		n->slen = t->slen;
		return n;
	}
	if (strcmp(t->str, "-") == 0)
	{
		n = new_node(NT_NEG, t->pos);
		n->expr = expression(ps, 70);
		return n;
	}
	if (strcmp(t->str, "*") == 0)
		return new_node(NT_WILDCARD, t->pos);
	if (strcmp(t->str, "**") == 0)
		return new_node(NT_DESCENDANT, t->pos);
	if (strcmp(t->str, "%") == 0)
		return new_node(NT_PARENT, t->pos);
	if (strcmp(t->str, "(") == 0)
	{
		n = new_node(NT_BLOCK, t->pos);
		while (!tok_is(ps, ")"))
		{
			jn_nodelist_add(&n->items, expression(ps, 0));
			if (!tok_is(ps, ";"))
				break;
			advance(ps, ";", false);
		}
		advance(ps, ")", true);
		return n;
	}
	if (strcmp(t->str, "[") == 0)
	{
		n = new_node(NT_ARRAY, t->pos);
		if (!tok_is(ps, "]"))
		{
			for (;;)
			{
				JnNode	   *item = expression(ps, 0);

				if (tok_is(ps, ".."))
				{
					JnNode	   *range = new_node(NT_BINARY, ps->tok.pos);

					range->op = OP_RANGE;
					range->lhs = item;
					advance(ps, "..", false);
					range->rhs = expression(ps, 0);
					item = range;
				}
				jn_nodelist_add(&n->items, item);
				if (!tok_is(ps, ","))
					break;
				advance(ps, ",", false);
			}
		}
		advance(ps, "]", true);
		return n;
	}
	if (strcmp(t->str, "{") == 0)
	{
		n = new_node(NT_OBJECT, t->pos);
		parse_pairs(ps, &n->items);
		return n;
	}
	if (strcmp(t->str, "|") == 0)
	{
		n = new_node(NT_TRANSFORM, t->pos);
		n->expr = expression(ps, 0);
		advance(ps, "|", false);
		n->then = expression(ps, 0);
		if (tok_is(ps, ","))
		{
			advance(ps, ",", false);
			n->els = expression(ps, 0);
		}
		advance(ps, "|", false);
		return n;
	}
	syntax_error("S0211", t->pos, t->str, NULL);
}

static JnNode *
led(JnParser *ps, JnTok *t, JnNode *left)
{
	JnNode	   *n;
	const char *op = t->str;

	if (strcmp(op, "(") == 0)
	{
		n = new_node(NT_FUNCTION, t->pos);
		n->procedure = left;
		if (!tok_is(ps, ")"))
		{
			for (;;)
			{
				if (tok_is(ps, "?"))
				{
					n->type = NT_PARTIAL;
					jn_nodelist_add(&n->items, new_node(NT_PLACEHOLDER, ps->tok.pos));
					advance(ps, "?", false);
				}
				else
					jn_nodelist_add(&n->items, expression(ps, 0));
				if (!tok_is(ps, ","))
					break;
				advance(ps, ",", false);
			}
		}
		advance(ps, ")", true);
		if (left->type == NT_NAME &&
			(strcmp(left->str, "function") == 0 || strcmp(left->str, "\u03BB") == 0))
		{
			for (int i = 0; i < n->items.n; i++)
			{
				JnNode	   *a = n->items.items[i];

				if (a->type != NT_VARIABLE)
					syntax_error("S0208", a->pos, a->str, jn_num(i + 1));
			}
			n->type = NT_LAMBDA;
			n->params = n->items;
			memset(&n->items, 0, sizeof(n->items));
			if (tok_is(ps, "<"))
			{
				int			sigpos = ps->tok.pos;
				int			depth = 1;
				StringInfoData sig;

				initStringInfo(&sig);
				appendStringInfoChar(&sig, '<');
				while (depth > 0 && !tok_is(ps, "{") && ps->tok.type != TK_END)
				{
					advance(ps, NULL, false);
					if (tok_is(ps, ">"))
						depth--;
					else if (tok_is(ps, "<"))
						depth++;
					if (ps->tok.type != TK_END)
						appendStringInfoString(&sig, tok_text(&ps->tok));
				}
				advance(ps, ">", false);
				n->sig = jn_parse_signature(sig.data, sig.len, sigpos);
			}
			advance(ps, "{", false);
			n->body = expression(ps, 0);
			advance(ps, "}", false);
		}
		return n;
	}
	if (strcmp(op, "[") == 0)
	{
		if (tok_is(ps, "]"))
		{
			JnNode	   *step = left;

			while (step && step->type == NT_RAW_PRED)
				step = step->lhs;
			step->keep_array = true;
			advance(ps, "]", false);
			return left;
		}
		n = new_node(NT_RAW_PRED, t->pos);
		n->lhs = left;
		n->rhs = expression(ps, 0);
		advance(ps, "]", true);
		return n;
	}
	if (strcmp(op, "^") == 0)
	{
		int			cap = 4;

		n = new_node(NT_RAW_SORT, t->pos);
		n->lhs = left;
		n->descending = palloc0(sizeof(bool) * cap);
		advance(ps, "(", false);
		for (;;)
		{
			bool		desc = false;

			if (tok_is(ps, "<"))
				advance(ps, "<", false);
			else if (tok_is(ps, ">"))
			{
				desc = true;
				advance(ps, ">", false);
			}
			jn_nodelist_add(&n->items, expression(ps, 0));
			if (n->items.n > cap)
			{
				cap *= 2;
				n->descending = repalloc(n->descending, sizeof(bool) * cap);
			}
			n->descending[n->items.n - 1] = desc;
			if (!tok_is(ps, ","))
				break;
			advance(ps, ",", false);
		}
		advance(ps, ")", false);
		return n;
	}
	if (strcmp(op, "{") == 0)
	{
		n = new_node(NT_RAW_GROUP, t->pos);
		n->lhs = left;
		parse_pairs(ps, &n->items);
		return n;
	}
	if (strcmp(op, ":=") == 0)
	{
		if (left->type != NT_VARIABLE)
			syntax_error("S0212", left->pos, left->str, NULL);
		n = new_node(NT_BIND, t->pos);
		n->lhs = left;
		n->rhs = expression(ps, 10 - 1);
		return n;
	}
	if (strcmp(op, "@") == 0 || strcmp(op, "#") == 0)
	{
		n = new_node(op[0] == '@' ? NT_RAW_FOCUS : NT_RAW_INDEXBIND, t->pos);
		n->lhs = left;
		n->rhs = expression(ps, 80);
		if (n->rhs->type != NT_VARIABLE)
			syntax_error("S0214", n->rhs->pos, op, NULL);
		return n;
	}
	if (strcmp(op, "?") == 0)
	{
		n = new_node(NT_CONDITION, t->pos);
		n->expr = left;
		n->then = expression(ps, 0);
		if (tok_is(ps, ":"))
		{
			advance(ps, ":", false);
			n->els = expression(ps, 0);
			n->has_else = true;
		}
		return n;
	}
	if (strcmp(op, "~>") == 0)
	{
		n = new_node(NT_APPLY, t->pos);
		n->lhs = left;
		n->rhs = expression(ps, 40);
		return n;
	}
	if (strcmp(op, ".") == 0)
	{
		n = new_node(NT_RAW_DOT, t->pos);
		n->lhs = left;
		n->rhs = expression(ps, 75);
		return n;
	}
	n = new_node(NT_BINARY, t->pos);
	n->op = binary_op(op);
	if (n->op == OP_NONE)
		syntax_error("S0201", t->pos, op, NULL);
	n->str = (char *) op;
	n->lhs = left;
	n->rhs = expression(ps, lbp_of(op));
	return n;
}

static JnNode *
expression(JnParser *ps, int rbp)
{
	JnTok		t;
	JnNode	   *left;

	jn_check_stack();
	if (++ps->depth > 500)
		jn_throw("U1001", ps->tok.pos, NULL, NULL);
	t = ps->tok;
	advance(ps, NULL, true);
	left = nud(ps, &t);
	while (rbp < lbp(ps))
	{
		t = ps->tok;
		advance(ps, NULL, false);
		left = led(ps, &t, left);
	}
	ps->depth--;
	return left;
}

/* ---- from parse tree to evaluation tree ---- */

static JnNode *process(JnParser *ps, JnNode *expr);

static void
push_slot(JnNode *n, JnSlot *s)
{
	n->seeking = n->seeking ? repalloc(n->seeking, sizeof(JnSlot *) * (n->nseeking + 1))
		: palloc(sizeof(JnSlot *));
	n->seeking[n->nseeking++] = s;
	n->has_seeking = true;
}

static void
push_ancestry(JnNode *result, JnNode *value)
{
	if (value->has_seeking || value->type == NT_PARENT)
	{
		result->has_seeking = true;
		for (int i = 0; i < value->nseeking; i++)
			push_slot(result, value->seeking[i]);
		if (value->type == NT_PARENT)
			push_slot(result, value->slot);
	}
}

static const char *
node_type_name(JnNode *n)
{
	switch (n->type)
	{
		case NT_PATH:
			return "path";
		case NT_BINARY:
			return "binary";
		case NT_NEG:
		case NT_ARRAY:
		case NT_OBJECT:
			return "unary";
		case NT_STRING:
			return "string";
		case NT_NUMBER:
			return "number";
		case NT_VALUE:
			return "value";
		case NT_FUNCTION:
			return "function";
		case NT_VARIABLE:
			return "variable";
		case NT_CONDITION:
			return "condition";
		case NT_LAMBDA:
			return "lambda";
		case NT_SORT:
			return "sort";
		case NT_DESCENDANT:
			return "descendant";
		case NT_REGEX:
			return "regex";
		default:
			return "expression";
	}
}

static JnSlot *
seek_parent(JnParser *ps, JnNode *node, JnSlot *slot)
{
	int			index;

	jn_check_stack();
	switch (node->type)
	{
		case NT_NAME:
		case NT_WILDCARD:
			slot->level--;
			if (slot->level == 0)
			{
				if (node->ancestor == NULL)
					node->ancestor = slot;
				else
				{
					/* reuse the existing label */
					ps->ancestry[slot->index]->slot->label = node->ancestor->label;
					node->ancestor = slot;
				}
				node->tuple = true;
			}
			break;
		case NT_PARENT:
			slot->level++;
			break;
		case NT_BLOCK:
			if (node->items.n > 0)
			{
				node->tuple = true;
				slot = seek_parent(ps, node->items.items[node->items.n - 1], slot);
			}
			break;
		case NT_PATH:
			node->tuple = true;
			index = node->items.n - 1;
			slot = seek_parent(ps, node->items.items[index--], slot);
			while (slot->level > 0 && index >= 0)
				slot = seek_parent(ps, node->items.items[index--], slot);
			break;
		default:
			syntax_error("S0217", node->pos, node_type_name(node), NULL);
	}
	return slot;
}

static void
resolve_ancestry(JnParser *ps, JnNode *path)
{
	JnNode	   *last = path->items.items[path->items.n - 1];
	int			nslots = last->nseeking;
	JnSlot	  **slots = palloc(sizeof(JnSlot *) * (nslots + 1));

	if (nslots > 0)
		memcpy(slots, last->seeking, sizeof(JnSlot *) * nslots);
	if (last->type == NT_PARENT)
		slots[nslots++] = last->slot;
	for (int is = 0; is < nslots; is++)
	{
		JnSlot	   *slot = slots[is];
		int			index = path->items.n - 2;

		while (slot->level > 0)
		{
			JnNode	   *step;

			if (index < 0)
			{
				push_slot(path, slot);
				break;
			}
			step = path->items.items[index--];
			/* contiguous steps that bind the focus are skipped */
			while (index >= 0 && step->focus && path->items.items[index]->focus)
				step = path->items.items[index--];
			slot = seek_parent(ps, step, slot);
		}
	}
}

static JnNode *
wrap_path(JnNode *step)
{
	JnNode	   *p = new_node(NT_PATH, step->pos);

	jn_nodelist_add(&p->items, step);
	return p;
}

static JnNode *
tail_call_optimize(JnNode *expr)
{
	if (expr->type == NT_FUNCTION && expr->predicate.n == 0)
	{
		JnNode	   *thunk = new_node(NT_LAMBDA, expr->pos);

		thunk->thunk = true;
		thunk->body = expr;
		return thunk;
	}
	if (expr->type == NT_CONDITION)
	{
		expr->then = tail_call_optimize(expr->then);
		if (expr->has_else)
			expr->els = tail_call_optimize(expr->els);
	}
	else if (expr->type == NT_BLOCK && expr->items.n > 0)
		expr->items.items[expr->items.n - 1] =
			tail_call_optimize(expr->items.items[expr->items.n - 1]);
	return expr;
}

static JnNode *
process(JnParser *ps, JnNode *expr)
{
	JnNode	   *result = expr;
	JnNode	   *step;

	jn_check_stack();
	switch (expr->type)
	{
		case NT_RAW_DOT:
			{
				JnNode	   *lstep = process(ps, expr->lhs);
				JnNode	   *rest;

				result = lstep->type == NT_PATH ? lstep : wrap_path(lstep);
				if (lstep->type == NT_PARENT)
				{
					result->nseeking = 0;
					push_slot(result, lstep->slot);
				}
				rest = process(ps, expr->rhs);
				if (rest->type == NT_PATH)
				{
					for (int i = 0; i < rest->items.n; i++)
						jn_nodelist_add(&result->items, rest->items.items[i]);
				}
				else
				{
					if (rest->predicate.n > 0)
					{
						rest->stages = rest->predicate;
						memset(&rest->predicate, 0, sizeof(rest->predicate));
					}
					jn_nodelist_add(&result->items, rest);
				}
				for (int i = 0; i < result->items.n; i++)
				{
					step = result->items.items[i];
					if (step->type == NT_NUMBER || step->type == NT_VALUE)
						syntax_error("S0213", step->pos, NULL, step->lit);
					if (step->type == NT_STRING)
						step->type = NT_NAME;
					if (step->keep_array)
						result->keep_singleton = true;
				}
				step = result->items.items[0];
				if (step->type == NT_ARRAY)
					step->consarray = true;
				step = result->items.items[result->items.n - 1];
				if (step->type == NT_ARRAY)
					step->consarray = true;
				resolve_ancestry(ps, result);
				break;
			}
		case NT_RAW_PRED:
			{
				JnNode	   *pred;
				JnNode	   *filter;
				bool		stages = false;

				result = process(ps, expr->lhs);
				step = result;
				if (result->type == NT_PATH)
				{
					step = result->items.items[result->items.n - 1];
					stages = true;
				}
				if (step->group)
					syntax_error("S0209", expr->pos, NULL, NULL);
				pred = process(ps, expr->rhs);
				if (pred->has_seeking)
				{
					for (int i = 0; i < pred->nseeking; i++)
					{
						JnSlot	   *slot = pred->seeking[i];

						if (slot->level == 1)
							seek_parent(ps, step, slot);
						else
							slot->level--;
					}
					push_ancestry(step, pred);
				}
				filter = new_node(NT_FILTER, expr->pos);
				filter->expr = pred;
				jn_nodelist_add(stages ? &step->stages : &step->predicate, filter);
				break;
			}
		case NT_RAW_GROUP:
			{
				JnNode	   *g = new_node(NT_OBJECT, expr->pos);

				result = process(ps, expr->lhs);
				if (result->group)
					syntax_error("S0210", expr->pos, NULL, NULL);
				for (int i = 0; i < expr->items.n; i++)
					jn_nodelist_add(&g->items, process(ps, expr->items.items[i]));
				result->group = g;
				break;
			}
		case NT_RAW_SORT:
			{
				JnNode	   *sort = new_node(NT_SORT, expr->pos);

				result = process(ps, expr->lhs);
				if (result->type != NT_PATH)
					result = wrap_path(result);
				sort->descending = expr->descending;
				for (int i = 0; i < expr->items.n; i++)
				{
					JnNode	   *term = process(ps, expr->items.items[i]);

					push_ancestry(sort, term);
					jn_nodelist_add(&sort->items, term);
				}
				jn_nodelist_add(&result->items, sort);
				resolve_ancestry(ps, result);
				break;
			}
		case NT_BIND:
			expr->rhs = process(ps, expr->rhs);
			push_ancestry(expr, expr->rhs);
			break;
		case NT_RAW_FOCUS:
			result = process(ps, expr->lhs);
			step = result;
			if (result->type == NT_PATH)
				step = result->items.items[result->items.n - 1];
			if (step->stages.n > 0 || step->predicate.n > 0)
				syntax_error("S0215", expr->pos, NULL, NULL);
			if (step->type == NT_SORT)
				syntax_error("S0216", expr->pos, NULL, NULL);
			if (expr->keep_array)
				step->keep_array = true;
			step->focus = expr->rhs->str;
			step->tuple = true;
			break;
		case NT_RAW_INDEXBIND:
			result = process(ps, expr->lhs);
			step = result;
			if (result->type == NT_PATH)
				step = result->items.items[result->items.n - 1];
			else
			{
				result = wrap_path(result);
				if (step->predicate.n > 0)
				{
					step->stages = step->predicate;
					memset(&step->predicate, 0, sizeof(step->predicate));
				}
			}
			if (step->stages.n == 0)
				step->index = expr->rhs->str;
			else
			{
				JnNode	   *ix = new_node(NT_INDEX, expr->pos);

				ix->str = expr->rhs->str;
				jn_nodelist_add(&step->stages, ix);
			}
			step->tuple = true;
			break;
		case NT_APPLY:
			expr->lhs = process(ps, expr->lhs);
			expr->rhs = process(ps, expr->rhs);
			expr->keep_array = expr->lhs->keep_array || expr->rhs->keep_array;
			break;
		case NT_BINARY:
			expr->lhs = process(ps, expr->lhs);
			expr->rhs = process(ps, expr->rhs);
			push_ancestry(expr, expr->lhs);
			push_ancestry(expr, expr->rhs);
			break;
		case NT_NEG:
			expr->expr = process(ps, expr->expr);
			if (expr->expr->type == NT_NUMBER)
			{
				result = expr->expr;
				result->num = -result->num;
				result->lit = jn_num(result->num);
			}
			else
				push_ancestry(expr, expr->expr);
			break;
		case NT_ARRAY:
		case NT_OBJECT:
			for (int i = 0; i < expr->items.n; i++)
			{
				expr->items.items[i] = process(ps, expr->items.items[i]);
				push_ancestry(expr, expr->items.items[i]);
			}
			break;
		case NT_FUNCTION:
		case NT_PARTIAL:
			for (int i = 0; i < expr->items.n; i++)
			{
				expr->items.items[i] = process(ps, expr->items.items[i]);
				push_ancestry(expr, expr->items.items[i]);
			}
			expr->procedure = process(ps, expr->procedure);
			break;
		case NT_LAMBDA:
			expr->body = tail_call_optimize(process(ps, expr->body));
			break;
		case NT_CONDITION:
			expr->expr = process(ps, expr->expr);
			push_ancestry(expr, expr->expr);
			expr->then = process(ps, expr->then);
			push_ancestry(expr, expr->then);
			if (expr->has_else)
			{
				expr->els = process(ps, expr->els);
				push_ancestry(expr, expr->els);
			}
			break;
		case NT_TRANSFORM:
			expr->expr = process(ps, expr->expr);
			expr->then = process(ps, expr->then);
			if (expr->els)
				expr->els = process(ps, expr->els);
			break;
		case NT_BLOCK:
			for (int i = 0; i < expr->items.n; i++)
			{
				JnNode	   *part = process(ps, expr->items.items[i]);

				expr->items.items[i] = part;
				push_ancestry(expr, part);
				if (part->consarray ||
					(part->type == NT_PATH && part->items.items[0]->consarray))
					expr->consarray = true;
			}
			break;
		case NT_NAME:
			result = wrap_path(expr);
			if (expr->keep_array)
				result->keep_singleton = true;
			break;
		case NT_PARENT:
			{
				JnSlot	   *slot = palloc(sizeof(JnSlot));

				result = new_node(NT_PARENT, expr->pos);
				slot->label = psprintf("!%d", ps->label_seq++);
				slot->level = 1;
				slot->index = ps->nancestry;
				result->slot = slot;
				if (ps->nancestry == ps->cap_ancestry)
				{
					ps->cap_ancestry = ps->cap_ancestry ? ps->cap_ancestry * 2 : 8;
					ps->ancestry = ps->ancestry ? repalloc(ps->ancestry, sizeof(JnNode *) * ps->cap_ancestry)
						: palloc(sizeof(JnNode *) * ps->cap_ancestry);
				}
				ps->ancestry[ps->nancestry++] = result;
				break;
			}
		case NT_RAW_OPERATOR:
			expr->type = NT_NAME;
			result = process(ps, expr);
			break;
		default:
			break;
	}
	if (expr->keep_array)
		result->keep_array = true;
	return result;
}

JnNode *
jn_parse(const char *text, int len)
{
	JnParser	ps;
	JnNode	   *expr;

	memset(&ps, 0, sizeof(ps));
	ps.src = text;
	ps.len = len;
	advance(&ps, NULL, false);
	expr = expression(&ps, 0);
	if (ps.tok.type != TK_END)
		syntax_error("S0201", ps.tok.pos, tok_text(&ps.tok), NULL);
	expr = process(&ps, expr);
	if (expr->type == NT_PARENT || expr->has_seeking)
		syntax_error("S0217", expr->pos, node_type_name(expr), NULL);
	return expr;
}

/* ---- function signatures: <params:return> ---- */

static int
find_closing(const char *s, int len, int start, char open, char close)
{
	int			depth = 1;
	int			p = start;

	while (p < len)
	{
		p++;
		if (s[p] == close)
		{
			if (--depth == 0)
				break;
		}
		else if (s[p] == open)
			depth++;
	}
	return p;
}

JnSig *
jn_parse_signature(const char *sig, int len, int pos)
{
	JnSig	   *r = palloc0(sizeof(JnSig));
	JnSigParam *prev = NULL;

	for (int p = 1; p < len; p++)
	{
		char		c = sig[p];
		JnSigParam *cur = r->nparams < (int) lengthof(r->params) ? &r->params[r->nparams] : NULL;

		if (c == ':')
			break;
		if (cur == NULL && strchr("snbloafjx(", c))
			syntax_error("S0401", pos + p, NULL, NULL);
		switch (c)
		{
			case 's':
			case 'n':
			case 'b':
			case 'l':
			case 'o':
				cur->type = c;
				cur->classes[0] = c;
				cur->classes[1] = 'm';
				prev = cur;
				r->nparams++;
				break;
			case 'a':
				cur->type = c;
				strcpy(cur->classes, "asnblfom");
				prev = cur;
				r->nparams++;
				break;
			case 'f':
				cur->type = c;
				strcpy(cur->classes, "f");
				prev = cur;
				r->nparams++;
				break;
			case 'j':
				cur->type = c;
				strcpy(cur->classes, "asnblom");
				prev = cur;
				r->nparams++;
				break;
			case 'x':
				cur->type = c;
				strcpy(cur->classes, "asnblfom");
				prev = cur;
				r->nparams++;
				break;
			case '-':
				if (prev)
				{
					prev->context = true;
					prev->quant = '?';
				}
				break;
			case '?':
			case '+':
				if (prev)
					prev->quant = c;
				break;
			case '(':
				{
					int			end = find_closing(sig, len, p, '(', ')');
					int			n = Max(end - p - 1, 0);

					if (memchr(sig + p + 1, '<', n) != NULL)
						syntax_error("S0402", pos + p, NULL, jn_str(sig + p + 1, n));
					cur->type = '(';
					n = Min(n, (int) sizeof(cur->classes) - 2);
					memcpy(cur->classes, sig + p + 1, n);
					cur->classes[n] = 'm';
					cur->classes[n + 1] = '\0';
					prev = cur;
					r->nparams++;
					p = end;
					break;
				}
			case '<':
				if (prev && (prev->type == 'a' || prev->type == 'f'))
				{
					int			end = find_closing(sig, len, p, '<', '>');
					int			n = Max(Min(end - p - 1, (int) sizeof(prev->subsig) - 1), 0);

					memcpy(prev->subsig, sig + p + 1, n);
					prev->subsig[n] = '\0';
					prev->subtype = n > 0 ? sig[p + 1] : 0;
					p = end;
				}
				else
					syntax_error("S0401", pos + p, NULL,
								 prev ? jn_str(&prev->type, 1) : NULL);
				break;
			default:
				break;
		}
	}
	return r;
}
