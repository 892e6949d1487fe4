/*-------------------------------------------------------------------------
 *
 * scope.h
 *	  What a state's expressions see besides their input: the workflow
 *	  variables of the thread, the clock and the seed.
 *
 * The engine sets the scope for the duration of one sfn_decide() call (and
 * TestState for its one state), so that JSONPath paths ("$name.field"),
 * payload templates and JSONata expressions reach the variables without
 * every evaluator taking one more argument.  Outside that, the scope is
 * empty: a variable reference finds nothing.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_SCOPE_H
#define SFN_SCOPE_H

#include "eval/json.h"

typedef struct SfnEvalScope
{
	JsonbValue *const *variables;	/* where the thread keeps its bindings (a
									 * JSON object, or NULL): followed as the
									 * thread assigns */
	int64		now_ms;			/* JSONata $now, $millis */
	uint64		seed;			/* JSONata $random, $uuid (0: fixed) */
	uint64		draws;			/* JSONata environments made so far */
} SfnEvalScope;

/* Set the scope (NULL: empty); returns the previous one to restore. */
extern SfnEvalScope *sfn_scope_set(SfnEvalScope *scope);
extern SfnEvalScope *sfn_scope_get(void);

/* The current variables (a JSON object), or NULL. */
extern JsonbValue *sfn_scope_variables(void);

/* The value of variable name[0..len-1] in the current scope, or NULL. */
extern JsonbValue *sfn_scope_variable(const char *name, int len);

/*
 * Is name a valid variable name: a letter or underscore, then letters,
 * digits or underscores (AWS's rule; "states" is reserved)?
 */
extern bool sfn_variable_name_valid(const char *name, int len);

#endif							/* SFN_SCOPE_H */
