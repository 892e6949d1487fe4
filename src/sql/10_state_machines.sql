-- src/sql/10_state_machines.sql: state machine API (CreateStateMachine,
-- UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
-- ListStateMachines) and ARN helpers.

CREATE OR REPLACE FUNCTION sfn.state_machine_arn(name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_state_machine_arn_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION sfn.state_machine_arn(text) IS 'ARN of the state machine of that name (region and account from pg_sfn.region and pg_sfn.account_id)';

CREATE OR REPLACE FUNCTION sfn.execution_arn(state_machine_name text, execution_name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_execution_arn_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION sfn.execution_arn(text, text) IS 'ARN of an execution';

CREATE OR REPLACE FUNCTION sfn.role_arn(role name) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE STRICT
	AS $$ SELECT pg_catalog.format('arn:aws:iam::%s:role/%s', pg_catalog.current_setting('pg_sfn.account_id'), role) $$;
COMMENT ON FUNCTION sfn.role_arn(name) IS 'The role of a state machine written as an IAM role ARN';

CREATE OR REPLACE FUNCTION sfn.state_machine_id(state_machine text, privilege text DEFAULT 'READ') RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_state_machine_id' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.state_machine_id(text, text) IS 'Id of the ACTIVE state machine named by name or ARN, on which the current user holds privilege (READ or START); raises StateMachineDoesNotExist or AccessDeniedException';

CREATE OR REPLACE FUNCTION sfn.acts_as(role name) RETURNS boolean
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_acts_as_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION sfn.acts_as(name) IS 'Whether the current user has the privileges of role (false when the role does not exist); used by the row-level security policies';

CREATE OR REPLACE FUNCTION sfn_create_state_machine(
	name text,
	definition jsonb,
	type text DEFAULT 'STANDARD',
	role name DEFAULT current_user,
	description text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_create_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, text, name, text) IS
'CreateStateMachine: validate definition and store it; returns the state machine ARN';

CREATE OR REPLACE FUNCTION sfn.update_state_machine(state_machine text, definition jsonb, role name)
RETURNS integer
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_update_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn.update_state_machine(text, jsonb, name) IS 'Implementation of sfn_update_state_machine; returns the new revision';

CREATE OR REPLACE FUNCTION sfn_update_state_machine(
	state_machine text,
	definition jsonb DEFAULT NULL,
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
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, name) IS
'UpdateStateMachine: new definition (a new revision) and/or role; running executions keep their revision';

CREATE OR REPLACE FUNCTION sfn_delete_state_machine(state_machine text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_delete_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_state_machine(text) IS
'DeleteStateMachine: the name is free at once; running executions finish';

CREATE OR REPLACE FUNCTION sfn_describe_state_machine(state_machine text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'stateMachineArn', sfn.state_machine_arn(sm.name),
		'name', sm.name,
		'status', sm.status,
		'definition', r.definition::text,
		'roleArn', sfn.role_arn(sm.role),
		'type', sm.type,
		'creationDate', sm.created_at,
		'description', sm.description,
		'revisionId', r.revision_id,
		'loggingConfiguration', pg_catalog.jsonb_build_object('level', 'OFF', 'includeExecutionData', false)))
	FROM sfn.state_machines sm
	JOIN sfn.state_machine_revisions r ON r.state_machine_id OPERATOR(pg_catalog.=) sm.id
		AND r.revision OPERATOR(pg_catalog.=) sm.revision
	WHERE sm.id OPERATOR(pg_catalog.=) sfn.state_machine_id(state_machine)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine(text) IS
'DescribeStateMachine: AWS''s response fields as jsonb';

CREATE OR REPLACE FUNCTION sfn_list_state_machines(
	OUT state_machine_arn text, OUT name text, OUT type text, OUT creation_date timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.state_machine_arn(sm.name), sm.name, sm.type, sm.created_at
	FROM sfn.state_machines sm
	WHERE sm.status OPERATOR(pg_catalog.=) 'ACTIVE'
	ORDER BY sm.name
$$;
COMMENT ON FUNCTION sfn_list_state_machines() IS
'ListStateMachines: one row per state machine, by name';

CREATE OR REPLACE FUNCTION sfn_grant_state_machine(state_machine text, role name, privilege text DEFAULT 'START')
RETURNS boolean
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_grant_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_grant_state_machine(text, name, text) IS
'Give role (and its members) READ (describe, list, history) or START (READ, start and stop executions) on a state machine you own; false if it had it already';

CREATE OR REPLACE FUNCTION sfn_revoke_state_machine(state_machine text, role name, privilege text DEFAULT 'START')
RETURNS boolean
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_revoke_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_revoke_state_machine(text, name, text) IS
'Take back a privilege given with sfn_grant_state_machine; false if role did not have it';
