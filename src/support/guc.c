/*-------------------------------------------------------------------------
 *
 * guc.c
 *	  Defines pg_sfn's configuration parameters.
 *
 * The workers' database and count need a restart; limits and identity
 * (region, account) can change at any time and are read where used.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "utils/guc.h"

#include "support/guc.h"

char	   *sfn_database = NULL;
int			sfn_workers = 1;
char	   *sfn_region = NULL;
char	   *sfn_account_id = NULL;
int			sfn_max_payload_size = 262144;
int			sfn_max_history_events = 25000;
int			sfn_batch_size = 64;
int			sfn_sql_tasks_per_batch = 60;
int			sfn_retention_minutes = 90 * 24 * 60;
int			sfn_eval_step_limit = 10000000;
int			sfn_eval_memory_limit = 65536;
int			sfn_plan_cache_size_kb = 64 * 1024;
int			sfn_batch_time_budget_ms = 200;
char	   *sfn_http_allowed_hosts = NULL;
int			sfn_http_max_in_flight = 1000;

void
sfn_guc_init(void)
{
	DefineCustomStringVariable("pg_sfn.database",
							   "Database in which pg_sfn's workers run executions.",
							   NULL, &sfn_database, "postgres",
							   PGC_POSTMASTER, GUC_SUPERUSER_ONLY, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.workers",
							"Number of background workers that advance executions.",
							NULL, &sfn_workers, 1, 0, 64,
							PGC_POSTMASTER, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("pg_sfn.region",
							   "AWS region written into ARNs.",
							   NULL, &sfn_region, "us-east-1",
							   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("pg_sfn.account_id",
							   "AWS account id written into ARNs.",
							   NULL, &sfn_account_id, "123456789012",
							   PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.max_payload_size",
							"Largest execution input, state input or output, in bytes of JSON text.",
							NULL, &sfn_max_payload_size, 262144, 1024, INT_MAX / 2,
							PGC_SUSET, GUC_UNIT_BYTE, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.max_history_events",
							"Most history events an execution may have; it fails beyond.",
							NULL, &sfn_max_history_events, 25000, 10, INT_MAX / 2,
							PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.batch_size",
							"Executions a worker claims per transaction.",
							NULL, &sfn_batch_size, 64, 1, 10000,
							PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.retention_period",
							"How long finished executions are kept; 0 keeps them forever.",
							NULL, &sfn_retention_minutes, 90 * 24 * 60, 0, INT_MAX / 2,
							PGC_SIGHUP, GUC_UNIT_MIN, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.eval_step_limit",
							"Most steps one evaluation of a state's paths, templates, intrinsic functions and Choice rules may take.",
							"Past it the state fails with States.Runtime.",
							&sfn_eval_step_limit, 10000000, 1000, INT_MAX,
							PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.eval_memory_limit",
							"Most memory one evaluation of a state's paths, templates, intrinsic functions and Choice rules may build.",
							"Past it the state fails with States.Runtime.",
							&sfn_eval_memory_limit, 65536, 1024, MAX_KILOBYTES,
							PGC_SUSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.plan_cache_size",
							"Memory each worker may keep compiled state machine plans in.",
							"Least recently used plans are dropped beyond; the plan in use is always kept.",
							&sfn_plan_cache_size_kb, 64 * 1024, 64, INT_MAX / 1024,
							PGC_SIGHUP, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.batch_time_budget",
							"Time after which a worker's batch stops advancing executions and commits.",
							"An execution still running then yields to the others; those not reached wait for the next batch.",
							&sfn_batch_time_budget_ms, 200, 1, 60 * 60 * 1000,
							PGC_SIGHUP, GUC_UNIT_MS, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.sql_tasks_per_batch",
							"SQL tasks a worker's batch runs before it commits.",
							"Each is a subtransaction; past 64 in one transaction, other sessions' snapshots overflow and may read pg_subtrans.",
							&sfn_sql_tasks_per_batch, 60, 1, 100000,
							PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("pg_sfn.http_allowed_hosts",
							   "Hosts HTTP tasks may call: names, *.domain, addresses, networks (addr/bits), or *.",
							   "Loopback, link-local and metadata addresses are refused unless listed by address.",
							   &sfn_http_allowed_hosts, "",
							   PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("pg_sfn.http_max_in_flight",
							"Most HTTP task requests the dispatcher sends at once.",
							NULL, &sfn_http_max_in_flight, 1000, 1, 100000,
							PGC_SIGHUP, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("pg_sfn");
}
