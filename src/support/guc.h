/*-------------------------------------------------------------------------
 *
 * guc.h
 *	  pg_sfn's configuration parameters (pg_sfn.*).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_GUC_H
#define SFN_GUC_H

#include "postgres.h"

extern char *sfn_database;
extern int	sfn_workers;
extern char *sfn_region;
extern char *sfn_account_id;
extern int	sfn_max_payload_size;
extern int	sfn_max_history_events;
extern int	sfn_batch_size;
extern int	sfn_retention_minutes;
extern int	sfn_eval_step_limit;
extern int	sfn_eval_memory_limit;
extern int	sfn_plan_cache_size_kb;
extern int	sfn_batch_time_budget_ms;
extern int	sfn_sql_tasks_per_batch;
extern char *sfn_http_allowed_hosts;
extern int	sfn_http_max_in_flight;

extern void sfn_guc_init(void);

#endif							/* SFN_GUC_H */
