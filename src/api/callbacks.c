/*-------------------------------------------------------------------------
 *
 * callbacks.c
 *	  SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
 *
 * Called inside a business transaction, an answer takes effect exactly
 * when that transaction commits (tasks/tokens.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/api_util.h"
#include "store/schema_version.h"
#include "support/errors.h"
#include "tasks/tasks.h"

PG_FUNCTION_INFO_V1(sfn_send_task_success);
PG_FUNCTION_INFO_V1(sfn_send_task_failure);
PG_FUNCTION_INFO_V1(sfn_send_task_heartbeat);

Datum
sfn_send_task_success(PG_FUNCTION_ARGS)
{
	char	   *token;
	Jsonb	   *output;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "task_token");
	sfn_require_arg(fcinfo, 1, "output");
	token = text_to_cstring(PG_GETARG_TEXT_PP(0));
	output = PG_GETARG_JSONB_P(1);
	sfn_token_answer(token, SFN_TOKEN_SUCCESS, output, NULL, NULL);
	PG_RETURN_VOID();
}

Datum
sfn_send_task_failure(PG_FUNCTION_ARGS)
{
	char	   *token;

	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "task_token");
	token = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sfn_token_answer(token, SFN_TOKEN_FAILURE, NULL,
					 PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
					 PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)));
	PG_RETURN_VOID();
}

Datum
sfn_send_task_heartbeat(PG_FUNCTION_ARGS)
{
	sfn_require_current_schema();
	sfn_require_arg(fcinfo, 0, "task_token");
	sfn_token_answer(text_to_cstring(PG_GETARG_TEXT_PP(0)), SFN_TOKEN_HEARTBEAT, NULL, NULL, NULL);
	PG_RETURN_VOID();
}
