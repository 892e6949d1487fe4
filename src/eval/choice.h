/*-------------------------------------------------------------------------
 *
 * choice.h
 *	  Choice state rules: comparisons and And/Or/Not, compiled and evaluated.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_CHOICE_H
#define SFN_CHOICE_H

#include "eval/json.h"
#include "asl/diag.h"

typedef struct SfnChoiceRule SfnChoiceRule;

/*
 * Compile one rule (a Choices element when top_level, which must carry Next
 * and which the caller resolves; a nested And/Or/Not operand otherwise, which
 * must not).  Problems go into *diags with locations under location;
 * returns NULL if anything was reported.  Nesting deeper than max_depth is
 * reported, not recursed into.
 */
extern SfnChoiceRule *sfn_choice_compile(JsonbValue *rule, bool top_level,
										 const char *location, int max_depth,
										 List **diags);

/*
 * Evaluate against input and context.  A Variable (or *Path operand) that
 * matches nothing fails with States.Runtime, as AWS does (IsPresent aside).
 */
extern bool sfn_choice_eval(const SfnChoiceRule *r, JsonbValue *input, JsonbValue *context,
							bool *matched, SfnError *err);

#endif							/* SFN_CHOICE_H */
