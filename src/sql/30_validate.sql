-- src/sql/30_validate.sql: ValidateStateMachineDefinition.

CREATE OR REPLACE FUNCTION sfn_validate_state_machine_definition(
	definition jsonb,
	type text DEFAULT 'STANDARD')
RETURNS TABLE(severity text, code text, message text, location text)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_validate_state_machine_definition' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_validate_state_machine_definition(jsonb, text) IS
'AWS ValidateStateMachineDefinition: one row per problem found in an ASL definition (severity ERROR or WARNING, AWS diagnostic code, message, JSON-pointer-like location such as /States/Charge/Retry/0); no rows means the definition is valid';
