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
 * Run sql with nargs parameters of the given types; elog(ERROR) if SPI
 * reports anything but the expected result code.  Returns SPI_processed.
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
