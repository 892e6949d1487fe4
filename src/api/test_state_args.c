/*-------------------------------------------------------------------------
 *
 * test_state_args.c
 *	  TestState's mock, context and stateConfiguration arguments, checked
 *	  with the ValidationException messages AWS's TestState API answers
 *	  (recorded on AWS; where none was recorded, messages in its style).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "api/test_state.h"
#include "support/errors.h"
#include "support/format.h"
#include "support/names.h"

static void invalid(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();

/* ValidationException with AWS's message */
static void
invalid(const char *fmt,...)
{
	va_list		args;
	char	   *message;

	va_start(args, fmt);
	message = sfn_vformat(fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(ERRCODE_SFN_VALIDATION),
			 errmsg("ValidationException: %s", message)));
}

/* Only the fields in allowed (NULL-terminated) may appear in obj. */
static void
check_fields(const JsonbValue *obj, const char *const *allowed, const char *what)
{
	for (int i = 0; i < obj->val.object.nPairs; i++)
	{
		const JsonbValue *k = &obj->val.object.pairs[i].key;
		bool		ok = false;

		for (int j = 0; allowed[j] && !ok; j++)
			ok = strlen(allowed[j]) == (size_t) k->val.string.len &&
				memcmp(allowed[j], k->val.string.val, k->val.string.len) == 0;
		if (!ok)
			invalid("%s: Field '%s' is not allowed", what, sfn_msg(sfn_jv_cstr(k)));
	}
}

/* A string field, NULL when absent; what names it in messages. */
static char *
opt_string(const JsonbValue *obj, const char *field, const char *what)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);

	if (v == NULL || sfn_jv_is_null(v))
		return NULL;
	if (!sfn_jv_is_string(v))
		invalid("%s must be a string", what);
	return sfn_jv_cstr(v);
}

/* A non-negative integer field, -1 when absent. */
static int
opt_count(const JsonbValue *obj, const char *field)
{
	JsonbValue *v = sfn_jv_object_cget(obj, field);
	int64		n;

	if (v == NULL || sfn_jv_is_null(v))
		return -1;
	if (!sfn_jv_get_int64(v, &n) || n < 0 || n > PG_INT32_MAX)
		invalid("stateConfiguration.%s must be an integer between 0 and %d", field, PG_INT32_MAX);
	return (int) n;
}

/*
 * mock.result is JSON text as in AWS's API ("{\"a\":1}"); any other JSON
 * value is taken as the result itself, which SQL callers find handier.
 */
static JsonbValue *
mock_result(JsonbValue *v)
{
	JsonbValue *parsed;

	if (!sfn_jv_is_string(v))
		return v;
	parsed = sfn_jv_parse(v->val.string.val, v->val.string.len);
	if (parsed == NULL)
		invalid("Mocked result must be valid JSON.");
	return parsed;
}

/* What a Map's or Parallel's mocked result must look like (AWS's checks). */
static void
check_result_shape(const JsonbValue *result, const SfnState *st)
{
	if (st->type == SFN_STATE_MAP && sfn_jv_object_cget(st->raw, "ResultWriter") != NULL)
	{
		if (!sfn_jv_is_object(result))
			invalid("Mocked result must be a JSON object.");
	}
	else if (st->type == SFN_STATE_MAP || st->type == SFN_STATE_PARALLEL)
	{
		if (!sfn_jv_is_array(result))
			invalid("Mocked result must be an array.");
		if (st->type == SFN_STATE_PARALLEL && result->val.array.nElems != st->n_branches)
			invalid("Mocked result must contain the same number of items as number of Parallel branches.");
	}
}

SfnMock *
sfn_test_state_mock(JsonbValue *mock, const SfnState *st, bool reveal_secrets)
{
	static const char *const fields[] = {"result", "errorOutput", "fieldValidationMode", NULL};
	static const char *const error_fields[] = {"error", "cause", NULL};
	SfnMock    *out = palloc0(sizeof(SfnMock));
	JsonbValue *result;
	JsonbValue *error;
	char	   *mode;

	if (st->type != SFN_STATE_TASK && st->type != SFN_STATE_MAP &&
		st->type != SFN_STATE_PARALLEL)
		invalid("State type '%s' is not supported when a mock is specified",
				sfn_state_type_name(st->type));
	if (reveal_secrets)
		invalid("TestState does not support RevealSecrets when a mock is specified.");
	if (!sfn_jv_is_object(mock))
		invalid("mock must be a JSON object with the field result or errorOutput");
	check_fields(mock, fields, "Invalid mock");

	/*
	 * fieldValidationMode checks a result against the service's API model.
	 * pg_sfn has no API models, so every mode accepts any JSON result; the
	 * mode itself is checked.
	 */
	mode = opt_string(mock, "fieldValidationMode", "mock.fieldValidationMode");
	if (mode && strcmp(mode, "STRICT") != 0 && strcmp(mode, "PRESENT") != 0 &&
		strcmp(mode, "NONE") != 0)
		invalid("mock.fieldValidationMode must be one of [STRICT, PRESENT, NONE]");

	result = sfn_jv_object_cget(mock, "result");
	error = sfn_jv_object_cget(mock, "errorOutput");
	if (result && error)
		invalid("A test mock should have only one of the following fields: [result, errorOutput].");
	if (result == NULL && error == NULL)
		invalid("A test mock should have one of the following fields: [result, errorOutput].");
	if (result)
	{
		out->result = mock_result(result);
		check_result_shape(out->result, st);
	}
	else
	{
		if (!sfn_jv_is_object(error))
			invalid("mock.errorOutput must be a JSON object with the fields error and cause");
		check_fields(error, error_fields, "Invalid mock.errorOutput");
		out->error = opt_string(error, "error", "mock.errorOutput.error");
		out->cause = opt_string(error, "cause", "mock.errorOutput.cause");
	}
	return out;
}

