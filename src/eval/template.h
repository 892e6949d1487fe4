/*-------------------------------------------------------------------------
 *
 * template.h
 *	  Payload templates: Parameters, ResultSelector, ItemSelector.
 *
 * A template is a JSON value whose object keys ending in ".$" take their
 * value from a path ($ or $$) or an intrinsic call; the ".$" is dropped from
 * the output key.  Compiled once; evaluated per state visit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_TEMPLATE_H
#define SFN_TEMPLATE_H

#include "eval/json.h"
#include "support/diag.h"

typedef struct SfnTemplate SfnTemplate;

/*
 * Compile a template.  field is the ASL field name ("Parameters", ...) and
 * location the diagnostic location of the template itself; every bad ".$"
 * value is reported into *diags.  Returns NULL if anything was reported.
 */
extern SfnTemplate *sfn_template_compile(JsonbValue *tmpl, const char *field,
										 const char *location, List **diags);

/*
 * Evaluate.  A path matching nothing fails with States.Runtime and AWS's
 * cause ("The JSONPath '$.x' specified for the field 'x.$' could not be
 * found in the input '...'"); intrinsic failures pass through.
 */
extern bool sfn_template_eval(const SfnTemplate *t, JsonbValue *input, JsonbValue *context,
							  JsonbValue **out, SfnError *err);

#endif							/* SFN_TEMPLATE_H */
