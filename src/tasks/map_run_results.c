/*-------------------------------------------------------------------------
 *
 * map_run_results.c
 *	  A Distributed Map's ResultWriter: one row per child into a table, the
 *	  database's analogue of AWS's SUCCEEDED / FAILED / PENDING result files
 *	  and their manifest.
 *
 *	 "ResultWriter": {"Resource": "arn:aws:states:::sql:insert",
 *					  "Parameters": {"Table": "schema.table"}}
 *
 * When the map run ends, every child (succeeded, failed, timed out,
 * aborted, or PENDING: never started) becomes a row of the table, written
 * as the state machine's role with one INSERT, in a subtransaction: a
 * table the role cannot write, or a temporary table, fails the Map state
 * with States.ResultWriterFailed.  The table needs these columns (others must
 * have defaults):
 *
 *	 map_run_arn text, execution_arn text, child_index integer, status text,
 *	 input jsonb, output jsonb, error text, cause text,
 *	 start_date timestamptz, stop_date timestamptz
 *
 * The Map state's result is then {"MapRunArn": ..., "ResultWriterDetails":
 * {"Table": ..., "RowsWritten": n}}, not the children's outputs.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/resowner.h"

#include "store/spi_util.h"
#include "tasks/map_run.h"

#define WRITER_FAILED "States.ResultWriterFailed"

/* "schema"."table" from Table, or NULL when it is not a (qualified) name. */
static char *
quoted_table(const char *name)
{
	List	   *names = NIL;
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		names = stringToQualifiedNameList(name);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		names = NIL;
	}
	PG_END_TRY();
	if (list_length(names) == 1)
		return pstrdup(quote_identifier(strVal(linitial(names))));
	if (list_length(names) == 2)
		return psprintf("%s.%s", quote_identifier(strVal(linitial(names))),
						quote_identifier(strVal(lsecond(names))));
	return NULL;
}

static bool
writer_error(char **error, char **cause, const char *msg)
{
	*error = pstrdup(WRITER_FAILED);
	*cause = pstrdup(msg);
	return false;
}

/*
 * Write the run's rows into the ResultWriter's table; *output is the Map
 * state's result.  The rows are read as the extension's owner, inserted as
 * the state machine's role.
 */
