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

#include "eval/jsonata_int.h"

#define ARG(i) ((i) < nargs ? args[(i)] : NULL)

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *const day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

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
	int64		total = (int64) floor(ms);
	int64		days = total >= 0 ? total / 86400000 : -((-total + 86399999) / 86400000);
	int64		rem = total - days * 86400000;

	civil_from_days(days, &t->year, &t->month, &t->day);
	t->hour = (int) (rem / 3600000);
	t->minute = (int) (rem / 60000 % 60);
	t->second = (int) (rem / 1000 % 60);
	t->ms = (int) (rem % 1000);
	t->dow = (int) (((days % 7) + 11) % 7);
}

/* timezone "+hhmm" or "-hh:mm" to minutes */
static int
tz_minutes(JnVal *tz)
{
	const char *s;
	int			sign = 1,
				h = 0,
				m = 0;

	if (tz == NULL || tz->u.s.len == 0)
		return 0;
	s = tz->u.s.p;
	if (*s == '-')
		sign = -1;
	if (*s == '+' || *s == '-')
		s++;
	if (strlen(s) >= 4 && s[2] != ':')
	{
		h = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[2] - '0') * 10 + (s[3] - '0');
	}
	else if (strlen(s) >= 5)
	{
		h = (s[0] - '0') * 10 + (s[1] - '0');
		m = (s[3] - '0') * 10 + (s[4] - '0');
	}
	return sign * (h * 60 + m);
}

static void
append_padded(StringInfo buf, int64 v, int width)
{
	if (v < 0)
	{
		appendStringInfoChar(buf, '-');
		v = -v;
	}
	appendStringInfo(buf, "%0*lld", width, (long long) v);
}

static void
format_component(StringInfo buf, char comp, const char *pres, JnDate *t, int tzmin)
{
	int64		v = 0;
	int			width = 1;
	bool		name = false,
				upper = false,
				lower = false;
	int			plen = strlen(pres);
	const char *comma;

	/* presentation modifier: digits give the minimum width */
	if (plen > 0)
	{
		if (pres[0] == 'N')
			name = true, upper = (plen < 2 || pres[1] != 'n');
		else if (pres[0] == 'n')
			name = true, lower = true;
		else
		{
			width = 0;
			for (int i = 0; i < plen && pres[i] != ','; i++)
				if (pres[i] >= '0' && pres[i] <= '9')
					width++;
			if (width == 0)
				width = 1;
		}
	}
	comma = strchr(pres, ',');
	switch (comp)
	{
		case 'Y':
			v = t->year;
			if (plen > 0 && width == 2 && !comma)
				v = v % 100;
			break;
		case 'M':
			v = t->month;
			break;
		case 'D':
			v = t->day;
			break;
		case 'd':
			v = days_from_civil(t->year, t->month, t->day) - days_from_civil(t->year, 1, 1) + 1;
			break;
		case 'F':
			v = t->dow == 0 ? 7 : t->dow;
			break;
		case 'H':
			v = t->hour;
			break;
		case 'h':
			v = t->hour % 12 == 0 ? 12 : t->hour % 12;
			break;
		case 'P':
			appendStringInfoString(buf, t->hour < 12 ? "am" : "pm");
			return;
		case 'm':
			v = t->minute;
			if (plen == 0)
				width = 2;
			break;
		case 's':
			v = t->second;
			if (plen == 0)
				width = 2;
			break;
		case 'f':
			v = t->ms;
			if (plen == 0 || width == 3)
			{
				append_padded(buf, v, 3);
				return;
			}
			break;
		case 'Z':
		case 'z':
			{
				int			a = abs(tzmin);

				if (comp == 'z')
					appendStringInfoString(buf, "GMT");
				if (comp == 'Z' && tzmin == 0 && strchr(pres, 't'))
				{
					appendStringInfoChar(buf, 'Z');
					return;
				}
				appendStringInfo(buf, "%c%02d", tzmin < 0 ? '-' : '+', a / 60);
				if (plen == 0 || strchr(pres, ':') || comp == 'z')
					appendStringInfo(buf, ":%02d", a % 60);
				else if (plen >= 4 || width >= 4)
					appendStringInfo(buf, "%02d", a % 60);
				return;
			}
		default:
			jn_throw("D3132", -1, NULL, jn_str(&comp, 1));
	}
	if (name)
	{
		const char *n;

		if (comp == 'M')
			n = month_names[t->month - 1];
		else if (comp == 'F')
			n = day_names[t->dow];
		else
			jn_throw("D3133", -1, NULL, jn_str(&comp, 1));
		{
			char	   *s = pstrdup(n);
			int			maxw = 0;

			if (comma)
			{
				const char *dash = strchr(comma, '-');

				if (dash)
					maxw = atoi(dash + 1);
			}
			if (maxw > 0 && (int) strlen(s) > maxw)
				s[maxw] = '\0';
			for (char *c = s; *c; c++)
			{
				if (upper)
					*c = pg_toupper((unsigned char) *c);
				else if (lower)
					*c = pg_tolower((unsigned char) *c);
			}
			/* "Nn": capitalised */
			appendStringInfoString(buf, s);
		}
		return;
	}
	append_padded(buf, v, width);
}

