/*-------------------------------------------------------------------------
 *
 * access.h
 *	  Who may do what with a state machine and its executions.
 *
 * The model (README, "Privileges"; docs/ARCHITECTURE.md):
 *	- members of the group role sfn_user may call the API;
 *	- a state machine belongs to the role that created it: that role and
 *	  every role with its privileges may do everything with it;
 *	- the owner may give other roles READ (describe, list, history) or
 *	  START (READ, and start and stop executions);
 *	- members of sfn_admin, and superusers, may do everything everywhere.
 * Checks run as the caller (GetUserId() at the API function's entry); a
 * state machine the caller may not READ looks like one that does not exist.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_API_ACCESS_H
#define SFN_API_ACCESS_H

#include "postgres.h"

typedef enum SfnPrivilege
{
	SFN_PRIV_READ,				/* describe, list, history */
	SFN_PRIV_START,				/* + start and stop executions */
	SFN_PRIV_OWN				/* + update, delete, schedule, grant */
} SfnPrivilege;

/*
 * Raise unless the current user holds priv on the state machine (id,
 * owner).  not_found is raised when it may not even READ it, so that
 * names of others' state machines do not leak; otherwise
 * AccessDeniedException.  what names the object in that message.
 */
extern void sfn_check_access(int64 sm_id, const char *owner, SfnPrivilege priv,
							 const char *what, void (*not_found) (const char *), const char *name);

/* Parse 'READ' / 'START' (case as given); ValidationException otherwise. */
extern SfnPrivilege sfn_privilege_from_text(const char *text);

/* Does the current user have the privileges of role (false if none)? */
extern bool sfn_acts_as(const char *role);

#endif							/* SFN_API_ACCESS_H */
