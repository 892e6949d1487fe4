/*-------------------------------------------------------------------------
 *
 * state_machines.c
 *	  Table access for sfn.state_machines and sfn.state_machine_revisions.
 *
 * Uniqueness of ACTIVE names is enforced by a partial unique index, so two
 * sessions creating the same name race safely: one inserts, the other sees
 * the conflict.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "support/errors.h"
#include "support/names.h"
#include "store/schema_version.h"
#include "store/spi_util.h"
#include "store/state_machines.h"

bool
sfn_store_create_state_machine(const char *name, const char *type, const char *role,
							   Jsonb *definition, const char *description,
							   const char *owner, bool *existing_same)
{
	SfnSpiScope scope;
	Oid			types[6] = {TEXTOID, TEXTOID, NAMEOID, JSONBOID, TEXTOID, NAMEOID};
	Datum		values[6];
	char		nulls[6] = "     ";
	bool		created;

	sfn_require_current_schema();
	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(type);
	values[2] = DirectFunctionCall1(namein, CStringGetDatum(role));
	values[3] = JsonbPGetDatum(definition);
	values[4] = description ? CStringGetTextDatum(description) : (Datum) 0;
	values[5] = DirectFunctionCall1(namein, CStringGetDatum(owner));
	if (!description)
		nulls[4] = 'n';

	sfn_spi_begin(&scope);
	sfn_spi_exec("WITH sm AS ("
				 "  INSERT INTO sfn.state_machines (name, type, role, description, owner)"
				 "  VALUES ($1, $2, $3, $5, $6)"
				 "  ON CONFLICT (name) WHERE status OPERATOR(pg_catalog.=) 'ACTIVE' DO NOTHING"
				 "  RETURNING id)"
				 " INSERT INTO sfn.state_machine_revisions (state_machine_id, revision, definition)"
				 " SELECT id, 1, $4 FROM sm",
				 6, types, values, nulls, false, SPI_OK_INSERT);
	created = SPI_processed == 1;
	*existing_same = false;
	if (!created)
	{
		sfn_spi_exec("SELECT 1 FROM sfn.state_machines sm"
					 " JOIN sfn.state_machine_revisions r"
					 "   ON r.state_machine_id OPERATOR(pg_catalog.=) sm.id"
					 "  AND r.revision OPERATOR(pg_catalog.=) sm.revision"
					 " WHERE sm.name OPERATOR(pg_catalog.=) $1 AND sm.status OPERATOR(pg_catalog.=) 'ACTIVE'"
					 "   AND sm.type OPERATOR(pg_catalog.=) $2 AND sm.role OPERATOR(pg_catalog.=) $3"
					 "   AND r.definition OPERATOR(pg_catalog.=) $4 AND sm.owner OPERATOR(pg_catalog.=) $6",
					 6, types, values, nulls, true, SPI_OK_SELECT);
		*existing_same = SPI_processed == 1;
	}
	sfn_spi_end(&scope);
	return created;
}

void
sfn_store_get_state_machine(const char *name, SfnStateMachineRow *row)
{
	SfnSpiScope scope;
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(name)};
	MemoryContext caller = CurrentMemoryContext;

	sfn_require_current_schema();
	sfn_spi_begin(&scope);
	sfn_spi_exec("SELECT id, name, type, role::text, revision, owner::text FROM sfn.state_machines"
				 " WHERE name OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'ACTIVE'",
				 1, types, values, NULL, true, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_STATE_MACHINE_DOES_NOT_EXIST),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", sfn_msg(name))));
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		row->id = sfn_spi_get_int64(0, 1);
		row->name = sfn_spi_get_text(0, 2);
		row->type = sfn_spi_get_text(0, 3);
		row->role = sfn_spi_get_text(0, 4);
		row->revision = (int32) sfn_spi_get_int64(0, 5);
		row->owner = sfn_spi_get_text(0, 6);
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
}

int32
sfn_store_update_state_machine(int64 id, Jsonb *definition, const char *role)
{
	SfnSpiScope scope;
	Oid			types[3] = {INT8OID, JSONBOID, NAMEOID};
	Datum		values[3];
	char		nulls[3] = "   ";
	int32		revision;

	values[0] = Int64GetDatum(id);
	values[1] = definition ? JsonbPGetDatum(definition) : (Datum) 0;
	values[2] = role ? DirectFunctionCall1(namein, CStringGetDatum(role)) : (Datum) 0;
	if (!definition)
		nulls[1] = 'n';
	if (!role)
		nulls[2] = 'n';

	sfn_spi_begin(&scope);
	/* A new revision only when the definition changes, as AWS does. */
	sfn_spi_exec("UPDATE sfn.state_machines sm"
				 " SET revision = sm.revision OPERATOR(pg_catalog.+)"
				 "       (CASE WHEN $2 IS NULL OR $2 OPERATOR(pg_catalog.=) r.definition THEN 0 ELSE 1 END),"
				 "     role = coalesce($3, sm.role), updated_at = pg_catalog.clock_timestamp()"
				 " FROM sfn.state_machine_revisions r"
				 " WHERE sm.id OPERATOR(pg_catalog.=) $1 AND r.state_machine_id OPERATOR(pg_catalog.=) sm.id"
				 "   AND r.revision OPERATOR(pg_catalog.=) sm.revision"
				 " RETURNING sm.revision::int8",
				 3, types, values, nulls, false, SPI_OK_UPDATE_RETURNING);
	revision = (int32) sfn_spi_get_int64(0, 1);
	if (definition)
		sfn_spi_exec("INSERT INTO sfn.state_machine_revisions (state_machine_id, revision, definition)"
					 " SELECT $1, $3::int4, $2 ON CONFLICT DO NOTHING",
					 3, (Oid[]) {INT8OID, JSONBOID, INT4OID},
					 (Datum[]) {values[0], values[1], Int32GetDatum(revision)},
					 NULL, false, SPI_OK_INSERT);
	sfn_spi_end(&scope);
	return revision;
}