/* Fields of the context object a caller may give, and which are strings. */
typedef struct ContextSection
{
	const char *name;
	const char *const *fields;
	const char *const *strings;
} ContextSection;

static const char *const exec_fields[] = {"Id", "Input", "Name", "RoleArn", "StartTime",
"RedriveCount", "RedriveTime", NULL};
static const char *const exec_strings[] = {"Id", "Name", "RoleArn", "StartTime", "RedriveTime", NULL};
static const char *const state_fields[] = {"EnteredTime", "Name", "RetryCount", NULL};
static const char *const state_strings[] = {"EnteredTime", "Name", NULL};
static const char *const sm_fields[] = {"Id", "Name", NULL};
static const char *const task_fields[] = {"Token", NULL};

static const ContextSection context_sections[] = {
	{"Execution", exec_fields, exec_strings},
	{"State", state_fields, state_strings},
	{"StateMachine", sm_fields, sm_fields},
	{"Task", task_fields, task_fields},
};

#define BAD_CONTEXT "Invalid Context object provided"

/* A Task state that waits for a callback or a job has $$.Task. */
static bool
has_task_token(const SfnState *st)
{
	return st->type == SFN_STATE_TASK && st->resource &&
		(strstr(st->resource, ".sync") != NULL ||
		 strstr(st->resource, ".waitForTaskToken") != NULL);
}

JsonbValue *
sfn_test_state_context(JsonbValue *context, const SfnState *st)
{
	if (!sfn_jv_is_object(context))
		invalid(BAD_CONTEXT ": the context must be a JSON object");
	for (int i = 0; i < context->val.object.nPairs; i++)
	{
		char	   *key = sfn_jv_cstr(&context->val.object.pairs[i].key);
		JsonbValue *v = &context->val.object.pairs[i].value;
		const ContextSection *sec = NULL;

		for (int j = 0; j < (int) lengthof(context_sections); j++)
			if (strcmp(context_sections[j].name, key) == 0)
				sec = &context_sections[j];
		if (strcmp(key, "Map") == 0)
			invalid(BAD_CONTEXT ": 'Map' field is not supported when mocking a Context object");
		if (sec == NULL)
			invalid(BAD_CONTEXT ": Field '%s' is not allowed", sfn_msg(key));
		if (strcmp(key, "Task") == 0 && !has_task_token(st))
			invalid(BAD_CONTEXT ": Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
		if (!sfn_jv_is_object(v))
			invalid(BAD_CONTEXT ": %s must be an object", key);
		check_fields(v, sec->fields, BAD_CONTEXT);
		for (int j = 0; sec->strings[j]; j++)
		{
			JsonbValue *f = sfn_jv_object_cget(v, sec->strings[j]);

			if (f && !sfn_jv_is_string(f))
				invalid(BAD_CONTEXT ": %s.%s must be a string", key, sec->strings[j]);
		}
	}
	return context;
}

/* Is name a state inside st's branches or processor? */
static bool
inside(const SfnState *st, const char *name)
{
	const SfnPlan *found;

	for (int b = 0; b < st->n_branches; b++)
		if (sfn_plan_find_state_deep(st->branches[b], name, &found) != SFN_NO_STATE)
			return true;
	return st->processor &&
		sfn_plan_find_state_deep(st->processor, name, &found) != SFN_NO_STATE;
}

void
sfn_test_state_config(JsonbValue *config, const SfnState *st, const SfnMock *mock,
					  SfnTestStateConfig *out)
{
	static const char *const fields[] = {"retrierRetryCount", "errorCausedByState",
	"mapIterationFailureCount", "mapItemReaderData", NULL};
	bool		is_map = st->type == SFN_STATE_MAP;

	out->retrier_retry_count = -1;
	out->map_iteration_failure_count = -1;
	out->error_caused_by_state = NULL;
	out->map_item_reader_data = NULL;
	if (config == NULL)
		return;
	if (!sfn_jv_is_object(config))
		invalid("stateConfiguration must be a JSON object");
	check_fields(config, fields, "Invalid stateConfiguration");

	out->retrier_retry_count = opt_count(config, "retrierRetryCount");
	out->map_iteration_failure_count = opt_count(config, "mapIterationFailureCount");
	out->error_caused_by_state = opt_string(config, "errorCausedByState",
											"stateConfiguration.errorCausedByState");
	out->map_item_reader_data = opt_string(config, "mapItemReaderData",
										   "stateConfiguration.mapItemReaderData");

	if (out->map_iteration_failure_count >= 0 && !is_map)
		invalid("stateConfiguration.mapIterationFailureCount is only supported for Map states");
	if (out->map_item_reader_data &&
		(!is_map || sfn_jv_object_cget(st->raw, "ItemReader") == NULL))
		invalid("stateConfiguration.mapItemReaderData is only supported for Map states with an ItemReader");
	if (out->error_caused_by_state)
	{
		size_t		len = strlen(out->error_caused_by_state);

		if (len < 1 || len > 80)
			invalid("stateConfiguration.errorCausedByState must be 1 to 80 characters long");
		if ((!is_map && st->type != SFN_STATE_PARALLEL) || mock == NULL || mock->result)
			invalid("stateConfiguration.errorCausedByState is only supported when an error is mocked for a Map or Parallel state");
		if (!inside(st, out->error_caused_by_state))
			invalid("stateConfiguration.errorCausedByState: state '%s' is not in the %s state's %s",
					sfn_msg(out->error_caused_by_state), sfn_state_type_name(st->type),
					is_map ? "ItemProcessor" : "Branches");
	}
}
