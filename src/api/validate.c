/*-------------------------------------------------------------------------
 *
 * validate.c
 *	  sfn_validate_state_machine_definition(): AWS
 *	  ValidateStateMachineDefinition, one row per diagnostic; a definition
 *	  given as text is checked for duplicate keys too.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/api_util.h"
#include "support/diag.h"
#include "asl/plan.h"

PG_FUNCTION_INFO_V1(sfn_validate_state_machine_definition);
PG_FUNCTION_INFO_V1(sfn_validate_state_machine_definition_text);

/* One row per diagnostic. */
static void
return_diags(FunctionCallInfo fcinfo, List *diags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ListCell   *lc;

	foreach(lc, diags)
	{
		SfnDiag    *d = (SfnDiag *) lfirst(lc);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(d->severity);
		values[1] = CStringGetTextDatum(d->code);
		values[2] = CStringGetTextDatum(d->message);
		values[3] = CStringGetTextDatum(d->location);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/*
 * sfn_validate_state_machine_definition(definition jsonb, type text)
 *		RETURNS TABLE(severity, code, message, location)
 *
 * Never raises on a bad definition: every problem is a row, in the order the
 * compiler found it.  A NULL argument or an unknown type is a
 * ValidationException, as in AWS.
 */
Datum
sfn_validate_state_machine_definition(PG_FUNCTION_ARGS)
{
	List	   *diags = NIL;
	char	   *type;

	sfn_require_arg(fcinfo, 0, "definition");
	sfn_require_arg(fcinfo, 1, "type");
	type = sfn_text_arg(fcinfo, 1);
	sfn_check_type(type);

	InitMaterializedSRF(fcinfo, 0);
	(void) sfn_asl_compile(sfn_jv_from_jsonb(PG_GETARG_JSONB_P(0)), type, &diags);
	return_diags(fcinfo, diags);
	return (Datum) 0;
}

/*
 * The same for a definition given as JSON text, as AWS takes it: text that
 * is not JSON and keys repeated in an object (which jsonb would drop
 * silently) are reported too.
 */
Datum
sfn_validate_state_machine_definition_text(PG_FUNCTION_ARGS)
{
	List	   *diags = NIL;
	text	   *definition;
	char	   *type;

	sfn_require_arg(fcinfo, 0, "definition");
	sfn_require_arg(fcinfo, 1, "type");
	type = sfn_text_arg(fcinfo, 1);
	sfn_check_type(type);
	definition = PG_GETARG_TEXT_PP(0);

	InitMaterializedSRF(fcinfo, 0);
	(void) sfn_asl_compile_text(VARDATA_ANY(definition), VARSIZE_ANY_EXHDR(definition),
								type, &diags);
	return_diags(fcinfo, diags);
	return (Datum) 0;
}
