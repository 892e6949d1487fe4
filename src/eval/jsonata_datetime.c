/*-------------------------------------------------------------------------
 *
 * jsonata_datetime.c
 *	  JSONata date/time functions and number formatting pictures.
 *
 * Timestamps are ISO 8601 text or milliseconds since the Unix epoch (UTC).
 * Picture strings (XPath F&O 3.1 style) are supported for the common
 * components; see docs/JSONATA.md for what is left out.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "eval/jsonata_int.h"

#define ARG(i) ((i) < nargs ? args[(i)] : NULL)
#define MS_PER_DAY 86400000.0


/* days since 1970-01-01 of a civil date (proleptic Gregorian) */
static int64
days_from_civil(int64 y, int m, int d)
{
	int64		era;
	int			yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (int) (y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64 z, int64 *y, int *m, int *d)
{
	int64		era;
	int			doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (int) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y += (*m <= 2);
}

typedef struct JnDate
{
	int64		year;
	int			month,
				day,
				hour,
				minute,
				second,
				ms,
				dow;			/* 0 = Sunday */
} JnDate;

static void
date_of_millis(double ms, JnDate *t)
{
	int64		total,
				days,
				rem;

	/* JavaScript's dates end 100,000,000 days either side of 1970 */
	if (!(fabs(ms) <= 8.64e15 + MS_PER_DAY * 2))
		jn_throw("D1001", -1, NULL, jn_num(ms));
	total = (int64) floor(ms);
	days = total >= 0 ? total / 86400000 : -((-total + 86399999) / 86400000);
	rem = total - days * 86400000;

	civil_from_days(days, &t->year, &t->month, &t->day);
	t->hour = (int) (rem / 3600000);
	t->minute = (int) (rem / 60000 % 60);
	t->second = (int) (rem / 1000 % 60);
	t->ms = (int) (rem % 1000);
	t->dow = (int) (((days % 7) + 11) % 7);
}


/* the picture argument was undefined */
static pg_attribute_noreturn() void
picture_missing(void)
{
	JnError    *e = palloc0(sizeof(JnError));

	e->code = "T0410";
	e->pos = -1;
	e->index = 2;
	jn_throw_err(e);
}

/* ---- wide strings ---- */

typedef struct WBuf
{
	pg_wchar   *w;
	int			n;
	int			cap;
} WBuf;

static void
wb_init(WBuf *b)
{
	b->cap = 32;
	b->n = 0;
	b->w = palloc(sizeof(pg_wchar) * b->cap);
}

static void
wb_putc(WBuf *b, pg_wchar c)
{
	if (b->n == b->cap)
	{
		b->cap *= 2;
		b->w = repalloc(b->w, sizeof(pg_wchar) * b->cap);
	}
	b->w[b->n++] = c;
}

static void
wb_puts(WBuf *b, const char *s)
{
	int			wl;
	pg_wchar   *w = jn_to_wide(s, strlen(s), &wl);

	for (int i = 0; i < wl; i++)
		wb_putc(b, w[i]);
}

static void
wb_insert(WBuf *b, int at, pg_wchar c)
{
	wb_putc(b, 0);
	memmove(b->w + at + 1, b->w + at, sizeof(pg_wchar) * (b->n - 1 - at));
	b->w[at] = c;
}

static JnVal *
wb_val(WBuf *b)
{
	int			len;
	char	   *s = jn_from_wide(b->w, b->n, &len);
	JnVal	   *v = jn_str("", 0);

	v->u.s.p = s;
	v->u.s.len = len;
	return v;
}


/* ---- integer pictures ($formatInteger, date/time components) ---- */

typedef enum
{
	IF_DECIMAL,
	IF_LETTERS,
	IF_ROMAN,
	IF_WORDS,
	IF_SEQUENCE
} IntFormatKind;

typedef enum
{
	TC_LOWER,
	TC_UPPER,
	TC_TITLE
} TCase;

typedef struct GroupSep
{
	int			position;
	pg_wchar	ch;
} GroupSep;

typedef struct IntFormat
{
	IntFormatKind primary;
	TCase		tcase;
	bool		ordinal;
	pg_wchar	zero;
	int			mandatory;
	int			optional;
	bool		regular;
	int			nseps;
	GroupSep	seps[32];
	char	   *token;
} IntFormat;

static const pg_wchar decimal_groups[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
	0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
	0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
	0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10
};

static pg_wchar
digit_zero(pg_wchar c)
{
	for (int i = 0; i < (int) lengthof(decimal_groups); i++)
		if (c >= decimal_groups[i] && c <= decimal_groups[i] + 9)
			return decimal_groups[i];
	return 0;
}

static int
gcd(int a, int b)
{
	return b == 0 ? a : gcd(b, a % b);
}

static void
analyse_integer_picture(const char *picture, IntFormat *f)
{
	const char *semi = strrchr(picture, ';');
	char	   *primary = semi ? pnstrdup(picture, semi - picture) : pstrdup(picture);
	pg_wchar   *w;
	int			wl,
				seppos = 0;

	memset(f, 0, sizeof(*f));
	f->primary = IF_DECIMAL;
	f->tcase = TC_LOWER;
	f->zero = '0';
	if (semi && semi[1] == 'o')
		f->ordinal = true;
	if (strcmp(primary, "A") == 0 || strcmp(primary, "a") == 0)
	{
		f->primary = IF_LETTERS;
		f->tcase = primary[0] == 'A' ? TC_UPPER : TC_LOWER;
		return;
	}
	if (strcmp(primary, "I") == 0 || strcmp(primary, "i") == 0)
	{
		f->primary = IF_ROMAN;
		f->tcase = primary[0] == 'I' ? TC_UPPER : TC_LOWER;
		return;
	}
	if (strcmp(primary, "W") == 0 || strcmp(primary, "w") == 0 || strcmp(primary, "Ww") == 0)
	{
		f->primary = IF_WORDS;
		f->tcase = strcmp(primary, "W") == 0 ? TC_UPPER : (strcmp(primary, "Ww") == 0 ? TC_TITLE : TC_LOWER);
		return;
	}
	w = jn_to_wide(primary, strlen(primary), &wl);
	f->zero = 0;
	/* from the right, to know the positions of the grouping separators */
	for (int i = wl - 1; i >= 0; i--)
	{
		pg_wchar	z = digit_zero(w[i]);

		if (z)
		{
			f->mandatory++;
			seppos++;
			if (f->zero == 0)
				f->zero = z;
			else if (z != f->zero)
				jn_throw("D3131", -1, NULL, NULL);
		}
		else if (w[i] == '#')
		{
			seppos++;
			f->optional++;
		}
		else if (f->nseps < (int) lengthof(f->seps))
		{
			f->seps[f->nseps].position = seppos;
			f->seps[f->nseps].ch = w[i];
			f->nseps++;
		}
	}
	if (f->mandatory == 0)
	{
		f->primary = IF_SEQUENCE;
		f->token = primary;
		return;
	}
	/* a regular grouping: one separator repeated at multiples of a factor */
	if (f->nseps > 0)
	{
		int			factor = f->seps[0].position;
		bool		same = true;

		for (int i = 1; i < f->nseps; i++)
		{
			if (f->seps[i].ch != f->seps[0].ch)
				same = false;
			factor = gcd(factor, f->seps[i].position);
		}
		if (same && factor > 0)
		{
			bool		all = true;

			for (int k = 1; k <= f->nseps && all; k++)
			{
				bool		found = false;

				for (int i = 0; i < f->nseps; i++)
					if (f->seps[i].position == k * factor)
						found = true;
				all = found;
			}
			if (all)
			{
				f->regular = true;
				f->seps[0].position = factor;
			}
		}
	}
}

static const char *const few[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six",
	"Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen",
"Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
static const char *const ordinals[] = {"Zeroth", "First", "Second", "Third", "Fourth",
	"Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth",
	"Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth",
"Nineteenth"};
static const char *const decades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty",
"Seventy", "Eighty", "Ninety", "Hundred"};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

static void
words(StringInfo out, double num, bool prev, bool ord)
{
	jn_check_stack();
	if (num <= 19)
	{
		if (prev)
			appendStringInfoString(out, " and ");
		appendStringInfoString(out, ord ? ordinals[(int) num] : few[(int) num]);
	}
	else if (num < 100)
	{
		int			tens = (int) (num / 10);
		int			rem = (int) fmod(num, 10);

		if (prev)
			appendStringInfoString(out, " and ");
		appendStringInfoString(out, decades[tens - 2]);
		if (rem > 0)
		{
			appendStringInfoChar(out, '-');
			words(out, rem, false, ord);
		}
		else if (ord)
		{
			out->len--;
			appendStringInfoString(out, "ieth");
		}
	}
	else if (num < 1000)
	{
		int			hundreds = (int) (num / 100);
		double		rem = fmod(num, 100);

		if (prev)
			appendStringInfoString(out, ", ");
		appendStringInfo(out, "%s Hundred", few[hundreds]);
		if (rem > 0)
			words(out, rem, true, ord);
		else if (ord)
			appendStringInfoString(out, "th");
	}
	else
	{
		int			mag = (int) floor(log10(num) / 3);
		double		factor,
					mant,
					rem;

		if (mag > (int) lengthof(magnitudes))
			mag = lengthof(magnitudes);
		factor = pow(10, mag * 3);
		mant = floor(num / factor);
		rem = num - mant * factor;
		if (prev)
			appendStringInfoString(out, ", ");
		words(out, mant, false, false);
		appendStringInfo(out, " %s", magnitudes[mag - 1]);
		if (rem > 0)
			words(out, rem, true, ord);
		else if (ord)
			appendStringInfoString(out, "th");
	}
}

static void
roman(StringInfo out, double v)
{
	static const struct
	{
		int			v;
		const char *s;
	}			r[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
		{50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}
	};

	while (v >= 1)
	{
		for (int i = 0; i < (int) lengthof(r); i++)
			if (v >= r[i].v)
			{
				appendStringInfoString(out, r[i].s);
				v -= r[i].v;
				break;
			}
		jn_charge(1);
	}
}

static JnVal *
format_integer(double value, IntFormat *f)
{
	bool		neg = value < 0;
	StringInfoData out;
	WBuf		b;

	value = fabs(value);
	initStringInfo(&out);
	wb_init(&b);
	if (neg)
		wb_putc(&b, '-');
	switch (f->primary)
	{
		case IF_LETTERS:
			{
				char		tmp[64];
				int			k = 0;

				while (value > 0 && k < (int) sizeof(tmp))
				{
					tmp[k++] = (char) ((int) fmod(value - 1, 26) + (f->tcase == TC_UPPER ? 'A' : 'a'));
					value = floor((value - 1) / 26);
				}
				while (k > 0)
					wb_putc(&b, tmp[--k]);
				break;
			}
		case IF_ROMAN:
			roman(&out, value);
			for (int i = 0; i < out.len; i++)
				wb_putc(&b, f->tcase == TC_UPPER ? pg_toupper((unsigned char) out.data[i]) : out.data[i]);
			break;
		case IF_WORDS:
			words(&out, value, false, f->ordinal);
			for (int i = 0; i < out.len; i++)
			{
				char		c = out.data[i];

				if (f->tcase == TC_UPPER)
					c = pg_toupper((unsigned char) c);
				else if (f->tcase == TC_LOWER)
					c = pg_tolower((unsigned char) c);
				wb_putc(&b, c);
			}
			break;
		case IF_DECIMAL:
			{
				int			start = b.n;
				int			len;

				appendStringInfo(&out, "%.0f", value);
				for (int i = out.len; i < f->mandatory; i++)
					wb_putc(&b, f->zero);
				for (int i = 0; i < out.len; i++)
					wb_putc(&b, out.data[i] - '0' + f->zero);
				len = b.n - start;
				if (f->regular)
				{
					int			pos = f->seps[0].position;
					int			n = (len - 1) / pos;

					for (int ii = n; ii > 0; ii--)
						wb_insert(&b, start + len - ii * pos + (n - ii), f->seps[0].ch);
				}
				else
				{
					for (int i = f->nseps - 1; i >= 0; i--)
					{
						int			at = b.n - f->seps[i].position;

						if (at >= start)
							wb_insert(&b, at, f->seps[i].ch);
					}
				}
				if (f->ordinal)
				{
					pg_wchar	last = b.w[b.n - 1];
					const char *suffix = "th";

					if (!(b.n - start > 1 && b.w[b.n - 2] == '1'))
					{
						if (last == '1')
							suffix = "st";
						else if (last == '2')
							suffix = "nd";
						else if (last == '3')
							suffix = "rd";
					}
					wb_puts(&b, suffix);
				}
				break;
			}
		case IF_SEQUENCE:
			jn_throw("D3130", -1, NULL, jn_cstr(f->token));
	}
	return wb_val(&b);
}

JnVal *
jn_fn_format_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	IntFormat	f;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL)
		picture_missing();
	analyse_integer_picture(args[1]->u.s.p, &f);
	return format_integer(floor(args[0]->u.n), &f);
}

