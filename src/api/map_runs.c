/*-------------------------------------------------------------------------
 *
 * map_runs.c
 *	  sfn_update_map_run: change a running map run's MaxConcurrency and
 *	  tolerated failures (AWS's UpdateMapRun).
 *
 * Describe and list are SQL functions (src/sql/55_map_runs.sql).  The
 * update takes the START privilege on the parent's state machine, as
 * stopping the parent would.  A higher MaxConcurrency starts the children
 * it allows at once; new tolerances apply from the next child that ends.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "api/access.h"
#include "api/api_util.h"
#include "store/spi_util.h"
#include "support/errors.h"
#include "support/names.h"
#include "tasks/map_run.h"
#include "worker/worker.h"

PG_FUNCTION_INFO_V1(sfn_update_map_run);

static void
map_run_not_found(const char *arn)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_RESOURCE_NOT_FOUND),
			 errmsg("ResourceNotFound: map run \"%s\" does not exist", sfn_msg(arn))));
}

static void
validation(const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_VALIDATION),
			 errmsg("ValidationException: %s", msg)));
}

/*
 * sfn_update_map_run(map_run, max_concurrency, tolerated_failure_count,
 *					  tolerated_failure_percentage) -> void
 */
Datum
sfn_update_map_run(PG_FUNCTION_ARGS)
{
	char	   *arn;
	SfnSpiScope scope;
	int64		run_id;
	int64		sm_id;
	char	   *owner;
	char	   *status;
	int64		running,
				pending;
	int32		max_concurrency;
	MemoryContext caller = CurrentMemoryContext;

	sfn_require_arg(fcinfo, 0, "map_run");
	arn = sfn_text_arg(fcinfo, 0);
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
		validation("give at least one of max_concurrency, tolerated_failure_count and tolerated_failure_percentage");
	if (!PG_ARGISNULL(1) && PG_GETARG_INT32(1) < 0)
		validation("max_concurrency must be 0 or more");
	if (!PG_ARGISNULL(2) && PG_GETARG_INT64(2) < 0)
		validation("tolerated_failure_count must be 0 or more");
	if (!PG_ARGISNULL(3) && (PG_GETARG_FLOAT8(3) < 0 || PG_GETARG_FLOAT8(3) > 100 ||
							 isnan(PG_GETARG_FLOAT8(3))))
		validation("tolerated_failure_percentage must be between 0 and 100");

	sfn_spi_begin(&scope);
	/* sfn.map_run_id raises InvalidArn / ResourceNotFound. */
	sfn_spi_exec("SELECT mr.id, e.state_machine_id, sm.owner::pg_catalog.text"
				 " FROM sfn.map_runs mr"
				 " JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) mr.parent_execution_id"
				 " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
				 " WHERE mr.id OPERATOR(pg_catalog.=) sfn.map_run_id($1)",
				 1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(arn)}, NULL, true,
				 SPI_OK_SELECT);
	if (SPI_processed != 1)
		map_run_not_found(arn);
	run_id = sfn_spi_get_int64(0, 1);
	sm_id = sfn_spi_get_int64(0, 2);
	owner = MemoryContextStrdup(caller, sfn_spi_get_text(0, 3));
	sfn_spi_end(&scope);

	/*
	 * As the caller: inside the scope the current user is the extension's
	 * owner, who holds every privilege.
	 */
	sfn_check_access(sm_id, owner, SFN_PRIV_START, "map run", map_run_not_found, arn);
	sfn_spi_begin(&scope);

	/* The run's row lock: the workers' counting waits for it, and it for them. */
	sfn_spi_exec("UPDATE sfn.map_runs SET"
				 "   max_concurrency = COALESCE($2, max_concurrency),"
				 "   tolerated_failure_count = COALESCE($3, tolerated_failure_count),"
				 "   tolerated_failure_percentage = COALESCE($4, tolerated_failure_percentage)"
				 " WHERE id OPERATOR(pg_catalog.=) $1"
				 " RETURNING status, max_concurrency,"
				 "   started OPERATOR(pg_catalog.-) (succeeded OPERATOR(pg_catalog.+) failed"
				 "     OPERATOR(pg_catalog.+) timed_out OPERATOR(pg_catalog.+) aborted),"
				 "   child_count OPERATOR(pg_catalog.-) started",
				 4, (Oid[]) {INT8OID, INT4OID, INT8OID, FLOAT8OID},
				 (Datum[]) {Int64GetDatum(run_id), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2),
					 PG_GETARG_DATUM(3)},
				 (char[]) {' ', PG_ARGISNULL(1) ? 'n' : ' ', PG_ARGISNULL(2) ? 'n' : ' ',
					 PG_ARGISNULL(3) ? 'n' : ' '},
				 false, SPI_OK_UPDATE_RETURNING);
	status = sfn_spi_get_text(0, 1);
	max_concurrency = DatumGetInt32(sfn_spi_get(0, 2, &(bool) {false}));
	running = sfn_spi_get_int64(0, 3);
	pending = sfn_spi_get_int64(0, 4);
	if (strcmp(status, "RUNNING") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: the map run is not running"),
				 errdetail("It ended with status %s.", status)));
	if (max_concurrency <= 0)
		max_concurrency = SFN_MAP_RUN_DEFAULT_CONCURRENCY;
	if (pending > 0 && max_concurrency > running)
	{
		(void) sfn_map_run_start_children(run_id, Min(max_concurrency - running, pending),
										  GetCurrentTimestamp());
		sfn_wake_workers_at_commit();
	}
	sfn_spi_end(&scope);
	PG_RETURN_VOID();
}
