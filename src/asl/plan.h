/*-------------------------------------------------------------------------
 *
 * plan.h
 *	  A compiled state machine definition.
 *
 * sfn_asl_compile() turns a definition into a plan once per revision; the
 * engine runs plans and never re-parses JSON per transition.  States sit in
 * an array and transitions are indexes into it.  Parallel branches and Map
 * processors are nested plans.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_PLAN_H
#define SFN_PLAN_H

#include "postgres.h"
#include "nodes/pg_list.h"
#include "utils/timestamp.h"

#include "eval/json.h"
#include "eval/jsonpath.h"
#include "eval/intrinsics.h"
#include "eval/template.h"
#include "eval/choice.h"
#include "eval/jsonata_template.h"

#define SFN_NO_STATE (-1)

typedef enum SfnStateType
{
	SFN_STATE_PASS,
	SFN_STATE_TASK,
	SFN_STATE_CHOICE,
	SFN_STATE_WAIT,
	SFN_STATE_SUCCEED,
	SFN_STATE_FAIL,
	SFN_STATE_PARALLEL,
	SFN_STATE_MAP
} SfnStateType;

/* A state's query language (QueryLanguage, the state's or the machine's) */
typedef enum SfnQueryLanguage
{
	SFN_QL_JSONPATH = 0,
	SFN_QL_JSONATA
} SfnQueryLanguage;

/*
 * What a state (or a matched Choice rule, or a catcher) does last: assign
 * variables and, in JSONata, shape its output.  NULL members are absent.
 */
typedef struct SfnOutputFields
{
	SfnTemplate *assign_path;	/* JSONPath Assign: "x.$": "$.a" */
	SfnJsonataTemplate *assign; /* JSONata Assign */
	SfnJsonataTemplate *output; /* JSONata Output */
} SfnOutputFields;

/*
 * An optional data-flow path.  ASL distinguishes "absent" (default "$")
 * from JSON null (discard / empty object) from a path.
 */
typedef enum SfnPathMode
{
	SFN_PATH_DEFAULT,			/* field absent */
	SFN_PATH_NULL,				/* field is JSON null */
	SFN_PATH_SET				/* field is a path: see .path */
} SfnPathMode;

typedef struct SfnOptPath
{
	SfnPathMode mode;
	SfnPath    *path;
} SfnOptPath;

/* A value taken from a path or an intrinsic call (ErrorPath, SecondsPath...) */
typedef struct SfnValueExpr
{
	SfnPath    *path;			/* exactly one of path, fn is set */
	SfnIntrinsic *fn;
} SfnValueExpr;

typedef struct SfnRetrier
{
	List	   *errors;			/* of char *, ErrorEquals */
	double		interval_seconds;	/* default 1 */
	int			max_attempts;	/* default 3 */
	double		backoff_rate;	/* default 2.0 */
	int64		max_delay_seconds;	/* 0 = none */
	bool		jitter_full;	/* JitterStrategy FULL */
} SfnRetrier;

typedef struct SfnCatcher
{
	List	   *errors;			/* of char *, ErrorEquals */
	SfnOptPath	result_path;
	int			next;			/* state index */
	SfnOutputFields out;		/* Assign (both languages), Output (JSONata) */
} SfnCatcher;

/*
 * What a Task's Resource names (asl/resource.c).  The engine uses this to
 * choose the effect and the history events; the tasks layer to find the
 * target.
 */
typedef enum SfnResourceKind
{
	SFN_RESOURCE_OTHER,			/* an ARN pg_sfn has no target for */
	SFN_RESOURCE_SQL,			/* arn:aws:states:::sql:invoke (pg_sfn's own) */
	SFN_RESOURCE_HTTP,			/* arn:aws:states:::http:invoke */
	SFN_RESOURCE_LAMBDA,		/* arn:aws:states:::lambda:invoke */
	SFN_RESOURCE_LAMBDA_FUNCTION,	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
	SFN_RESOURCE_ACTIVITY,		/* arn:aws:states:REGION:ACCOUNT:activity:NAME */
	SFN_RESOURCE_START_EXECUTION	/* arn:aws:states:::states:startExecution */
} SfnResourceKind;

typedef struct SfnResource
{
	SfnResourceKind kind;
	char	   *type;			/* history resourceType, e.g. "lambda" */
	char	   *name;			/* history resource, e.g. "invoke.waitForTaskToken" */
	bool		wait_for_token; /* .waitForTaskToken */
	bool		sync;			/* .sync or .sync:2 */
} SfnResource;

typedef struct SfnChoiceBranch
{
	SfnChoiceRule *rule;		/* JSONPath */
	SfnJsonataTemplate *condition;	/* JSONata: Condition */
	int			next;			/* state index */
	SfnOutputFields out;		/* the rule's Assign / Output, if it matches */
} SfnChoiceBranch;

struct SfnPlan;

