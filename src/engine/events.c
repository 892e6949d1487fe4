/*-------------------------------------------------------------------------
 *
 * events.c
 *	  History events: appending them and shaping their details as AWS's
 *	  HistoryEvent *EventDetails objects.
 *
 * Inputs and outputs inside details are JSON text in a string, as AWS
 * returns them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/datetime.h"

#include "engine/events.h"

static const char *const entered_types[] = {
	[SFN_STATE_PASS] = "PassStateEntered",
	[SFN_STATE_TASK] = "TaskStateEntered",
	[SFN_STATE_CHOICE] = "ChoiceStateEntered",
	[SFN_STATE_WAIT] = "WaitStateEntered",
	[SFN_STATE_SUCCEED] = "SucceedStateEntered",
	[SFN_STATE_FAIL] = "FailStateEntered",
	[SFN_STATE_PARALLEL] = "ParallelStateEntered",
	[SFN_STATE_MAP] = "MapStateEntered",
};

static const char *const exited_types[] = {
	[SFN_STATE_PASS] = "PassStateExited",
	[SFN_STATE_TASK] = "TaskStateExited",
	[SFN_STATE_CHOICE] = "ChoiceStateExited",
	[SFN_STATE_WAIT] = "WaitStateExited",
	[SFN_STATE_SUCCEED] = "SucceedStateExited",
	[SFN_STATE_FAIL] = "FailStateExited",
	[SFN_STATE_PARALLEL] = "ParallelStateExited",
	[SFN_STATE_MAP] = "MapStateExited",
};

const char *
sfn_entered_event_type(SfnStateType t)
{
	return entered_types[t];
}

const char *
sfn_exited_event_type(SfnStateType t)
{
	return exited_types[t];
}

SfnEvent *
sfn_emit(SfnExecution *exec, int32 previous, const char *type, JsonbValue *details)
{
	SfnEvent   *ev = palloc(sizeof(SfnEvent));

	ev->id = ++exec->last_event_id;
	ev->previous_id = previous;
	ev->ts = exec->now;
	ev->type = type;
	ev->details = details;
	exec->events = lappend(exec->events, ev);
	return ev;
}

JsonbValue *
sfn_not_truncated(void)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "truncated", 9, sfn_jv_bool(false));
	return d;
}

JsonbValue *
sfn_state_entered_details(const char *name, const char *input_text)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "name", 4, sfn_jv_cstring(name));
	sfn_jv_object_put(d, "input", 5, sfn_jv_cstring(input_text));
	sfn_jv_object_put(d, "inputDetails", 12, sfn_not_truncated());
	return d;
}

JsonbValue *
sfn_state_exited_details(const char *name, const char *output_text)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "name", 4, sfn_jv_cstring(name));
	sfn_jv_object_put(d, "output", 6, sfn_jv_cstring(output_text));
	sfn_jv_object_put(d, "outputDetails", 13, sfn_not_truncated());
	return d;
}

JsonbValue *
sfn_state_exited_details_assigned(const char *name, const char *output_text,
								  JsonbValue *assigned_texts)
{
	JsonbValue *d = sfn_state_exited_details(name, output_text);

	if (assigned_texts != NULL)
	{
		sfn_jv_object_put(d, "assignedVariables", 17, assigned_texts);
		sfn_jv_object_put(d, "assignedVariablesDetails", 24, sfn_not_truncated());
	}
	return d;
}

JsonbValue *
sfn_error_details(const char *error, const char *cause)
{
	JsonbValue *d = sfn_jv_object();

	if (error)
		sfn_jv_object_put(d, "error", 5, sfn_jv_cstring(error));
	if (cause)
		sfn_jv_object_put(d, "cause", 5, sfn_jv_cstring(cause));
	return d;
}

JsonbValue *
sfn_execution_started_details(const char *input_text, const char *role_arn)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "input", 5, sfn_jv_cstring(input_text));
	sfn_jv_object_put(d, "inputDetails", 12, sfn_not_truncated());
	sfn_jv_object_put(d, "roleArn", 7, sfn_jv_cstring(role_arn));
	return d;
}

JsonbValue *
sfn_execution_succeeded_details(const char *output_text)
{
	JsonbValue *d = sfn_jv_object();

	sfn_jv_object_put(d, "output", 6, sfn_jv_cstring(output_text));
	sfn_jv_object_put(d, "outputDetails", 13, sfn_not_truncated());
	return d;
}

char *
sfn_format_timestamp(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		return pstrdup("1970-01-01T00:00:00.000Z");
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
					tm.tm_year, tm.tm_mon, tm.tm_mday,
					tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (fsec / 1000));
}

const char *
sfn_status_name(SfnStatus s)
{
	switch (s)
	{
		case SFN_RUNNING:
			return "RUNNING";
		case SFN_SUCCEEDED:
			return "SUCCEEDED";
		case SFN_FAILED:
			return "FAILED";
		case SFN_TIMED_OUT:
			return "TIMED_OUT";
		case SFN_ABORTED:
			return "ABORTED";
	}
	return "UNKNOWN";
}
