/*-------------------------------------------------------------------------
 *
 * retention.c
 *	  Remove finished executions (and, by cascade, their history) older
 *	  than pg_sfn.retention_period, a bounded batch at a time so that one
 *	  pass never holds locks for long.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "pgstat.h"
#include "utils/snapmgr.h"

#include "support/guc.h"
#include "store/executions.h"
#include "store/retention.h"
#include "store/schema_version.h"
#include "store/spi_util.h"


uint64
sfn_retention_run(void)
{
	uint64		removed = 0;

	if (sfn_retention_minutes <= 0)
		return 0;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "pg_sfn: retention");
	if (sfn_schema_state(NULL) == SFN_SCHEMA_CURRENT)
	{
		removed = sfn_spi_exec("WITH old AS ("
							   "  DELETE FROM sfn.executions WHERE id OPERATOR(pg_catalog.=) ANY ("
							   "    SELECT id FROM sfn.executions"
							   "    WHERE stop_date OPERATOR(pg_catalog.<) (pg_catalog.clock_timestamp()"
							   "      OPERATOR(pg_catalog.-) pg_catalog.make_interval(mins => $1))"
							   "    LIMIT $2)"
							   "  RETURNING id),"
							   " h AS (DELETE FROM sfn.history WHERE execution_id OPERATOR(pg_catalog.=) ANY (SELECT id FROM old)),"
							   " w AS (DELETE FROM sfn.work WHERE execution_id OPERATOR(pg_catalog.=) ANY (SELECT id FROM old)),"
							   SFN_DELETE_EXECUTION_ROWS("SELECT id FROM old") ","
							   /* Distributed Map: the runs of removed parents (their children go by their own dates) */
							   " m AS (DELETE FROM sfn.map_runs WHERE parent_execution_id OPERATOR(pg_catalog.=) ANY (SELECT id FROM old)"
							   "   RETURNING id),"
							   " mi AS (DELETE FROM sfn.map_run_items WHERE map_run_id OPERATOR(pg_catalog.=) ANY (SELECT id FROM m))"
							   " SELECT id FROM old",
							   2, (Oid[]) {INT4OID, INT4OID},
							   (Datum[]) {Int32GetDatum(sfn_retention_minutes), Int32GetDatum(SFN_RETENTION_BATCH)},
							   NULL, false, SPI_OK_SELECT);
		/*
		 * Answers that came after their execution ended (an HTTP response
		 * to a stopped execution): no claim takes them.  Those of running
		 * executions are consumed within moments; an hour is plenty.
		 */
		sfn_spi_exec("DELETE FROM sfn.inbox i"
					 " WHERE i.created_at OPERATOR(pg_catalog.<) (pg_catalog.clock_timestamp()"
					 "   OPERATOR(pg_catalog.-) '1 hour'::pg_catalog.interval)"
					 " AND NOT EXISTS (SELECT 1 FROM sfn.work w"
					 "   WHERE w.execution_id OPERATOR(pg_catalog.=) i.execution_id)",
					 0, NULL, NULL, NULL, false, SPI_OK_DELETE);
		/* Deleted state machines whose last execution is gone. */
		sfn_spi_exec("DELETE FROM sfn.state_machines sm WHERE status OPERATOR(pg_catalog.=) 'DELETING'"
					 " AND NOT EXISTS (SELECT 1 FROM sfn.executions e"
					 "   WHERE e.state_machine_id OPERATOR(pg_catalog.=) sm.id)",
					 0, NULL, NULL, NULL, false, SPI_OK_DELETE);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	return removed;
}
