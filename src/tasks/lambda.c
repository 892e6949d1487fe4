/*-------------------------------------------------------------------------
 *
 * lambda.c
 *	  Lambda resources run as the SQL functions they are mapped to
 *	  (sfn.lambda_functions, sfn_map_lambda).
 *
 * arn:aws:states:::lambda:invoke names the function in
 * Parameters.FunctionName (a name, a full or partial ARN, with or without
 * a version or alias) and passes Parameters.Payload; its result is
 * {ExecutedVersion, Payload, StatusCode}, as from a SQL task.  A bare
 * function ARN as the Resource passes the whole effective input and its
 * result is the function's value itself, as AWS's older Lambda
 * integration does.  An unmapped function fails as AWS fails a missing one:
 * Lambda.ResourceNotFoundException.
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

/* The SQL function mapped to a Lambda function, or NULL. */
static char *
mapped_function(const char *given)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	char	   *fn = NULL;

	/* Its own SPI scope: TestState calls this outside any. */
	sfn_spi_begin(&scope);
	/* Exact patterns first, then the longest matching prefix pattern. */
	if (sfn_spi_exec("SELECT sql_function FROM sfn.lambda_functions"
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

		fn = pstrdup(sfn_spi_get_text(0, 1));
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return fn;
}

bool
sfn_lambda_invoke(JsonbValue *parameters, const char *resource, bool bare, Oid role,
				  const char *state_name, int64 timeout_seconds, JsonbValue **output,
				  char **error, char **cause)
{
	const char *given = resource;
	JsonbValue *payload = parameters;
	JsonbValue *call;
	char	   *fn;

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
		payload = sfn_jv_object_cget(parameters, "Payload");
	}
	fn = mapped_function(given);
	if (fn == NULL)
	{
		*error = pstrdup("Lambda.ResourceNotFoundException");
		*cause = psprintf("Function not found: %s (no SQL function is mapped to it; see sfn_map_lambda)",
						  given);
		return false;
	}
	call = sfn_jv_object();
	sfn_jv_object_put(call, "FunctionName", 12, sfn_jv_cstring(fn));
	if (payload)
		sfn_jv_object_put(call, "Payload", 7, payload);
	if (!sfn_sql_invoke(call, role, state_name, timeout_seconds, output, error, cause))
		return false;
	if (bare)
		*output = sfn_jv_object_cget(*output, "Payload");
	return true;
}
