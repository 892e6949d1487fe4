/*-------------------------------------------------------------------------
 *
 * eval_functions.c
 *	  SQL-callable entry points to the evaluation layer, for debugging
 *	  definitions and for testing JSONPath and intrinsics in isolation.
 *
 * These run exactly the code the engine runs; AWS runtime errors, which
 * the engine would turn into a failed state, become SQL errors here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "support/errors.h"
#include "eval/budget.h"
#include "eval/intrinsics.h"
#include "eval/json.h"
#include "eval/jsonpath.h"

PG_FUNCTION_INFO_V1(sfn_jsonpath_query);
PG_FUNCTION_INFO_V1(sfn_jsonpath_set);
PG_FUNCTION_INFO_V1(sfn_intrinsic_eval_sql);

static SfnPath *
parse_path_or_error(const char *text, bool reference_only)
{
	char	   *msg = NULL;
	SfnPath    *p = sfn_path_parse(text, reference_only, &msg);

	if (p == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"%s\": %s",
						reference_only ? "reference path" : "JSONPath", text, msg)));
	return p;
}

static void
report_sfn_error(int sqlstate, const SfnError *err)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("%s: %s", err->error, err->cause ? err->cause : "")));
}

/* sfn.jsonpath_query(path text, input jsonb, context jsonb) returns jsonb */
Datum
sfn_jsonpath_query(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	JsonbValue *input = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	JsonbValue *context = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(2));
	SfnPath    *p = parse_path_or_error(path, false);
	JsonbValue *res;
	SfnError	err = {0};

	sfn_budget_begin();
	if (!sfn_path_query(p, input, context, &res, &err))
		report_sfn_error(ERRCODE_PROGRAM_LIMIT_EXCEEDED, &err);
	if (res == NULL)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(res));
}

/* sfn.jsonpath_set(path text, target jsonb, value jsonb) returns jsonb */
Datum
sfn_jsonpath_set(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	JsonbValue *target = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	JsonbValue *value = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(2));
	SfnPath    *p = parse_path_or_error(path, true);
	JsonbValue *out;
	SfnError	err = {0};

	if (sfn_path_is_context(p))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid reference path \"%s\": a ResultPath cannot refer to the context object",
						path)));

	if (!sfn_path_set(p, target, value, &out, &err))
		report_sfn_error(ERRCODE_SFN_RESULT_PATH_MATCH_FAILURE, &err);
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(out));
}

/* sfn.intrinsic_eval(expr text, input jsonb, context jsonb) returns jsonb */
Datum
sfn_intrinsic_eval_sql(PG_FUNCTION_ARGS)
{
	char	   *expr = text_to_cstring(PG_GETARG_TEXT_PP(0));
	JsonbValue *input = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	JsonbValue *context = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(2));
	char	   *msg = NULL;
	SfnIntrinsic *f = sfn_intrinsic_parse(expr, &msg);
	JsonbValue *res;
	SfnError	err = {0};

	if (f == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid intrinsic function call \"%s\": %s", expr, msg)));
	sfn_budget_begin();
	if (!sfn_intrinsic_eval(f, input, context, &res, &err))
		report_sfn_error(ERRCODE_SFN_INTRINSIC_FAILURE, &err);
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(res));
}
