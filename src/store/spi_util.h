/*-------------------------------------------------------------------------
 *
 * spi_util.h
 *	  Small wrappers for parameterised SPI calls used by the store layer.
 *
 * Callers are inside SPI_connect()/SPI_finish().  Values are never
 * formatted into SQL text: everything goes through $n parameters.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_SPI_UTIL_H
#define SFN_SPI_UTIL_H

#include "postgres.h"
#include "executor/spi.h"

/*
 * The store layer's statements run as the extension's owner (the role that
 * owns the sfn tables), with search_path pinned to pg_catalog, pg_temp:
 * callers are ordinary roles with no table privileges of their own, and the
 * API checks what they may do before it calls down (docs/ARCHITECTURE.md,
 * "Privileges").  sfn_spi_begin connects SPI and switches; sfn_spi_end
 * finishes SPI and switches back (an ERROR in between is undone by the
 * transaction's abort).
 */
typedef struct SfnSpiScope
{
	Oid			save_userid;
	int			save_sec_context;
	int			guc_level;
} SfnSpiScope;

extern void sfn_spi_begin(SfnSpiScope *scope);
extern void sfn_spi_end(SfnSpiScope *scope);

/*
 * Run sql with nargs parameters of the given types; elog(ERROR) if SPI
 * reports anything but the expected result code.  Returns SPI_processed.
 * sql should be a string constant: its plan is prepared once per backend
 * and found again by the text's address.
 */
extern uint64 sfn_spi_exec(const char *sql, int nargs, Oid *types, Datum *values,
						   const char *nulls, bool read_only, int expect);

/*
 * The same with the latest committed data instead of the transaction's
 * snapshot (which under REPEATABLE READ predates rows committed while we
 * waited for a lock).
 */
extern uint64 sfn_spi_exec_latest(const char *sql, int nargs, Oid *types, Datum *values,
								  const char *nulls, bool read_only, int expect);

/* Column n (1-based) of row r of SPI_tuptable. */
extern Datum sfn_spi_get(uint64 r, int n, bool *isnull);
extern int64 sfn_spi_get_int64(uint64 r, int n);
extern char *sfn_spi_get_text(uint64 r, int n);	/* NULL if SQL NULL */

#endif							/* SFN_SPI_UTIL_H */
