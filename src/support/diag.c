/*-------------------------------------------------------------------------
 *
 * diag.c
 *	  Collecting definition diagnostics and reporting them as one error.
 *
 * The compiler appends every problem it finds to a List of SfnDiag and
 * carries on; callers either return the list as rows
 * (sfn_validate_state_machine_definition) or turn it into one ERROR
 * (sfn_report_invalid_definition) when creating or updating a machine.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "support/format.h"
#include "support/diag.h"
#include "support/errors.h"

static void
sfn_diag_append(List **diags, const char *severity, const char *code,
				const char *location, const char *fmt, va_list args)
	pg_attribute_printf(5, 0);

static void
sfn_diag_append(List **diags, const char *severity, const char *code,
				const char *location, const char *fmt, va_list args)
{
	SfnDiag    *d = palloc0(sizeof(SfnDiag));

	d->severity = severity;
	d->code = code;
	d->message = sfn_vformat(fmt, args);
	d->location = pstrdup(location && location[0] ? location : "/");
	*diags = lappend(*diags, d);
}

void
sfn_diag_add(List **diags, const char *code, const char *location,
			 const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	sfn_diag_append(diags, "ERROR", code, location, fmt, args);
	va_end(args);
}

void
sfn_diag_warn(List **diags, const char *code, const char *location,
			  const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	sfn_diag_append(diags, "WARNING", code, location, fmt, args);
	va_end(args);
}

int
sfn_diag_error_count(List *diags)
{
	ListCell   *lc;
	int			n = 0;

	foreach(lc, diags)
	{
		SfnDiag    *d = (SfnDiag *) lfirst(lc);

		if (strcmp(d->severity, "ERROR") == 0)
			n++;
	}
	return n;
}

char *
sfn_diag_loc(const char *location, const char *name)
{
	return psprintf("%s/%s", location ? location : "", name);
}

char *
sfn_diag_loc_index(const char *location, int index)
{
	return psprintf("%s/%d", location ? location : "", index);
}

void
sfn_report_invalid_definition(List *diags)
{
	StringInfoData detail;
	ListCell   *lc;

	initStringInfo(&detail);
	foreach(lc, diags)
	{
		SfnDiag    *d = (SfnDiag *) lfirst(lc);

		if (detail.len > 0)
			appendStringInfoChar(&detail, '\n');
		appendStringInfo(&detail, "%s at %s: %s", d->code, d->location, d->message);
	}

	ereport(ERROR,
			(errcode(ERRCODE_SFN_INVALID_DEFINITION),
			 errmsg("InvalidDefinition: invalid state machine definition: %d problem(s)",
					list_length(diags)),
			 errdetail_internal("%s", detail.data)));
	pg_unreachable();
}
