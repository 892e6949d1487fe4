-- src/sql/60_test_state.sql: TestState.

CREATE OR REPLACE FUNCTION sfn_test_state(
	definition jsonb,
	input jsonb DEFAULT '{}',
	state_name text DEFAULT NULL)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_test_state' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_test_state(jsonb, jsonb, text) IS
'TestState: run one state (a lone state definition, or state_name of a whole definition) on input; returns {status, output, nextState} or {status, error, cause}. Creates no execution.';
