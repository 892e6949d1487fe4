/*-------------------------------------------------------------------------
 *
 * names.c
 *	  AWS naming rules and ARN formatting/parsing.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "support/errors.h"
#include "support/guc.h"
#include "support/names.h"

#define SFN_MAX_NAME_CHARS 80

/* Characters AWS forbids in state machine, execution and activity names. */
static bool
forbidden_char(pg_wchar c)
{
	if (c <= 0x20 || (c >= 0x7f && c <= 0x9f))
		return true;			/* whitespace and control characters */
	if (c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
		c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
		c == 0xfeff)
		return true;			/* Unicode whitespace */
	return strchr("<>{}[]?*\"#%\\^|~`$&,;:/", (int) c) != NULL && c < 0x80;
}

const char *
sfn_msg(const char *s)
{
	StringInfoData buf;
	const unsigned char *p;
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8;

	if (s == NULL)
		return NULL;
	for (p = (const unsigned char *) s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (utf8 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			break;
	if (*p == '\0')
		return s;

	initStringInfo(&buf);
	for (p = (const unsigned char *) s; *p; p++)
	{
		if (*p < 0x20 || *p == 0x7f)
			appendStringInfo(&buf, "\\u%04x", *p);
		else if (utf8 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		{
			/* C1 controls, two bytes in UTF-8 */
			appendStringInfo(&buf, "\\u%04x", p[1]);
			p++;
		}
		else
			appendStringInfoChar(&buf, (char) *p);
	}
	return buf.data;
}

/*
 * Does the name follow AWS's naming rules?  The form that does not raise,
 * for callers inside a worker's batch (a nested execution's Name).
 */
bool
sfn_name_is_valid(const char *name)
{
	int			len = strlen(name);
	int			nchars;
	pg_wchar   *wide;
	bool		ok = true;

	if (len == 0)
		return false;
	wide = palloc((len + 1) * sizeof(pg_wchar));
	nchars = pg_mb2wchar_with_len(name, wide, len);
	if (nchars > SFN_MAX_NAME_CHARS)
		ok = false;
	for (int i = 0; ok && i < nchars; i++)
		if (forbidden_char(wide[i]))
			ok = false;
	pfree(wide);
	return ok;
}

void
sfn_check_name(const char *name, const char *what)
{
	int			len = strlen(name);
	int			nchars;
	pg_wchar   *wide;

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_NAME),
				 errmsg("InvalidName: %s name must not be empty", what)));
	wide = palloc((len + 1) * sizeof(pg_wchar));
	nchars = pg_mb2wchar_with_len(name, wide, len);
	if (nchars > SFN_MAX_NAME_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_NAME),
				 errmsg("InvalidName: %s name \"%s\" is longer than %d characters",
						what, sfn_msg(name), SFN_MAX_NAME_CHARS)));
	for (int i = 0; i < nchars; i++)
		if (forbidden_char(wide[i]))
			ereport(ERROR,
					(errcode(ERRCODE_SFN_INVALID_NAME),
					 errmsg("InvalidName: %s name \"%s\" contains a character that is not allowed",
							what, sfn_msg(name)),
					 errdetail("Names must not contain whitespace, brackets, wildcards, control characters or any of \" # %% \\ ^ | ~ ` $ & , ; : /.")));
	pfree(wide);
}

char *
sfn_state_machine_arn(const char *sm_name)
{
	return psprintf("arn:aws:states:%s:%s:stateMachine:%s",
					sfn_region, sfn_account_id, sm_name);
}

char *
sfn_execution_arn(const char *sm_name, const char *exec_name)
{
	return psprintf("arn:aws:states:%s:%s:execution:%s:%s",
					sfn_region, sfn_account_id, sm_name, exec_name);
}

/*
 * Return the resource part of "arn:aws:states:REGION:ACCOUNT:KIND:REST"
 * when the ARN has that kind, NULL when it has another, and raise
 * InvalidArn when it is not a states ARN at all.
 */
static char *
arn_resource(const char *arn, const char *kind)
{
	const char *p = arn;
	int			colons = 0;
	size_t		klen = strlen(kind);

	if (strncmp(arn, "arn:", 4) != 0 || strstr(arn, ":states:") == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: invalid ARN \"%s\"", sfn_msg(arn))));
	while (*p && colons < 5)
		if (*p++ == ':')
			colons++;
	if (colons < 5)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: invalid ARN \"%s\"", sfn_msg(arn))));
	if (strncmp(p, kind, klen) != 0 || p[klen] != ':' || p[klen + 1] == '\0')
		return NULL;
	return pstrdup(p + klen + 1);
}

char *
sfn_state_machine_name_from(const char *name_or_arn)
{
	char	   *rest;

	if (strncmp(name_or_arn, "arn:", 4) != 0)
		return pstrdup(name_or_arn);
	rest = arn_resource(name_or_arn, "stateMachine");
	if (rest == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: \"%s\" is not a state machine ARN", sfn_msg(name_or_arn))));
	/* A version or alias qualifier (":1", ":prod") is not supported yet. */
	if (strchr(rest, ':') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: state machine versions and aliases are not supported: \"%s\"",
						sfn_msg(name_or_arn))));
	return rest;
}

void
sfn_split_execution_arn(const char *arn, char **sm_name, char **exec_name)
{
	char	   *rest = NULL;
	char	   *colon;

	if (strncmp(arn, "arn:", 4) == 0)
		rest = arn_resource(arn, "execution");
	if (rest == NULL || (colon = strchr(rest, ':')) == NULL || colon[1] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: \"%s\" is not an execution ARN", sfn_msg(arn))));
	*colon = '\0';
	*sm_name = rest;
	*exec_name = colon + 1;
}

/*
 * The state machine name of an unqualified state machine ARN
 * (arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME), or NULL when
 * the text is anything else.  Does not raise.
 */
char *
sfn_state_machine_name_of_arn(const char *arn)
{
	const char *p = arn;
	int			colons = 0;

	if (strncmp(arn, "arn:", 4) != 0)
		return NULL;
	while (*p && colons < 5)
		if (*p++ == ':')
			colons++;
	if (colons < 5 || strncmp(arn + 4, "aws", 3) != 0 ||
		strstr(arn, ":states:") == NULL ||
		strncmp(p, "stateMachine:", 13) != 0 || p[13] == '\0' ||
		strchr(p + 13, ':') != NULL)
		return NULL;
	return pstrdup(p + 13);
}