typedef struct SfnState
{
	char	   *name;
	SfnStateType type;
	int			index;			/* position in plan->states */
	int			next;			/* SFN_NO_STATE when End (or terminal type) */
	bool		end;
	SfnQueryLanguage query_language;

	/* data flow (on the types that allow each field) */
	SfnOptPath	input_path;
	SfnOptPath	output_path;
	SfnOptPath	result_path;
	SfnTemplate *parameters;	/* NULL if absent */
	SfnTemplate *result_selector;	/* NULL if absent */
	JsonbValue *result;			/* Pass: Result, NULL if absent */
	SfnJsonataTemplate *arguments;	/* JSONata Arguments, NULL if absent */
	SfnOutputFields out;		/* Assign, Output */

	/*
	 * JSONata forms of fields that hold a number or a string: Seconds,
	 * Timestamp, TimeoutSeconds, HeartbeatSeconds, Error, Cause, Items, when
	 * given as an expression (a literal is compiled as in JSONPath).
	 */
	SfnJsonataTemplate *seconds_expr;
	SfnJsonataTemplate *timestamp_expr;
	SfnJsonataTemplate *timeout_expr;
	SfnJsonataTemplate *heartbeat_expr;
	SfnJsonataTemplate *error_expr;
	SfnJsonataTemplate *cause_expr;
	SfnJsonataTemplate *items;	/* Map: Items (an array or an expression) */
	SfnJsonataTemplate *item_selector_expr; /* Map: JSONata ItemSelector */
	SfnJsonataTemplate *max_concurrency_expr;
	SfnJsonataTemplate *tolerated_percentage_expr;
	SfnJsonataTemplate *tolerated_count_expr;

	/* Choice */
	int			n_choices;
	SfnChoiceBranch *choices;
	int			default_next;	/* SFN_NO_STATE if no Default */

	/* Wait: exactly one of these is set */
	bool		has_seconds;
	int64		seconds;
	bool		has_timestamp;
	TimestampTz timestamp;
	SfnPath    *seconds_path;
	SfnPath    *timestamp_path;

	/* Fail: literal or expression; NULL when absent */
	char	   *error;
	char	   *cause;
	SfnValueExpr *error_path;
	SfnValueExpr *cause_path;

	/* Task */
	char	   *resource;
	SfnResource target;			/* resource, classified */
	int64		timeout_seconds;	/* 0 = default (99999999) */
	SfnPath    *timeout_seconds_path;
	int64		heartbeat_seconds;	/* 0 = none */
	SfnPath    *heartbeat_seconds_path;
	JsonbValue *credentials;

	/* Task, Parallel, Map */
	List	   *retriers;		/* of SfnRetrier * */
	List	   *catchers;		/* of SfnCatcher * */

	/* Parallel */
	int			n_branches;
	struct SfnPlan **branches;

	/* Map */
	struct SfnPlan *processor;	/* ItemProcessor / Iterator */
	SfnPath    *items_path;
	SfnTemplate *item_selector;
	int			max_concurrency;	/* 0 = unlimited */
	SfnPath    *max_concurrency_path;
	double		tolerated_failure_percentage;
	int64		tolerated_failure_count;

	JsonbValue *raw;			/* the state's definition object */
} SfnState;

typedef struct SfnPlan
{
	int			start;			/* index of StartAt */
	int			n_states;
	SfnState   *states;
	int64		timeout_seconds;	/* top level TimeoutSeconds, 0 = none */
	SfnQueryLanguage query_language;	/* the machine's QueryLanguage */
	int			depth;			/* 0 for the top level */
} SfnPlan;

/* Maximum nesting of branches, processors and Choice rules we accept. */
#define SFN_MAX_NESTING 32

/*
 * Validate and compile a definition.  type is "STANDARD" or "EXPRESS".
 * Every problem is appended to *diags; returns NULL if any has severity
 * ERROR.  Never ereports on bad input.
 */
extern SfnPlan *sfn_asl_compile(JsonbValue *definition, const char *type, List **diags);

/*
 * The same from JSON text (as CreateStateMachine receives it): empty text is
 * MISSING_DESCRIPTION, text that is not JSON INVALID_JSON_DESCRIPTION, and
 * text over 1 MiB is reported before parsing.  A key repeated in an object
 * (which jsonb would silently drop) is reported at its location.
 */
extern SfnPlan *sfn_asl_compile_text(const char *text, int len, const char *type,
									 List **diags);

/* Index of the state named name in plan, or SFN_NO_STATE. */
extern int	sfn_plan_find_state(const SfnPlan *plan, const char *name);

/*
 * The same, looking into Parallel branches and Map processors too (state
 * names are unique in the whole definition); *found is the plan holding it.
 */
extern int	sfn_plan_find_state_deep(const SfnPlan *plan, const char *name,
									 const SfnPlan **found);

extern const char *sfn_state_type_name(SfnStateType t);

/*
 * Does a task of this resource run inside the worker's transaction (a SQL
 * function, directly or as a mapped Lambda function)?
 */
#define sfn_resource_runs_inline(r) \
	(!(r)->wait_for_token && \
	 ((r)->kind == SFN_RESOURCE_SQL || (r)->kind == SFN_RESOURCE_LAMBDA || \
	  (r)->kind == SFN_RESOURCE_LAMBDA_FUNCTION))

/* Classify a Task's Resource ARN (never fails: unknown is OTHER). */
extern void sfn_resource_parse(const char *arn, SfnResource *out);

#endif							/* SFN_PLAN_H */
