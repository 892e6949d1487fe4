/*-------------------------------------------------------------------------
 *
 * spi_util.c
 *	  Parameterised SPI helpers for the store layer.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

#include "store/schema_version.h"
#include "store/spi_util.h"

/* The search_path every statement of pg_sfn runs with. */
#define SFN_PINNED_SEARCH_PATH "pg_catalog, pg_temp"

void
sfn_spi_begin(SfnSpiScope *scope)
{
	Oid			owner = sfn_extension_owner();

	GetUserIdAndSecContext(&scope->save_userid, &scope->save_sec_context);
	SetUserIdAndSecContext(owner, scope->save_sec_context |
						   SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	scope->guc_level = NewGUCNestLevel();
	/* Every SQL entry point pins it already (SET search_path): keep that. */
	if (namespace_search_path == NULL ||
		strcmp(namespace_search_path, SFN_PINNED_SEARCH_PATH) != 0)
		(void) set_config_option("search_path", SFN_PINNED_SEARCH_PATH,
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	SPI_connect();
}

void
sfn_spi_end(SfnSpiScope *scope)
{
	SPI_finish();
	AtEOXact_GUC(true, scope->guc_level);
	SetUserIdAndSecContext(scope->save_userid, scope->save_sec_context);
}

uint64
sfn_spi_exec(const char *sql, int nargs, Oid *types, Datum *values,
			 const char *nulls, bool read_only, int expect)
{
	int			rc;

	rc = SPI_execute_with_args(sql, nargs, types, values, nulls, read_only, 0);
	if (rc != expect)
		elog(ERROR, "SPI_execute_with_args returned %s for: %s",
			 SPI_result_code_string(rc), sql);
	return SPI_processed;
}

uint64
sfn_spi_exec_latest(const char *sql, int nargs, Oid *types, Datum *values,
					const char *nulls, bool read_only, int expect)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);
	int			rc;

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for: %s", sql);
	rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot,
							  read_only, true, 0);
	if (rc != expect)
		elog(ERROR, "SPI_execute_snapshot returned %s for: %s",
			 SPI_result_code_string(rc), sql);
	SPI_freeplan(plan);
	return SPI_processed;
}

Datum
sfn_spi_get(uint64 r, int n, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, n, isnull);
}

int64
sfn_spi_get_int64(uint64 r, int n)
{
	bool		isnull;
	Datum		d = sfn_spi_get(r, n, &isnull);

	if (isnull)
		elog(ERROR, "unexpected NULL in column %d", n);
	return DatumGetInt64(d);
}

char *
sfn_spi_get_text(uint64 r, int n)
{
	bool		isnull;
	Datum		d = sfn_spi_get(r, n, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}
