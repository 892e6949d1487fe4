/*-------------------------------------------------------------------------
 *
 * test_state.c
 *	  SQL API: sfn_test_state(), AWS's TestState: run one state through
 *	  sfn_decide() and report its status, output, next state, error and
 *	  cause, and at DEBUG or TRACE its data after each step.  No execution
 *	  is created and nothing is written.
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
#include "api/test_state.h"
#include "asl/plan.h"
#include "support/errors.h"
#include "tasks/tasks.h"
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

/* TestState's inspectionLevel */
typedef enum InspectionLevel
{
	INSPECT_INFO,
	INSPECT_DEBUG,
	INSPECT_TRACE
} InspectionLevel;

static InspectionLevel
inspection_level(const char *level)
{
	if (level == NULL || strcmp(level, "INFO") == 0)
		return INSPECT_INFO;
	if (strcmp(level, "DEBUG") == 0)
		return INSPECT_DEBUG;
	if (strcmp(level, "TRACE") == 0)
		return INSPECT_TRACE;
	ereport(ERROR,
			(errcode(ERRCODE_SFN_VALIDATION),
			 errmsg("ValidationException: invalid inspection level \"%s\"", sfn_msg(level)),
			 errhint("The inspection level must be INFO, DEBUG or TRACE.")));
	return INSPECT_INFO;		/* keep compiler quiet */
}

/* A JSON value of inspectionData: JSON text, as AWS's API gives it. */
static void
put_text(JsonbValue *obj, const char *key, JsonbValue *v)
{
	if (v != NULL)
		sfn_jv_object_put(obj, key, strlen(key), sfn_jv_cstring(sfn_jv_to_text(v)));
}

/*
 * inspectionData: the state's data after each step; for a Map its limits;
 * the Retry or Catch that handled an error.  TRACE adds the HTTP request
 * and response of HTTP tasks, which pg_sfn does not run yet.
 */
static JsonbValue *
inspection_data(const SfnInspection *in, const SfnState *st)
{
	JsonbValue *data = sfn_jv_object();
	JsonbValue *details = sfn_jv_object();

	put_text(data, "input", in->input);
	put_text(data, "afterInputPath", in->after_input_path);
	put_text(data, "afterItemsPath", in->after_items_path);
	put_text(data, "afterParameters", in->after_parameters);
	put_text(data, "afterArguments", in->after_arguments);
	put_text(data, "result", in->result);
	put_text(data, "afterResultSelector", in->after_result_selector);
	put_text(data, "afterResultPath", in->after_result_path);
	if (st->type == SFN_STATE_MAP)
	{
		sfn_jv_object_put(data, "maxConcurrency", 14, sfn_jv_int(st->max_concurrency));
		if (sfn_jv_object_cget(st->raw, "ToleratedFailureCount"))
			sfn_jv_object_put(data, "toleratedFailureCount", 21,
							  sfn_jv_int(st->tolerated_failure_count));
		if (sfn_jv_object_cget(st->raw, "ToleratedFailurePercentage"))
			sfn_jv_object_put(data, "toleratedFailurePercentage", 26,
							  sfn_jv_float8(st->tolerated_failure_percentage));
	}
	if (in->retry_index >= 0)
		sfn_jv_object_put(details, "retryIndex", 10, sfn_jv_int(in->retry_index));
	if (in->retry_backoff_seconds >= 0)
		sfn_jv_object_put(details, "retryBackoffIntervalSeconds", 27,
						  sfn_jv_int(in->retry_backoff_seconds));
	if (in->catch_index >= 0)
		sfn_jv_object_put(details, "catchIndex", 10, sfn_jv_int(in->catch_index));
	if (details->val.object.nPairs > 0)
		sfn_jv_object_put(data, "errorDetails", 12, details);
	return data;
}

/* A jsonb argument as a document, NULL when the argument is NULL. */
static JsonbValue *
jsonb_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : sfn_jv_from_jsonb(PG_GETARG_JSONB_P(n));
}

