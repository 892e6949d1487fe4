/*-------------------------------------------------------------------------
 *
 * events.h
 *	  Builders for AWS history event details.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_EVENTS_H
#define SFN_EVENTS_H

#include "engine/engine.h"

/* {name, input, inputDetails} of a *StateEntered event */
extern JsonbValue *sfn_state_entered_details(const char *name, const char *input_text);

/* {name, output, outputDetails} of a *StateExited event */
extern JsonbValue *sfn_state_exited_details(const char *name, const char *output_text);

/*
 * The same with the variables the state assigned: assignedVariables (name
 * to JSON text) and assignedVariablesDetails, as AWS records them.
 */
extern JsonbValue *sfn_state_exited_details_assigned(const char *name, const char *output_text,
													 JsonbValue *assigned_texts);

/* {error, cause} of *Failed / *Aborted / *TimedOut events; NULLs omitted */
extern JsonbValue *sfn_error_details(const char *error, const char *cause);

/* ExecutionStarted / ExecutionSucceeded details */
extern JsonbValue *sfn_execution_started_details(const char *input_text, const char *role_arn);
extern JsonbValue *sfn_execution_succeeded_details(const char *output_text);

/* {"truncated": false}: inputDetails / outputDetails */
extern JsonbValue *sfn_not_truncated(void);

/* "Pass" -> "PassStateEntered" etc. */
extern const char *sfn_entered_event_type(SfnStateType t);
extern const char *sfn_exited_event_type(SfnStateType t);

#endif							/* SFN_EVENTS_H */