/* ---- date/time pictures ---- */

typedef struct DtPart
{
	bool		literal;
	char	   *text;			/* literal */
	char		component;
	char	   *pres1;
	char		pres2;
	TCase		names;
	bool		has_names;
	int			wmin;			/* -1: none */
	int			wmax;
	IntFormat	ifmt;
	bool		has_ifmt;
	int			n;
} DtPart;

typedef struct DtPicture
{
	int			nparts;
	DtPart	   *parts;
} DtPicture;

static const char *
default_presentation(char c)
{
	switch (c)
	{
		case 'Y':
		case 'M':
		case 'D':
		case 'd':
		case 'W':
		case 'w':
		case 'X':
		case 'x':
		case 'H':
		case 'h':
		case 'f':
			return "1";
		case 'F':
		case 'P':
		case 'C':
		case 'E':
			return "n";
		case 'm':
		case 's':
			return "01";
		case 'Z':
		case 'z':
			return "01:01";
	}
	return NULL;
}

static int
parse_width(const char *s)
{
	if (*s == '\0' || strcmp(s, "*") == 0)
		return -1;
	return atoi(s);
}

static DtPicture *
analyse_datetime_picture(const char *pic)
{
	DtPicture  *dp = palloc0(sizeof(DtPicture));
	int			cap = 8;
	int			len = strlen(pic);
	int			start = 0,
				pos = 0;
	StringInfoData lit;

	dp->parts = palloc0(sizeof(DtPart) * cap);
#define ADD_PART() \
	do { if (dp->nparts == cap) { cap *= 2; dp->parts = repalloc(dp->parts, sizeof(DtPart) * cap); } \
		memset(&dp->parts[dp->nparts], 0, sizeof(DtPart)); } while (0)
	initStringInfo(&lit);
	while (pos < len)
	{
		if (pic[pos] == '[')
		{
			char	   *marker,
					   *m,
					   *q;
			const char *end;
			DtPart	   *d;
			char	   *comma;
			char	   *pres;

			if (pic[pos + 1] == '[')
			{
				appendBinaryStringInfo(&lit, pic + start, pos - start);
				appendStringInfoChar(&lit, '[');
				pos += 2;
				start = pos;
				continue;
			}
			appendBinaryStringInfo(&lit, pic + start, pos - start);
			if (lit.len > 0)
			{
				char	   *t = pstrdup(lit.data);
				char	   *o = t;

				/* "]]" is a literal "]" */
				for (char *r = t; *r; r++)
				{
					*o++ = *r;
					if (r[0] == ']' && r[1] == ']')
						r++;
				}
				*o = '\0';
				ADD_PART();
				dp->parts[dp->nparts].literal = true;
				dp->parts[dp->nparts].text = t;
				dp->nparts++;
				resetStringInfo(&lit);
			}
			end = strchr(pic + pos, ']');
			if (end == NULL)
				jn_throw("D3135", -1, NULL, NULL);
			marker = pnstrdup(pic + pos + 1, end - pic - pos - 1);
			for (m = q = marker; *m; m++)
				if (!isspace((unsigned char) *m))
					*q++ = *m;
			*q = '\0';
			ADD_PART();
			d = &dp->parts[dp->nparts];
			d->component = marker[0];
			d->wmin = d->wmax = -1;
			comma = strrchr(marker, ',');
			if (comma)
			{
				char	   *dash = strchr(comma + 1, '-');

				if (dash)
				{
					*dash = '\0';
					d->wmax = parse_width(dash + 1);
				}
				d->wmin = parse_width(comma + 1);
				*comma = '\0';
			}
			pres = marker[0] ? marker + 1 : marker;
			if (strlen(pres) == 1)
				d->pres1 = pstrdup(pres);
			else if (strlen(pres) > 1)
			{
				char		lastc = pres[strlen(pres) - 1];

				if (strchr("atco", lastc))
				{
					d->pres2 = lastc;
					d->pres1 = pnstrdup(pres, strlen(pres) - 1);
				}
				else
					d->pres1 = pstrdup(pres);
			}
			else if (default_presentation(d->component))
				d->pres1 = pstrdup(default_presentation(d->component));
			if (d->pres1 == NULL)
				jn_throw("D3132", -1, NULL, jn_str(&d->component, 1));
			if (d->pres1[0] == 'n')
			{
				d->has_names = true;
				d->names = TC_LOWER;
			}
			else if (d->pres1[0] == 'N')
			{
				d->has_names = true;
				d->names = d->pres1[1] == 'n' ? TC_TITLE : TC_UPPER;
			}
			else if (d->component && strchr("YMDdFWwXxHhmsf", d->component))
			{
				char	   *ip = d->pres2 ? psprintf("%s;%c", d->pres1, d->pres2) : d->pres1;

				analyse_integer_picture(ip, &d->ifmt);
				d->has_ifmt = true;
				if (d->wmin >= 0 && d->ifmt.mandatory < d->wmin)
					d->ifmt.mandatory = d->wmin;
				if (strchr("YMD", d->component))
				{
					d->n = -1;
					if (d->wmax >= 0)
					{
						d->n = d->wmax;
						d->ifmt.mandatory = d->n;
					}
					else if (d->ifmt.mandatory + d->ifmt.optional >= 2)
						d->n = d->ifmt.mandatory + d->ifmt.optional;
				}
			}
			if (d->component == 'Z' || d->component == 'z')
			{
				analyse_integer_picture(d->pres1, &d->ifmt);
				d->has_ifmt = true;
			}
			dp->nparts++;
			pos = end - pic;
			start = pos + 1;
		}
		pos++;
	}
	appendBinaryStringInfo(&lit, pic + start, Max(len - start, 0));
	if (lit.len > 0)
	{
		char	   *t = pstrdup(lit.data);
		char	   *o = t;

		for (char *r = t; *r; r++)
		{
			*o++ = *r;
			if (r[0] == ']' && r[1] == ']')
				r++;
		}
		*o = '\0';
		ADD_PART();
		dp->parts[dp->nparts].literal = true;
		dp->parts[dp->nparts].text = t;
		dp->nparts++;
	}
	return dp;
}

