/*-------------------------------------------------------------------------
 *
 * worker.c
 *	  Background workers: the loop that claims due executions and advances
 *	  them, and the shared memory through which committers wake workers.
 *
 * Each worker sleeps on its latch until the earliest due time in sfn.work
 * or until a transaction that queued work commits and sets the latch
 * (sfn_wake_workers_at_commit).  A batch is one transaction: claim with
 * FOR UPDATE SKIP LOCKED, advance, write, commit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "support/guc.h"
#include "store/retention.h"
#include "store/runner.h"
#include "worker/http_worker.h"
#include "worker/worker.h"

#define SFN_MAX_WORKERS 64
/* A wake-up this soon after a batch with work means load: coalesce. */
#define SFN_BUSY_GAP_MS 5
#define SFN_COALESCE_USECS 1000L
/* Sustained load (several busy wake-ups in a row): coalesce longer. */
#define SFN_SUSTAINED_WAKES 3
#define SFN_SUSTAINED_COALESCE_USECS 5000L
/* Worker 0 runs a retention pass this often, and this many batches at most. */
#define SFN_RETENTION_INTERVAL_MS 10000
#define SFN_RETENTION_MAX_BATCHES 200

typedef struct SfnWorkerShmem
{
	pg_atomic_uint32 next_wake;	/* round robin over latches[] */
	Latch	   *latches[SFN_MAX_WORKERS];
} SfnWorkerShmem;

static SfnWorkerShmem *sfn_shmem = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static bool wake_registered = false;
static bool wake_needed = false;

PGDLLEXPORT void sfn_worker_main(Datum arg);

static void
sfn_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(SfnWorkerShmem)));
}

static void
sfn_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	sfn_shmem = ShmemInitStruct("pg_sfn", sizeof(SfnWorkerShmem), &found);
	if (!found)
	{
		memset(sfn_shmem, 0, sizeof(SfnWorkerShmem));
		pg_atomic_init_u32(&sfn_shmem->next_wake, 0);
	}
	LWLockRelease(AddinShmemInitLock);
}

void
sfn_worker_init(void)
{
	BackgroundWorker worker;

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = sfn_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = sfn_shmem_startup;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 1;
	strlcpy(worker.bgw_library_name, "pg_sfn", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "sfn_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "pg_sfn worker", BGW_MAXLEN);
	for (int i = 0; i < sfn_workers && i < SFN_MAX_WORKERS; i++)
	{
		snprintf(worker.bgw_name, BGW_MAXLEN, "pg_sfn worker %d", i);
		worker.bgw_main_arg = Int32GetDatum(i);
		RegisterBackgroundWorker(&worker);
	}
	sfn_http_worker_init();
}

/*
 * At commit of a transaction that queued work, set one worker's latch,
 * round robin.  One is enough: a worker whose latch is set always runs
 * another batch, and a batch that fills up is followed by another at once.
 */
static void
wake_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT && wake_needed && sfn_shmem != NULL)
	{
		uint32		start = pg_atomic_fetch_add_u32(&sfn_shmem->next_wake, 1);

		for (int i = 0; i < SFN_MAX_WORKERS; i++)
		{
			Latch	   *latch = sfn_shmem->latches[(start + i) % SFN_MAX_WORKERS];

			if (latch)
			{
				SetLatch(latch);
				break;
			}
		}
	}
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		wake_needed = false;
}

void
sfn_wake_workers_at_commit(void)
{
	if (!wake_registered)
	{
		RegisterXactCallback(wake_xact_callback, NULL);
		wake_registered = true;
	}
	wake_needed = true;
}

static void
sfn_worker_detach(int code, Datum arg)
{
	int			slot = DatumGetInt32(arg);

	if (sfn_shmem)
		sfn_shmem->latches[slot] = NULL;
}

/*
 * Orphaned work rows (sfn_runner_sweep_orphans), then retention: bounded batches, each its own transaction, until the backlog
 * is gone or SFN_RETENTION_MAX_BATCHES ran (the rest waits a minute).
 */
static long
sfn_retention_run_void(int slot)
{
	(void) sfn_runner_sweep_orphans();
	for (int i = 0; i < SFN_RETENTION_MAX_BATCHES; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (sfn_retention_run() < SFN_RETENTION_BATCH)
			break;
	}
	return 0;
}

/*
 * sfn_runner_recover, whose own failure must not end the worker either.
 * True when it isolated or ended an execution, so that going on at once
 * makes progress.
 */
