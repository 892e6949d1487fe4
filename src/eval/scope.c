/*-------------------------------------------------------------------------
 *
 * scope.c
 *	  The evaluation scope: workflow variables, clock and seed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "eval/scope.h"

static SfnEvalScope *current_scope = NULL;

SfnEvalScope *
sfn_scope_set(SfnEvalScope *scope)
{
	SfnEvalScope *prev = current_scope;

	current_scope = scope;
	return prev;
}

SfnEvalScope *
sfn_scope_get(void)
{
	return current_scope;
}

JsonbValue *
sfn_scope_variables(void)
{
	if (current_scope == NULL || current_scope->variables == NULL)
		return NULL;
	return *current_scope->variables;
}

JsonbValue *
sfn_scope_variable(const char *name, int len)
{
	JsonbValue *vars = sfn_scope_variables();

	if (vars == NULL || vars->type != jbvObject)
		return NULL;
	return sfn_jv_object_get(vars, name, len);
}

bool
sfn_variable_name_valid(const char *name, int len)
{
	if (len <= 0 || !(isalpha((unsigned char) name[0]) || name[0] == '_'))
		return false;
	for (int i = 1; i < len; i++)
		if (!(isalnum((unsigned char) name[i]) || name[i] == '_'))
			return false;
	return true;
}
