/*-------------------------------------------------------------------------
 *
 * state_machines.c
 *	  SQL API: create, update and delete state machines; resolve names.
 *
 * Describe and list are SQL functions over the tables (src/sql/); what
 * needs validation or privilege checks is here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/access.h"
#include "api/api_util.h"
#include "asl/plan.h"
#include "support/errors.h"
#include "support/names.h"
#include "store/state_machines.h"

PG_FUNCTION_INFO_V1(sfn_create_state_machine);
PG_FUNCTION_INFO_V1(sfn_create_state_machine_text);
PG_FUNCTION_INFO_V1(sfn_update_state_machine);
PG_FUNCTION_INFO_V1(sfn_update_state_machine_text);
PG_FUNCTION_INFO_V1(sfn_delete_state_machine);
PG_FUNCTION_INFO_V1(sfn_state_machine_id);
PG_FUNCTION_INFO_V1(sfn_state_machine_arn_sql);
PG_FUNCTION_INFO_V1(sfn_execution_arn_sql);
PG_FUNCTION_INFO_V1(sfn_grant_state_machine);
PG_FUNCTION_INFO_V1(sfn_revoke_state_machine);

static void
state_machine_not_found(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_STATE_MACHINE_DOES_NOT_EXIST),
			 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", sfn_msg(name))));
}

/*
 * The ACTIVE state machine named by name or ARN (argument n), which the
 * current user must hold priv on.
 */
static void
get_state_machine_for(FunctionCallInfo fcinfo, int n, SfnPrivilege priv,
					  SfnStateMachineRow *sm)
{
	char	   *name = sfn_state_machine_name_from(sfn_text_arg(fcinfo, n));

	sfn_store_get_state_machine(name, sm);
	sfn_check_access(sm->id, sm->owner, priv, "state machine",
					 state_machine_not_found, sm->name);
}

/*
 * Only members of a role may give it to a state machine, and only a
 * superuser a superuser role: its SQL tasks run as that role.
 */
static void
check_role(const char *role)
{
	Oid			roleid = get_role_oid(role, true);

	if (!OidIsValid(roleid))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: role \"%s\" does not exist", sfn_msg(role))));

	if (!is_member_of_role(GetUserId(), roleid))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("AccessDeniedException: permission denied to use role \"%s\"", sfn_msg(role)),
				 errdetail("Only members of a role may give it to a state machine.")));
	if (superuser_arg(roleid) && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("AccessDeniedException: permission denied to use role \"%s\"", sfn_msg(role)),
				 errdetail("Only superusers may give a superuser role to a state machine.")));
}

/*
 * sfn_create_state_machine(name, definition, type, role, description) -> ARN
 *
 * definition is jsonb, or JSON text (def_is_text), which is also checked
 * for duplicate keys.
 */
static Datum
create_state_machine(FunctionCallInfo fcinfo, bool def_is_text)
{
	char	   *name;
	Jsonb	   *definition;
	char	   *type;
	char	   *role;
	char	   *description = sfn_text_arg(fcinfo, 4);
	bool		existing_same;

	sfn_require_arg(fcinfo, 0, "name");
	sfn_require_arg(fcinfo, 1, "definition");
	sfn_require_arg(fcinfo, 2, "type");
	sfn_require_arg(fcinfo, 3, "role");
	name = sfn_text_arg(fcinfo, 0);
	type = sfn_text_arg(fcinfo, 2);
	role = NameStr(*PG_GETARG_NAME(3));

	sfn_check_name(name, "state machine");
	sfn_check_type(type);
	check_role(role);
	definition = sfn_definition_arg(fcinfo, 1, def_is_text, type);

	if (!sfn_store_create_state_machine(name, type, role, definition, description,
										GetUserNameFromId(GetUserId(), false),
										&existing_same) && !existing_same)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_STATE_MACHINE_ALREADY_EXISTS),
				 errmsg("StateMachineAlreadyExists: state machine \"%s\" already exists", sfn_msg(name)),
				 errdetail("A state machine of that name exists with a different definition, type, role or owner.")));
	PG_RETURN_TEXT_P(cstring_to_text(sfn_state_machine_arn(name)));
}

