/*-------------------------------------------------------------------------
 *
 * http_queue.h
 *	  The outbox of HTTP tasks (sfn.http_requests) and its dispatcher's
 *	  side of it.
 *
 * The engine's batch enqueues requests inside its transaction; the HTTP
 * dispatcher (worker/http_worker.c) sees them once that transaction
 * commits, sends them outside any transaction, and answers each through
 * sfn.inbox, deleting the request in the same transaction.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_HTTP_QUEUE_H
#define SFN_HTTP_QUEUE_H

#include "postgres.h"

#include "executor/spi.h"
#include "nodes/pg_list.h"
#include "storage/latch.h"
#include "utils/jsonb.h"

typedef struct SfnHttpRequest
{
	int64		execution_id;
	int32		thread_id;
	int32		scheduled_event_id;
	JsonbValue *parameters;		/* effective Parameters of http:invoke */
	int32		timeout_seconds;	/* bounds the transfer; <= 0: 60 */
	const char *idempotency_key;	/* sent with every send */
} SfnHttpRequest;

/*
 * Insert every request of the list (of SfnHttpRequest *) with one
 * statement, and wake the dispatcher when the transaction commits.  The
 * caller has SPI connected and runs as the extension's owner or a
 * superuser.
 */
extern void sfn_http_enqueue(List *requests);

/*
 * The same, with the role whose connections the requests may use given
 * (NULL: the role of each execution's state machine).
 */
extern void sfn_http_enqueue_as(List *requests, const char *role);

/*
 * Delete an execution's requests that are not answered yet (it stopped).
 * A transfer already under way may finish; its answer is then dropped.
 */
extern void sfn_http_cancel(int64 execution_id);

/* Shared memory: the dispatcher's latch.  Called from sfn_worker_init. */
extern void sfn_http_shmem_init(void);
extern void sfn_http_set_dispatcher_latch(Latch *latch);

/* --- the dispatcher's statements (SPI connected, in a transaction) --- */

/*
 * Make requests pending again: all of them (the dispatcher starts, so
 * nothing is in flight), or those whose lease expired.  Returns how many.
 */
extern uint64 sfn_http_release_leases(bool all);

/*
 * Lease up to limit pending requests, oldest first; SPI_tuptable then holds
 * (id, parameters, timeout_seconds, idempotency_key, role).
 */
extern uint64 sfn_http_claim(int limit);

/* Answers: one inbox row per request that still exists, which is deleted. */
typedef struct SfnHttpAnswer
{
	int64		request_id;
	bool		succeeded;
	Jsonb	   *output;			/* when succeeded */
	const char *error;			/* otherwise */
	const char *cause;
} SfnHttpAnswer;

extern uint64 sfn_http_complete(SfnHttpAnswer *answers, int n);

/*
 * Connections named in names (a List of char *): SPI_tuptable holds
 * (name, authorization_type, auth_parameters, secret, owner, updated_at).
 */
extern uint64 sfn_http_load_connections(List *names);

#endif							/* SFN_HTTP_QUEUE_H */