/* start of the first week (ISO: the week with the 4th) of a month, in ms */
static double
start_of_first_week(int64 year, int month0)
{
	double		jan1 = days_from_civil(year + (month0 >= 12 ? 1 : 0) - (month0 < 0 ? 1 : 0),
									   ((month0 % 12) + 12) % 12 + 1, 1) * MS_PER_DAY;
	JnDate		t;
	int			dow;

	date_of_millis(jan1, &t);
	dow = t.dow == 0 ? 7 : t.dow;
	return dow > 4 ? jan1 + (8 - dow) * MS_PER_DAY : jan1 - (dow - 1) * MS_PER_DAY;
}

static double
component_value(double ms, JnDate *t, char comp)
{
	double		today = days_from_civil(t->year, t->month, t->day) * MS_PER_DAY;

	switch (comp)
	{
		case 'Y':
			return t->year;
		case 'M':
			return t->month;
		case 'D':
			return t->day;
		case 'd':
			return (today - days_from_civil(t->year, 1, 1) * MS_PER_DAY) / MS_PER_DAY + 1;
		case 'F':
			return t->dow == 0 ? 7 : t->dow;
		case 'W':
			{
				double		s1 = start_of_first_week(t->year, 0);
				double		week = (today - s1) / (MS_PER_DAY * 7) + 1;

				if (week > 52)
				{
					if (today >= start_of_first_week(t->year + 1, 0))
						week = 1;
				}
				else if (week < 1)
					week = (today - start_of_first_week(t->year - 1, 0)) / (MS_PER_DAY * 7) + 1;
				return floor(week);
			}
		case 'w':
			{
				int			m0 = t->month - 1;
				double		s1 = start_of_first_week(t->year, m0);
				double		week = (today - s1) / (MS_PER_DAY * 7) + 1;

				if (week > 4)
				{
					double		nx = m0 == 11 ? start_of_first_week(t->year + 1, 0) : start_of_first_week(t->year, m0 + 1);

					if (today >= nx)
						week = 1;
				}
				else if (week < 1)
				{
					double		pv = m0 == 0 ? start_of_first_week(t->year - 1, 11) : start_of_first_week(t->year, m0 - 1);

					week = (today - pv) / (MS_PER_DAY * 7) + 1;
				}
				return floor(week);
			}
		case 'X':
			if (ms < start_of_first_week(t->year, 0))
				return t->year - 1;
			if (ms >= start_of_first_week(t->year + 1, 0))
				return t->year + 1;
			return t->year;
		case 'x':
			{
				int			m0 = t->month - 1;
				double		st = start_of_first_week(t->year, m0);
				double		en = m0 == 11 ? start_of_first_week(t->year + 1, 0) : start_of_first_week(t->year, m0 + 1);

				if (ms < st)
					return (m0 == 0 ? 11 : m0 - 1) + 1;
				if (ms >= en)
					return (m0 == 11 ? 0 : m0 + 1) + 1;
				return m0 + 1;
			}
		case 'H':
			return t->hour;
		case 'h':
			return t->hour % 12 == 0 ? 12 : t->hour % 12;
		case 'm':
			return t->minute;
		case 's':
			return t->second;
		case 'f':
			return t->ms;
	}
	return 0;
}

