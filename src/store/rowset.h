/*-------------------------------------------------------------------------
 *
 * rowset.h
 *	  Rows collected column by column for one set-based statement.
 *
 * A batch writes many rows per table with one statement that unnests one
 * array per column.  A table's columns are declared once, as an array of
 * SfnColumn indexed by an enum; the arrays, the parameter types and the
 * statement's ROWS FROM (unnest ...) list all come from that declaration,
 * so adding a column is one line.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_ROWSET_H
#define SFN_ROWSET_H

#include "postgres.h"
#include "executor/spi.h"
#include "utils/array.h"

typedef struct SfnColumn
{
	const char *name;			/* column name in the table */
	Oid			type;			/* element type: INT8OID, TEXTOID, ... */
	const char *cast;			/* SQL type the value is cast to, or NULL */
} SfnColumn;

typedef struct SfnRowSet
{
	const SfnColumn *cols;
	int			ncols;
	ArrayBuildState **arrays;
	int			nrows;
} SfnRowSet;

extern void sfn_rowset_init(SfnRowSet *rs, const SfnColumn *cols, int ncols);

/* Append one row: values[i] / nulls[i] for column i. */
extern void sfn_rowset_add(SfnRowSet *rs, const Datum *values, const bool *nulls);

/* The column arrays, as parameters $1..$n of the statement. */
extern Datum *sfn_rowset_params(SfnRowSet *rs);
extern Oid *sfn_rowset_param_types(const SfnColumn *cols, int ncols);

/*
 * "ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), ...) AS alias(c1, ...)"
 * with the column names as declared.
 */
extern char *sfn_rowset_unnest_sql(const SfnColumn *cols, int ncols, const char *alias);

/* "alias.c1, alias.c2::cast, ..." in declaration order (casts applied). */
extern char *sfn_rowset_select_list(const SfnColumn *cols, int ncols, const char *alias);

/* "c1, c2, ..." */
extern char *sfn_rowset_names(const SfnColumn *cols, int ncols);

/*
 * INSERT INTO table (columns) SELECT the rows; nothing when there are none.
 * *plan is prepared on first use and kept (one static per table).
 */
extern void sfn_rowset_insert(SPIPlanPtr *plan, const char *table, SfnRowSet *rows);

/*
 * The same rows straight into the heap and its indexes (as COPY does),
 * for a table of the extension's own that every column is given for.
 * false, with nothing written, when the table has something an INSERT
 * would apply and this does not (a trigger, a rule, a CHECK constraint, a
 * generated column, a null for a NOT NULL column): the caller then uses
 * sfn_rowset_insert().
 */
extern bool sfn_rowset_insert_direct(const char *schema, const char *table, SfnRowSet *rows);

#endif							/* SFN_ROWSET_H */
