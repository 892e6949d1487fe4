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
#include "access/xact.h"
#include "miscadmin.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "support/errors.h"
#include "eval/budget.h"
#include "eval/intrinsics.h"
#include "eval/json.h"
#include "eval/jsonata.h"
#include "eval/jsonpath.h"

PG_FUNCTION_INFO_V1(sfn_jsonpath_query);
PG_FUNCTION_INFO_V1(sfn_jsonpath_set);
PG_FUNCTION_INFO_V1(sfn_intrinsic_eval_sql);
PG_FUNCTION_INFO_V1(sfn_jsonata_eval_sql);
PG_FUNCTION_INFO_V1(sfn_jsonata_eval_text_sql);
PG_FUNCTION_INFO_V1(sfn_jsonata_bench_sql);

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

/*
 * Bindings for a JSONata evaluation from a JSON object: each key is a
 * variable name (without $); the seed for $random and $uuid is fixed so that
 * results repeat, and $now is the transaction's start.
 */
static SfnJsonataEnv *
jsonata_env(JsonbValue *bindings)
{
	SfnJsonataEnv *env = palloc0(sizeof(SfnJsonataEnv));

	if (bindings != NULL && sfn_jv_is_object(bindings))
	{
		SfnJsonataBinding *b = palloc(sizeof(SfnJsonataBinding) * (bindings->val.object.nPairs + 1));

		for (int i = 0; i < bindings->val.object.nPairs; i++)
		{
			b[i].name = sfn_jv_cstr(&bindings->val.object.pairs[i].key);
			b[i].value = &bindings->val.object.pairs[i].value;
			b[i].converted = NULL;
		}
		env->bindings = b;
		env->nbindings = bindings->val.object.nPairs;
	}
	else if (bindings != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("JSONata bindings must be a JSON object")));
	env->seed = UINT64CONST(42);
	env->now_ms = (GetCurrentTransactionStartTimestamp() / 1000) +
		(int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
	return env;
}

/* the budget's States.Runtime as for JSONPath, the rest as AWS names it */
static void
report_jsonata_error(const SfnError *err)
{
	if (strcmp(err->error, SFN_JSONATA_ERROR) == 0)
		report_sfn_error(ERRCODE_SFN_QUERY_EVALUATION_ERROR, err);
	report_sfn_error(ERRCODE_PROGRAM_LIMIT_EXCEEDED, err);
}

static JsonbValue *
jsonata_run(const char *expr, JsonbValue *input, JsonbValue *bindings, int max_depth)
{
	SfnError	err = {0};
	SfnJsonata *c = sfn_jsonata_compile(expr, strlen(expr), &err);
	JsonbValue *res;
	SfnJsonataEnv *env;

	if (c == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid JSONata expression: %s", err.cause)));
	env = jsonata_env(bindings);
	env->max_depth = max_depth;
	sfn_budget_begin();
	if (!sfn_jsonata_eval(c, input, env, &res, &err))
		report_jsonata_error(&err);
	return res;
}

/* sfn.jsonata_eval(expression text, input jsonb, bindings jsonb) returns jsonb */
Datum
sfn_jsonata_eval_sql(PG_FUNCTION_ARGS)
{
	char	   *expr;
	JsonbValue *res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	expr = text_to_cstring(PG_GETARG_TEXT_PP(0));
	res = jsonata_run(expr,
					  PG_ARGISNULL(1) ? NULL : sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1)),
					  PG_ARGISNULL(2) ? NULL : sfn_jv_from_jsonb(PG_GETARG_JSONB_P(2)), 0);
	if (res == NULL)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(res));
}

/*
 * sfn.jsonata_eval_text(expression text, input text, bindings text) returns
 * text: the same on JSON text, which keeps the order of keys (jsonb sorts
 * them), for tests that depend on it.
 */
Datum
sfn_jsonata_eval_text_sql(PG_FUNCTION_ARGS)
{
	char	   *expr;
	JsonbValue *in = NULL,
			   *bind = NULL,
			   *res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	expr = text_to_cstring(PG_GETARG_TEXT_PP(0));
	for (int i = 1; i <= 2; i++)
	{
		text	   *t;
		JsonbValue *v;

		if (PG_ARGISNULL(i))
			continue;
		t = PG_GETARG_TEXT_PP(i);
		v = sfn_jv_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (v == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid JSON in argument %d", i + 1)));
		if (i == 1)
			in = v;
		else
			bind = v;
	}
	res = jsonata_run(expr, in, bind, PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3));
	if (res == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(sfn_jv_to_text(res)));
}

/*
 * sfn.jsonata_bench(expression text, input jsonb, seconds float8) returns
 * float8: evaluations per second of one compiled expression over one
 * converted input, as the engine runs them (test/bench/jsonata/).  Each
 * evaluation starts a fresh budget and memory context and builds its result
 * as a JsonbValue.
 */
Datum
sfn_jsonata_bench_sql(PG_FUNCTION_ARGS)
{
	char	   *expr = text_to_cstring(PG_GETARG_TEXT_PP(0));
	JsonbValue *input = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	float8		seconds = PG_GETARG_FLOAT8(2);
	SfnError	err = {0};
	SfnJsonata *c = sfn_jsonata_compile(expr, strlen(expr), &err);
	SfnJsonataValue *in;
	SfnJsonataEnv *env = jsonata_env(NULL);
	MemoryContext iter;
	MemoryContext old;
	TimestampTz start = GetCurrentTimestamp();
	int64		n = 0;
	float8		elapsed = 0;

	if (c == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid JSONata expression: %s", err.cause)));
	if (!(seconds > 0 && seconds <= 60))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seconds must be between 0 and 60")));
	in = sfn_jsonata_value(input);
	iter = AllocSetContextCreate(CurrentMemoryContext, "jsonata bench", ALLOCSET_DEFAULT_SIZES);
	while (elapsed < seconds)
	{
		JsonbValue *res;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(iter);
		sfn_budget_begin();
		if (!sfn_jsonata_eval_value(c, in, env, &res, &err))
			report_jsonata_error(&err);
		MemoryContextSwitchTo(old);
		MemoryContextReset(iter);
		n++;
		elapsed = (GetCurrentTimestamp() - start) / 1000000.0;
	}
	PG_RETURN_FLOAT8(n / elapsed);
}
