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

/* AWS ValidateStateMachineDefinition codes */
#define SFN_DIAG_SCHEMA				"SCHEMA_VALIDATION_FAILED"
#define SFN_DIAG_INVALID_JSON		"INVALID_JSON_DESCRIPTION"
#define SFN_DIAG_MISSING_TARGET		"MISSING_TRANSITION_TARGET"
#define SFN_DIAG_INVALID_PATH		"INVALID_JSON_PATH"	/* hmm: see asl/compile.c */
#define SFN_DIAG_DUPLICATE_STATE	"DUPLICATE_STATE_NAME"
#define SFN_DIAG_UNREACHABLE		"UNREACHABLE_STATE"
#define SFN_DIAG_TOO_LARGE			"DEFINITION_TOO_LARGE"

extern void sfn_diag_add(List **diags, const char *code, const char *location,
						 const char *fmt,...) pg_attribute_printf(4, 5);
extern void sfn_diag_warn(List **diags, const char *code, const char *location,
						  const char *fmt,...) pg_attribute_printf(4, 5);

#endif							/* SFN_DIAG_H */
