-- pg_sfn 0.1 -> 0.2: what ALTER EXTENSION pg_sfn UPDATE changes in tables
-- and other objects that cannot simply be created again.  The build appends
-- every function piece of src/sql/ (CREATE OR REPLACE) to make the upgrade
-- script pg_sfn--0.1--0.2.sql.  It keeps every row; test/tap/030_upgrade.pl
-- checks that the result equals a fresh install.

\echo Use "ALTER EXTENSION pg_sfn UPDATE TO '0.2'" to load this file. \quit

-- pg_dump kept the rows of the tables but not their identity sequences: a
-- restored database handed out ids from 1 again.
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machines_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.executions_id_seq', '');

-- Privileges (src/sql/70_privileges.sql): every state machine gets an
-- owner.  0.1 let only superusers use pg_sfn and defaulted a state
-- machine's role to its creator, so the role is the best owner there is.
ALTER TABLE sfn.state_machines ADD COLUMN owner name;
UPDATE sfn.state_machines SET owner = role;
ALTER TABLE sfn.state_machines ALTER COLUMN owner SET NOT NULL;
COMMENT ON COLUMN sfn.state_machines.owner IS 'Role that created it; it and its members may do everything with it';

CREATE TABLE sfn.state_machine_grants (
	state_machine_id bigint NOT NULL REFERENCES sfn.state_machines (id) ON DELETE CASCADE,
	grantee		name NOT NULL,
	privilege	text NOT NULL CHECK (privilege IN ('READ', 'START')),
	owner		name NOT NULL,
	PRIMARY KEY (state_machine_id, grantee, privilege)
);
COMMENT ON TABLE sfn.state_machine_grants IS 'Privileges a state machine''s owner gave other roles (sfn_grant_state_machine)';
COMMENT ON COLUMN sfn.state_machine_grants.state_machine_id IS 'The state machine';
COMMENT ON COLUMN sfn.state_machine_grants.grantee IS 'Role given the privilege (and its members)';
COMMENT ON COLUMN sfn.state_machine_grants.privilege IS 'READ (describe, list, history) or START (READ, start and stop executions)';
COMMENT ON COLUMN sfn.state_machine_grants.owner IS 'The state machine''s owner, who gave it';
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machine_grants', '');

-- Schedules run as the role that made them; 0.1's pg_cron jobs belong to
-- whoever called sfn_schedule_execution, a superuser.
ALTER TABLE sfn.schedules ADD COLUMN owner name NOT NULL DEFAULT CURRENT_USER;
UPDATE sfn.schedules s SET owner = sm.role FROM sfn.state_machines sm
	WHERE sm.id OPERATOR(pg_catalog.=) s.state_machine_id;
COMMENT ON COLUMN sfn.schedules.owner IS 'Role that created the schedule; its pg_cron job runs as this role';

-- sfn.state_machine_id checks a privilege now (a new argument).
DROP FUNCTION sfn.state_machine_id(text);
-- Long schedule names no longer share pg_cron jobs (sfn.cron_job_name).
COMMENT ON COLUMN sfn.schedules.name IS 'Schedule name; the pg_cron job is named sfn.cron_job_name(name)';
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
-- src/sql/20_eval.sql: debugging entry points to the evaluation layer
-- (JSONPath, ResultPath, intrinsic functions).  They run the same code as
-- the engine; AWS runtime errors are raised as SQL errors.

CREATE OR REPLACE FUNCTION sfn.jsonpath_query(path text, input jsonb, context jsonb DEFAULT '{}')
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_query' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_query(text, jsonb, jsonb) IS
'Evaluate an ASL JSONPath ($ = input, $$ = context); NULL when a definite path matches nothing, an array of matches for an indefinite path';

CREATE OR REPLACE FUNCTION sfn.jsonpath_set(path text, target jsonb, value jsonb)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_set' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_set(text, jsonb, jsonb) IS
'Apply ResultPath semantics: target with value placed at the reference path, creating missing objects; raises States.ResultPathMatchFailure (SF014)';

