/*-------------------------------------------------------------------------
 *
 * lambda.c
 *	  Lambda resources run as the SQL functions, or call the HTTP
 *	  endpoints, they are mapped to (sfn.lambda_functions, sfn_map_lambda).
 *
 * arn:aws:states:::lambda:invoke names the function in
 * Parameters.FunctionName (a name, a full or partial ARN, with or without
 * a version or alias) and passes Parameters.Payload; its result is
 * {ExecutedVersion, Payload, StatusCode}, as from a SQL task.  A bare
 * function ARN as the Resource passes the whole effective input and its
 * result is the function's value itself, as AWS's older Lambda
 * integration does.  An unmapped function fails as AWS fails a missing one:
 * Lambda.ResourceNotFoundException.  An HTTP target gets the payload as a
 * JSON POST (through the HTTP dispatcher); its response body is the
 * Payload, and an error response whose body is Lambda's error shape
 * ({"errorType", "errorMessage"}) fails the task with that error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "store/spi_util.h"
#include "tasks/tasks.h"

/* The ways a function may be named: as given, and its bare name. */
static Datum
candidates(const char *given)
{
	const char *p = strstr(given, ":function:");
	Datum		c[3];
	int			n = 0;

	c[n++] = CStringGetTextDatum(given);
	if (p != NULL)
	{
		char	   *name = pstrdup(p + strlen(":function:"));
		char	   *colon = strchr(name, ':');

		c[n++] = CStringGetTextDatum(name);
		if (colon)
		{
			*colon = '\0';		/* without version or alias */
			c[n++] = CStringGetTextDatum(name);
		}
	}
	return PointerGetDatum(construct_array(c, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The target mapped to a Lambda function; false if there is none. */
static bool
mapped_target(const char *given, char **sql_function, char **http_endpoint)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	bool		found = false;

	/* Its own SPI scope: TestState calls this outside any. */
	sfn_spi_begin(&scope);
	/* Exact patterns first, then the longest matching prefix pattern. */
	if (sfn_spi_exec("SELECT sql_function, http_endpoint FROM sfn.lambda_functions"
					 " WHERE pattern OPERATOR(pg_catalog.=) ANY ($1)"
					 "    OR (pg_catalog.right(pattern, 1) OPERATOR(pg_catalog.=) '*'"
					 "        AND EXISTS (SELECT 1 FROM pg_catalog.unnest($1) c"
					 "          WHERE pg_catalog.starts_with(c, pg_catalog.left(pattern, -1))))"
					 " ORDER BY pg_catalog.right(pattern, 1) OPERATOR(pg_catalog.=) '*',"
					 "   pg_catalog.length(pattern) DESC LIMIT 1",
					 1, (Oid[]) {TEXTARRAYOID}, (Datum[]) {candidates(given)},
					 NULL, false, SPI_OK_SELECT) == 1)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);
		char	   *f = sfn_spi_get_text(0, 1);
		char	   *u = sfn_spi_get_text(0, 2);

		*sql_function = f ? pstrdup(f) : NULL;
		*http_endpoint = u ? pstrdup(u) : NULL;
		MemoryContextSwitchTo(spi);
		found = true;
	}
	sfn_spi_end(&scope);
	return found;
}

bool
sfn_lambda_resolve(JsonbValue *parameters, const char *resource, bool bare,
				   SfnLambdaTarget *t, char **error, char **cause)
{
	const char *given = resource;

	memset(t, 0, sizeof(SfnLambdaTarget));
	t->payload = parameters;
	if (!bare)
	{
		JsonbValue *name = parameters && sfn_jv_is_object(parameters) ?
			sfn_jv_object_cget(parameters, "FunctionName") : NULL;

		if (name == NULL || !sfn_jv_is_string(name))
		{
			*error = pstrdup("States.Runtime");
			*cause = pstrdup("The parameters of lambda:invoke must have a string FunctionName");
			return false;
		}
		given = sfn_jv_cstr(name);
		t->payload = sfn_jv_object_cget(parameters, "Payload");
	}
	if (!mapped_target(given, &t->sql_function, &t->http_endpoint))
	{
		*error = pstrdup("Lambda.ResourceNotFoundException");
		*cause = psprintf("Function not found: %s (nothing is mapped to it; see sfn_map_lambda)",
						  given);
		return false;
	}
	return true;
}

bool
sfn_lambda_invoke(const SfnLambdaTarget *t, bool bare, Oid role, const char *state_name,
				  int64 timeout_seconds, JsonbValue **output, char **error, char **cause)
{
	JsonbValue *call = sfn_jv_object();

	sfn_jv_object_put(call, "FunctionName", 12, sfn_jv_cstring(t->sql_function));
	if (t->payload)
		sfn_jv_object_put(call, "Payload", 7, t->payload);
	if (!sfn_sql_invoke(call, role, state_name, timeout_seconds, output, error, cause))
		return false;
	if (bare)
		*output = sfn_jv_object_cget(*output, "Payload");
	return true;
}

JsonbValue *
sfn_lambda_http_parameters(const SfnLambdaTarget *t)
{
	JsonbValue *p = sfn_jv_object();

	sfn_jv_object_put(p, "ApiEndpoint", 11, sfn_jv_cstring(t->http_endpoint));
	sfn_jv_object_put(p, "Method", 6, sfn_jv_cstring("POST"));
	sfn_jv_object_put(p, "RequestBody", 11, t->payload ? t->payload : sfn_jv_null());
	return p;
}

void
sfn_lambda_shape_answer(bool bare, SfnWake *wake)
{
	JsonbValue *out = wake->output;

	if (wake->kind == SFN_WAKE_TASK_SUCCEEDED && out && sfn_jv_is_object(out))
	{
		JsonbValue *body = sfn_jv_object_cget(out, "ResponseBody");
		JsonbValue *shaped;

		if (bare)
			wake->output = body ? body : sfn_jv_null();
		else
		{
			shaped = sfn_jv_object();
			sfn_jv_object_put(shaped, "ExecutedVersion", 15, sfn_jv_cstring("$LATEST"));
			sfn_jv_object_put(shaped, "Payload", 7, body ? body : sfn_jv_null());
			sfn_jv_object_put(shaped, "StatusCode", 10, sfn_jv_int(200));
			wake->output = shaped;
		}
	}
	else if (wake->kind == SFN_WAKE_TASK_FAILED && wake->cause &&
			 wake->error && strncmp(wake->error, "States.Http.StatusCode.", 23) == 0)
	{
		/*
		 * A function error as Lambda's runtimes report it, in a JSON body
		 * {"errorType": ..., "errorMessage": ...}, names the error.
		 */
		JsonbValue *resp = sfn_jv_parse(wake->cause, strlen(wake->cause));
		JsonbValue *body = resp && sfn_jv_is_object(resp) ?
			sfn_jv_object_cget(resp, "ResponseBody") : NULL;
		JsonbValue *type = body && sfn_jv_is_object(body) ?
			sfn_jv_object_cget(body, "errorType") : NULL;
		JsonbValue *msg = body && sfn_jv_is_object(body) ?
			sfn_jv_object_cget(body, "errorMessage") : NULL;

		if (type && sfn_jv_is_string(type))
		{
			wake->error = sfn_jv_cstr(type);
			wake->cause = msg && sfn_jv_is_string(msg) ? sfn_jv_cstr(msg) : NULL;
		}
	}
}