Datum
sfn_create_state_machine(PG_FUNCTION_ARGS)
{
	return create_state_machine(fcinfo, false);
}

Datum
sfn_create_state_machine_text(PG_FUNCTION_ARGS)
{
	return create_state_machine(fcinfo, true);
}

/*
 * sfn.update_state_machine(state_machine, definition, role) -> revision;
 * definition jsonb or JSON text, as in create.
 */
static Datum
update_state_machine(FunctionCallInfo fcinfo, bool def_is_text)
{
	SfnStateMachineRow sm;
	Jsonb	   *definition = NULL;
	char	   *role = PG_ARGISNULL(2) ? NULL : NameStr(*PG_GETARG_NAME(2));

	sfn_require_arg(fcinfo, 0, "state_machine");
	if (PG_ARGISNULL(1) && role == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: nothing to update"),
				 errhint("Give a definition, a role, or both.")));
	get_state_machine_for(fcinfo, 0, SFN_PRIV_OWN, &sm);
	if (role)
		check_role(role);
	if (!PG_ARGISNULL(1))
		definition = sfn_definition_arg(fcinfo, 1, def_is_text, sm.type);
	PG_RETURN_INT32(sfn_store_update_state_machine(sm.id, definition, role));
}

Datum
sfn_update_state_machine(PG_FUNCTION_ARGS)
{
	return update_state_machine(fcinfo, false);
}

Datum
sfn_update_state_machine_text(PG_FUNCTION_ARGS)
{
	return update_state_machine(fcinfo, true);
}

/*
 * sfn_delete_state_machine(state_machine)
 */
Datum
sfn_delete_state_machine(PG_FUNCTION_ARGS)
{
	SfnStateMachineRow sm;

	sfn_require_arg(fcinfo, 0, "state_machine");
	get_state_machine_for(fcinfo, 0, SFN_PRIV_OWN, &sm);
	sfn_store_delete_state_machine(sm.id);
	PG_RETURN_VOID();
}

/*
 * sfn.state_machine_id(name_or_arn, privilege) -> id of the ACTIVE state
 * machine, which the current user must hold privilege on
 */
Datum
sfn_state_machine_id(PG_FUNCTION_ARGS)
{
	SfnStateMachineRow sm;
	SfnPrivilege priv = SFN_PRIV_READ;

	sfn_require_arg(fcinfo, 0, "state_machine");
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1))
		priv = sfn_privilege_from_text(sfn_text_arg(fcinfo, 1));
	get_state_machine_for(fcinfo, 0, priv, &sm);
	PG_RETURN_INT64(sm.id);
}

/*
 * sfn_grant_state_machine(state_machine, role, privilege) and
 * sfn_revoke_state_machine(...): the owner shares a state machine.
 */
static Datum
grant_or_revoke(FunctionCallInfo fcinfo, bool revoke)
{
	SfnStateMachineRow sm;
	char	   *grantee;
	SfnPrivilege priv;

	sfn_require_arg(fcinfo, 0, "state_machine");
	sfn_require_arg(fcinfo, 1, "role");
	sfn_require_arg(fcinfo, 2, "privilege");
	grantee = NameStr(*PG_GETARG_NAME(1));
	priv = sfn_privilege_from_text(sfn_text_arg(fcinfo, 2));
	get_state_machine_for(fcinfo, 0, SFN_PRIV_OWN, &sm);
	if (!OidIsValid(get_role_oid(grantee, true)))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: role \"%s\" does not exist", sfn_msg(grantee))));
	PG_RETURN_BOOL(sfn_store_grant(sm.id, grantee, priv == SFN_PRIV_READ ? "READ" : "START",
								   sm.owner, revoke));
}

Datum
sfn_grant_state_machine(PG_FUNCTION_ARGS)
{
	return grant_or_revoke(fcinfo, false);
}

Datum
sfn_revoke_state_machine(PG_FUNCTION_ARGS)
{
	return grant_or_revoke(fcinfo, true);
}

Datum
sfn_state_machine_arn_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(sfn_state_machine_arn(sfn_text_arg(fcinfo, 0))));
}

Datum
sfn_execution_arn_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(sfn_execution_arn(sfn_text_arg(fcinfo, 0),
													   sfn_text_arg(fcinfo, 1))));
}
