/*-------------------------------------------------------------------------
 *
 * schema_version.h
 *	  Does the installed extension's SQL match this library?
 *
 * The library of a new version can be loaded while the database still has
 * an older version's tables and functions (between installing the new
 * build and ALTER EXTENSION pg_sfn UPDATE).  The workers then wait, and
 * the API refuses to run, instead of touching tables they do not know.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_SCHEMA_VERSION_H
#define SFN_SCHEMA_VERSION_H

#include "postgres.h"

typedef enum SfnSchemaState
{
	SFN_SCHEMA_ABSENT,			/* no CREATE EXTENSION pg_sfn here */
	SFN_SCHEMA_CURRENT,			/* installed version = this library's */
	SFN_SCHEMA_OTHER			/* another version: ALTER EXTENSION UPDATE */
} SfnSchemaState;

/* Inside a transaction.  *installed (may be NULL) gets the version. */
extern SfnSchemaState sfn_schema_state(char **installed);

/* The role that owns the extension (and its tables); ERROR if absent. */
extern Oid	sfn_extension_owner(void);

/* ERROR unless the installed version is this library's. */
extern void sfn_require_current_schema(void);

#endif							/* SFN_SCHEMA_VERSION_H */
