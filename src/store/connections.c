/*-------------------------------------------------------------------------
 *
 * connections.c
 *	  Table access for sfn.connections.
 *
 * The API checks who may do what; these statements run as the extension's
 * owner, the only role that may read the secret column.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "store/connections.h"
#include "store/schema_version.h"
#include "store/spi_util.h"

bool
sfn_store_create_connection(const char *name, const char *type, Jsonb *auth,
							Jsonb *secret, const char *owner,
							const char *description, char **uuid)
{
	SfnSpiScope scope;
	Oid			types[6] = {TEXTOID, TEXTOID, JSONBOID, JSONBOID, NAMEOID, TEXTOID};
	Datum		values[6];
	char		nulls[6] = "      ";
	bool		created;
	MemoryContext caller = CurrentMemoryContext;

	sfn_require_current_schema();
	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(type);
	values[2] = JsonbPGetDatum(auth);
	values[3] = JsonbPGetDatum(secret);
	values[4] = DirectFunctionCall1(namein, CStringGetDatum(owner));
	values[5] = description ? CStringGetTextDatum(description) : (Datum) 0;
	if (!description)
		nulls[5] = 'n';
	sfn_spi_begin(&scope);
	sfn_spi_exec("INSERT INTO sfn.connections (name, authorization_type, auth_parameters, secret,"
				 " owner, description) VALUES ($1, $2, $3, $4, $5, $6)"
				 " ON CONFLICT (name) DO NOTHING RETURNING uuid::text",
				 6, types, values, nulls, false, SPI_OK_INSERT_RETURNING);
	created = SPI_processed == 1;
	if (created)
		*uuid = MemoryContextStrdup(caller, sfn_spi_get_text(0, 1));
	sfn_spi_end(&scope);
	return created;
}

bool
sfn_store_get_connection(const char *name, SfnConnectionRow *row)
{
	SfnSpiScope scope;
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(name)};
	bool		found;
	MemoryContext caller = CurrentMemoryContext;

	sfn_require_current_schema();
	sfn_spi_begin(&scope);
	sfn_spi_exec("SELECT id, name, uuid::text, authorization_type, owner::text"
				 " FROM sfn.connections WHERE name OPERATOR(pg_catalog.=) $1 FOR UPDATE",
				 1, types, values, NULL, false, SPI_OK_SELECT);
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext cxt = caller;

		row->id = sfn_spi_get_int64(0, 1);
		row->name = MemoryContextStrdup(cxt, sfn_spi_get_text(0, 2));
		row->uuid = MemoryContextStrdup(cxt, sfn_spi_get_text(0, 3));
		row->authorization_type = MemoryContextStrdup(cxt, sfn_spi_get_text(0, 4));
		row->owner = MemoryContextStrdup(cxt, sfn_spi_get_text(0, 5));
	}
	sfn_spi_end(&scope);
	return found;
}

void
sfn_store_update_connection(int64 id, const char *type, Jsonb *auth, Jsonb *secret,
							const char *description)
{
	SfnSpiScope scope;
	Oid			types[5] = {INT8OID, TEXTOID, JSONBOID, JSONBOID, TEXTOID};
	Datum		values[5];
	char		nulls[5] = "     ";

	values[0] = Int64GetDatum(id);
	values[1] = type ? CStringGetTextDatum(type) : (Datum) 0;
	values[2] = auth ? JsonbPGetDatum(auth) : (Datum) 0;
	values[3] = secret ? JsonbPGetDatum(secret) : (Datum) 0;
	values[4] = description ? CStringGetTextDatum(description) : (Datum) 0;
	if (!type)
		nulls[1] = 'n';
	if (!auth)
		nulls[2] = 'n';
	if (!secret)
		nulls[3] = 'n';
	if (!description)
		nulls[4] = 'n';
	sfn_spi_begin(&scope);
	sfn_spi_exec("UPDATE sfn.connections SET authorization_type = coalesce($2, authorization_type),"
				 " auth_parameters = coalesce($3, auth_parameters), secret = coalesce($4, secret),"
				 " description = coalesce($5, description), updated_at = pg_catalog.clock_timestamp()"
				 " WHERE id OPERATOR(pg_catalog.=) $1",
				 5, types, values, nulls, false, SPI_OK_UPDATE);
	sfn_spi_end(&scope);
}

void
sfn_store_delete_connection(int64 id)
{
	SfnSpiScope scope;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};

	sfn_spi_begin(&scope);
	sfn_spi_exec("DELETE FROM sfn.connections WHERE id OPERATOR(pg_catalog.=) $1",
				 1, types, values, NULL, false, SPI_OK_DELETE);
	sfn_spi_end(&scope);
}
