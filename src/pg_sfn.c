/*-------------------------------------------------------------------------
 *
 * pg_sfn.c
 *	  Entry point: AWS Step Functions workflows inside PostgreSQL.
 *
 * _PG_init defines the GUCs and, when loaded through
 * shared_preload_libraries, registers the background workers and their
 * shared memory.  Each module has one init function.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "support/guc.h"
#include "worker/worker.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	sfn_guc_init();
	if (process_shared_preload_libraries_in_progress)
		sfn_worker_init();
}