CREATE OR REPLACE FUNCTION sfn.intrinsic_eval(expr text, input jsonb DEFAULT '{}', context jsonb DEFAULT '{}')
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_intrinsic_eval_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sfn.intrinsic_eval(text, jsonb, jsonb) IS
'Evaluate an intrinsic function call such as States.Format(''{}'', $.x); runtime failures raise States.IntrinsicFailure (SF015)';
-- src/sql/30_validate.sql: ValidateStateMachineDefinition.

CREATE OR REPLACE FUNCTION sfn_validate_state_machine_definition(
	definition jsonb,
	type text DEFAULT 'STANDARD')
RETURNS TABLE(severity text, code text, message text, location text)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_validate_state_machine_definition' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_validate_state_machine_definition(jsonb, text) IS
'AWS ValidateStateMachineDefinition: one row per problem found in an ASL definition (severity ERROR or WARNING, AWS diagnostic code, message, JSON-pointer-like location such as /States/Charge/Retry/0); no rows means the definition is valid';
-- src/sql/40_executions.sql: execution API (StartExecution, StopExecution,
-- DescribeExecution, ListExecutions, GetExecutionHistory,
-- DescribeStateMachineForExecution).

CREATE OR REPLACE FUNCTION sfn.json_text(value jsonb) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_json_text' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.json_text(jsonb) IS 'Compact JSON text of a value, as AWS writes inputs and outputs';

CREATE OR REPLACE FUNCTION sfn.execution_id(execution text) RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_execution_id' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.execution_id(text) IS 'Id of the execution with that ARN; raises ExecutionDoesNotExist';

CREATE OR REPLACE FUNCTION sfn_start_execution(
	state_machine text,
	input jsonb DEFAULT '{}',
	name text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_start_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_start_execution(text, jsonb, text) IS
'StartExecution: start (or, with the same name and input while running, find) an execution; returns its ARN. The workers run it after the calling transaction commits.';

CREATE OR REPLACE FUNCTION sfn_stop_execution(
	execution text,
	error text DEFAULT NULL,
	cause text DEFAULT NULL)
RETURNS timestamptz
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_stop_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_stop_execution(text, text, text) IS
'StopExecution: abort a running execution (status ABORTED); returns the stop date';

-- The AWS-shaped description of one execution row.
CREATE OR REPLACE FUNCTION sfn.describe_execution_row(e sfn.executions, sm_name text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'executionArn', sfn.execution_arn(sm_name, e.name),
		'stateMachineArn', sfn.state_machine_arn(sm_name),
		'name', e.name,
		'status', e.status,
		'startDate', e.start_date,
		'stopDate', e.stop_date,
		'input', sfn.json_text(e.input),
		'inputDetails', pg_catalog.jsonb_build_object('included', true),
		'output', sfn.json_text(e.output),
		'outputDetails', CASE WHEN e.status OPERATOR(pg_catalog.=) 'SUCCEEDED'
			THEN pg_catalog.jsonb_build_object('included', true) END,
		'error', e.error,
		'cause', e.cause,
		'redriveCount', e.redrive_count,
		'redriveStatus', CASE WHEN e.status OPERATOR(pg_catalog.=) ANY (ARRAY['RUNNING', 'SUCCEEDED'])
			THEN 'NOT_REDRIVABLE' ELSE 'REDRIVABLE' END,
		'redriveStatusReason', CASE WHEN e.status OPERATOR(pg_catalog.=) 'RUNNING'
			THEN 'Execution is RUNNING and cannot be redriven'
			WHEN e.status OPERATOR(pg_catalog.=) 'SUCCEEDED'
			THEN 'Execution is SUCCEEDED and cannot be redriven' END))
$$;
COMMENT ON FUNCTION sfn.describe_execution_row(sfn.executions, text) IS 'DescribeExecution response for one execution row';

