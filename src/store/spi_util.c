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
#include "utils/memutils.h"
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

/*
 * Plans of the statements sfn_spi_exec runs, prepared once per backend:
 * parsing and planning cost more than running most of them (a callback's
 * statement was planned on every call).  They are string constants, so
 * the text's address finds the plan; the text is compared too, so that a
 * statement built at run time is still right (it is prepared again).
 */
#define SFN_MAX_CACHED_STATEMENTS 128

typedef struct CachedStatement
{
	const char *sql;			/* the caller's text (address) */
	char	   *text;			/* a copy, to check */
	SPIPlanPtr	plan;
} CachedStatement;

static CachedStatement cached[SFN_MAX_CACHED_STATEMENTS];
static int	n_cached = 0;

static SPIPlanPtr
cached_plan(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	plan;

	for (int i = 0; i < n_cached; i++)
		if (cached[i].sql == sql && strcmp(cached[i].text, sql) == 0)
			return cached[i].plan;
	if (n_cached >= SFN_MAX_CACHED_STATEMENTS)
		return NULL;
	plan = SPI_prepare(sql, nargs, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for: %s", sql);
	SPI_keepplan(plan);
	cached[n_cached].sql = sql;
	cached[n_cached].text = MemoryContextStrdup(TopMemoryContext, sql);
	cached[n_cached].plan = plan;
	n_cached++;
	return plan;
}

uint64
sfn_spi_exec(const char *sql, int nargs, Oid *types, Datum *values,
			 const char *nulls, bool read_only, int expect)
{
	int			rc;
	SPIPlanPtr	plan = cached_plan(sql, nargs, types);

	if (plan)
		rc = SPI_execute_plan(plan, values, nulls, read_only, 0);
	else
		rc = SPI_execute_with_args(sql, nargs, types, values, nulls, read_only, 0);
	if (rc != expect)
		elog(ERROR, "SPI_execute returned %s for: %s",
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
