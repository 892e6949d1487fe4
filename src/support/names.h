/*-------------------------------------------------------------------------
 *
 * names.h
 *	  AWS names and ARNs of state machines and executions.
 *
 * ARNs keep AWS's format with region and account from pg_sfn.region and
 * pg_sfn.account_id, so definitions that name ARNs run unchanged.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_NAMES_H
#define SFN_NAMES_H

#include "postgres.h"

/* Raise InvalidName unless name follows AWS's naming rules. */
extern void sfn_check_name(const char *name, const char *what);
extern bool sfn_name_is_valid(const char *name);

/*
 * s with control characters (U+0000-001F, U+007F-009F) written as \u00XX,
 * for putting user-given names and ARNs in messages; s itself when it has
 * none.
 */
extern const char *sfn_msg(const char *s);

extern char *sfn_state_machine_arn(const char *sm_name);
extern char *sfn_execution_arn(const char *sm_name, const char *exec_name);

/*
 * Split a state machine name-or-ARN into the name; raises InvalidArn on a
 * malformed ARN.
 */
extern char *sfn_state_machine_name_from(const char *name_or_arn);
extern char *sfn_state_machine_name_of_arn(const char *arn);

/*
 * Split an execution ARN into state machine and execution names; raises
 * InvalidArn unless text is an execution ARN.
 */
extern void sfn_split_execution_arn(const char *arn, char **sm_name, char **exec_name);

#endif							/* SFN_NAMES_H */
