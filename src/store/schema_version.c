/*-------------------------------------------------------------------------
 *
 * schema_version.c
 *	  Compare the installed extension version with this library's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "access/xact.h"
#include "catalog/pg_extension.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "store/schema_version.h"

/*
 * One catalog look-up per statement: the start path asks several times
 * (version check, owner switches), and pg_extension only changes by
 * commands that end the statement.
 */
typedef struct SchemaCache
{
	LocalTransactionId lxid;
	CommandId	cid;
	SfnSchemaState state;
	char		version[64];
	Oid			owner;
} SchemaCache;

static SchemaCache cache = {InvalidLocalTransactionId};

static void
lookup(void)
{
	LocalTransactionId lxid = MyProc->lxid;
	CommandId	cid = GetCurrentCommandId(false);
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	if (cache.lxid == lxid && cache.cid == cid && lxid != InvalidLocalTransactionId)
		return;
	cache.state = SFN_SCHEMA_ABSENT;
	cache.version[0] = '\0';
	cache.owner = InvalidOid;
	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("pg_sfn"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, Anum_pg_extension_extversion,
									 RelationGetDescr(rel), &isnull);

		if (!isnull)
			text_to_cstring_buffer(DatumGetTextPP(d), cache.version, sizeof(cache.version));
		cache.owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
		cache.state = strcmp(cache.version, SFN_VERSION) == 0 ? SFN_SCHEMA_CURRENT : SFN_SCHEMA_OTHER;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	cache.lxid = lxid;
	cache.cid = cid;
}

SfnSchemaState
sfn_schema_state(char **installed)
{
	lookup();
	if (installed)
		*installed = cache.state == SFN_SCHEMA_ABSENT ? NULL : pstrdup(cache.version);
	return cache.state;
}

void
sfn_require_current_schema(void)
{
	char	   *installed;

	if (sfn_schema_state(&installed) != SFN_SCHEMA_OTHER)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("pg_sfn's library is version %s but the extension in this database is version %s",
					SFN_VERSION, installed),
			 errhint("Run ALTER EXTENSION pg_sfn UPDATE.")));
}

Oid
sfn_extension_owner(void)
{
	lookup();
	if (!OidIsValid(cache.owner))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"pg_sfn\" is not installed in this database")));
	return cache.owner;
}
