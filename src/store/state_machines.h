/*-------------------------------------------------------------------------
 *
 * state_machines.h
 *	  Table access for state machines and their revisions.
 *
 * All functions run inside the caller's transaction and open their own
 * SPI connection.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_STORE_STATE_MACHINES_H
#define SFN_STORE_STATE_MACHINES_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

typedef struct SfnStateMachineRow
{
	int64		id;
	char	   *name;
	char	   *type;
	char	   *role;
	int32		revision;
	char	   *owner;			/* role that created it */
} SfnStateMachineRow;

/*
 * Insert a state machine.  Returns true if created; false if an ACTIVE one
 * of that name exists (*existing_same says whether it has the same
 * definition, type and role, which AWS treats as success).
 */
extern bool sfn_store_create_state_machine(const char *name, const char *type, const char *role,
										   Jsonb *definition, const char *description,
										   const char *owner, bool *existing_same);

/* Look up an ACTIVE state machine by name; raise StateMachineDoesNotExist. */
extern void sfn_store_get_state_machine(const char *name, SfnStateMachineRow *row);

/* New revision and/or role; returns the new revision number. */
extern int32 sfn_store_update_state_machine(int64 id, Jsonb *definition, const char *role);

/* Mark deleted; removes the rows at once when no execution refers to it. */
extern void sfn_store_delete_state_machine(int64 id);

/* The roles given privilege (READ or START, START includes READ) on it. */
extern List *sfn_store_grantees(int64 sm_id, const char *privilege);

/* Give or take back a privilege; returns false when there was nothing to do. */
extern bool sfn_store_grant(int64 sm_id, const char *grantee, const char *privilege,
							const char *owner, bool revoke);

/*
 * Serialize starts with deletion of one state machine: a start holds the
 * state machine's lock in shared mode until it commits (starts never wait
 * for each other), a delete in exclusive mode.  A heavyweight lock with a
 * tag only pg_sfn uses (advisory type, field4 SFN_LOCK_STATE_MACHINE, which
 * the SQL advisory lock functions cannot name), taken in the transaction.
 */
extern void sfn_lock_state_machine(int64 sm_id, bool exclusive);

/*
 * Definition of a given revision, which must have that uuid (palloc'd in
 * the caller's context).
 */
extern Jsonb *sfn_store_get_definition(int64 sm_id, int32 revision,
									   const pg_uuid_t *revision_id);

#endif							/* SFN_STORE_STATE_MACHINES_H */
