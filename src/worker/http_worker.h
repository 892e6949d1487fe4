/*-------------------------------------------------------------------------
 *
 * http_worker.h
 *	  The HTTP dispatcher: its own kind of background worker, one for the
 *	  database the workers serve (pg_sfn.database).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_HTTP_WORKER_H
#define SFN_HTTP_WORKER_H

#include "postgres.h"

/* Register it and its shared memory; called from sfn_worker_init. */
extern void sfn_http_worker_init(void);

#endif							/* SFN_HTTP_WORKER_H */
