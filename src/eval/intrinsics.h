/*-------------------------------------------------------------------------
 *
 * intrinsics.h
 *	  ASL intrinsic functions (States.Format, States.Array, ...).
 *
 * A call such as  States.Format('Hello {}', $.name)  is parsed once into a
 * tree whose arguments are literals (strings, numbers, booleans, null),
 * paths, or nested calls, then evaluated against input and context.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_INTRINSICS_H
#define SFN_INTRINSICS_H

#include "eval/json.h"

typedef struct SfnIntrinsic SfnIntrinsic;

/* Does text look like an intrinsic call ("States." followed by a name and "(")? */
extern bool sfn_intrinsic_looks_like_call(const char *text);

/*
 * Parse text.  Unknown function names, wrong argument counts (where fixed)
 * and syntax errors return NULL with *errmsg set.
 */
extern SfnIntrinsic *sfn_intrinsic_parse(const char *text, char **errmsg);

/*
 * Evaluate.  Runtime failures (bad argument types, values out of range, a
 * path matching nothing) return false with err set to States.IntrinsicFailure
 * (or States.Runtime where AWS raises that) and AWS's cause text.
 */
extern bool sfn_intrinsic_eval(const SfnIntrinsic *f, JsonbValue *input, JsonbValue *context,
							   JsonbValue **result, SfnError *err);

#endif							/* SFN_INTRINSICS_H */
