-- src/sql/60_test_state.sql: TestState.

CREATE OR REPLACE FUNCTION sfn_test_state(
	definition jsonb,
	input jsonb DEFAULT '{}',
	state_name text DEFAULT NULL,
	inspection_level text DEFAULT 'INFO',
	mock jsonb DEFAULT NULL,
	context jsonb DEFAULT NULL,
	state_configuration jsonb DEFAULT NULL,
	reveal_secrets boolean DEFAULT false,
	variables jsonb DEFAULT NULL)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_test_state' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_test_state(jsonb, jsonb, text, text, jsonb, jsonb, jsonb, boolean, jsonb) IS
'TestState: run one state (a lone state definition, or state_name of a whole definition, also inside a Parallel branch or Map processor) on input; returns {status, output, nextState, error, cause, inspectionData}. mock {result | errorOutput, fieldValidationMode} for Task, Map and Parallel states; context replaces $$; state_configuration {retrierRetryCount, errorCausedByState, mapIterationFailureCount, mapItemReaderData}. Creates no execution.';
