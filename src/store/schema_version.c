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
#include "catalog/pg_extension.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "store/schema_version.h"

SfnSchemaState
sfn_schema_state(char **installed)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	SfnSchemaState state = SFN_SCHEMA_ABSENT;

	if (installed)
		*installed = NULL;
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
		char	   *version = isnull ? pstrdup("") : TextDatumGetCString(d);

		state = strcmp(version, SFN_VERSION) == 0 ? SFN_SCHEMA_CURRENT : SFN_SCHEMA_OTHER;
		if (installed)
			*installed = version;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return state;
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
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			owner = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("pg_sfn"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(owner))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"pg_sfn\" is not installed in this database")));
	return owner;
}
