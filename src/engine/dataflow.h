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

/* $$ for a state visit: Execution, State, StateMachine. */
extern JsonbValue *sfn_context_object(const SfnExecution *exec, const SfnState *state,
									  const SfnThread *thread);

#endif							/* SFN_DATAFLOW_H */
