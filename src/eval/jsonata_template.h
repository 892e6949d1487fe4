/*-------------------------------------------------------------------------
 *
 * jsonata_template.h
 *	  JSON values of JSONata states (Arguments, Output, Assign, Condition,
 *	  Items, Seconds...): any string of the form "{% expression %}",
 *	  at any depth inside objects and arrays, is a JSONata expression that
 *	  is replaced by its value.
 *
 * Compiled once with the definition; evaluated per state visit with the
 * bindings the engine gives ($states and the workflow variables).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_JSONATA_TEMPLATE_H
#define SFN_JSONATA_TEMPLATE_H

#include "eval/jsonata.h"
#include "support/diag.h"

typedef struct SfnJsonataTemplate SfnJsonataTemplate;

/* Is s[0..len-1] of the form "{% ... %}"? */
extern bool sfn_jsonata_is_expression(const char *s, int len);

/* What the field's expressions may read besides $states.input/context */
#define SFN_JT_RESULT		0x01	/* $states.result */
#define SFN_JT_ERROR_OUTPUT 0x02	/* $states.errorOutput */

/*
 * Compile v.  field is the state's field as AWS names it in messages
 * ("Output", "Choices[1]/Condition"): nested values are named below it
 * ("Output/a/b[0]").  Syntax errors are reported into *diags at location
 * (INVALID_JSONATA_EXPRESSION), and what a state's expression may not read
 * (UNSUPPORTED_JSONATA_EXPRESSION: a field name at the top level, $$, and
 * $states.result / errorOutput unless allowed); returns NULL if any was.
 */
extern SfnJsonataTemplate *sfn_jsonata_template_compile(JsonbValue *v, const char *field,
														const char *location, int allow,
														List **diags);

/* The template is one expression (not a literal, object or array). */
extern bool sfn_jsonata_template_is_expression(const SfnJsonataTemplate *t);

/* The literal value, when the template holds no expression; else NULL. */
extern JsonbValue *sfn_jsonata_template_literal(const SfnJsonataTemplate *t);

/*
 * Evaluate with env (no context item: JSONata states read their input as
 * $states.input).  An expression that returns nothing fails with
 * States.QueryEvaluationError ("The JSONata expression '...' specified for
 * the field '...' returned nothing (undefined).").
 */
extern bool sfn_jsonata_template_eval(const SfnJsonataTemplate *t, const SfnJsonataEnv *env,
									  JsonbValue **out, SfnError *err);

/*
 * The field of the expression evaluated last: after a failed evaluation,
 * where it failed (EvaluationFailed's location).  Points into a compiled
 * template.
 */
extern const char *sfn_jsonata_template_failed_field(void);

/* The expression text and field name of an expression template (messages). */
extern const char *sfn_jsonata_template_text(const SfnJsonataTemplate *t);
extern const char *sfn_jsonata_template_field(const SfnJsonataTemplate *t);

#endif							/* SFN_JSONATA_TEMPLATE_H */