static JnVal *
format_millis(double ms, JnVal *picture, JnVal *tz)
{
	StringInfoData buf;
	JnDate		t;
	int			tzmin = tz_minutes(tz);
	const char *p;

	date_of_millis(ms + tzmin * 60000.0, &t);
	initStringInfo(&buf);
	if (picture == NULL)
	{
		if (tz == NULL)
		{
			append_padded(&buf, t.year, 4);
			appendStringInfo(&buf, "-%02d-%02dT%02d:%02d:%02d.%03dZ",
							 t.month, t.day, t.hour, t.minute, t.second, t.ms);
			return jn_str(buf.data, buf.len);
		}
		picture = jn_cstr("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
	}
	p = picture->u.s.p;
	while (*p)
	{
		if (*p == '[' && p[1] == '[')
		{
			appendStringInfoChar(&buf, '[');
			p += 2;
		}
		else if (*p == ']' && p[1] == ']')
		{
			appendStringInfoChar(&buf, ']');
			p += 2;
		}
		else if (*p == '[')
		{
			const char *end = strchr(p, ']');
			char	   *spec;
			char	   *q,
					   *w;

			if (end == NULL)
				jn_throw("D3135", -1, NULL, NULL);
			spec = pnstrdup(p + 1, end - p - 1);
			/* whitespace inside a marker is ignored */
			for (q = w = spec; *q; q++)
				if (!isspace((unsigned char) *q))
					*w++ = *q;
			*w = '\0';
			if (spec[0] == '\0')
				jn_throw("D3132", -1, NULL, jn_cstr(spec));
			format_component(&buf, spec[0], spec + 1, &t, tzmin);
			p = end + 1;
		}
		else
			appendStringInfoChar(&buf, *p++);
	}
	return jn_str(buf.data, buf.len);
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
	if (*p == 'T' || *p == ' ')
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

JnVal *
jn_fn_to_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	double		ms;

	if (ARG(0) == NULL)
		return NULL;
	if (ARG(1) != NULL)
		jn_throw("D3136", -1, NULL, NULL);
	if (!parse_iso(args[0]->u.s.p, &ms))
		jn_throw("D3110", -1, NULL, args[0]);
	return jn_num(ms);
}

/* ---- number pictures ---- */



JnVal *
jn_fn_format_base(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	double		v;
	int			radix = ARG(1) ? (int) args[1]->u.n : 10;
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

/* a decimal picture such as "#,##0.00", "0.0%" or "000" */
JnVal *
jn_fn_format_number(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	const char *pic;
	const char *semi;
	char	   *sub;
	double		v;
	int			minint = 0,
				minfrac = 0,
				maxfrac = 0,
				group = 0;
	bool		percent = false,
				permille = false,
				infrac = false;
	char	   *prefix,
			   *suffix;
	int			i,
				start,
				end;
	char		digits_buf[400];
	StringInfoData buf;
	char	   *ip,
			   *fp;

	if (ARG(0) == NULL)
		return NULL;
	v = args[0]->u.n;
	pic = args[1]->u.s.p;
	semi = strchr(pic, ';');
	if (semi && strchr(semi + 1, ';'))
		jn_throw("D3080", -1, NULL, NULL);
	if (v < 0 && semi)
		sub = pstrdup(semi + 1);
	else
		sub = semi ? pnstrdup(pic, semi - pic) : pstrdup(pic);
	/* prefix: up to the first digit sign; suffix: after the last */
	for (start = 0; sub[start] && !strchr("#0123456789.,", sub[start]); start++)
		;
	for (end = strlen(sub); end > start && !strchr("#0123456789.,", sub[end - 1]); end--)
		;
	prefix = pnstrdup(sub, start);
	suffix = pstrdup(sub + end);
	if (strchr(sub, '%'))
		percent = true;
	if (strstr(sub, "\u2030"))
		permille = true;
	for (i = start; i < end; i++)
	{
		char		c = sub[i];

		if (c == '.')
			infrac = true;
		else if (c == ',' && !infrac)
			group = 0;
		else if (c == '0' || (c >= '1' && c <= '9'))
		{
			if (infrac)
				minfrac++, maxfrac++;
			else
				minint++, group++;
		}
		else if (c == '#')
		{
			if (infrac)
				maxfrac++;
			else
				group++;
		}
	}
	if (!strchr(sub + start, ',') || (strchr(sub + start, '.') && strchr(sub + start, ',') > strchr(sub + start, '.')))
		group = 0;
	else
	{
		/* the grouping size is the number of digit signs after the last comma */
		const char *lastc = NULL;
		const char *dot = strchr(sub + start, '.');

		for (const char *q = sub + start; q < sub + end && (!dot || q < dot); q++)
			if (*q == ',')
				lastc = q;
		group = 0;
		for (const char *q = lastc + 1; q < sub + end && (!dot || q < dot); q++)
			if (*q == '#' || isdigit((unsigned char) *q))
				group++;
	}
	if (percent)
		v *= 100;
	if (permille)
		v *= 1000;
	v = jn_round_half_even(fabs(v), maxfrac);
	snprintf(digits_buf, sizeof(digits_buf), "%.*f", maxfrac, v);
	ip = digits_buf;
	fp = strchr(digits_buf, '.');
	if (fp)
		*fp++ = '\0';
	else
		fp = "";
	/* trim optional fraction digits */
	{
		int			fl = strlen(fp);

		while (fl > minfrac && fp[fl - 1] == '0')
			fp[--fl] = '\0';
	}
	if (strcmp(ip, "0") == 0 && minint == 0)
		ip = "";
	initStringInfo(&buf);
	appendStringInfoString(&buf, prefix);
	if (args[0]->u.n < 0 && !semi)
		appendStringInfoChar(&buf, '-');
	{
		int			il = strlen(ip);
		int			pad = Max(minint - il, 0);
		int			total = il + pad;
		int			k = 0;

		for (int j = 0; j < pad; j++, k++)
		{
			if (group > 0 && k > 0 && (total - k) % group == 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoChar(&buf, '0');
		}
		for (int j = 0; j < il; j++, k++)
		{
			if (group > 0 && k > 0 && (total - k) % group == 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoChar(&buf, ip[j]);
		}
	}
	if (*fp)
	{
		appendStringInfoChar(&buf, '.');
		appendStringInfoString(&buf, fp);
	}
	appendStringInfoString(&buf, suffix);
	return jn_str(buf.data, buf.len);
}

JnVal *
jn_fn_format_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	JnVal	   *pic[2];

	if (ARG(0) == NULL)
		return NULL;
	pic[0] = jn_num(floor(args[0]->u.n));
	pic[1] = args[1];
	return jn_fn_format_number(pic, 2, input, env, pos);
}

JnVal *
jn_fn_parse_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos)
{
	StringInfoData buf;

	if (ARG(0) == NULL)
		return NULL;
	initStringInfo(&buf);
	for (int i = 0; i < args[0]->u.s.len; i++)
		if (isdigit((unsigned char) args[0]->u.s.p[i]) || args[0]->u.s.p[i] == '-')
			appendStringInfoChar(&buf, args[0]->u.s.p[i]);
	return jn_num(strtod(buf.data, NULL));
}
