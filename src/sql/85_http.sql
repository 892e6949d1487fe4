-- src/sql/85_http.sql: HTTP tasks: connections (CreateConnection,
-- UpdateConnection, DeleteConnection, DescribeConnection, ListConnections
-- as in AWS EventBridge) and the superuser's direct way into the outbox.
-- Runs after 70_privileges.sql: its grants are the last word here.

CREATE OR REPLACE FUNCTION sfn.connection_arn(name text, uuid uuid) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE STRICT
	AS $$ SELECT pg_catalog.format('arn:aws:events:%s:%s:connection/%s/%s',
		pg_catalog.current_setting('pg_sfn.region'), pg_catalog.current_setting('pg_sfn.account_id'), name, uuid) $$;
COMMENT ON FUNCTION sfn.connection_arn(text, uuid) IS 'ARN of a connection (region and account from pg_sfn.region and pg_sfn.account_id)';

CREATE OR REPLACE FUNCTION sfn_create_connection(
	name text,
	authorization_type text,
	parameters jsonb,
	description text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_create_connection' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_connection(text, text, jsonb, text) IS
'CreateConnection: API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS with EventBridge''s AuthParameters; returns the connection ARN';

CREATE OR REPLACE FUNCTION sfn_update_connection(
	name text,
	authorization_type text DEFAULT NULL,
	parameters jsonb DEFAULT NULL,
	description text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_update_connection' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_connection(text, text, jsonb, text) IS
'UpdateConnection: new authorization type, parameters (replaced whole) or description; NULL keeps each';

CREATE OR REPLACE FUNCTION sfn_delete_connection(name text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_delete_connection' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_connection(text) IS
'DeleteConnection: HTTP tasks naming it fail with States.Permissions from then on';

-- Read as the caller: row-level security shows a role its own connections.
CREATE OR REPLACE FUNCTION sfn_describe_connection(name text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	conn_name text := name;
	result jsonb;
BEGIN
	IF pg_catalog.starts_with(conn_name, 'arn:') THEN
		conn_name := pg_catalog.split_part(pg_catalog.split_part(conn_name, ':', 6), '/', 2);
	END IF;
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'ConnectionArn', sfn.connection_arn(c.name, c.uuid),
		'Name', c.name,
		'Description', c.description,
		'ConnectionState', 'AUTHORIZED',
		'AuthorizationType', c.authorization_type,
		'AuthParameters', c.auth_parameters,
		'CreationTime', c.created_at,
		'LastModifiedTime', coalesce(c.updated_at, c.created_at)))
	INTO result
	FROM sfn.connections c
	WHERE c.name OPERATOR(pg_catalog.=) conn_name;
	IF result IS NULL THEN
		RAISE EXCEPTION 'ResourceNotFoundException: connection "%" does not exist', conn_name
			USING ERRCODE = 'SF051';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION sfn_describe_connection(text) IS
'DescribeConnection: AWS''s response fields as jsonb, without the secret values';

CREATE OR REPLACE FUNCTION sfn_list_connections(
	OUT connection_arn text, OUT name text, OUT authorization_type text,
	OUT connection_state text, OUT creation_time timestamptz, OUT last_modified_time timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.connection_arn(c.name, c.uuid), c.name, c.authorization_type, 'AUTHORIZED',
		c.created_at, coalesce(c.updated_at, c.created_at)
	FROM sfn.connections c
	ORDER BY c.name
$$;
COMMENT ON FUNCTION sfn_list_connections() IS
'ListConnections: one row per connection the caller may see, by name';

CREATE OR REPLACE FUNCTION sfn.http_enqueue(
	execution_id bigint, thread_id integer, scheduled_event_id integer, parameters jsonb,
	timeout_seconds integer, idempotency_key text, role name DEFAULT NULL)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_http_enqueue_sql' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn.http_enqueue(bigint, integer, integer, jsonb, integer, text, name) IS
'Superusers only: queue one HTTP task request as the engine does (the answer arrives in sfn.inbox); role: whose connections it may use, NULL for the execution''s state machine''s role';

-- Privileges ---------------------------------------------------------------
DO $$
DECLARE
	f pg_catalog.regprocedure;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'sfn_create_connection(text, text, jsonb, text)',
		'sfn_update_connection(text, text, jsonb, text)',
		'sfn_delete_connection(text)',
		'sfn_describe_connection(text)',
		'sfn_list_connections()'
	]::pg_catalog.regprocedure[] LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO sfn_user', f);
	END LOOP;
END
$$;
-- As 70_privileges.sql does for every sfn.* function (this one is newer).
REVOKE ALL ON FUNCTION sfn.connection_arn(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sfn.connection_arn(text, uuid) TO sfn_user;
-- Sends requests to any allowed host with any connection: not for sfn_user
-- (70_privileges.sql grants every sfn.* function to it).
REVOKE ALL ON FUNCTION sfn.http_enqueue(bigint, integer, integer, jsonb, integer, text, name) FROM PUBLIC, sfn_user;

-- Every column but the secret values; the outbox stays private.
GRANT SELECT (id, name, uuid, authorization_type, auth_parameters, owner, description,
	created_at, updated_at) ON sfn.connections TO sfn_user;

DROP POLICY IF EXISTS own ON sfn.connections;
CREATE POLICY own ON sfn.connections FOR SELECT
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));
