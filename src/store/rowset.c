/*-------------------------------------------------------------------------
 *
 * rowset.c
 *	  Rows collected column by column for one set-based statement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "store/rowset.h"

/* The SQL name of an element type we use in rows. */
static const char *
type_sql(Oid type)
{
	switch (type)
	{
		case INT8OID:
			return "pg_catalog.int8";
		case INT4OID:
			return "pg_catalog.int4";
		case TEXTOID:
			return "pg_catalog.text";
		case JSONBOID:
			return "pg_catalog.jsonb";
		case TIMESTAMPTZOID:
			return "pg_catalog.timestamptz";
		case BYTEAOID:
			return "pg_catalog.bytea";
		case BOOLOID:
			return "pg_catalog.bool";
	}
	elog(ERROR, "rowset: unsupported column type %u", type);
	return NULL;
}

void
sfn_rowset_init(SfnRowSet *rs, const SfnColumn *cols, int ncols)
{
	rs->cols = cols;
	rs->ncols = ncols;
	rs->nrows = 0;
	rs->arrays = palloc(sizeof(ArrayBuildState *) * ncols);
	for (int i = 0; i < ncols; i++)
		rs->arrays[i] = initArrayResult(cols[i].type, CurrentMemoryContext, false);
}

void
sfn_rowset_add(SfnRowSet *rs, const Datum *values, const bool *nulls)
{
	for (int i = 0; i < rs->ncols; i++)
		accumArrayResult(rs->arrays[i], nulls[i] ? (Datum) 0 : values[i], nulls[i],
						 rs->cols[i].type, CurrentMemoryContext);
	rs->nrows++;
}

Datum *
sfn_rowset_params(SfnRowSet *rs)
{
	Datum	   *p = palloc(sizeof(Datum) * rs->ncols);

	for (int i = 0; i < rs->ncols; i++)
		p[i] = makeArrayResult(rs->arrays[i], CurrentMemoryContext);
	return p;
}

Oid *
sfn_rowset_param_types(const SfnColumn *cols, int ncols)
{
	Oid		   *t = palloc(sizeof(Oid) * ncols);

	for (int i = 0; i < ncols; i++)
		t[i] = get_array_type(cols[i].type);
	return t;
}

char *
sfn_rowset_unnest_sql(const SfnColumn *cols, int ncols, const char *alias)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "ROWS FROM (");
	for (int i = 0; i < ncols; i++)
		appendStringInfo(&s, "%spg_catalog.unnest($%d::%s[])", i ? ", " : "", i + 1,
						 type_sql(cols[i].type));
	appendStringInfo(&s, ") AS %s(%s)", alias, sfn_rowset_names(cols, ncols));
	return s.data;
}

char *
sfn_rowset_select_list(const SfnColumn *cols, int ncols, const char *alias)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < ncols; i++)
	{
		appendStringInfo(&s, "%s%s.%s", i ? ", " : "", alias, cols[i].name);
		if (cols[i].cast)
			appendStringInfo(&s, "::%s", cols[i].cast);
	}
	return s.data;
}

char *
sfn_rowset_names(const SfnColumn *cols, int ncols)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < ncols; i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", cols[i].name);
	return s.data;
}