static bool
recover_safely(const char *message)
{
	volatile bool isolated = false;

	PG_TRY();
	{
		isolated = sfn_runner_recover(message);
	}
	PG_CATCH();
	{
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		pg_usleep(1000000L);
	}
	PG_END_TRY();
	return isolated;
}

/*
 * Run one batch (or retention pass).  An ERROR is logged and the
 * transaction aborted instead of killing the worker; after a failed batch
 * the runner isolates the execution that caused it (sfn_runner_recover),
 * in a transaction of its own, and the worker goes on at once.
 */
static long
run_safely(long (*fn) (int), int slot, MemoryContext loop_cxt)
{
	/* Failed runs in a row that recovery could not pin on an execution. */
	static int	failures = 0;
	long		sleep_ms;

	PG_TRY();
	{
		sleep_ms = fn(slot);
		failures = 0;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(loop_cxt);
		edata = CopyErrorData();
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		pgstat_report_activity(STATE_IDLE, NULL);
		if (fn == sfn_runner_run_due && recover_safely(edata->message))
			sleep_ms = 0;
		else
		{
			/*
			 * Nothing to isolate (the claim itself failed: a broken
			 * catalog, tables this library does not know): trying again at
			 * once would fail the same way.  Back off, doubling up to 32 s,
			 * rather than spin and flood the log.
			 */
			failures = Min(failures + 1, 6);
			sleep_ms = 1000L << (failures - 1);
		}
	}
	PG_END_TRY();
	return sleep_ms;
}

/*
 * sfn_worker_main: run batches while work is due, then sleep until the
 * next due time or a wake-up.
 */
void
sfn_worker_main(Datum arg)
{
	int			slot = DatumGetInt32(arg);
	MemoryContext loop_cxt;
	TimestampTz last_retention = 0;
	TimestampTz last_batch_end = 0;
	int			busy_wakes = 0;
	int			rc;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnection(sfn_database, NULL, 0);
	pgstat_report_appname("pg_sfn worker");

	/*
	 * Workers run as the bootstrap superuser: nothing they call may be
	 * found through a search_path that the database owner or any user can
	 * write to (ALTER DATABASE ... SET search_path, objects in public).
	 * PGC_S_OVERRIDE wins over every per-database or per-role setting.
	 */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);

	/*
	 * The claim relies on READ COMMITTED (a statement after the locks sees
	 * what other workers committed before them): no per-database or
	 * per-role default_transaction_isolation may change it.
	 */
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);

	sfn_shmem->latches[slot] = MyLatch;
	on_shmem_exit(sfn_worker_detach, Int32GetDatum(slot));

	loop_cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn worker loop",
									 ALLOCSET_DEFAULT_SIZES);
	elog(LOG, "pg_sfn worker %d started in database \"%s\"", slot, sfn_database);

	for (;;)
	{
		long		sleep_ms;
		TimestampTz now = GetCurrentTimestamp();

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		MemoryContextSwitchTo(loop_cxt);
		if (slot == 0 &&
			TimestampDifferenceExceeds(last_retention, now, SFN_RETENTION_INTERVAL_MS))
		{
			last_retention = now;
			run_safely(sfn_retention_run_void, slot, loop_cxt);
		}
		sleep_ms = run_safely(sfn_runner_run_due, slot, loop_cxt);
		MemoryContextReset(loop_cxt);

		if (sleep_ms == 0)
			continue;
		last_batch_end = GetCurrentTimestamp();
		rc = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
					   sleep_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);

		/*
		 * Woken again right after a batch that had work: we are under load.
		 * Waiting a moment lets more starts commit, so that one batch (one
		 * commit) takes several of them.  Under light load there is no
		 * delay.
		 */
		if ((rc & WL_LATCH_SET) && sfn_runner_last_claimed > 0 &&
			!TimestampDifferenceExceeds(last_batch_end, GetCurrentTimestamp(),
										SFN_BUSY_GAP_MS))
		{
			/*
			 * One busy wake-up (a task's answer right after the batch that
			 * sent it) costs 1 ms; a run of them is a stream of commits
			 * (starts, callbacks), where a longer pause lets one batch take
			 * many and saves commits.
			 */
			busy_wakes++;
			pg_usleep(busy_wakes >= SFN_SUSTAINED_WAKES ?
					  SFN_SUSTAINED_COALESCE_USECS : SFN_COALESCE_USECS);
		}
		else
			busy_wakes = 0;
	}
}
