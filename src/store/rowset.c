/*-------------------------------------------------------------------------
 *
 * rowset.c
 *	  Rows collected column by column for one set-based statement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/lsyscache.h"

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