void
sfn_rowset_insert(SPIPlanPtr *plan, const char *table, SfnRowSet *rows)
{
	if (rows->nrows == 0)
		return;
	if (*plan == NULL)
	{
		char	   *sql = psprintf("INSERT INTO %s (%s) SELECT * FROM %s", table,
								   sfn_rowset_names(rows->cols, rows->ncols),
								   sfn_rowset_unnest_sql(rows->cols, rows->ncols, "u"));

		*plan = SPI_prepare(sql, rows->ncols, sfn_rowset_param_types(rows->cols, rows->ncols));
		if (*plan == NULL)
			elog(ERROR, "SPI_prepare failed for: %s", sql);
		SPI_keepplan(*plan);
	}
	if (SPI_execute_plan(*plan, sfn_rowset_params(rows), NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into %s", table);
}

/* Rows handed to table_multi_insert() at once. */
#define SFN_ROWSET_MULTI_INSERT 1000

/* Can rows go into rel directly?  attno[i]: column i's attribute number. */
static bool
direct_insert_ok(Relation rel, SfnRowSet *rows, AttrNumber *attno)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			live = 0;

	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->trigdesc != NULL ||
		rel->rd_rules != NULL ||
		(desc->constr && (desc->constr->num_check > 0 || desc->constr->has_generated_stored)))
		return false;
	for (int a = 0; a < desc->natts; a++)
		if (!TupleDescAttr(desc, a)->attisdropped)
			live++;
	if (live != rows->ncols)
		return false;
	for (int i = 0; i < rows->ncols; i++)
	{
		Form_pg_attribute att;

		attno[i] = attnameAttNum(rel, rows->cols[i].name, true);
		if (attno[i] <= 0)
			return false;
		att = TupleDescAttr(desc, attno[i] - 1);
		if (att->atttypid != rows->cols[i].type)
			return false;
		if (att->attnotnull)
			for (int r = 0; r < rows->nrows; r++)
				if (rows->arrays[i]->dnulls[r])
					return false;
	}
	return true;
}

/*
 * The SQL path costs as much again as the heap and index inserts
 * themselves for a batch's history: arrays built, unnested into a
 * tuplestore, a tuple formed per row.  Here the column values go to
 * slots as they are, the heap takes them a page at a time (one WAL record
 * per page), and each index gets its entries as an INSERT would give
 * them, unique checks included.  The worker is superuser: an INSERT
 * would not check privileges or row security either.
 */
bool
sfn_rowset_insert_direct(const char *schema, const char *table, SfnRowSet *rows)
{
	Oid			relid;
	Relation	rel;
	TupleDesc	desc;
	AttrNumber *attno;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot **slots;
	CommandId	cid;
	int			nslots;

	if (rows->nrows == 0)
		return true;
	relid = get_relname_relid(table, get_namespace_oid(schema, false));
	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, RowExclusiveLock);
	desc = RelationGetDescr(rel);
	attno = palloc(sizeof(AttrNumber) * rows->ncols);
	if (!direct_insert_ok(rel, rows, attno))
	{
		table_close(rel, NoLock);
		return false;
	}

	estate = CreateExecutorState();
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 1, NULL, 0);
	ExecOpenIndices(rri, false);
	cid = GetCurrentCommandId(true);
	nslots = Min(rows->nrows, SFN_ROWSET_MULTI_INSERT);
	slots = palloc(sizeof(TupleTableSlot *) * nslots);
	for (int s = 0; s < nslots; s++)
		slots[s] = table_slot_create(rel, NULL);

	for (int first = 0; first < rows->nrows; first += nslots)
	{
		int			n = Min(nslots, rows->nrows - first);

		CHECK_FOR_INTERRUPTS();
		for (int s = 0; s < n; s++)
		{
			TupleTableSlot *slot = slots[s];

			ExecClearTuple(slot);
			/* dropped columns stay null */
			memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
			for (int i = 0; i < rows->ncols; i++)
			{
				ArrayBuildState *a = rows->arrays[i];

				slot->tts_values[attno[i] - 1] = a->dvalues[first + s];
				slot->tts_isnull[attno[i] - 1] = a->dnulls[first + s];
			}
			ExecStoreVirtualTuple(slot);
		}
		/* no BulkInsertState: its ring would evict the pages INSERT keeps */
		table_multi_insert(rel, slots, n, cid, 0, NULL);
		for (int s = 0; s < n; s++)
		{
			List	   *recheck;

			ResetPerTupleExprContext(estate);
			recheck = ExecInsertIndexTuples(rri, slots[s], estate, false, false, NULL, NIL);
			list_free(recheck);
		}
	}

	for (int s = 0; s < nslots; s++)
		ExecDropSingleTupleTableSlot(slots[s]);
	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
	return true;
}
