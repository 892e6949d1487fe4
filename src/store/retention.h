/*-------------------------------------------------------------------------
 *
 * retention.h
 *	  Removal of finished executions older than pg_sfn.retention_period.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_RETENTION_H
#define SFN_RETENTION_H

#include "postgres.h"

#define SFN_RETENTION_BATCH 5000

/* One bounded cleanup pass in its own transaction; returns rows removed. */
extern uint64 sfn_retention_run(void);

#endif							/* SFN_RETENTION_H */