static const char *const month_names_all[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *const day_names_iso[] = {
	"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

static void
apply_case(char *s, TCase c)
{
	for (; *s; s++)
	{
		if (c == TC_UPPER)
			*s = pg_toupper((unsigned char) *s);
		else if (c == TC_LOWER)
			*s = pg_tolower((unsigned char) *s);
	}
}

static JnVal *
format_millis(double millis, JnVal *picture, JnVal *tz)
{
	int			offh = 0,
				offm = 0;
	DtPicture  *dp;
	double		ms;
	JnDate		t;
	StringInfoData out;

	if (tz != NULL)
	{
		int			off = atoi(tz->u.s.p);

		offh = (int) floor(off / 100.0);
		offm = off % 100;
	}
	dp = analyse_datetime_picture(picture ? picture->u.s.p :
								  "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
	ms = millis + (60.0 * offh + offm) * 60000.0;
	date_of_millis(ms, &t);
	initStringInfo(&out);
	for (int i = 0; i < dp->nparts; i++)
	{
		DtPart	   *d = &dp->parts[i];
		char		c = d->component;

		if (d->literal)
		{
			appendStringInfoString(&out, d->text);
			continue;
		}
		if (strchr("YMDdFWwXxHhms", c))
		{
			double		v = component_value(ms, &t, c);

			if (c == 'Y' && d->n != -1 && d->has_ifmt)
				v = fmod(v, pow(10, d->n));
			if (d->has_names)
			{
				char	   *name;

				if (c == 'M' || c == 'x')
					name = pstrdup(month_names_all[(int) v - 1]);
				else if (c == 'F')
					name = pstrdup(day_names_iso[(int) v]);
				else
					jn_throw("D3133", -1, NULL, jn_str(&c, 1));
				apply_case(name, d->names);
				if (d->wmax >= 0 && (int) strlen(name) > d->wmax)
					name[d->wmax] = '\0';
				appendStringInfoString(&out, name);
			}
			else
			{
				JnVal	   *s = format_integer(v, &d->ifmt);

				appendBinaryStringInfo(&out, s->u.s.p, s->u.s.len);
			}
		}
		else if (c == 'f')
		{
			JnVal	   *s = format_integer(component_value(ms, &t, c), &d->ifmt);

			appendBinaryStringInfo(&out, s->u.s.p, s->u.s.len);
		}
		else if (c == 'Z' || c == 'z')
		{
			int			offset = offh * 100 + offm;
			StringInfoData z;

			initStringInfo(&z);
			if (d->ifmt.regular)
			{
				JnVal	   *s = format_integer(offset, &d->ifmt);

				appendBinaryStringInfo(&z, s->u.s.p, s->u.s.len);
			}
			else
			{
				int			nd = d->ifmt.mandatory;

				if (nd == 1 || nd == 2)
				{
					JnVal	   *s = format_integer(offh, &d->ifmt);

					appendBinaryStringInfo(&z, s->u.s.p, s->u.s.len);
					if (offm != 0)
						appendStringInfo(&z, ":%02d", abs(offm));
				}
				else if (nd == 3 || nd == 4)
				{
					JnVal	   *s = format_integer(offset, &d->ifmt);

					appendBinaryStringInfo(&z, s->u.s.p, s->u.s.len);
				}
				else
					jn_throw("D3134", -1, NULL, jn_num(nd));
			}
			if (c == 'z')
				appendStringInfoString(&out, "GMT");
			if (offset == 0 && d->pres2 == 't')
			{
				if (c == 'z')
					out.len -= 3;
				appendStringInfoChar(&out, 'Z');
			}
			else
			{
				if (offset >= 0)
					appendStringInfoChar(&out, '+');
				appendStringInfoString(&out, z.data);
			}
		}
		else if (c == 'P')
			appendStringInfoString(&out, t.hour >= 12 ? (d->names == TC_UPPER ? "PM" : "pm") :
								   (d->names == TC_UPPER ? "AM" : "am"));
		else if (c == 'C' || c == 'E')
			appendStringInfoString(&out, "ISO");
		else
			jn_throw("D3132", -1, NULL, jn_str(&c, 1));
	}
	return jn_str(out.data, out.len);
}
JnVal *
jn_fn_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	return jn_num((double) jn_ctx->now_ms);
}

JnVal *
jn_fn_now(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	return format_millis((double) jn_ctx->now_ms, ARG(0), ARG(1));
}

JnVal *
jn_fn_from_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	if (ARG(0) == NULL)
		return NULL;
	return format_millis(args[0]->u.n, ARG(1), ARG(2));
}

static bool
digits(const char **p, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (!isdigit((unsigned char) (*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* ISO 8601 as JavaScript's Date.parse reads it (offsetless: UTC) */
static bool
parse_iso(const char *s, double *ms)
{
	const char *p = s;
	int			y,
				mo = 1,
				d = 1,
				h = 0,
				mi = 0,
				sec = 0,
				frac = 0,
				off = 0;

	if (!digits(&p, 4, &y))
		return false;
	if (*p == '-')
	{
		p++;
		if (!digits(&p, 2, &mo))
			return false;
		if (*p == '-')
		{
			p++;
			if (!digits(&p, 2, &d))
				return false;
		}
	}
	if (*p == 'T')
	{
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':')
		{
			p++;
			if (!digits(&p, 2, &sec))
				return false;
			if (*p == '.')
			{
				int			n = 0,
							scale = 100;

				p++;
				while (isdigit((unsigned char) *p))
				{
					if (n < 3)
						frac += (*p - '0') * scale;
					scale /= 10;
					n++;
					p++;
				}
			}
		}
		if (*p == 'Z')
			p++;
		else if (*p == '+' || *p == '-')
		{
			int			sign = *p == '-' ? -1 : 1,
						oh,
						om = 0;

			p++;
			if (!digits(&p, 2, &oh))
				return false;
			if (*p == ':')
				p++;
			if (*p && !digits(&p, 2, &om))
				return false;
			off = sign * (oh * 60 + om);
		}
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 59)
		return false;
	*ms = (double) days_from_civil(y, mo, d) * 86400000.0 +
		h * 3600000.0 + mi * 60000.0 + sec * 1000.0 + frac - off * 60000.0;
	return true;
}

/* ---- parsing integers and timestamps with pictures ---- */

static double
letters_to_decimal(const char *s, char a)
{
	double		d = 0;
	int			n = strlen(s);

	for (int i = 0; i < n; i++)
		d += (s[n - i - 1] - a + 1) * pow(26, i);
	return d;
}

static double
roman_to_decimal(const char *s)
{
	double		d = 0;
	int			max = 1;

	for (int i = strlen(s) - 1; i >= 0; i--)
	{
		int			v;

		switch (pg_toupper((unsigned char) s[i]))
		{
			case 'M':
				v = 1000;
				break;
			case 'D':
				v = 500;
				break;
			case 'C':
				v = 100;
				break;
			case 'L':
				v = 50;
				break;
			case 'X':
				v = 10;
				break;
			case 'V':
				v = 5;
				break;
			case 'I':
				v = 1;
				break;
			default:
				return NAN;
		}
		if (v < max)
			d -= v;
		else
		{
			max = v;
			d += v;
		}
	}
	return d;
}

/* the value of a number word, or -1 */
static double
word_value(const char *w)
{
	for (int i = 0; i < (int) lengthof(few); i++)
		if (pg_strcasecmp(w, few[i]) == 0 || pg_strcasecmp(w, ordinals[i]) == 0)
			return i;
	for (int i = 0; i < (int) lengthof(decades); i++)
	{
		char	   *ieth = psprintf("%.*sieth", (int) strlen(decades[i]) - 1, decades[i]);

		if (pg_strcasecmp(w, decades[i]) == 0 || pg_strcasecmp(w, ieth) == 0)
			return (i + 2) * 10;
	}
	if (pg_strcasecmp(w, "hundredth") == 0)
		return 100;
	for (int i = 0; i < (int) lengthof(magnitudes); i++)
	{
		char	   *th = psprintf("%sth", magnitudes[i]);

		if (pg_strcasecmp(w, magnitudes[i]) == 0 || pg_strcasecmp(w, th) == 0)
			return pow(10, (i + 1) * 3);
	}
	return -1;
}

static double
words_to_number(const char *text)
{
	double		segs[64];
	int			nsegs = 1;
	char	   *t = pstrdup(text);
	char	   *p = t;
	double		result = 0;

	segs[0] = 0;
	while (*p)
	{
		char	   *start = p;
		double		v;

		/* separators: ", ", " and ", white space, "-" */
		while (*p && !isspace((unsigned char) *p) && *p != '-' && *p != ',')
			p++;
		if (*p == ',' && isspace((unsigned char) p[1]))
			*p++ = '\0';
		if (*p)
			*p++ = '\0';
		if (pg_strcasecmp(start, "and") == 0 || *start == '\0')
			continue;
		v = word_value(start);
		if (v < 0)
			return NAN;
		if (v < 100)
		{
			double		top = segs[--nsegs];

			if (top >= 1000)
			{
				segs[nsegs++] = top;
				top = 0;
			}
			segs[nsegs++] = top + v;
		}
		else
			segs[nsegs - 1] *= v;
		if (nsegs >= (int) lengthof(segs) - 1)
			return NAN;
	}
	for (int i = 0; i < nsegs; i++)
		result += segs[i];
	return result;
}

static double
parse_integer_value(IntFormat *f, const char *value)
{
	switch (f->primary)
	{
		case IF_LETTERS:
			return letters_to_decimal(value, f->tcase == TC_UPPER ? 'A' : 'a');
		case IF_ROMAN:
			return roman_to_decimal(value);
		case IF_WORDS:
			return words_to_number(value);
		case IF_DECIMAL:
			{
				int			wl;
				pg_wchar   *w = jn_to_wide(value, strlen(value), &wl);
				StringInfoData d;

				if (f->ordinal && wl >= 2)
					wl -= 2;
				initStringInfo(&d);
				for (int i = 0; i < wl; i++)
				{
					bool		sep = false;

					if (f->regular)
						sep = w[i] == ',';
					else
						for (int k = 0; k < f->nseps; k++)
							if (w[i] == f->seps[k].ch)
								sep = true;
					if (sep)
						continue;
					if (w[i] >= f->zero && w[i] <= f->zero + 9)
						appendStringInfoChar(&d, '0' + (w[i] - f->zero));
					else
						break;	/* parseInt stops at the first non-digit */
				}
				if (d.len == 0)
					return NAN;
				return strtod(d.data, NULL);
			}
		case IF_SEQUENCE:
			jn_throw("D3130", -1, NULL, jn_cstr(f->token));
	}
	return NAN;
}

JnVal *
jn_fn_parse_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	IntFormat	f;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL)
		picture_missing();
	analyse_integer_picture(args[1]->u.s.p, &f);
	return jn_num(parse_integer_value(&f, args[0]->u.s.p));
}

static void
append_regex_literal(StringInfo re, const char *s)
{
	for (; *s; s++)
	{
		if (strchr(".*+?^${}()|[]\\", *s))
			appendStringInfoChar(re, '\\');
		appendStringInfoChar(re, *s);
	}
}

static void
integer_regex(StringInfo re, IntFormat *f, int n)
{
	char	   *occ;

	if (n > 0)
		occ = f->optional == 0 ? psprintf("{%d}", n) : psprintf("{%d,%d}", Max(n - f->optional, 0), n);
	else
		occ = "+";
	switch (f->primary)
	{
		case IF_LETTERS:
			appendStringInfoString(re, f->tcase == TC_UPPER ? "[A-Z]+" : "[a-z]+");
			break;
		case IF_ROMAN:
			appendStringInfoString(re, f->tcase == TC_UPPER ? "[MDCLXVI]+" : "[mdclxvi]+");
			break;
		case IF_WORDS:
			/* the number words (longest match in an ARE), "and", separators */
			appendStringInfoString(re, "(?:");
			for (int i = 0; i < (int) lengthof(few); i++)
				appendStringInfo(re, "%s|%s|", few[i], ordinals[i]);
			for (int i = 0; i < (int) lengthof(decades); i++)
				appendStringInfo(re, "%s|%.*sieth|", decades[i], (int) strlen(decades[i]) - 1, decades[i]);
			appendStringInfoString(re, "hundredth|");
			for (int i = 0; i < (int) lengthof(magnitudes); i++)
				appendStringInfo(re, "%s|%sth|", magnitudes[i], magnitudes[i]);
			appendStringInfoString(re, "and|[-, ])+");
			break;
		case IF_DECIMAL:
			appendStringInfo(re, "[0-9]%s", occ);
			if (f->ordinal)
				appendStringInfoString(re, "(?:th|st|nd|rd)");
			break;
		case IF_SEQUENCE:
			jn_throw("D3130", -1, NULL, jn_cstr(f->token));
	}
}

static int
name_lookup(DtPart *d, const char *v)
{
	if (d->component == 'M' || d->component == 'x')
	{
		for (int i = 0; i < 12; i++)
			if (d->wmax > 0 ? pg_strncasecmp(month_names_all[i], v, d->wmax) == 0 && (int) strlen(v) == Min(d->wmax, (int) strlen(month_names_all[i]))
				: pg_strcasecmp(month_names_all[i], v) == 0)
				return i + 1;
		return -1;
	}
	if (d->component == 'F')
	{
		for (int i = 1; i < 8; i++)
			if (d->wmax > 0 ? pg_strncasecmp(day_names_iso[i], v, d->wmax) == 0 && (int) strlen(v) == Min(d->wmax, (int) strlen(day_names_iso[i]))
				: pg_strcasecmp(day_names_iso[i], v) == 0)
				return i;
		return -1;
	}
	if (d->component == 'P')
		return pg_strcasecmp(v, "pm") == 0 ? 1 : 0;
	jn_throw("D3133", -1, NULL, jn_str(&d->component, 1));
	return -1;
}

static double
utc_millis(double y, double mon0, double d, double h, double mi, double s, double ms)
{
	double		ym;

	if (y >= 0 && y <= 99)
		y += 1900;
	/* months past December carry into years, as Date.UTC does */
	ym = y + floor(mon0 / 12);
	mon0 = fmod(fmod(mon0, 12) + 12, 12);
	return days_from_civil((int64) ym, (int) mon0 + 1, 1) * MS_PER_DAY +
		(d - 1) * MS_PER_DAY + h * 3600000.0 + mi * 60000.0 + s * 1000.0 + ms;
}

static JnVal *
parse_datetime(const char *ts, const char *picture)
{
	DtPicture  *dp = analyse_datetime_picture(picture);
	StringInfoData re;
	void	   *rx;
	pg_wchar   *w;
	int			wl;
	JnMatch		m;
	double		comp[256];
	bool		have[256];
	bool		any = false;
	int			mask;
	bool		dateA,
				dateB,
				dateC,
				dateD,
				timeA,
				timeB;
	const char *comps;
	bool		start_specified = false,
				end_specified = false;
	JnDate		now;
	double		millis;

	memset(have, 0, sizeof(have));
	initStringInfo(&re);
	appendStringInfoChar(&re, '^');
	for (int i = 0; i < dp->nparts; i++)
	{
		DtPart	   *d = &dp->parts[i];

		appendStringInfoChar(&re, '(');
		if (d->literal)
			append_regex_literal(&re, d->text);
		else if (d->component == 'Z' || d->component == 'z')
		{
			if (d->component == 'z')
				appendStringInfoString(&re, "GMT");
			appendStringInfoString(&re, "[-+][0-9]+");
			if (d->ifmt.regular && d->ifmt.nseps > 0)
			{
				char		sep[8];
				int			l = pg_wchar2mb_with_len(&d->ifmt.seps[0].ch, sep, 1);

				sep[l] = '\0';
				append_regex_literal(&re, sep);
				appendStringInfoString(&re, "[0-9]+");
			}
		}
		else if (d->has_ifmt)
			integer_regex(&re, &d->ifmt, d->n);
		else
		{
			if (!strchr("MxFP", d->component))
				jn_throw("D3133", -1, NULL, jn_str(&d->component, 1));
			appendStringInfoString(&re, "[a-zA-Z]+");
		}
		appendStringInfoChar(&re, ')');
	}
	appendStringInfoChar(&re, '$');
	rx = jn_regex_compile(re.data, re.len, "i", -1);
	w = jn_to_wide(ts, strlen(ts), &wl);
	if (!jn_regex_exec(rx, w, wl, 0, &m))
		return NULL;
	for (int i = 0; i < dp->nparts && i < m.ngroups; i++)
	{
		DtPart	   *d = &dp->parts[i];
		int			blen;
		char	   *v;
		unsigned char c = (unsigned char) d->component;

		if (d->literal || m.gstart[i] < 0)
			continue;
		v = jn_from_wide(w + m.gstart[i], m.gend[i] - m.gstart[i], &blen);
		if (c == 'Z' || c == 'z')
		{
			char	   *val = c == 'z' ? v + 3 : v;
			int			oh = 0,
						om = 0;

			if (d->ifmt.regular && d->ifmt.nseps > 0)
			{
				char	   *sep = val + 1;

				while (*sep && isdigit((unsigned char) *sep))
					sep++;
				oh = atoi(val);
				om = *sep ? atoi(sep + 1) : 0;
			}
			else if (strlen(val) - 1 <= 2)
				oh = atoi(val);
			else
			{
				oh = atoi(pnstrdup(val, 3));
				om = atoi(val + 3);
			}
			comp[c] = oh * 60 + om;
		}
		else if (d->has_ifmt)
		{
			IntFormat	f = d->ifmt;

			comp[c] = parse_integer_value(&f, v);
		}
		else
		{
			int			nv = name_lookup(d, v);

			if (nv < 0)
				continue;
			comp[c] = nv;
		}
		have[c] = true;
		any = true;
	}
	if (!any)
		return NULL;
#define PRESENT(c) (have[(unsigned char) (c)] && comp[(unsigned char) (c)] != 0)
#define IS_TYPE(t) (((~(t)) & mask) == 0 && ((t) & mask) != 0)
	mask = 0;
	for (const char *p = "YXMxWwdD"; *p; p++)
		mask = (mask << 1) | (PRESENT(*p) ? 1 : 0);
	dateA = IS_TYPE(161);
	dateB = !dateA && IS_TYPE(130);
	dateC = IS_TYPE(84);
	dateD = !dateC && IS_TYPE(72);
	mask = 0;
	for (const char *p = "PHhmsf"; *p; p++)
		mask = (mask << 1) | (PRESENT(*p) ? 1 : 0);
	timeA = IS_TYPE(23);
	timeB = !timeA && IS_TYPE(47);
	comps = psprintf("%s%s", dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD",
					 timeB ? "Phmsf" : "Hmsf");
	date_of_millis((double) jn_ctx->now_ms, &now);
	for (const char *p = comps; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (!have[c])
		{
			if (start_specified)
			{
				comp[c] = strchr("MDd", c) ? 1 : 0;
				end_specified = true;
			}
			else
				comp[c] = c == 'P' ? 0 : component_value((double) jn_ctx->now_ms, &now, c);
			have[c] = true;
		}
		else
		{
			start_specified = true;
			if (end_specified)
				jn_throw("D3136", -1, NULL, NULL);
		}
	}
	if (comp['M'] > 0)
		comp['M'] -= 1;
	else
		comp['M'] = 0;
	if (dateB)
	{
		JnDate		t;

		date_of_millis(utc_millis(comp['Y'], 0, 1, 0, 0, 0, 0) + (comp['d'] - 1) * MS_PER_DAY, &t);
		comp['M'] = t.month - 1;
		comp['D'] = t.day;
	}
	if (dateC || dateD)
		jn_throw("D3136", -1, NULL, NULL);
	if (timeB)
	{
		comp['H'] = comp['h'] == 12 ? 0 : comp['h'];
		if (comp['P'] == 1)
			comp['H'] += 12;
	}
	millis = utc_millis(comp['Y'], comp['M'], comp['D'], comp['H'], comp['m'], comp['s'], comp['f']);
	if (have['Z'] && comp['Z'] != 0)
		millis -= comp['Z'] * 60000.0;
	else if (have['z'] && comp['z'] != 0)
		millis -= comp['z'] * 60000.0;
	if (isnan(millis))
		return NULL;
	return jn_num(millis);
}

JnVal *
jn_fn_to_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	double		ms;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) != NULL)
		return parse_datetime(args[0]->u.s.p, args[1]->u.s.p);
	if (!parse_iso(args[0]->u.s.p, &ms))
		jn_throw("D3110", -1, NULL, args[0]);
	return jn_num(ms);
}