CREATE OR REPLACE FUNCTION sfn_describe_execution(execution text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.describe_execution_row(e, sm.name)
	FROM sfn.executions e JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	WHERE e.id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_execution(text) IS
'DescribeExecution: AWS''s response fields as jsonb (input and output as JSON text, as AWS returns them)';

CREATE OR REPLACE FUNCTION sfn_list_executions(
	state_machine text,
	status_filter text DEFAULT NULL,
	max_results integer DEFAULT 100,
	next_token text DEFAULT NULL,
	OUT execution_arn text, OUT state_machine_arn text, OUT name text, OUT status text,
	OUT start_date timestamptz, OUT stop_date timestamptz, OUT redrive_count integer,
	OUT page_token text)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	sm_id bigint := sfn.state_machine_id(state_machine);
	sm_name text;
	after_start timestamptz;
	after_id bigint;
BEGIN
	IF status_filter IS NOT NULL AND NOT status_filter OPERATOR(pg_catalog.=) ANY
		(ARRAY['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) THEN
		RAISE EXCEPTION 'ValidationException: invalid status filter "%"', status_filter
			USING ERRCODE = 'SF009',
			HINT = 'Use RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.';
	END IF;
	IF max_results IS NULL OR max_results OPERATOR(pg_catalog.<) 0
		OR max_results OPERATOR(pg_catalog.>) 1000 THEN
		RAISE EXCEPTION 'ValidationException: max_results must be between 0 and 1000'
			USING ERRCODE = 'SF009';
	END IF;
	IF next_token IS NOT NULL THEN
		BEGIN
			after_start := pg_catalog.split_part(next_token, '/', 1)::timestamptz;
			after_id := pg_catalog.split_part(next_token, '/', 2)::bigint;
		EXCEPTION WHEN others THEN
			RAISE EXCEPTION 'InvalidToken: invalid next_token "%"', next_token USING ERRCODE = 'SF009';
		END;
	END IF;
	SELECT s.name INTO sm_name FROM sfn.state_machines s WHERE s.id OPERATOR(pg_catalog.=) sm_id;
	RETURN QUERY
		SELECT sfn.execution_arn(sm_name, e.name), sfn.state_machine_arn(sm_name), e.name, e.status,
			e.start_date, e.stop_date, e.redrive_count,
			e.start_date::text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) e.id::text
		FROM sfn.executions e
		WHERE e.state_machine_id OPERATOR(pg_catalog.=) sm_id
		  AND (status_filter IS NULL OR e.status OPERATOR(pg_catalog.=) status_filter)
		  AND (after_id IS NULL OR (e.start_date, e.id) OPERATOR(pg_catalog.<) (after_start, after_id))
		ORDER BY e.start_date DESC, e.id DESC
		LIMIT CASE WHEN max_results OPERATOR(pg_catalog.=) 0 THEN 100 ELSE max_results END;
END
$$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text) IS
'ListExecutions: newest first; pass the last row''s page_token as next_token for the next page';

CREATE OR REPLACE FUNCTION sfn_get_execution_history(
	execution text,
	reverse_order boolean DEFAULT false,
	include_execution_data boolean DEFAULT true,
	OUT id bigint, OUT previous_event_id bigint, OUT "timestamp" timestamptz,
	OUT type text, OUT details jsonb)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT h.event_id::bigint, h.previous_event_id::bigint, h.ts, h.type,
		CASE WHEN include_execution_data THEN h.details
			ELSE h.details OPERATOR(pg_catalog.-) '{input,output,inputDetails,outputDetails}'::text[] END
	FROM sfn.history h
	WHERE h.execution_id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
	ORDER BY CASE WHEN reverse_order THEN OPERATOR(pg_catalog.-) h.event_id ELSE h.event_id END
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text, boolean, boolean) IS
'GetExecutionHistory: one row per event (AWS HistoryEvent: id, previousEventId, timestamp, type, details)';

CREATE OR REPLACE FUNCTION sfn_describe_state_machine_for_execution(execution text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'stateMachineArn', sfn.state_machine_arn(sm.name),
		'name', sm.name,
		'definition', r.definition::text,
		'roleArn', sfn.role_arn(sm.role),
		'updateDate', r.created_at,
		'revisionId', r.revision_id,
		'loggingConfiguration', pg_catalog.jsonb_build_object('level', 'OFF', 'includeExecutionData', false)))
	FROM sfn.executions e
	JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	JOIN sfn.state_machine_revisions r ON r.state_machine_id OPERATOR(pg_catalog.=) e.state_machine_id
		AND r.revision OPERATOR(pg_catalog.=) e.revision
	WHERE e.id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine_for_execution(text) IS
