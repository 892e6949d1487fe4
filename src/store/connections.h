/*-------------------------------------------------------------------------
 *
 * connections.h
 *	  Table access for sfn.connections (HTTP task authorization).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_STORE_CONNECTIONS_H
#define SFN_STORE_CONNECTIONS_H

#include "postgres.h"
#include "utils/jsonb.h"

typedef struct SfnConnectionRow
{
	int64		id;
	char	   *name;
	char	   *uuid;
	char	   *authorization_type;
	char	   *owner;
} SfnConnectionRow;

/* Insert; false if the name is taken.  *uuid gets the new ARN's uuid. */
extern bool sfn_store_create_connection(const char *name, const char *type, Jsonb *auth,
										Jsonb *secret, const char *owner,
										const char *description, char **uuid);

/* The connection of that name, locked FOR UPDATE; false if none. */
extern bool sfn_store_get_connection(const char *name, SfnConnectionRow *row);

/* NULL arguments keep the column as it is. */
extern void sfn_store_update_connection(int64 id, const char *type, Jsonb *auth,
										Jsonb *secret, const char *description);

extern void sfn_store_delete_connection(int64 id);

#endif							/* SFN_STORE_CONNECTIONS_H */
