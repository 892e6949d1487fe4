/*-------------------------------------------------------------------------
 *
 * http_queue.c
 *	  sfn.http_requests: enqueue, cancel, claim, answer.
 *
 * Every statement is set-based: one INSERT for all the requests a batch
 * schedules, one UPDATE to lease many, one DELETE ... INSERT INTO
 * sfn.inbox for many answers.  A request is answered only while its row
 * exists, in the transaction that deletes it, so it is answered at most
 * once; a row left without an answer (a crash, an expired lease) is sent
 * again.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "eval/json.h"
#include "store/spi_util.h"
#include "tasks/http_queue.h"

typedef struct SfnHttpShmem
{
	Latch	   *dispatcher;
} SfnHttpShmem;

static SfnHttpShmem *http_shmem = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static bool wake_registered = false;
static bool wake_needed = false;

static void
http_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(SfnHttpShmem)));
}

static void
http_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	http_shmem = ShmemInitStruct("pg_sfn http", sizeof(SfnHttpShmem), &found);
	if (!found)
		memset(http_shmem, 0, sizeof(SfnHttpShmem));
	LWLockRelease(AddinShmemInitLock);
}

void
sfn_http_shmem_init(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = http_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = http_shmem_startup;
}

void
sfn_http_set_dispatcher_latch(Latch *latch)
{
	if (http_shmem)
		http_shmem->dispatcher = latch;
}

static void
http_wake_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT && wake_needed && http_shmem != NULL)
	{
		Latch	   *latch = http_shmem->dispatcher;

		if (latch)
			SetLatch(latch);
	}
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		wake_needed = false;
}

static void
wake_dispatcher_at_commit(void)
{
	if (!wake_registered)
	{
		RegisterXactCallback(http_wake_callback, NULL);
		wake_registered = true;
	}
	wake_needed = true;
}

void
sfn_http_enqueue(List *requests)
{
	sfn_http_enqueue_as(requests, NULL);
}

void
sfn_http_enqueue_as(List *requests, const char *role)
{
	int			n = list_length(requests);
	Datum	   *exec_ids,
			   *thread_ids,
			   *event_ids,
			   *params,
			   *timeouts,
			   *keys,
			   *roles;
	bool	   *role_nulls;
	int			dims[1];
	int			lbs[1] = {1};
	Oid			types[7] = {INT8ARRAYOID, INT4ARRAYOID, INT4ARRAYOID, JSONBARRAYOID,
	INT4ARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Datum		values[7];
	int			i = 0;
	ListCell   *lc;

	if (n == 0)
		return;
	exec_ids = palloc(sizeof(Datum) * n);
	thread_ids = palloc(sizeof(Datum) * n);
	event_ids = palloc(sizeof(Datum) * n);
	params = palloc(sizeof(Datum) * n);
	timeouts = palloc(sizeof(Datum) * n);
	keys = palloc(sizeof(Datum) * n);
	roles = palloc(sizeof(Datum) * n);
	role_nulls = palloc(sizeof(bool) * n);
	foreach(lc, requests)
	{
		SfnHttpRequest *r = (SfnHttpRequest *) lfirst(lc);

		if (r->idempotency_key == NULL || r->parameters == NULL)
			elog(ERROR, "HTTP request without parameters or idempotency key");
		exec_ids[i] = Int64GetDatum(r->execution_id);
		thread_ids[i] = Int32GetDatum(r->thread_id);
		event_ids[i] = Int32GetDatum(r->scheduled_event_id);
		params[i] = JsonbPGetDatum(sfn_jv_to_jsonb(r->parameters));
		/* AWS's largest TimeoutSeconds; the dispatcher caps transfers at a day */
		timeouts[i] = Int32GetDatum(r->timeout_seconds <= 0 ? 60 :
									Min(r->timeout_seconds, 99999999));
		keys[i] = CStringGetTextDatum(r->idempotency_key);
		roles[i] = role ? CStringGetTextDatum(role) : (Datum) 0;
		role_nulls[i] = (role == NULL);
		i++;
	}
	dims[0] = n;
	values[0] = PointerGetDatum(construct_array(exec_ids, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[1] = PointerGetDatum(construct_array(thread_ids, n, INT4OID, 4, true, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_array(event_ids, n, INT4OID, 4, true, TYPALIGN_INT));
	values[3] = PointerGetDatum(construct_array(params, n, JSONBOID, -1, false, TYPALIGN_INT));
	values[4] = PointerGetDatum(construct_array(timeouts, n, INT4OID, 4, true, TYPALIGN_INT));
	values[5] = PointerGetDatum(construct_array(keys, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[6] = PointerGetDatum(construct_md_array(roles, role_nulls, 1, dims, lbs,
												   TEXTOID, -1, false, TYPALIGN_INT));

	/* The role is the state machine's as it is now, when scheduled. */
	sfn_spi_exec("INSERT INTO sfn.http_requests (execution_id, thread_id, scheduled_event_id,"
				 " parameters, timeout_seconds, idempotency_key, role)"
				 " SELECT u.e, u.t, u.s, u.p, u.ts, u.k,"
				 " coalesce(u.r::name, (SELECT sm.role FROM sfn.executions x"
				 " JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) x.state_machine_id"
				 " WHERE x.id OPERATOR(pg_catalog.=) u.e))"
				 " FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3),"
				 " pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),"
				 " pg_catalog.unnest($7)) AS u(e, t, s, p, ts, k, r)",
				 7, types, values, NULL, false, SPI_OK_INSERT);
	wake_dispatcher_at_commit();
}

void
sfn_http_cancel(int64 execution_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(execution_id)};

	sfn_spi_exec("DELETE FROM sfn.http_requests WHERE execution_id OPERATOR(pg_catalog.=) $1",
				 1, types, values, NULL, false, SPI_OK_DELETE);
}

uint64
sfn_http_release_leases(bool all)
{
	if (all)
		return sfn_spi_exec("UPDATE sfn.http_requests SET lease_until = NULL"
							" WHERE lease_until IS NOT NULL",
							0, NULL, NULL, NULL, false, SPI_OK_UPDATE);
	return sfn_spi_exec("UPDATE sfn.http_requests SET lease_until = NULL"
						" WHERE lease_until OPERATOR(pg_catalog.<) pg_catalog.now()",
						0, NULL, NULL, NULL, false, SPI_OK_UPDATE);
}

uint64
sfn_http_claim(int limit)
{
	Oid			types[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(limit)};

	/*
	 * The lease outlasts the transfer (bounded by timeout_seconds, at most a
	 * day) by a minute: only a lost dispatcher lets it expire.
	 */
	return sfn_spi_exec("WITH c AS (SELECT r.id FROM sfn.http_requests r"
						" WHERE r.lease_until IS NULL ORDER BY r.id LIMIT $1"
						" FOR UPDATE SKIP LOCKED)"
						" UPDATE sfn.http_requests r"
						" SET lease_until = pg_catalog.now() OPERATOR(pg_catalog.+)"
						" pg_catalog.make_interval(0, 0, 0, 0, 0, 0,"
						" (least(r.timeout_seconds, 86400) OPERATOR(pg_catalog.+) 60)::double precision),"
						" sends = r.sends OPERATOR(pg_catalog.+) 1"
						" FROM c WHERE r.id OPERATOR(pg_catalog.=) c.id"
						" RETURNING r.id, r.parameters, r.timeout_seconds, r.idempotency_key, r.role",
						1, types, values, NULL, false, SPI_OK_UPDATE_RETURNING);
}

uint64
sfn_http_complete(SfnHttpAnswer *answers, int n)
{
	Datum	   *ids = palloc(sizeof(Datum) * n);
	Datum	   *kinds = palloc(sizeof(Datum) * n);
	Datum	   *outputs = palloc(sizeof(Datum) * n);
	Datum	   *errors = palloc(sizeof(Datum) * n);
	Datum	   *causes = palloc(sizeof(Datum) * n);
	bool	   *out_nulls = palloc(sizeof(bool) * n);
	bool	   *err_nulls = palloc(sizeof(bool) * n);
	bool	   *no_nulls = palloc0(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	Oid			types[5] = {INT8ARRAYOID, TEXTARRAYOID, JSONBARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Datum		values[5];

	for (int i = 0; i < n; i++)
	{
		SfnHttpAnswer *a = &answers[i];

		ids[i] = Int64GetDatum(a->request_id);
		kinds[i] = CStringGetTextDatum(a->succeeded ? "SUCCEEDED" : "FAILED");
		out_nulls[i] = !a->succeeded;
		outputs[i] = a->succeeded ? JsonbPGetDatum(a->output) : (Datum) 0;
		err_nulls[i] = a->succeeded;
		errors[i] = a->succeeded ? (Datum) 0 : CStringGetTextDatum(a->error);
		causes[i] = a->succeeded ? (Datum) 0 : CStringGetTextDatum(a->cause ? a->cause : "");
	}
	values[0] = PointerGetDatum(construct_md_array(ids, no_nulls, 1, dims, lbs, INT8OID, 8,
												   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[1] = PointerGetDatum(construct_md_array(kinds, no_nulls, 1, dims, lbs, TEXTOID, -1,
												   false, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_md_array(outputs, out_nulls, 1, dims, lbs, JSONBOID, -1,
												   false, TYPALIGN_INT));
	values[3] = PointerGetDatum(construct_md_array(errors, err_nulls, 1, dims, lbs, TEXTOID, -1,
												   false, TYPALIGN_INT));
	values[4] = PointerGetDatum(construct_md_array(causes, err_nulls, 1, dims, lbs, TEXTOID, -1,
												   false, TYPALIGN_INT));

	/* A request deleted meanwhile (cancelled) gets no inbox row. */
	return sfn_spi_exec("WITH done AS (DELETE FROM sfn.http_requests r"
						" USING ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2),"
						" pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5))"
						" AS u(id, kind, output, error, cause)"
						" WHERE r.id OPERATOR(pg_catalog.=) u.id"
						" RETURNING r.execution_id, r.thread_id, r.scheduled_event_id,"
						" u.kind, u.output, u.error, u.cause)"
						" INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id,"
						" kind, output, error, cause)"
						" SELECT execution_id, thread_id, scheduled_event_id, kind, output, error, cause"
						" FROM done",
						5, types, values, NULL, false, SPI_OK_INSERT);
}

uint64
sfn_http_load_connections(List *names)
{
	int			n = list_length(names);
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));
	Oid			types[1] = {TEXTARRAYOID};
	Datum		values[1];
	int			i = 0;
	ListCell   *lc;

	foreach(lc, names)
		d[i++] = CStringGetTextDatum((char *) lfirst(lc));
	values[0] = PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
	return sfn_spi_exec("SELECT c.name, c.authorization_type, c.auth_parameters, c.secret,"
						" c.owner, coalesce(c.updated_at, c.created_at)"
						" FROM sfn.connections c"
						" WHERE c.name OPERATOR(pg_catalog.=) ANY ($1)",
						1, types, values, NULL, true, SPI_OK_SELECT);
}