'DescribeStateMachineForExecution: the definition revision the execution runs';

CREATE OR REPLACE FUNCTION sfn.wait_execution(execution text, timeout_seconds double precision DEFAULT 10)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	exec_id bigint := sfn.execution_id(execution);
	deadline timestamptz := pg_catalog.clock_timestamp()
		OPERATOR(pg_catalog.+) pg_catalog.make_interval(secs => timeout_seconds);
	st text;
BEGIN
	-- A NULL deadline would never come.
	IF timeout_seconds IS NULL THEN
		RAISE EXCEPTION 'ValidationException: timeout_seconds must not be null' USING ERRCODE = 'SF009';
	END IF;
	LOOP
		SELECT e.status INTO st FROM sfn.executions e WHERE e.id OPERATOR(pg_catalog.=) exec_id;
		IF st OPERATOR(pg_catalog.<>) 'RUNNING'
			OR pg_catalog.clock_timestamp() OPERATOR(pg_catalog.>=) deadline THEN
			RETURN st;
		END IF;
		PERFORM pg_catalog.pg_sleep(0.01);
	END LOOP;
END
$$;
COMMENT ON FUNCTION sfn.wait_execution(text, double precision) IS
'Wait until the execution is no longer RUNNING or timeout_seconds (not NULL) pass; returns its status. Must run outside the transaction that started it.';
-- src/sql/50_schedules.sql: scheduled executions on top of pg_cron.
--
-- Each firing starts one execution named after the schedule and the firing
-- minute, so a duplicate firing in the same minute starts nothing new.

CREATE OR REPLACE FUNCTION sfn.require_pg_cron() RETURNS void
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'pg_cron') THEN
		RAISE EXCEPTION 'ValidationException: pg_cron is not installed in this database'
			USING ERRCODE = 'SF009',
			HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database and run CREATE EXTENSION pg_cron.';
	END IF;
END
$$;
COMMENT ON FUNCTION sfn.require_pg_cron() IS 'Raise a clear error unless pg_cron is installed here';

-- A user-given name for an error message: control characters (U+0001-001F,
-- U+007F-009F) written as \u00XX, as the C functions do.
CREATE OR REPLACE FUNCTION sfn.message_text(s text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql IMMUTABLE STRICT
	AS $$
	SELECT coalesce(pg_catalog.string_agg(CASE WHEN t.c OPERATOR(pg_catalog.~) E'[\\x01-\\x1f\\x7f-\\x9f]'
			THEN E'\\u' OPERATOR(pg_catalog.||) pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.ascii(t.c)), 4, '0') ELSE t.c END,
			'' ORDER BY t.i), '')
	FROM pg_catalog.regexp_split_to_table(s, '') WITH ORDINALITY AS t(c, i)
$$;
COMMENT ON FUNCTION sfn.message_text(text) IS 'A user-given name with its control characters escaped, for error messages';

-- pg_cron job names are of type name (63 bytes): a schedule name (up to 64
-- characters) that does not fit whole is cut to 23 characters and followed
-- by "~" (never part of a schedule name, so the two forms cannot meet) and
-- 128 bits of its SHA-256.
CREATE OR REPLACE FUNCTION sfn.cron_job_name(schedule_name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql IMMUTABLE STRICT
	AS $$
	SELECT CASE WHEN pg_catalog.octet_length(schedule_name) OPERATOR(pg_catalog.<=) 56
		THEN 'pg_sfn:' OPERATOR(pg_catalog.||) schedule_name
		ELSE 'pg_sfn:' OPERATOR(pg_catalog.||) pg_catalog.left(schedule_name, 23) OPERATOR(pg_catalog.||) '~'
			OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(pg_catalog.sha256(
				pg_catalog.convert_to(schedule_name, 'UTF8')), 'hex'), 32) END
$$;
COMMENT ON FUNCTION sfn.cron_job_name(text) IS 'The pg_cron job name of a schedule: unique, at most 63 bytes';

-- Called by pg_cron at each firing.
CREATE OR REPLACE FUNCTION sfn.fire_schedule(schedule_name text, fired_at timestamptz DEFAULT pg_catalog.clock_timestamp())
RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	s sfn.schedules;
	sm_name text;
	exec_name text;
