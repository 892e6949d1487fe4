/*-------------------------------------------------------------------------
 *
 * dataflow.h
 *	  ASL input/output processing in AWS's order: InputPath, Parameters,
 *	  ResultSelector, ResultPath, OutputPath; and the context object.
 *
 * Each step returns false with *err filled (States.Runtime,
 * States.ResultPathMatchFailure, ...) instead of raising an ERROR, so the
 * engine can record the failure in the execution's history.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_DATAFLOW_H
#define SFN_DATAFLOW_H

#include "engine/engine.h"

extern bool sfn_input_path(const SfnOptPath *p, JsonbValue *input, JsonbValue *ctx,
						   JsonbValue **out, SfnError *err);
extern bool sfn_output_path(const SfnOptPath *p, JsonbValue *value, JsonbValue *ctx,
							JsonbValue **out, SfnError *err);
extern bool sfn_result_path(const SfnOptPath *p, JsonbValue *input, JsonbValue *result,
							JsonbValue **out, SfnError *err);
extern bool sfn_parameters(const SfnTemplate *t, JsonbValue *input, JsonbValue *ctx,
						   JsonbValue **out, SfnError *err);

/*
 * The language-dependent data flow of a state (dataflow_state.c): one call
 * for what goes in, one for what comes out.  Parallel and Map use them as
 * Task does.
 */
typedef enum SfnResultKind
{
	SFN_RESULT_NONE,			/* Choice, Wait, Succeed: no result */
	SFN_RESULT_PASS,			/* Pass: result is its Result / Parameters */
	SFN_RESULT_TASK				/* Task, Parallel, Map: result is theirs */
} SfnResultKind;

/*
 * The effective input: JSONPath InputPath, then Parameters when
 * with_parameters; JSONata Arguments (absent: the input).
 */
extern bool sfn_state_input(const SfnState *st, JsonbValue *input, JsonbValue *ctx,
							bool with_parameters, JsonbValue **out, SfnError *err);

/*
 * The output and the assignments (a JSON object, NULL when none) of a
 * state visit.  f: the Assign / Output that apply (NULL: the state's own;
 * a matched Choice rule's otherwise).  input is the state's raw input,
 * effective its effective input (JSONPath, NONE), result its result.
 */
extern bool sfn_state_output(const SfnState *st, const SfnOutputFields *f,
							 SfnResultKind kind, JsonbValue *input, JsonbValue *effective,
							 JsonbValue *result, JsonbValue *ctx, JsonbValue **output,
							 JsonbValue **assigned, SfnError *err);

/* The same for a catcher that matched error_output ({Error, Cause}). */
extern bool sfn_catcher_output(const SfnState *st, const SfnCatcher *k, JsonbValue *input,
							   JsonbValue *error_output, JsonbValue *ctx,
							   JsonbValue **output, JsonbValue **assigned, SfnError *err);

/* One JSONata field (Seconds, Condition...) over $states.input and $states.context */
extern bool sfn_state_expression(const SfnState *st, const SfnJsonataTemplate *t,
								 JsonbValue *input, JsonbValue *ctx, JsonbValue **out,
								 SfnError *err);

/* vars with assigned applied, within AWS's limits; texts for the history */
extern bool sfn_assign_variables(JsonbValue *vars, JsonbValue *assigned, JsonbValue **out,
								 JsonbValue **texts, SfnError *err);

/* $$ for a state visit: Execution, State, StateMachine. */
extern JsonbValue *sfn_context_object(const SfnExecution *exec, const SfnState *state,
									  const SfnThread *thread);

#endif							/* SFN_DATAFLOW_H */
