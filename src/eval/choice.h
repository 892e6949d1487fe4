/*-------------------------------------------------------------------------
 *
 * choice.h
 *	  Choice state rules: comparisons and And/Or/Not, compiled and evaluated.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_CHOICE_H
#define SFN_CHOICE_H

#include "utils/timestamp.h"

#include "eval/json.h"
#include "support/diag.h"

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

/*
 * Parse an RFC 3339 timestamp as ASL requires it (uppercase T, and Z or a
 * numeric offset, optional fraction); false if s (of len bytes) is not one.
 */
extern bool sfn_timestamp_parse(const char *s, int len, TimestampTz *out);

#endif							/* SFN_CHOICE_H */
