/*-------------------------------------------------------------------------
 *
 * tokens.c
 *	  Task tokens: making them, and answering a task through its token.
 *
 * A token is 128 strong random bits in hex.  Only its SHA-256 is stored
 * (sfn.task_tokens), so a reader of the tables cannot answer a task.  An
 * answer is a row in sfn.inbox: it becomes visible, and wakes a worker,
 * when the caller's transaction commits, and it never waits for the lock
 * a worker holds on the execution.  Success and failure consume the token
 * (DELETE ... RETURNING): of two racing answers the second waits for the
 * first to commit and then finds no token.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "engine/engine.h"
#include "store/spi_util.h"
#include "support/errors.h"
#include "tasks/tasks.h"
#include "worker/worker.h"

/* The rest of the answer statement: check the attempt, queue the answer. */
#define ANSWER_TAIL \
	" ok AS (SELECT k.execution_id, k.thread_id, k.scheduled_event_id FROM k JOIN sfn.threads t" \
	"     ON t.execution_id OPERATOR(pg_catalog.=) k.execution_id" \
	"    AND t.thread_id OPERATOR(pg_catalog.=) k.thread_id" \
	"    AND t.task_event_id OPERATOR(pg_catalog.=) k.scheduled_event_id" \
	"   JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) k.execution_id" \
	"    AND e.status OPERATOR(pg_catalog.=) 'RUNNING')," \
	" i AS (INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id, kind, output, error, cause)" \
	"   SELECT execution_id, thread_id, scheduled_event_id, $2, $3, $4, $5 FROM ok RETURNING 1)" \
	" SELECT (SELECT pg_catalog.count(*) FROM k), (SELECT pg_catalog.count(*) FROM i)"

char *
sfn_token_new(void)
{
	uint8		bytes[SFN_TOKEN_BYTES];
	char	   *hex = palloc(SFN_TOKEN_BYTES * 2 + 1);

	if (!pg_strong_random(bytes, sizeof(bytes)))
		elog(ERROR, "could not generate a random task token");
	hex_encode((const char *) bytes, sizeof(bytes), hex);
	hex[SFN_TOKEN_BYTES * 2] = '\0';
	return hex;
}

Datum
sfn_token_hash(const char *token)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	bytea	   *out = palloc(VARHDRSZ + SFN_TOKEN_HASH_BYTES);

	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) token, strlen(token)) < 0 ||
		pg_cryptohash_final(ctx, (uint8 *) VARDATA(out), SFN_TOKEN_HASH_BYTES) < 0)
		elog(ERROR, "could not hash a task token");
	pg_cryptohash_free(ctx);
	SET_VARSIZE(out, VARHDRSZ + SFN_TOKEN_HASH_BYTES);
	return PointerGetDatum(out);
}

static bool
token_well_formed(const char *token)
{
	if (token == NULL || strlen(token) != SFN_TOKEN_BYTES * 2)
		return false;
	for (const char *p = token; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

void
sfn_token_answer(const char *token, SfnTokenAnswer kind, Jsonb *output,
				 const char *error, const char *cause)
{
	SfnSpiScope scope;
	Datum		hash;
	int64		found;
	int64		queued;
	bool		isnull;
	static const char *const kinds[] = {"SUCCEEDED", "FAILED", "HEARTBEAT"};

	if (!token_well_formed(token))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_TOKEN),
				 errmsg("InvalidToken: the task token is not one pg_sfn issued")));
	hash = sfn_token_hash(token);

	/*
	 * One statement: take the token (success and failure consume it), check
	 * that its attempt is still the one its thread waits for, and queue the
	 * answer.  The check reads the latest committed thread row, as the
	 * DELETE's own snapshot is taken after any wait for a racing answer.
	 */
	sfn_spi_begin(&scope);
	sfn_spi_exec(kind == SFN_TOKEN_HEARTBEAT ?
				 "WITH k AS (SELECT execution_id, thread_id, scheduled_event_id FROM sfn.task_tokens"
				 "   WHERE token_hash OPERATOR(pg_catalog.=) $1),"
				 ANSWER_TAIL :
				 "WITH k AS (DELETE FROM sfn.task_tokens WHERE token_hash OPERATOR(pg_catalog.=) $1"
				 "   RETURNING execution_id, thread_id, scheduled_event_id),"
				 ANSWER_TAIL,
				 5, (Oid[]) {BYTEAOID, TEXTOID, JSONBOID, TEXTOID, TEXTOID},
				 (Datum[]) {hash, CStringGetTextDatum(kinds[kind]),
					 output ? JsonbPGetDatum(output) : (Datum) 0,
					 error ? CStringGetTextDatum(error) : (Datum) 0,
				 cause ? CStringGetTextDatum(cause) : (Datum) 0},
				 (const char[]) {' ', ' ', output ? ' ' : 'n', error ? ' ' : 'n', cause ? ' ' : 'n'},
				 false, SPI_OK_SELECT);
	found = DatumGetInt64(sfn_spi_get(0, 1, &isnull));
	queued = DatumGetInt64(sfn_spi_get(0, 2, &isnull));
	if (found == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_TASK_DOES_NOT_EXIST),
				 errmsg("TaskDoesNotExist: the task of this token does not exist or was already answered")));
	if (queued == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_TASK_TIMED_OUT),
				 errmsg("TaskTimedOut: the task of this token timed out or its execution ended")));
	sfn_spi_end(&scope);
	sfn_wake_workers_at_commit();
}