BEGIN
	SELECT * INTO s FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	SELECT sm.name INTO sm_name FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) s.state_machine_id;
	-- The whole schedule name (at most 64 characters) and the minute: at most
	-- 79 characters, within AWS's 80, and never the same for two schedules.
	exec_name := schedule_name OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
		pg_catalog.to_char(pg_catalog.timezone('UTC', fired_at), 'YYYYMMDD"T"HH24MI"Z"');
	BEGIN
		RETURN @extschema@.sfn_start_execution(sm_name, s.input, exec_name);
	EXCEPTION WHEN sqlstate 'SF005' THEN
		RETURN NULL;			-- this minute's execution exists already
	END;
END
$$;
COMMENT ON FUNCTION sfn.fire_schedule(text, timestamptz) IS
'Start the execution of one firing of a schedule; a second firing in the same minute starts nothing';

CREATE OR REPLACE FUNCTION sfn_schedule_execution(
	schedule_name text,
	cron_schedule text,
	state_machine text,
	input jsonb DEFAULT '{}')
RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	sm_id bigint;
	job bigint;
	taken boolean;
BEGIN
	IF schedule_name IS NULL OR cron_schedule IS NULL OR input IS NULL THEN
		RAISE EXCEPTION 'ValidationException: schedule_name, cron_schedule and input must not be null'
			USING ERRCODE = 'SF009';
	END IF;
	PERFORM sfn.require_pg_cron();
	IF pg_catalog.length(schedule_name) OPERATOR(pg_catalog.=) 0
		OR pg_catalog.length(schedule_name) OPERATOR(pg_catalog.>) 64
		OR schedule_name OPERATOR(pg_catalog.!~) '^[A-Za-z0-9_-]+$' THEN
		RAISE EXCEPTION 'InvalidName: schedule name "%" must be 1 to 64 letters, digits, "-" or "_"', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF002';
	END IF;
	sm_id := sfn.state_machine_id(state_machine, 'START');
	IF EXISTS (SELECT 1 FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name) THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" already exists', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	-- cron.schedule replaces a job of the same name: never another's.
	EXECUTE 'SELECT EXISTS (SELECT 1 FROM cron.job WHERE jobname OPERATOR(pg_catalog.=) $1)'
		INTO taken
		USING sfn.cron_job_name(schedule_name);
	IF taken THEN
		RAISE EXCEPTION 'ValidationException: pg_cron job "%" exists already', sfn.cron_job_name(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)'
		INTO job
		USING sfn.cron_job_name(schedule_name), cron_schedule,
			pg_catalog.format('SELECT sfn.fire_schedule(%L)', schedule_name);
	INSERT INTO sfn.schedules (name, cron_schedule, state_machine_id, input, cron_job_id)
		VALUES (schedule_name, cron_schedule, sm_id, input, job);
	RETURN job;
END
$$;
COMMENT ON FUNCTION sfn_schedule_execution(text, text, text, jsonb) IS
'Start an execution of state_machine on a cron schedule (pg_cron); returns the pg_cron job id';

CREATE OR REPLACE FUNCTION sfn_unschedule_execution(schedule_name text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	job bigint;
BEGIN
	PERFORM sfn.require_pg_cron();
	DELETE FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name RETURNING cron_job_id INTO job;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.unschedule($1)' USING job;
END
$$;
COMMENT ON FUNCTION sfn_unschedule_execution(text) IS 'Remove a schedule and its pg_cron job';
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
-- src/sql/70_privileges.sql: who may use pg_sfn, and what each role sees.
--
-- docs/ARCHITECTURE.md ("Privileges") argues the design; README
-- ("Privileges") is the user's guide.  In short:
--   * sfn_user: members may call the API.  sfn_admin (a member of
--     sfn_user): sees and acts on everything.
--   * The API functions are the only door for writes: the C functions
--     check the caller's privileges, then write as the extension's owner.
--     Ordinary roles have no INSERT, UPDATE or DELETE on any sfn table
--     except their own schedules.
--   * Reads go through row-level security: a role sees the rows of the
--     state machines it owns (or has the privileges of), was granted, or
--     all of them as sfn_admin.  The SQL API functions read as the caller,
--     so these policies are what they return.
-- Everything here runs again at each upgrade: keep it idempotent.  Names
-- are schema-qualified (operators too): it runs with the installing
-- role's privileges and a search_path that includes public.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'sfn_user') THEN
		CREATE ROLE sfn_user NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'sfn_admin') THEN
		CREATE ROLE sfn_admin NOLOGIN;
	END IF;
	IF NOT pg_catalog.pg_has_role('sfn_admin'::pg_catalog.name, 'sfn_user'::pg_catalog.name, 'MEMBER') THEN
		GRANT sfn_user TO sfn_admin;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA sfn TO sfn_user;

