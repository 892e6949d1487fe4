/*-------------------------------------------------------------------------
 *
 * jsonpath.h
 *	  JSONPath as Amazon States Language uses it.
 *
 * A path is parsed once (when a definition is compiled) and evaluated many
 * times.  Paths start with "$" (the state input) or "$$" (the context
 * object).  Reference paths (ResultPath, Choice Variable, ...) allow only
 * definite steps: .name, ['name'], [index].  Other paths also allow
 * wildcards, slices, unions and filters, and then yield an array of matches
 * as AWS does.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_JSONPATH_H
#define SFN_JSONPATH_H

#include "eval/json.h"

typedef struct SfnPath SfnPath;

/*
 * Parse text.  reference_only restricts to reference paths.  On a syntax
 * error returns NULL and sets *errmsg to a message saying what is wrong.
 */
extern SfnPath *sfn_path_parse(const char *text, bool reference_only, char **errmsg);

/*
 * Parse the longest path at the start of text[0..len-1] (for paths embedded
 * in intrinsic arguments); *consumed is set to the characters used.
 */
extern SfnPath *sfn_path_parse_prefix(const char *text, int len, bool reference_only,
									  int *consumed, char **errmsg);

extern const char *sfn_path_text(const SfnPath *p);
extern bool sfn_path_is_context(const SfnPath *p);	/* starts with $$ */
extern bool sfn_path_is_root(const SfnPath *p);	/* exactly "$" (or "$$") */
extern bool sfn_path_is_variable(const SfnPath *p);	/* starts with $name */
extern bool sfn_path_is_definite(const SfnPath *p);

/*
 * Evaluate against the input (for $) or the context object (for $$).
 * *out is the matched value, or NULL when a definite path matches nothing.
 * An indefinite path gives an array of its matches (possibly empty).
 * The result may share structure with the input; copy before mutating.
 * Returns false, with err set (States.Runtime), when the evaluation runs
 * past its budget (eval/budget.h).
 */
extern bool sfn_path_query(const SfnPath *p, JsonbValue *input, JsonbValue *context,
						   JsonbValue **out, SfnError *err);

/*
 * ResultPath semantics: return a copy of target with value placed at the
 * reference path p, creating missing objects on the way.  When a step runs
 * into a non-object (or an index past the end of an array) fails with
 * States.ResultPathMatchFailure.  "$" returns value itself.
 */
extern bool sfn_path_set(const SfnPath *p, JsonbValue *target, JsonbValue *value,
						 JsonbValue **out, SfnError *err);

#endif							/* SFN_JSONPATH_H */
