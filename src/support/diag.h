/*-------------------------------------------------------------------------
 *
 * diag.h
 *	  Definition diagnostics, as returned by
 *	  sfn_validate_state_machine_definition().
 *
 * Validation never stops at the first problem: each one is appended to a
 * List of SfnDiag and the whole list is reported.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_DIAG_H
#define SFN_DIAG_H

#include "postgres.h"
#include "nodes/pg_list.h"

typedef struct SfnDiag
{
	const char *severity;		/* "ERROR" or "WARNING" */
	const char *code;			/* AWS code, e.g. "SCHEMA_VALIDATION_FAILED" */
	char	   *message;		/* sentence saying what is wrong */
	char	   *location;		/* JSON-pointer-like: /States/Charge/Retry/0 */
} SfnDiag;

/*
 * AWS ValidateStateMachineDefinition codes.  AWS has no code of its own for
 * a bad path or an unreachable state: a bad path is a schema failure and an
 * unreachable state is reported as MISSING_TRANSITION_TARGET ('State "X" is
 * not reachable.'), so those names alias AWS's codes.
 */
#define SFN_DIAG_SCHEMA				"SCHEMA_VALIDATION_FAILED"
#define SFN_DIAG_INVALID_JSON		"INVALID_JSON_DESCRIPTION"
#define SFN_DIAG_MISSING_DESCRIPTION "MISSING_DESCRIPTION"
#define SFN_DIAG_MISSING_TARGET		"MISSING_TRANSITION_TARGET"
#define SFN_DIAG_INVALID_PATH		SFN_DIAG_SCHEMA
#define SFN_DIAG_DUPLICATE_STATE	"DUPLICATE_STATE_NAME"
#define SFN_DIAG_INVALID_STATE_NAME "INVALID_STATE_NAME"
#define SFN_DIAG_INVALID_RESOURCE	"INVALID_RESOURCE"
#define SFN_DIAG_MISSING_END		"MISSING_END_STATE"
#define SFN_DIAG_UNREACHABLE		SFN_DIAG_MISSING_TARGET
#define SFN_DIAG_TOO_DEEP			"TOO_DEEPLY_NESTED"
#define SFN_DIAG_TOO_LARGE			SFN_DIAG_SCHEMA

/* AWS warning codes (severity WARNING: the definition is still accepted) */
#define SFN_DIAG_NO_DOLLAR			"NO_DOLLAR"
#define SFN_DIAG_NO_PATH			"NO_PATH"
#define SFN_DIAG_PASS_RESULT_IS_STATIC "PASS_RESULT_IS_STATIC"

/* AWS's limit on the definition's size, in bytes of JSON text */
#define SFN_MAX_DEFINITION_BYTES	(1024 * 1024)

extern void sfn_diag_add(List **diags, const char *code, const char *location,
						 const char *fmt,...) pg_attribute_printf(4, 5);
extern void sfn_diag_warn(List **diags, const char *code, const char *location,
						  const char *fmt,...) pg_attribute_printf(4, 5);

/* Number of diagnostics of severity ERROR in diags. */
extern int	sfn_diag_error_count(List *diags);

/* location + "/" + name, the location of a field or element below location */
extern char *sfn_diag_loc(const char *location, const char *name);
extern char *sfn_diag_loc_index(const char *location, int index);

/*
 * ereport ERROR (SQLSTATE SF001, AWS InvalidDefinition) listing every
 * diagnostic of diags, one per line, in the DETAIL.
 */
extern void sfn_report_invalid_definition(List *diags) pg_attribute_noreturn();

#endif							/* SFN_DIAG_H */
