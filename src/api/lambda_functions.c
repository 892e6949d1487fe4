/*-------------------------------------------------------------------------
 *
 * lambda_functions.c
 *	  sfn_map_lambda / sfn_unmap_lambda: Lambda functions run as SQL
 *	  functions or HTTP endpoints (tasks/lambda.c resolves them).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "api/access.h"
#include "api/api_util.h"
#include "store/schema_version.h"
#include "store/spi_util.h"
#include "support/errors.h"
#include "support/names.h"

PG_FUNCTION_INFO_V1(sfn_map_lambda);
PG_FUNCTION_INFO_V1(sfn_unmap_lambda);

/* A mapping reaches every state machine: sfn_admin's decision. */
static void
require_admin(void)
{
	if (!(superuser() || sfn_acts_as("sfn_admin")))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("AccessDeniedException: only members of sfn_admin may map Lambda functions")));
}

Datum
sfn_map_lambda(PG_FUNCTION_ARGS)
{
	char	   *pattern;
	char	   *fn = NULL;
	char	   *url = NULL;
	SfnSpiScope scope;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "lambda_function");
	require_admin();
	pattern = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		fn = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!PG_ARGISNULL(2))
		url = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (pattern[0] == '\0' || strlen(pattern) > 256)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: lambda_function must be 1 to 256 characters")));
	if ((fn == NULL) == (url == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: give exactly one of sql_function and http_endpoint")));
	if (fn && strchr(fn, '.') == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: sql_function must be schema-qualified, but was \"%s\"", sfn_msg(fn))));
	if (url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: http_endpoint must be an http:// or https:// URL, but was \"%s\"", sfn_msg(url))));

	sfn_spi_begin(&scope);
	sfn_spi_exec("INSERT INTO sfn.lambda_functions (pattern, sql_function, http_endpoint, created_by)"
				 " VALUES ($1, $2, $3, pg_catalog.session_user())"
				 " ON CONFLICT (pattern) DO UPDATE SET sql_function = excluded.sql_function,"
				 "   http_endpoint = excluded.http_endpoint,"
				 "   created_by = excluded.created_by, created_at = excluded.created_at",
				 3, (Oid[]) {TEXTOID, TEXTOID, TEXTOID},
				 (Datum[]) {CStringGetTextDatum(pattern), fn ? CStringGetTextDatum(fn) : (Datum) 0,
				 url ? CStringGetTextDatum(url) : (Datum) 0},
				 (const char[]) {' ', fn ? ' ' : 'n', url ? ' ' : 'n'}, false, SPI_OK_INSERT);
	sfn_spi_end(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_unmap_lambda(PG_FUNCTION_ARGS)
{
	SfnSpiScope scope;
	uint64		n;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "lambda_function");
	require_admin();
	sfn_spi_begin(&scope);
	n = sfn_spi_exec("DELETE FROM sfn.lambda_functions WHERE pattern OPERATOR(pg_catalog.=) $1",
					 1, (Oid[]) {TEXTOID}, (Datum[]) {PointerGetDatum(PG_GETARG_TEXT_PP(0))},
					 NULL, false, SPI_OK_DELETE);
	sfn_spi_end(&scope);
	PG_RETURN_BOOL(n > 0);
}
