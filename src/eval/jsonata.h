/*-------------------------------------------------------------------------
 *
 * jsonata.h
 *	  JSONata expressions (the query language of JSONata states).
 *
 * The language is JSONata 2.0 as the reference implementation (jsonata-js)
 * defines it, with the functions AWS Step Functions adds ($partition,
 * $range, $hash, $random, $uuid, $parse) and without $eval, which AWS does
 * not support.  See docs/JSONATA.md.
 *
 * An expression is compiled once and evaluated many times.  Evaluation is
 * pure: the result depends only on the expression, the input, the bindings
 * and the seed (for $random, $uuid, $shuffle); $now and $millis read the
 * environment's timestamp.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_JSONATA_H
#define SFN_JSONATA_H

#include "eval/json.h"

typedef struct SfnJsonata SfnJsonata;

typedef struct SfnJsonataValue SfnJsonataValue;

/*
 * A named variable binding ("states" for $states; names without the $):
 * a JsonbValue, or a value converted once with sfn_jsonata_value (used
 * when set, e.g. for a $states shared by many evaluations).
 */
typedef struct SfnJsonataBinding
{
	const char *name;
	JsonbValue *value;
	const SfnJsonataValue *converted;
} SfnJsonataBinding;

typedef struct SfnJsonataEnv
{
	int			nbindings;
	const SfnJsonataBinding *bindings;
	uint64		seed;			/* $random, $uuid, $shuffle */
	int64		now_ms;			/* $now, $millis: ms since the Unix epoch */
	int			max_depth;		/* nesting limit; 0: the default */
} SfnJsonataEnv;

/*
 * Compile text[0..len-1].  On a syntax error returns NULL and fills err
 * (States.QueryEvaluationError, a cause with JSONata's code, the character
 * position and message).
 */
extern SfnJsonata *sfn_jsonata_compile(const char *text, int len, SfnError *err);

/*
 * Evaluate against input (NULL: no input).  *result is NULL when the
 * expression evaluates to nothing (JSONata's undefined).  The result may
 * share structure with input and the bindings.  Returns false with err set
 * on a runtime error (States.QueryEvaluationError) or when the evaluation
 * budget (eval/budget.h) is spent (States.Runtime).
 */
extern bool sfn_jsonata_eval(const SfnJsonata *expr, JsonbValue *input,
							 const SfnJsonataEnv *env, JsonbValue **result,
							 SfnError *err);

/*
 * An input converted once for several evaluations (the engine evaluates
 * many expressions over one state input): conversion of a large document
 * costs more than evaluating most expressions over it.  Lives in the
 * current memory context; evaluations never modify it.
 */
extern SfnJsonataValue *sfn_jsonata_value(JsonbValue *v);
extern bool sfn_jsonata_eval_value(const SfnJsonata *expr, const SfnJsonataValue *input,
								   const SfnJsonataEnv *env, JsonbValue **result,
								   SfnError *err);

/*
 * What an expression reads that a Step Functions state may not have: a
 * field name at the top level (a JSONata state has no context item: its
 * input is $states.input), the root $$, and $states.result /
 * $states.errorOutput (which exist only in some fields).  Names are the
 * first found, NULL when none; lambda bodies count as the top level.
 */
typedef struct SfnJsonataRefs
{
	char	   *top_level_name;
	bool		root;			/* $$ */
	bool		states_result;
	bool		states_error_output;
} SfnJsonataRefs;

extern void sfn_jsonata_refs(const SfnJsonata *expr, SfnJsonataRefs *out);

/* The AWS error name of JSONata evaluation failures. */
#define SFN_JSONATA_ERROR "States.QueryEvaluationError"

#endif							/* SFN_JSONATA_H */
