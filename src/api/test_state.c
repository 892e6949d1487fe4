/*-------------------------------------------------------------------------
 *
 * test_state.c
 *	  SQL API: sfn_test_state(), AWS's TestState: run one state through
 *	  sfn_decide() and report its output, next state, error and cause.
 *	  No execution is created and nothing is written.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "api/api_util.h"
#include "asl/plan.h"
#include "support/errors.h"
#include "support/guc.h"
#include "support/names.h"
#include "engine/engine.h"

PG_FUNCTION_INFO_V1(sfn_test_state);

#define TEST_STATE_NAME "TestState"

/* Add a placeholder Succeed state for a transition target of the tested state. */
static void
add_target(JsonbValue *states, JsonbValue *name)
{
	if (name && sfn_jv_is_string(name) &&
		sfn_jv_object_get(states, name->val.string.val, name->val.string.len) == NULL)
	{
		JsonbValue *succeed = sfn_jv_object();

		sfn_jv_object_put(succeed, "Type", 4, sfn_jv_cstring("Succeed"));
		sfn_jv_object_put(states, name->val.string.val, name->val.string.len, succeed);
	}
}

static void
add_targets_of(JsonbValue *states, JsonbValue *state, const char *list_field)
{
	JsonbValue *list = sfn_jv_object_cget(state, list_field);

	if (list && sfn_jv_is_array(list))
		for (int i = 0; i < list->val.array.nElems; i++)
			if (sfn_jv_is_object(&list->val.array.elems[i]))
				add_target(states, sfn_jv_object_cget(&list->val.array.elems[i], "Next"));
}

/*
 * A lone state becomes a one-state machine whose transition targets are
 * placeholder Succeed states, so it compiles on its own.
 */
static JsonbValue *
wrap_single_state(JsonbValue *state)
{
	JsonbValue *def = sfn_jv_object();
	JsonbValue *states = sfn_jv_object();

	sfn_jv_object_put(def, "StartAt", 7, sfn_jv_cstring(TEST_STATE_NAME));
	sfn_jv_object_put(states, TEST_STATE_NAME, strlen(TEST_STATE_NAME), state);
	if (sfn_jv_is_object(state))
	{
		add_target(states, sfn_jv_object_cget(state, "Next"));
		add_target(states, sfn_jv_object_cget(state, "Default"));
		add_targets_of(states, state, "Choices");
		add_targets_of(states, state, "Catch");
	}
	sfn_jv_object_put(def, "States", 6, states);
	return def;
}

/*
 * sfn_test_state(definition, input, state_name) -> jsonb
 *	 {status, output | error, cause, nextState}
 */
Datum
sfn_test_state(PG_FUNCTION_ARGS)
{
	JsonbValue *definition;
	JsonbValue *input;
	char	   *state_name = sfn_text_arg(fcinfo, 2);
	List	   *diags = NIL;
	SfnPlan    *plan;
	SfnExecution exec;
	SfnThread	thread;
	SfnWake		run;
	JsonbValue *result = sfn_jv_object();
	int			start;

	sfn_require_arg(fcinfo, 0, "definition");
	sfn_require_arg(fcinfo, 1, "input");
	definition = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(0));
	input = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	if (state_name == NULL)
	{
		definition = wrap_single_state(definition);
		state_name = TEST_STATE_NAME;
	}
	plan = sfn_asl_compile(definition, "STANDARD", &diags);
	if (plan == NULL)
		sfn_report_invalid_definition(diags);
	start = sfn_plan_find_state(plan, state_name);
	if (start == SFN_NO_STATE)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: state \"%s\" is not in the definition", sfn_msg(state_name))));

	memset(&exec, 0, sizeof(exec));
	exec.region = sfn_region;
	exec.name = "test-state";
	exec.sm_name = "TestStateMachine";
	exec.arn = sfn_execution_arn(exec.sm_name, exec.name);
	exec.sm_arn = sfn_state_machine_arn(exec.sm_name);
	exec.role_arn = psprintf("arn:aws:iam::%s:role/%s", sfn_account_id,
							 GetUserNameFromId(GetUserId(), false));
	exec.input = input;
	exec.start_date = exec.now = GetCurrentTimestamp();
	exec.max_transitions = 1;	/* this state only */
	exec.max_events = INT_MAX / 2;
	exec.max_payload = sfn_max_payload_size;
	exec.status = SFN_RUNNING;

	sfn_thread_init(&thread, plan, input);
	thread.state = start;
	run = sfn_wake(SFN_WAKE_RUN);
	exec.fresh_token = "test-state-token";
	sfn_decide(plan, &exec, &thread, &run);
	/* A Wait is not waited for: resume it as if its time had come. */
	if (!thread.done && thread.phase == SFN_PHASE_WAITING)
	{
		exec.now = thread.due_at;
		sfn_decide(plan, &exec, &thread, &run);
	}
	if (exec.effects != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sfn_test_state cannot call the resource of Task state \"%s\" yet",
						sfn_msg(plan->states[start].name))));

	if (exec.status == SFN_FAILED)
	{
		sfn_jv_object_put(result, "status", 6, sfn_jv_cstring("FAILED"));
		if (exec.error)
			sfn_jv_object_put(result, "error", 5, sfn_jv_cstring(exec.error));
		if (exec.cause)
			sfn_jv_object_put(result, "cause", 5, sfn_jv_cstring(exec.cause));
	}
	else
	{
		JsonbValue *output = exec.status == SFN_SUCCEEDED ? exec.output : thread.input;

		sfn_jv_object_put(result, "status", 6, sfn_jv_cstring("SUCCEEDED"));
		sfn_jv_object_put(result, "output", 6, sfn_jv_cstring(sfn_jv_to_text(output)));
		if (!thread.done)
			sfn_jv_object_put(result, "nextState", 9, sfn_jv_cstring(plan->states[thread.state].name));
	}
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(result));
}