-- Functions: the API to sfn_user; validation and TestState touch no table
-- and stay open to everyone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sfn FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA sfn TO sfn_user;
-- The API functions in the extension's schema, by exact signature (only
-- pg_catalog comes before that schema here, and it has none of them).
DO $$
DECLARE
	f pg_catalog.regprocedure;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'sfn_create_state_machine(text, jsonb, text, name, text)',
		'sfn_update_state_machine(text, jsonb, name)',
		'sfn_delete_state_machine(text)',
		'sfn_describe_state_machine(text)',
		'sfn_list_state_machines()',
		'sfn_grant_state_machine(text, name, text)',
		'sfn_revoke_state_machine(text, name, text)',
		'sfn_start_execution(text, jsonb, text)',
		'sfn_stop_execution(text, text, text)',
		'sfn_describe_execution(text)',
		'sfn_list_executions(text, text, integer, text)',
		'sfn_get_execution_history(text, boolean, boolean)',
		'sfn_describe_state_machine_for_execution(text)',
		'sfn_schedule_execution(text, text, text, jsonb)',
		'sfn_unschedule_execution(text)'
	]::pg_catalog.regprocedure[] LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO sfn_user', f);
	END LOOP;
END
$$;

-- Tables: read through the policies below; threads and work stay private.
REVOKE ALL ON ALL TABLES IN SCHEMA sfn FROM PUBLIC;
GRANT SELECT ON sfn.state_machines, sfn.state_machine_revisions, sfn.state_machine_grants,
	sfn.executions, sfn.history, sfn.schedules TO sfn_user;
-- sfn_schedule_execution runs as its caller (so does the pg_cron job it
-- makes); the policy keeps each role to its own rows.
GRANT INSERT, DELETE ON sfn.schedules TO sfn_user;

ALTER TABLE sfn.state_machines ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.state_machine_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.state_machine_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.threads ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.work ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS visible ON sfn.state_machines;
CREATE POLICY visible ON sfn.state_machines FOR SELECT
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin')
		OR EXISTS (SELECT FROM sfn.state_machine_grants g
				   WHERE g.state_machine_id OPERATOR(pg_catalog.=) id AND sfn.acts_as(g.grantee)));

-- The rest follow the state machine (its policy applies in the subquery).
DROP POLICY IF EXISTS visible ON sfn.state_machine_revisions;
CREATE POLICY visible ON sfn.state_machine_revisions FOR SELECT
	USING (EXISTS (SELECT FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) state_machine_id));
DROP POLICY IF EXISTS visible ON sfn.executions;
CREATE POLICY visible ON sfn.executions FOR SELECT
	USING (EXISTS (SELECT FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) state_machine_id));
DROP POLICY IF EXISTS visible ON sfn.history;
CREATE POLICY visible ON sfn.history FOR SELECT
	USING (EXISTS (SELECT FROM sfn.executions e WHERE e.id OPERATOR(pg_catalog.=) execution_id));

-- Not through sfn.state_machines: its policy reads this table.
DROP POLICY IF EXISTS visible ON sfn.state_machine_grants;
CREATE POLICY visible ON sfn.state_machine_grants FOR SELECT
	USING (sfn.acts_as(grantee) OR sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));

DROP POLICY IF EXISTS own ON sfn.schedules;
CREATE POLICY own ON sfn.schedules FOR ALL
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'))
	WITH CHECK (owner OPERATOR(pg_catalog.=) CURRENT_USER);