/* ---- number pictures ---- */



JnVal *
jn_fn_format_base(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	double		v;
	double		r = ARG(1) ? args[1]->u.n : 10;
	int			radix = (r >= 2 && r <= 36) ? (int) r : 0;
	char		tmp[80];
	int			k = 0;
	bool		neg;
	StringInfoData buf;

	if (ARG(0) == NULL)
		return NULL;
	v = jn_round_half_even(args[0]->u.n, 0);
	if (radix < 2 || radix > 36)
		jn_throw("D3100", -1, NULL, ARG(1));
	neg = v < 0;
	v = fabs(v);
	do
	{
		int			dgt = (int) fmod(v, radix);

		tmp[k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[dgt];
		v = floor(v / radix);
	} while (v > 0 && k < (int) sizeof(tmp));
	initStringInfo(&buf);
	if (neg)
		appendStringInfoChar(&buf, '-');
	while (k > 0)
		appendStringInfoChar(&buf, tmp[--k]);
	return jn_str(buf.data, buf.len);
}

/* ---- decimal format pictures ($formatNumber) ---- */

typedef struct NumProps
{
	pg_wchar	decimal,
				grouping,
				exponent,
				minus,
				percent,
				permille,
				zero,
				digit,
				pattern;
} NumProps;

typedef struct NumPic
{
	pg_wchar   *prefix,
			   *suffix,
			   *active,
			   *mantissa,
			   *exponent,
			   *integer,
			   *fraction,
			   *sub;
	int			nprefix,
				nsuffix,
				nactive,
				nmantissa,
				nexponent,
				ninteger,
				nfraction,
				nsub;
	bool		has_exponent;
	/* analysis */
	int			ngpos;
	int			gpos[64];
	int			regular;
	int			nfpos;
	int			fpos[64];
	int			minint;
	int			scaling;
	int			minfrac;
	int			maxfrac;
	int			minexp;
} NumPic;

static bool
is_family(NumProps *p, pg_wchar c)
{
	return c >= p->zero && c < p->zero + 10;
}

static bool
is_active(NumProps *p, pg_wchar c)
{
	return is_family(p, c) || c == p->decimal || c == p->exponent || c == p->grouping ||
		c == p->digit || c == p->pattern;
}

static int
windex(const pg_wchar *w, int n, pg_wchar c, int from)
{
	for (int i = Max(from, 0); i < n; i++)
		if (w[i] == c)
			return i;
	return -1;
}

static int
wlastindex(const pg_wchar *w, int n, pg_wchar c)
{
	for (int i = n - 1; i >= 0; i--)
		if (w[i] == c)
			return i;
	return -1;
}

static void
split_parts(NumProps *p, pg_wchar *sub, int n, NumPic *r)
{
	int			pre = n,
				suf = n,
				epos,
				dpos;

	memset(r, 0, sizeof(*r));
	r->sub = sub;
	r->nsub = n;
	for (int i = 0; i < n; i++)
		if (is_active(p, sub[i]) && sub[i] != p->exponent)
		{
			pre = i;
			break;
		}
	for (int i = n - 1; i >= 0; i--)
		if (is_active(p, sub[i]) && sub[i] != p->exponent)
		{
			suf = n - i - 1;
			break;
		}
	if (pre == n)
		suf = 0;
	r->prefix = sub;
	r->nprefix = pre;
	r->suffix = sub + n - suf;
	r->nsuffix = suf;
	r->active = sub + pre;
	r->nactive = Max(n - pre - suf, 0);
	epos = windex(sub, n, p->exponent, pre);
	if (epos == -1 || epos > n - suf)
	{
		r->mantissa = r->active;
		r->nmantissa = r->nactive;
	}
	else
	{
		/* positions relative to the active part, as jsonata-js takes them */
		int			rel = Min(epos, r->nactive);

		r->mantissa = r->active;
		r->nmantissa = rel;
		r->has_exponent = true;
		r->exponent = r->active + Min(epos + 1, r->nactive);
		r->nexponent = Max(r->nactive - (epos + 1), 0);
	}
	dpos = windex(r->mantissa, r->nmantissa, p->decimal, 0);
	if (dpos == -1)
	{
		r->integer = r->mantissa;
		r->ninteger = r->nmantissa;
		r->fraction = r->suffix;
		r->nfraction = r->nsuffix;
	}
	else
	{
		r->integer = r->mantissa;
		r->ninteger = dpos;
		r->fraction = r->mantissa + dpos + 1;
		r->nfraction = r->nmantissa - dpos - 1;
	}
}

static void
validate_parts(NumProps *p, NumPic *r)
{
	const char *error = NULL;
	pg_wchar   *s = r->sub;
	int			n = r->nsub;
	int			dpos = windex(s, n, p->decimal, 0);
	bool		valid = false;
	int			opt;

	if (dpos != wlastindex(s, n, p->decimal))
		error = "D3081";
	if (windex(s, n, p->percent, 0) != wlastindex(s, n, p->percent))
		error = "D3082";
	if (windex(s, n, p->permille, 0) != wlastindex(s, n, p->permille))
		error = "D3083";
	if (windex(s, n, p->percent, 0) != -1 && windex(s, n, p->permille, 0) != -1)
		error = "D3084";
	for (int i = 0; i < r->nmantissa; i++)
		if (is_family(p, r->mantissa[i]) || r->mantissa[i] == p->digit)
			valid = true;
	if (!valid)
		error = "D3085";
	for (int i = 0; i < r->nactive; i++)
		if (!is_active(p, r->active[i]))
			error = "D3086";
	if (dpos != -1)
	{
		if ((dpos > 0 && s[dpos - 1] == p->grouping) || (dpos + 1 < n && s[dpos + 1] == p->grouping))
			error = "D3087";
	}
	else if (r->ninteger > 0 && r->integer[r->ninteger - 1] == p->grouping)
		error = "D3088";
	for (int i = 0; i + 1 < n; i++)
		if (s[i] == p->grouping && s[i + 1] == p->grouping)
			error = "D3089";
	opt = windex(r->integer, r->ninteger, p->digit, 0);
	if (opt != -1)
		for (int i = 0; i < opt; i++)
			if (is_family(p, r->integer[i]))
				error = "D3090";
	opt = wlastindex(r->fraction, r->nfraction, p->digit);
	if (opt != -1)
		for (int i = opt; i < r->nfraction; i++)
			if (is_family(p, r->fraction[i]))
				error = "D3091";
	if (r->has_exponent && r->nexponent > 0 &&
		(windex(s, n, p->percent, 0) != -1 || windex(s, n, p->permille, 0) != -1))
		error = "D3092";
	if (r->has_exponent)
	{
		bool		bad = r->nexponent == 0;

		for (int i = 0; i < r->nexponent; i++)
			if (!is_family(p, r->exponent[i]))
				bad = true;
		if (bad)
			error = "D3093";
	}
	if (error)
		jn_throw(error, -1, NULL, NULL);
}

static void
analyse_parts(NumProps *p, NumPic *r)
{
	int			g;

	/* grouping positions in the integer part: digits to their right */
	for (g = windex(r->integer, r->ninteger, p->grouping, 0); g != -1 && r->ngpos < 64;
		 g = windex(r->integer, r->ninteger, p->grouping, g + 1))
	{
		int			cnt = 0;

		for (int i = g; i < r->ninteger; i++)
			if (is_family(p, r->integer[i]) || r->integer[i] == p->digit)
				cnt++;
		r->gpos[r->ngpos++] = cnt;
	}
	r->regular = 0;
	if (r->ngpos > 0)
	{
		int			factor = r->gpos[0];
		bool		ok = true;

		for (int i = 1; i < r->ngpos; i++)
			factor = gcd(factor, r->gpos[i]);
		for (int k = 1; k <= r->ngpos && ok; k++)
		{
			bool		found = false;

			for (int i = 0; i < r->ngpos; i++)
				if (r->gpos[i] == k * factor)
					found = true;
			ok = found;
		}
		if (ok)
			r->regular = factor;
	}
	/* in the fraction: digits to their left (jsonata-js searches the integer part's indexes) */
	for (g = windex(r->fraction, r->nfraction, p->grouping, 0); g != -1 && r->nfpos < 64;
		 g = windex(r->integer, r->ninteger, p->grouping, g + 1))
	{
		int			cnt = 0;

		for (int i = 0; i < g && i < r->nfraction; i++)
			if (is_family(p, r->fraction[i]) || r->fraction[i] == p->digit)
				cnt++;
		r->fpos[r->nfpos++] = cnt;
	}
	r->minint = 0;
	for (int i = 0; i < r->ninteger; i++)
		if (is_family(p, r->integer[i]))
			r->minint++;
	r->scaling = r->minint;
	r->minfrac = r->maxfrac = 0;
	for (int i = 0; i < r->nfraction; i++)
	{
		if (is_family(p, r->fraction[i]))
			r->minfrac++, r->maxfrac++;
		else if (r->fraction[i] == p->digit)
			r->maxfrac++;
	}
	if (r->minint == 0 && r->maxfrac == 0)
	{
		if (r->has_exponent)
			r->minfrac = r->maxfrac = 1;
		else
			r->minint = 1;
	}
	if (r->has_exponent && r->minint == 0 && windex(r->integer, r->ninteger, p->digit, 0) != -1)
		r->minint = 1;
	if (r->minint == 0 && r->minfrac == 0)
		r->minfrac = 1;
	r->minexp = 0;
	if (r->has_exponent)
		for (int i = 0; i < r->nexponent; i++)
			if (is_family(p, r->exponent[i]))
				r->minexp++;
}

static pg_wchar
prop_char(JnVal *opts, const char *key, pg_wchar def)
{
	JnVal	   *v = opts ? jn_get(opts, key, strlen(key)) : NULL;

	if (v && v->type == JN_STR && v->u.s.len > 0)
	{
		int			wl;
		pg_wchar   *w = jn_to_wide(v->u.s.p, v->u.s.len, &wl);

		return w[0];
	}
	return def;
}

/* digits of |v| with dp decimals (toFixed), in the zero digit's family */
static void
fixed_digits(WBuf *b, double v, int dp, pg_wchar zero)
{
	char	   *s = psprintf("%.*f", dp, fabs(v));

	for (char *c = s; *c; c++)
		wb_putc(b, (*c >= '0' && *c <= '9') ? zero + (*c - '0') : (pg_wchar) *c);
}

JnVal *
jn_fn_format_number(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	NumProps	p;
	JnVal	   *opts = ARG(2);
	pg_wchar   *pic;
	int			npic,
				semi;
	NumPic		parts[2];
	int			nparts = 1;
	NumPic	   *pp;
	double		value,
				adjusted,
				mantissa;
	int			exponent = 0;
	bool		has_exp;
	WBuf		b;
	int			dpos,
				padl,
				padr;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) == NULL)
		picture_missing();
	value = args[0]->u.n;
	p.decimal = prop_char(opts, "decimal-separator", '.');
	p.grouping = prop_char(opts, "grouping-separator", ',');
	p.exponent = prop_char(opts, "exponent-separator", 'e');
	p.minus = prop_char(opts, "minus-sign", '-');
	p.percent = prop_char(opts, "percent", '%');
	p.permille = prop_char(opts, "per-mille", 0x2030);
	p.zero = prop_char(opts, "zero-digit", '0');
	p.digit = prop_char(opts, "digit", '#');
	p.pattern = prop_char(opts, "pattern-separator", ';');
	pic = jn_to_wide(args[1]->u.s.p, args[1]->u.s.len, &npic);
	semi = windex(pic, npic, p.pattern, 0);
	if (semi != -1 && windex(pic, npic, p.pattern, semi + 1) != -1)
		jn_throw("D3080", -1, NULL, NULL);
	if (semi == -1)
		split_parts(&p, pic, npic, &parts[0]);
	else
	{
		split_parts(&p, pic, semi, &parts[0]);
		split_parts(&p, pic + semi + 1, npic - semi - 1, &parts[1]);
		nparts = 2;
	}
	for (int i = 0; i < nparts; i++)
	{
		validate_parts(&p, &parts[i]);
		analyse_parts(&p, &parts[i]);
	}
	if (nparts == 1)
	{
		/* the negative picture: the same, with a minus sign before the prefix */
		pg_wchar   *np = palloc(sizeof(pg_wchar) * (parts[0].nprefix + 1));

		parts[1] = parts[0];
		np[0] = p.minus;
		memcpy(np + 1, parts[0].prefix, sizeof(pg_wchar) * parts[0].nprefix);
		parts[1].prefix = np;
		parts[1].nprefix = parts[0].nprefix + 1;
	}
	pp = value >= 0 ? &parts[0] : &parts[1];
	if (windex(pp->sub, pp->nsub, p.percent, 0) != -1)
		adjusted = value * 100;
	else if (windex(pp->sub, pp->nsub, p.permille, 0) != -1)
		adjusted = value * 1000;
	else
		adjusted = value;
	has_exp = pp->minexp != 0;
	mantissa = adjusted;
	if (has_exp)
	{
		double		maxm = pow(10, pp->scaling),
					minm = pow(10, pp->scaling - 1);

		while (mantissa < minm && mantissa != 0)
		{
			mantissa *= 10;
			exponent--;
			jn_charge(1);
		}
		while (mantissa > maxm)
		{
			mantissa /= 10;
			exponent++;
			jn_charge(1);
		}
	}
	mantissa = jn_round_half_even(mantissa, pp->maxfrac);
	wb_init(&b);
	fixed_digits(&b, mantissa, pp->maxfrac, p.zero);
	dpos = windex(b.w, b.n, '.', 0);
	if (dpos == -1)
		wb_putc(&b, p.decimal);
	else
		b.w[dpos] = p.decimal;
	/* strip leading and trailing zeros, then pad to the minimum sizes */
	{
		int			lead = 0;

		while (lead < b.n && b.w[lead] == p.zero)
			lead++;
		memmove(b.w, b.w + lead, sizeof(pg_wchar) * (b.n - lead));
		b.n -= lead;
		while (b.n > 0 && b.w[b.n - 1] == p.zero)
			b.n--;
	}
	dpos = windex(b.w, b.n, p.decimal, 0);
	padl = pp->minint - dpos;
	padr = pp->minfrac - (b.n - dpos - 1);
	for (int i = 0; i < padl; i++)
		wb_insert(&b, 0, p.zero);
	for (int i = 0; i < padr; i++)
		wb_putc(&b, p.zero);
	dpos = windex(b.w, b.n, p.decimal, 0);
	if (pp->regular > 0)
	{
		int			groups = (dpos - 1) / pp->regular;

		for (int g = 1; g <= groups; g++)
			wb_insert(&b, dpos - g * pp->regular, p.grouping);
	}
	else
	{
		for (int i = 0; i < pp->ngpos; i++)
		{
			if (dpos - pp->gpos[i] >= 0)
				wb_insert(&b, dpos - pp->gpos[i], p.grouping);
			dpos++;
		}
	}
	dpos = windex(b.w, b.n, p.decimal, 0);
	for (int i = 0; i < pp->nfpos; i++)
		if (pp->fpos[i] + dpos + 1 <= b.n)
			wb_insert(&b, pp->fpos[i] + dpos + 1, p.grouping);
	dpos = windex(b.w, b.n, p.decimal, 0);
	if (windex(pp->sub, pp->nsub, p.decimal, 0) == -1 || dpos == b.n - 1)
		b.n--;
	if (has_exp)
	{
		WBuf		e;

		wb_init(&e);
		fixed_digits(&e, exponent, 0, p.zero);
		wb_putc(&b, p.exponent);
		if (exponent < 0)
			wb_putc(&b, p.minus);
		for (int i = e.n; i < pp->minexp; i++)
			wb_putc(&b, p.zero);
		for (int i = 0; i < e.n; i++)
			wb_putc(&b, e.w[i]);
	}
	{
		WBuf		r;

		wb_init(&r);
		for (int i = 0; i < pp->nprefix; i++)
			wb_putc(&r, pp->prefix[i]);
		for (int i = 0; i < b.n; i++)
			wb_putc(&r, b.w[i]);
		for (int i = 0; i < pp->nsuffix; i++)
			wb_putc(&r, pp->suffix[i]);
		return wb_val(&r);
	}
}

