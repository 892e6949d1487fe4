-- src/sql/47_lambda_functions.sql: mapping Lambda functions to SQL
-- functions or HTTP endpoints.  A mapping applies to every state machine, so only sfn_admin
-- (and superusers) make them; the SQL function still runs as each state
-- machine's role, which must have EXECUTE on it.

CREATE OR REPLACE FUNCTION sfn_map_lambda(lambda_function text, sql_function text DEFAULT NULL,
	http_endpoint text DEFAULT NULL) RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_map_lambda' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_map_lambda(text, text, text) IS
'Where a definition calls the Lambda function lambda_function (a name or ARN; a trailing * matches any rest), run sql_function (schema.name, (jsonb) RETURNS jsonb) or POST the payload to http_endpoint (exactly one of them)';

CREATE OR REPLACE FUNCTION sfn_unmap_lambda(lambda_function text) RETURNS boolean
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_unmap_lambda' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_unmap_lambda(text) IS 'Remove a mapping made with sfn_map_lambda; false if there was none';
