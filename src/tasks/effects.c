/*-------------------------------------------------------------------------
 *
 * effects.c
 *	  Carry out task attempts: by resource, run now or record for later.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"

#include "tasks/tasks.h"

/* sfn.task_tokens, as the batch inserts it. */
enum
{
	TK_HASH, TK_EXEC, TK_THREAD, TK_EVENT, TK_NCOLS
};
static const SfnColumn token_cols[TK_NCOLS] = {
	[TK_HASH] = {"token_hash", BYTEAOID, NULL},
	[TK_EXEC] = {"execution_id", INT8OID, NULL},
	[TK_THREAD] = {"thread_id", INT4OID, NULL},
	[TK_EVENT] = {"scheduled_event_id", INT4OID, NULL},
};

void
sfn_tasks_begin(SfnTaskBatch *b)
{
	sfn_rowset_init(&b->tokens, token_cols, TK_NCOLS);
}

static SfnWake *
answer(const SfnEffect *eff, SfnWakeKind kind)
{
	SfnWake    *w = palloc0(sizeof(SfnWake));

	w->kind = kind;
	w->task_event_id = eff->task_event_id;
	return w;
}

static SfnWake *
failure(const SfnEffect *eff, const char *error, const char *cause)
{
	SfnWake    *w = answer(eff, SFN_WAKE_TASK_FAILED);

	w->error = error;
	w->cause = cause;
	return w;
}

List *
sfn_tasks_carry_out(SfnTaskBatch *b, int64 exec_id, Oid role, List *effects)
{
	List	   *wakes = NIL;
	ListCell   *lc;

	foreach(lc, effects)
	{
		SfnEffect  *eff = lfirst(lc);

		if (eff->token)
		{
			Datum		v[TK_NCOLS];
			bool		n[TK_NCOLS] = {0};

			v[TK_HASH] = sfn_token_hash(eff->token);
			v[TK_EXEC] = Int64GetDatum(exec_id);
			v[TK_THREAD] = Int32GetDatum(eff->thread_id);
			v[TK_EVENT] = Int32GetDatum(eff->task_event_id);
			sfn_rowset_add(&b->tokens, v, n);
		}

		switch (eff->state->target.kind)
		{
			case SFN_RESOURCE_SQL:
				{
					JsonbValue *output;
					char	   *error;
					char	   *cause;

					if (sfn_sql_invoke(eff->parameters, role, &output, &error, &cause))
					{
						SfnWake    *w = answer(eff, SFN_WAKE_TASK_SUCCEEDED);

						w->output = output;
						wakes = lappend(wakes, w);
					}
					else
						wakes = lappend(wakes, failure(eff, error, cause));
					break;
				}
			default:
				wakes = lappend(wakes,
								failure(eff, "States.Runtime",
										psprintf("pg_sfn has no target for the resource '%s'",
												 eff->state->resource)));
				break;
		}
	}
	return wakes;
}

void
sfn_tasks_finish(SfnTaskBatch *b)
{
	static SPIPlanPtr ins = NULL;

	if (b->tokens.nrows == 0)
		return;
	if (ins == NULL)
	{
		char	   *sql = psprintf("INSERT INTO sfn.task_tokens (%s) SELECT * FROM %s",
								   sfn_rowset_names(token_cols, TK_NCOLS),
								   sfn_rowset_unnest_sql(token_cols, TK_NCOLS, "u"));

		ins = SPI_prepare(sql, TK_NCOLS, sfn_rowset_param_types(token_cols, TK_NCOLS));
		if (ins == NULL)
			elog(ERROR, "SPI_prepare failed for: %s", sql);
		SPI_keepplan(ins);
	}
	if (SPI_execute_plan(ins, sfn_rowset_params(&b->tokens), NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record task tokens");
	sfn_rowset_init(&b->tokens, token_cols, TK_NCOLS);
}