/*
 * sfn_test_state(definition, input, state_name, inspection_level, mock,
 *				  context, state_configuration, reveal_secrets, variables)
 *	 -> jsonb {status, output | error, cause, nextState, inspectionData}
 *
 * AWS's TestState.  state_name may name a state inside a Parallel branch or
 * a Map processor.  Task, Map and Parallel states run on a mock.
 */
Datum
sfn_test_state(PG_FUNCTION_ARGS)
{
	JsonbValue *definition;
	JsonbValue *input;
	char	   *state_name = sfn_text_arg(fcinfo, 2);
	InspectionLevel level = inspection_level(sfn_text_arg(fcinfo, 3));
	JsonbValue *mock_arg = jsonb_arg(fcinfo, 4);
	JsonbValue *context_arg = jsonb_arg(fcinfo, 5);
	JsonbValue *config_arg = jsonb_arg(fcinfo, 6);
	bool		reveal_secrets = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	List	   *diags = NIL;
	SfnPlan    *top;
	const SfnPlan *plan;
	const SfnState *st;
	SfnTestStateConfig config;
	SfnMock    *mock = NULL;
	SfnInspection inspect;
	SfnExecution exec;
	SfnThread	thread;
	SfnWake		run;
	JsonbValue *result = sfn_jv_object();
	JsonbValue *variables;
	int			start;

	sfn_require_arg(fcinfo, 0, "definition");
	sfn_require_arg(fcinfo, 1, "input");
	/* The variables the state sees, as AWS's TestState takes them */
	variables = jsonb_arg(fcinfo, 8);
	if (variables != NULL && !sfn_jv_is_object(variables))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: variables must be a JSON object of variable names to values")));
	definition = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(0));
	input = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(1));
	if (state_name == NULL)
	{
		definition = wrap_single_state(definition);
		state_name = TEST_STATE_NAME;
	}
	top = sfn_asl_compile(definition, "STANDARD", &diags);
	if (top == NULL)
		sfn_report_invalid_definition(diags);
	start = sfn_plan_find_state_deep(top, state_name, &plan);
	if (start == SFN_NO_STATE)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: state \"%s\" is not in the definition", sfn_msg(state_name))));
	st = &plan->states[start];

	memset(&exec, 0, sizeof(exec));
	if (mock_arg)
		exec.mock = mock = sfn_test_state_mock(mock_arg, st, reveal_secrets);
	else if (st->type == SFN_STATE_MAP || st->type == SFN_STATE_PARALLEL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_DEFINITION),
				 errmsg("InvalidDefinition: TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"),
				 errhint("Give a mock to test a Map or Parallel state.")));
	if (context_arg)
		exec.context = sfn_test_state_context(context_arg, st);
	sfn_test_state_config(config_arg, st, exec.mock, &config);
	if (mock && config.map_iteration_failure_count > 0)
		mock->map_failure_count = config.map_iteration_failure_count;

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
	exec.fresh_token = "test-state-token";

	/*
	 * A Task without a mock whose target can answer at once (a SQL
	 * function, a Lambda function mapped to one) is called, as AWS's
	 * TestState calls the real resource, as the calling role and in the
	 * calling transaction; its answer is then applied as a mock would be.
	 */
	for (int pass = 0; pass < 2; pass++)
	{
		const SfnEffect *eff;
		JsonbValue *output;
		char	   *error = NULL;
		char	   *cause = NULL;
		bool		ok;
		SfnResourceKind kind;

		memset(&inspect, 0, sizeof(inspect));
		inspect.retry_index = inspect.catch_index = -1;
		inspect.retry_backoff_seconds = -1;
		exec.inspect = &inspect;
		exec.events = exec.effects = NIL;
		exec.last_event_id = 0;
		exec.status = SFN_RUNNING;

		sfn_thread_init(&thread, plan, input);
		thread.state = start;
		thread.variables = variables;
		if (config.retrier_retry_count >= 0)
		{
			/* the retries made so far, by the retrier that takes the error */
			thread.retry_count = config.retrier_retry_count;
			thread.n_retry_counts = list_length(st->retriers);
			thread.retry_counts = palloc(sizeof(int32) * (thread.n_retry_counts + 1));
			for (int i = 0; i < thread.n_retry_counts; i++)
				thread.retry_counts[i] = config.retrier_retry_count;
		}
		run = sfn_wake(SFN_WAKE_RUN);
		sfn_decide(plan, &exec, &thread, &run);
		/* A Wait is not waited for: resume it as if its time had come. */
		if (!thread.done && thread.phase == SFN_PHASE_WAITING)
		{
			exec.now = thread.due_at;
			sfn_decide(plan, &exec, &thread, &run);
		}
		if (exec.effects == NIL)
			break;

		eff = linitial(exec.effects);
		kind = eff->state->target.kind;
		if (pass > 0 || eff->token != NULL ||
			(kind != SFN_RESOURCE_SQL && kind != SFN_RESOURCE_LAMBDA &&
			 kind != SFN_RESOURCE_LAMBDA_FUNCTION))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("sfn_test_state cannot call the resource of Task state \"%s\"",
							sfn_msg(plan->states[start].name)),
					 errhint("It calls SQL tasks and Lambda functions mapped to SQL functions; give a mock for other resources and for .waitForTaskToken.")));
		if (kind == SFN_RESOURCE_SQL)
			ok = sfn_sql_invoke(eff->parameters, GetUserId(), eff->state->name, 0,
								&output, &error, &cause);
		else
		{
			SfnLambdaTarget target;
			bool		bare = kind == SFN_RESOURCE_LAMBDA_FUNCTION;

			ok = sfn_lambda_resolve(eff->parameters, eff->state->resource, bare,
									&target, &error, &cause);
			if (ok && target.http_endpoint)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("sfn_test_state cannot call the HTTP endpoint Task state \"%s\"'s Lambda function is mapped to",
								sfn_msg(plan->states[start].name)),
						 errhint("Give a mock.")));
			if (ok)
				ok = sfn_lambda_invoke(&target, bare, GetUserId(), eff->state->name, 0,
									   &output, &error, &cause);
		}
		mock = palloc0(sizeof(SfnMock));
		if (ok)
			mock->result = output;
		else
		{
			mock->error = error;
			mock->cause = cause;
		}
		exec.mock = mock;
	}

	if ((inspect.catch_index >= 0 && exec.status == SFN_RUNNING) ||
		inspect.retry_backoff_seconds >= 0)
	{
		/* A Catch took the error (nextState its Next), or a Retry will. */
		sfn_jv_object_put(result, "status", 6,
						  sfn_jv_cstring(inspect.catch_index >= 0 ? "CAUGHT_ERROR" : "RETRIABLE"));
		if (inspect.error)
			sfn_jv_object_put(result, "error", 5, sfn_jv_cstring(inspect.error));
		if (inspect.cause)
			sfn_jv_object_put(result, "cause", 5, sfn_jv_cstring(inspect.cause));
		if (inspect.catch_index >= 0)
		{
			sfn_jv_object_put(result, "output", 6, sfn_jv_cstring(sfn_jv_to_text(thread.input)));
			sfn_jv_object_put(result, "nextState", 9, sfn_jv_cstring(plan->states[thread.state].name));
		}
	}
	else if (exec.status == SFN_FAILED)
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
	if (level != INSPECT_INFO)
	{
		JsonbValue *data = inspection_data(&inspect, st);

		/* the variables after the state, as AWS shows them */
		put_text(data, "variables", thread.variables);
		sfn_jv_object_put(result, "inspectionData", 14, data);
	}
	PG_RETURN_JSONB_P(sfn_jv_to_jsonb(result));
}
