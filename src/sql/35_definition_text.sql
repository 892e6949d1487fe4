-- src/sql/35_definition_text.sql: definitions given as JSON text (since 0.3).
--
-- AWS takes a definition as a string.  jsonb keeps only the last of keys
-- repeated in an object, silently, so these text overloads check the text
-- itself: every repeated key is reported at its location, with the rest of
-- the definition's problems.  A quoted literal argument ('{...}') has type
-- unknown, which PostgreSQL resolves to text rather than jsonb (the string
-- category is preferred), so plain calls take these overloads; an argument
-- of type jsonb takes the jsonb functions, which are unchanged.

CREATE OR REPLACE FUNCTION sfn_validate_state_machine_definition(
	definition text,
	type text DEFAULT 'STANDARD')
RETURNS TABLE(severity text, code text, message text, location text)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_validate_state_machine_definition_text' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_validate_state_machine_definition(text, text) IS
'AWS ValidateStateMachineDefinition of a definition given as JSON text: as the jsonb form, and text that is not JSON or repeats a key in an object is reported too';

CREATE OR REPLACE FUNCTION sfn_create_state_machine(
	name text,
	definition text,
	type text DEFAULT 'STANDARD',
	role name DEFAULT current_user,
	description text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_create_state_machine_text' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, text, text, name, text) IS
'CreateStateMachine of a definition given as JSON text (duplicate keys are reported); returns the state machine ARN';

CREATE OR REPLACE FUNCTION sfn.update_state_machine(state_machine text, definition text, role name)
RETURNS integer
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_update_state_machine_text' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn.update_state_machine(text, text, name) IS 'Implementation of sfn_update_state_machine with a definition given as JSON text; returns the new revision';

CREATE OR REPLACE FUNCTION sfn_update_state_machine(
	state_machine text,
	definition text,
	role name DEFAULT NULL)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	rev integer := sfn.update_state_machine(state_machine, definition, role);
BEGIN
	RETURN (SELECT pg_catalog.jsonb_build_object('updateDate', sm.updated_at, 'revisionId', r.revision_id)
			FROM sfn.state_machines sm
			JOIN sfn.state_machine_revisions r ON r.state_machine_id OPERATOR(pg_catalog.=) sm.id
				AND r.revision OPERATOR(pg_catalog.=) rev
			WHERE sm.id OPERATOR(pg_catalog.=) sfn.state_machine_id(state_machine));
END
$$;
COMMENT ON FUNCTION sfn_update_state_machine(text, text, name) IS
'UpdateStateMachine with a definition given as JSON text (duplicate keys are reported); running executions keep their revision';
