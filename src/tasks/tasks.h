/*-------------------------------------------------------------------------
 *
 * tasks.h
 *	  Carrying out the effects sfn_decide() asks for: task attempts.
 *
 * The store layer's batch hands each execution's effects here.  A SQL
 * task runs at once, inside the batch's transaction, and its answer goes
 * straight back to sfn_decide() as a wake-up, so runs of SQL tasks
 * advance within one batch.  What cannot answer inside a transaction (an
 * HTTP call, a callback, an activity worker) is recorded durably when the
 * batch commits and answers later through sfn.inbox.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_TASKS_H
#define SFN_TASKS_H

#include "engine/engine.h"
#include "store/rowset.h"

typedef struct SfnTaskBatch
{
	SfnRowSet	tokens;			/* sfn.task_tokens rows to insert */
	SfnRowSet	activity_tasks; /* sfn.activity_tasks rows to insert */
	List	   *http;			/* SfnHttpRequest * to enqueue */
	int			sql_calls;		/* SQL tasks run (subtransactions) so far */
	int			executions_started; /* nested executions started (due now) */
} SfnTaskBatch;

extern void sfn_tasks_begin(SfnTaskBatch *b);

/*
 * Carry out the effects of one sfn_decide() call of execution exec_id
 * (exec_arn),
 * whose state machine runs as role.  Returns the wake-ups (SfnWake *) to
 * give sfn_decide() at once, in order.
 */
extern List *sfn_tasks_carry_out(SfnTaskBatch *b, int64 exec_id, const char *exec_arn,
								 Oid role, List *effects);

/* The batch's set-based writes; SPI connected, before commit. */
extern void sfn_tasks_finish(SfnTaskBatch *b);

/* An immediate answer to the task attempt of eff (the caller fills it in). */
extern SfnWake *sfn_task_answer(const SfnEffect *eff, SfnWakeKind kind);

/* sql_invoke.c: run a SQL task; false with *error and *cause on failure. */
extern bool sfn_sql_invoke(JsonbValue *parameters, Oid role, const char *state_name,
						   int64 timeout_seconds, JsonbValue **output,
						   char **error, char **cause);

/* lambda.c: a Lambda resource through what it is mapped to. */
typedef struct SfnLambdaTarget
{
	char	   *sql_function;	/* exactly one of these is set */
	char	   *http_endpoint;
	JsonbValue *payload;		/* what the function gets */
} SfnLambdaTarget;

/* Find the mapping; false with AWS's error when there is none. */
extern bool sfn_lambda_resolve(JsonbValue *parameters, const char *resource, bool bare,
							   SfnLambdaTarget *t, char **error, char **cause);

/* Run a SQL target; the result shaped as lambda:invoke's (bare: the value). */
extern bool sfn_lambda_invoke(const SfnLambdaTarget *t, bool bare, Oid role,
							  const char *state_name, int64 timeout_seconds,
							  JsonbValue **output, char **error, char **cause);

/* The http:invoke parameters that POST the payload to an HTTP target. */
extern JsonbValue *sfn_lambda_http_parameters(const SfnLambdaTarget *t);

/* An HTTP target's answer (from sfn.inbox) shaped as a Lambda's. */
extern void sfn_lambda_shape_answer(bool bare, SfnWake *wake);

/*
 * start_execution.c: start a nested execution for a Task attempt; false
 * with AWS's error when it cannot start.  *started: a new execution.
 */
extern bool sfn_start_execution_task(const SfnEffect *eff, int64 parent_id, Oid role,
									 bool *started, JsonbValue **output,
									 char **error, char **cause);

/* A child's answer (from sfn.inbox) shaped for the resource (.sync:2). */
extern void sfn_start_execution_shape_answer(const SfnResource *target, SfnWake *wake);

/* tokens.c */
#define SFN_TOKEN_BYTES 16		/* random bytes in a task token */
#define SFN_TOKEN_HASH_BYTES 32 /* SHA-256 */

/* A new task token: SFN_TOKEN_BYTES strong random bytes, hex. */
extern char *sfn_token_new(void);

/* SHA-256 of the token, as a bytea Datum. */
extern Datum sfn_token_hash(const char *token);

typedef enum SfnTokenAnswer
{
	SFN_TOKEN_SUCCESS,
	SFN_TOKEN_FAILURE,
	SFN_TOKEN_HEARTBEAT
} SfnTokenAnswer;

/*
 * sfn_send_task_success / failure / heartbeat: queue the answer for the
 * token's task in sfn.inbox (it takes effect when the caller commits).
 * ERRORs with AWS's InvalidToken, TaskDoesNotExist or TaskTimedOut.
 */
extern void sfn_token_answer(const char *token, SfnTokenAnswer kind, Jsonb *output,
							 const char *error, const char *cause);

#endif							/* SFN_TASKS_H */
