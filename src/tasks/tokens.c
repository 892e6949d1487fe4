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
	int64		exec_id;
	int32		thread_id;
	int32		event_id;
	uint64		n;
	bool		isnull;
	static const char *const kinds[] = {"SUCCEEDED", "FAILED", "HEARTBEAT"};

	if (!token_well_formed(token))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_TOKEN),
				 errmsg("InvalidToken: the task token is not one pg_sfn issued")));
	hash = sfn_token_hash(token);

	sfn_spi_begin(&scope);
	if (kind == SFN_TOKEN_HEARTBEAT)
		n = sfn_spi_exec("SELECT execution_id, thread_id, scheduled_event_id FROM sfn.task_tokens"
						 " WHERE token_hash OPERATOR(pg_catalog.=) $1",
						 1, (Oid[]) {BYTEAOID}, (Datum[]) {hash}, NULL, false, SPI_OK_SELECT);
	else
		n = sfn_spi_exec("DELETE FROM sfn.task_tokens WHERE token_hash OPERATOR(pg_catalog.=) $1"
						 " RETURNING execution_id, thread_id, scheduled_event_id",
						 1, (Oid[]) {BYTEAOID}, (Datum[]) {hash}, NULL, false,
						 SPI_OK_DELETE_RETURNING);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_TASK_DOES_NOT_EXIST),
				 errmsg("TaskDoesNotExist: the task of this token does not exist or was already answered")));
	exec_id = sfn_spi_get_int64(0, 1);
	thread_id = DatumGetInt32(sfn_spi_get(0, 2, &isnull));
	event_id = DatumGetInt32(sfn_spi_get(0, 3, &isnull));

	/* Is that attempt still the one the thread waits for? */
	n = sfn_spi_exec("SELECT 1 FROM sfn.threads t JOIN sfn.executions e"
					 "   ON e.id OPERATOR(pg_catalog.=) t.execution_id"
					 " WHERE t.execution_id OPERATOR(pg_catalog.=) $1"
					 "   AND t.thread_id OPERATOR(pg_catalog.=) $2"
					 "   AND t.task_event_id OPERATOR(pg_catalog.=) $3"
					 "   AND e.status OPERATOR(pg_catalog.=) 'RUNNING'",
					 3, (Oid[]) {INT8OID, INT4OID, INT4OID},
					 (Datum[]) {Int64GetDatum(exec_id), Int32GetDatum(thread_id), Int32GetDatum(event_id)},
					 NULL, false, SPI_OK_SELECT);	/* a fresh snapshot, as the DELETE's */
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_TASK_TIMED_OUT),
				 errmsg("TaskTimedOut: the task of this token timed out or its execution ended")));

	sfn_spi_exec("INSERT INTO sfn.inbox (execution_id, thread_id, scheduled_event_id, kind, output, error, cause)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7)",
				 7, (Oid[]) {INT8OID, INT4OID, INT4OID, TEXTOID, JSONBOID, TEXTOID, TEXTOID},
				 (Datum[]) {Int64GetDatum(exec_id), Int32GetDatum(thread_id), Int32GetDatum(event_id),
					 CStringGetTextDatum(kinds[kind]),
					 output ? JsonbPGetDatum(output) : (Datum) 0,
					 error ? CStringGetTextDatum(error) : (Datum) 0,
				 cause ? CStringGetTextDatum(cause) : (Datum) 0},
				 (const char[]) {' ', ' ', ' ', ' ', output ? ' ' : 'n', error ? ' ' : 'n', cause ? ' ' : 'n'},
				 false, SPI_OK_INSERT);
	sfn_spi_end(&scope);
	sfn_wake_workers_at_commit();
}
