/*-------------------------------------------------------------------------
 *
 * access.c
 *	  Privilege checks of the SQL API (see access.h for the model).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "api/access.h"
#include "support/errors.h"
#include "support/names.h"
#include "store/state_machines.h"

PG_FUNCTION_INFO_V1(sfn_acts_as_sql);

bool
sfn_acts_as(const char *role)
{
	Oid			roleid = get_role_oid(role, true);

	/* A dropped owner's state machines belong to nobody but admins. */
	return OidIsValid(roleid) && has_privs_of_role(GetUserId(), roleid);
}

static const char *
privilege_name(SfnPrivilege priv)
{
	return priv == SFN_PRIV_READ ? "READ" : "START";
}

static bool
holds(int64 sm_id, const char *owner, SfnPrivilege priv)
{
	ListCell   *lc;

	if (superuser() || sfn_acts_as("sfn_admin") || sfn_acts_as(owner))
		return true;
	if (priv == SFN_PRIV_OWN)
		return false;
	foreach(lc, sfn_store_grantees(sm_id, privilege_name(priv)))
	{
		if (sfn_acts_as((const char *) lfirst(lc)))
			return true;
	}
	return false;
}

void
sfn_check_access(int64 sm_id, const char *owner, SfnPrivilege priv,
				 const char *what, void (*not_found) (const char *), const char *name)
{
	if (holds(sm_id, owner, priv))
		return;
	if (priv != SFN_PRIV_READ && !holds(sm_id, owner, SFN_PRIV_READ))
		priv = SFN_PRIV_READ;
	if (priv == SFN_PRIV_READ)
		not_found(name);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("AccessDeniedException: permission denied for %s \"%s\"", what, sfn_msg(name)),
			 errdetail(priv == SFN_PRIV_OWN ?
					   "Only its owner \"%s\", roles with the owner's privileges and members of sfn_admin may do this." :
					   "It takes the START privilege, given by its owner \"%s\" with sfn_grant_state_machine.",
					   sfn_msg(owner))));
}

SfnPrivilege
sfn_privilege_from_text(const char *text)
{
	if (strcmp(text, "READ") == 0)
		return SFN_PRIV_READ;
	if (strcmp(text, "START") == 0)
		return SFN_PRIV_START;
	ereport(ERROR,
			(errcode(ERRCODE_SFN_VALIDATION),
			 errmsg("ValidationException: invalid privilege \"%s\"", sfn_msg(text)),
			 errhint("The privileges are READ and START.")));
	return SFN_PRIV_READ;		/* keep the compiler quiet */
}

/*
 * sfn.acts_as(role) -> boolean: the row-level security policies' test.
 */
Datum
sfn_acts_as_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sfn_acts_as(NameStr(*PG_GETARG_NAME(0))));
}