bool
sfn_map_run_write_results(int64 run_id, JsonbValue *writer, JsonbValue **output,
						  char **error, char **cause)
{
	JsonbValue *params = sfn_jv_is_object(writer) ? sfn_jv_object_cget(writer, "Parameters") : NULL;
	JsonbValue *resource = sfn_jv_is_object(writer) ? sfn_jv_object_cget(writer, "Resource") : NULL;
	JsonbValue *table_v = params && sfn_jv_is_object(params) ? sfn_jv_object_cget(params, "Table") : NULL;
	char	   *volatile table;
	char	   *run_arn;
	char	   *role_name;
	Oid			role;
	Datum		rows;
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	Oid			save_userid;
	int			save_sec;
	volatile bool ok = true;
	volatile uint64 written = 0;

	if (resource == NULL || !sfn_jv_is_string(resource) ||
		strcmp(sfn_jv_cstr(resource), "arn:aws:states:::sql:insert") != 0)
		return writer_error(error, cause, "pg_sfn writes results only with the resource arn:aws:states:::sql:insert");
	if (table_v == NULL || !sfn_jv_is_string(table_v) ||
		(table = quoted_table(sfn_jv_cstr(table_v))) == NULL)
		return writer_error(error, cause, "The ResultWriter's Parameters must name a table: {\"Table\": \"schema.table\"}");

	/* Every child and pending item as one jsonb array, read as the owner. */
	sfn_spi_exec("SELECT sfn.map_run_arn(mr, sm.name), sm.role::pg_catalog.text,"
				 "  (SELECT COALESCE(pg_catalog.jsonb_agg(r), '[]'::pg_catalog.jsonb) FROM ("
				 "     SELECT sfn.execution_arn(sm.name, c.name) AS execution_arn,"
				 "       pg_catalog.split_part(c.name, ':', 2)::pg_catalog.int4 AS child_index,"
				 "       c.status, c.input, c.output, c.error, c.cause, c.start_date, c.stop_date"
				 "     FROM sfn.executions c WHERE c.map_run_id OPERATOR(pg_catalog.=) mr.id"
				 "     UNION ALL"
				 "     SELECT NULL, i.child_index, 'PENDING', i.input, NULL, NULL, NULL, NULL, NULL"
				 "     FROM sfn.map_run_items i WHERE i.map_run_id OPERATOR(pg_catalog.=) mr.id"
				 "     ORDER BY 2) r)"
				 " FROM sfn.map_runs mr"
				 " JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) mr.parent_execution_id"
				 " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id"
				 " WHERE mr.id OPERATOR(pg_catalog.=) $1",
				 1, (Oid[]) {INT8OID}, (Datum[]) {Int64GetDatum(run_id)}, NULL, false,
				 SPI_OK_SELECT);
	if (SPI_processed != 1)
		return writer_error(error, cause, "The map run is gone");
	run_arn = sfn_spi_get_text(0, 1);
	role_name = sfn_spi_get_text(0, 2);
	rows = sfn_spi_get(0, 3, &(bool) {false});
	rows = PointerGetDatum(DatumGetJsonbPCopy(rows));
	role = get_role_oid(role_name, true);
	if (!OidIsValid(role))
		return writer_error(error, cause, "The state machine's role does not exist");

	GetUserIdAndSecContext(&save_userid, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		Oid			relid;
		Oid			nsp;

		/*
		 * Restricted: the role's triggers and defaults may not leave
		 * session state (temporary tables, settings) in the worker.
		 */
		SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);

		/*
		 * The table, looked up as the role.  Not a temporary one: the
		 * worker's temporary schema is shared by every role's SQL tasks, so
		 * a table planted there by another user could receive the rows.
		 */
		relid = RangeVarGetRelid(makeRangeVarFromNameList(stringToQualifiedNameList(sfn_jv_cstr(table_v))),
								 RowExclusiveLock, false);
		nsp = get_rel_namespace(relid);
		if (isAnyTempNamespace(nsp))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("a ResultWriter may not write a temporary table")));
		table = psprintf("%s.%s", quote_identifier(get_namespace_name(nsp)),
						 quote_identifier(get_rel_name(relid)));
		/* Not sfn_spi_exec: that caches plans by the text's address. */
		if (SPI_execute_with_args(psprintf("INSERT INTO %s (map_run_arn, execution_arn, child_index, status,"
										   "   input, output, error, cause, start_date, stop_date)"
										   " SELECT $1, r.execution_arn, r.child_index, r.status, r.input,"
										   "   r.output, r.error, r.cause, r.start_date, r.stop_date"
										   " FROM pg_catalog.jsonb_to_recordset($2) AS r(execution_arn pg_catalog.text,"
										   "   child_index pg_catalog.int4, status pg_catalog.text,"
										   "   input pg_catalog.jsonb, output pg_catalog.jsonb, error pg_catalog.text,"
										   "   cause pg_catalog.text, start_date pg_catalog.timestamptz,"
										   "   stop_date pg_catalog.timestamptz)",
										   table),
								  2, (Oid[]) {TEXTOID, JSONBOID},
								  (Datum[]) {CStringGetTextDatum(run_arn), rows}, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "the insert into %s failed", table);
		written = SPI_processed;
		SetUserIdAndSecContext(save_userid, save_sec);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		if (edata->elevel > ERROR || edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
			edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN)
			ReThrowError(edata);
		ok = writer_error(error, cause,
						  psprintf("The ResultWriter could not write table %s: %s", table,
								   edata->message ? edata->message : ""));
		FreeErrorData(edata);
	}
	PG_END_TRY();
	if (!ok)
		return false;

	sfn_spi_exec("UPDATE sfn.map_runs SET results_written = $2 WHERE id OPERATOR(pg_catalog.=) $1",
				 2, (Oid[]) {INT8OID, INT8OID},
				 (Datum[]) {Int64GetDatum(run_id), Int64GetDatum((int64) written)},
				 NULL, false, SPI_OK_UPDATE);
	{
		JsonbValue *details = sfn_jv_object();

		*output = sfn_jv_object();
		sfn_jv_object_put(details, "Table", 5, table_v);
		sfn_jv_object_put(details, "RowsWritten", 11, sfn_jv_int((int64) written));
		sfn_jv_object_put(*output, "MapRunArn", 9, sfn_jv_cstring(run_arn));
		sfn_jv_object_put(*output, "ResultWriterDetails", 19, details);
	}
	return true;
}
