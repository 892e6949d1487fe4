/*-------------------------------------------------------------------------
 *
 * api_util.c
 *	  Argument checks shared by the SQL-callable functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "api/api_util.h"
#include "support/diag.h"
#include "asl/plan.h"
#include "support/errors.h"
#include "support/names.h"

void
sfn_require_arg(FunctionCallInfo fcinfo, int n, const char *what)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: %s must not be null", what)));
}

char *
sfn_text_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

void
sfn_check_type(const char *type)
{
	if (strcmp(type, "STANDARD") != 0 && strcmp(type, "EXPRESS") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: invalid state machine type \"%s\"", sfn_msg(type)),
				 errhint("The type must be STANDARD or EXPRESS.")));
}

SfnPlan *
sfn_compile_or_report(Jsonb *definition, const char *type)
{
	List	   *diags = NIL;
	SfnPlan    *plan;

	plan = sfn_asl_compile(sfn_jv_from_jsonb(definition), type, &diags);
	if (plan == NULL)
		sfn_report_invalid_definition(diags);
	return plan;
}

Jsonb *
sfn_definition_arg(FunctionCallInfo fcinfo, int n, bool is_text, const char *type)
{
	List	   *diags = NIL;
	text	   *t;

	if (!is_text)
	{
		sfn_compile_or_report(PG_GETARG_JSONB_P(n), type);
		return PG_GETARG_JSONB_P(n);
	}
	t = PG_GETARG_TEXT_PP(n);
	if (sfn_asl_compile_text(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), type, &diags) == NULL)
		sfn_report_invalid_definition(diags);
	return sfn_jv_to_jsonb(sfn_jv_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}