/* field4 of pg_sfn's lock tags; the SQL advisory lock functions use 1 and 2. */
#define SFN_LOCK_STATE_MACHINE 0x5346

void
sfn_lock_state_machine(int64 sm_id, bool exclusive)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) (sm_id >> 32), (uint32) sm_id,
						 SFN_LOCK_STATE_MACHINE);
	(void) LockAcquire(&tag, exclusive ? ExclusiveLock : ShareLock, false, false);
}

void
sfn_store_delete_state_machine(int64 id)
{
	SfnSpiScope scope;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};

	/*
	 * Wait for transactions starting executions of it to end, and keep new
	 * ones out until we commit (they then find it DELETING).
	 */
	sfn_lock_state_machine(id, true);

	sfn_spi_begin(&scope);
	sfn_spi_exec("UPDATE sfn.state_machines"
				 " SET status = 'DELETING', updated_at = pg_catalog.clock_timestamp()"
				 " WHERE id OPERATOR(pg_catalog.=) $1",
				 1, types, values, NULL, false, SPI_OK_UPDATE);

	/*
	 * Nothing refers to it: drop it now rather than leave a tombstone.  With
	 * the latest data: executions committed while we waited for the lock
	 * count even under REPEATABLE READ.
	 */
	sfn_spi_exec_latest("DELETE FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) $1"
						" AND NOT EXISTS (SELECT 1 FROM sfn.executions e"
						"   WHERE e.state_machine_id OPERATOR(pg_catalog.=) sm.id)",
						1, types, values, NULL, false, SPI_OK_DELETE);
	sfn_spi_end(&scope);
}

List *
sfn_store_grantees(int64 sm_id, const char *privilege)
{
	SfnSpiScope scope;
	MemoryContext caller = CurrentMemoryContext;
	List	   *result = NIL;

	sfn_spi_begin(&scope);
	sfn_spi_exec("SELECT grantee::text FROM sfn.state_machine_grants"
				 " WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
				 "   AND ($2 OPERATOR(pg_catalog.=) 'READ' OR privilege OPERATOR(pg_catalog.=) $2)",
				 2, (Oid[]) {INT8OID, TEXTOID},
				 (Datum[]) {Int64GetDatum(sm_id), CStringGetTextDatum(privilege)},
				 NULL, true, SPI_OK_SELECT);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);

		result = lappend(result, sfn_spi_get_text(r, 1));
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return result;
}

bool
sfn_store_grant(int64 sm_id, const char *grantee, const char *privilege,
				const char *owner, bool revoke)
{
	SfnSpiScope scope;
	Oid			types[4] = {INT8OID, NAMEOID, TEXTOID, NAMEOID};
	Datum		values[4];
	uint64		n;

	values[0] = Int64GetDatum(sm_id);
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(grantee));
	values[2] = CStringGetTextDatum(privilege);
	values[3] = DirectFunctionCall1(namein, CStringGetDatum(owner));
	sfn_spi_begin(&scope);
	if (revoke)
		n = sfn_spi_exec("DELETE FROM sfn.state_machine_grants"
						 " WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
						 "   AND grantee OPERATOR(pg_catalog.=) $2 AND privilege OPERATOR(pg_catalog.=) $3",
						 3, types, values, NULL, false, SPI_OK_DELETE);
	else
		n = sfn_spi_exec("INSERT INTO sfn.state_machine_grants (state_machine_id, grantee, privilege, owner)"
						 " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
						 4, types, values, NULL, false, SPI_OK_INSERT);
	sfn_spi_end(&scope);
	return n > 0;
}

Jsonb *
sfn_store_get_definition(int64 sm_id, int32 revision, const pg_uuid_t *revision_id)
{
	SfnSpiScope scope;
	Oid			types[3] = {INT8OID, INT4OID, UUIDOID};
	Datum		values[3] = {Int64GetDatum(sm_id), Int32GetDatum(revision),
	UUIDPGetDatum(revision_id)};
	MemoryContext caller = CurrentMemoryContext;
	Jsonb	   *result;
	bool		isnull;

	sfn_spi_begin(&scope);
	sfn_spi_exec("SELECT definition FROM sfn.state_machine_revisions"
				 " WHERE state_machine_id OPERATOR(pg_catalog.=) $1"
				 "   AND revision OPERATOR(pg_catalog.=) $2"
				 "   AND revision_id OPERATOR(pg_catalog.=) $3",
				 3, types, values, NULL, true, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "revision %d of state machine " INT64_FORMAT " not found", revision, sm_id);
	{
		Datum		d = sfn_spi_get(0, 1, &isnull);
		MemoryContext spi = MemoryContextSwitchTo(caller);

		result = DatumGetJsonbPCopy(d);
		MemoryContextSwitchTo(spi);
	}
	sfn_spi_end(&scope);
	return result;
}
