/*-------------------------------------------------------------------------
 *
 * api_util.h
 *	  Argument checks shared by the SQL-callable functions.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_API_UTIL_H
#define SFN_API_UTIL_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/jsonb.h"

/* Raise ValidationException when argument n (0-based, named what) is NULL. */
extern void sfn_require_arg(FunctionCallInfo fcinfo, int n, const char *what);

/* The text argument n as a C string, NULL when the argument is NULL. */
extern char *sfn_text_arg(FunctionCallInfo fcinfo, int n);

/* Compile a definition or raise InvalidDefinition listing every problem. */
struct SfnPlan;
extern struct SfnPlan *sfn_compile_or_report(Jsonb *definition, const char *type);

/*
 * The definition argument n, jsonb or (is_text) JSON text, compiled with
 * type's rules, or InvalidDefinition listing every problem; text is also
 * checked for keys repeated in an object.  Returns the jsonb to store.
 */
extern Jsonb *sfn_definition_arg(FunctionCallInfo fcinfo, int n, bool is_text,
								 const char *type);

/* Raise StateMachineTypeNotSupported unless type is STANDARD or EXPRESS. */
extern void sfn_check_type(const char *type);

#endif							/* SFN_API_UTIL_H */
