-- src/sql/00_schema.sql: pg_sfn's internal tables (schema sfn).
--
-- Pieces in src/sql/ are concatenated in name order into the extension's
-- install script.  Users never write these tables; the sfn_* functions do.

\echo Use "CREATE EXTENSION pg_sfn" to load this file. \quit

CREATE SCHEMA sfn;
COMMENT ON SCHEMA sfn IS 'pg_sfn internal tables and helpers (read them through the sfn_* functions)';

-- State machines --------------------------------------------------------

CREATE TABLE sfn.state_machines (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL,
	type		text NOT NULL CHECK (type IN ('STANDARD', 'EXPRESS')),
	status		text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DELETING')),
	role		name NOT NULL,
	revision	integer NOT NULL DEFAULT 1,
	description text,
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	updated_at	timestamptz
);
-- A deleted state machine keeps its row while its executions finish; its
-- name is free for a new one at once.
CREATE UNIQUE INDEX state_machines_active_name ON sfn.state_machines (name) WHERE status = 'ACTIVE';
COMMENT ON TABLE sfn.state_machines IS 'State machines: one row each; definitions are in sfn.state_machine_revisions';
COMMENT ON COLUMN sfn.state_machines.id IS 'Internal id';
COMMENT ON COLUMN sfn.state_machines.name IS 'Name, unique among ACTIVE state machines';
COMMENT ON COLUMN sfn.state_machines.type IS 'STANDARD or EXPRESS';
COMMENT ON COLUMN sfn.state_machines.status IS 'ACTIVE, or DELETING once deleted while executions may still run';
COMMENT ON COLUMN sfn.state_machines.role IS 'Role whose privileges the state machine''s SQL tasks run with';
COMMENT ON COLUMN sfn.state_machines.revision IS 'Current revision; executions keep the revision they started with';
COMMENT ON COLUMN sfn.state_machines.description IS 'Free text';
COMMENT ON COLUMN sfn.state_machines.created_at IS 'Creation time';
COMMENT ON COLUMN sfn.state_machines.updated_at IS 'Time of the last update, NULL if never updated';

CREATE TABLE sfn.state_machine_revisions (
	state_machine_id bigint NOT NULL REFERENCES sfn.state_machines (id) ON DELETE CASCADE,
	revision	integer NOT NULL,
	definition	jsonb NOT NULL,
	revision_id uuid NOT NULL DEFAULT gen_random_uuid(),
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (state_machine_id, revision)
);
COMMENT ON TABLE sfn.state_machine_revisions IS 'Every definition a state machine has had, by revision';
COMMENT ON COLUMN sfn.state_machine_revisions.state_machine_id IS 'The state machine';
COMMENT ON COLUMN sfn.state_machine_revisions.revision IS 'Revision number, from 1';
COMMENT ON COLUMN sfn.state_machine_revisions.definition IS 'The ASL definition as given';
COMMENT ON COLUMN sfn.state_machine_revisions.revision_id IS 'AWS revisionId';
COMMENT ON COLUMN sfn.state_machine_revisions.created_at IS 'When this revision was created';

-- Executions ------------------------------------------------------------
--
-- The execution tables carry no foreign keys: on the start path each one
-- costs a row lock on the parent (a shared lock on one state machine row
-- from every concurrent start), and pg_sfn writes these rows itself.  The
-- rules the keys would enforce: a state machine with executions is never
-- deleted (it is marked DELETING); history, threads and work rows are
-- removed with their execution (store/retention.c).

CREATE TABLE sfn.executions (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	state_machine_id bigint NOT NULL,	-- sfn.state_machines (id); see below
	revision	integer NOT NULL,
	name		text NOT NULL,
	status		text NOT NULL DEFAULT 'RUNNING'
				CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
	input		jsonb NOT NULL,
	output		jsonb,
	error		text,
	cause		text,
	start_date	timestamptz NOT NULL DEFAULT clock_timestamp(),
	stop_date	timestamptz,
	timeout_at	timestamptz,
	last_event_id integer NOT NULL DEFAULT 0,
	redrive_count integer NOT NULL DEFAULT 0,
	-- Idempotent StartExecution: one execution per (state machine, name).
	UNIQUE (state_machine_id, name)
) WITH (fillfactor = 80);	-- room for HOT updates: workers update every row
CREATE INDEX executions_list ON sfn.executions (state_machine_id, start_date DESC, id DESC);
-- No index on stop_date or status: the workers' updates of a row stay HOT
-- (retention scans the table every 10 s instead).
COMMENT ON TABLE sfn.executions IS 'Executions of state machines';
COMMENT ON COLUMN sfn.executions.id IS 'Internal id';
COMMENT ON COLUMN sfn.executions.state_machine_id IS 'The state machine';
COMMENT ON COLUMN sfn.executions.revision IS 'The definition revision this execution runs';
COMMENT ON COLUMN sfn.executions.name IS 'Execution name, unique per state machine';
COMMENT ON COLUMN sfn.executions.status IS 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED';
COMMENT ON COLUMN sfn.executions.input IS 'Execution input';
COMMENT ON COLUMN sfn.executions.output IS 'Execution output once SUCCEEDED';
COMMENT ON COLUMN sfn.executions.error IS 'Error name once FAILED, TIMED_OUT or ABORTED';
COMMENT ON COLUMN sfn.executions.cause IS 'Error cause';
COMMENT ON COLUMN sfn.executions.start_date IS 'Start time';
COMMENT ON COLUMN sfn.executions.stop_date IS 'End time, NULL while RUNNING';
COMMENT ON COLUMN sfn.executions.timeout_at IS 'Deadline from the definition''s TimeoutSeconds, NULL if none';
COMMENT ON COLUMN sfn.executions.last_event_id IS 'Id of the last history event written (ids are contiguous from 1)';
COMMENT ON COLUMN sfn.executions.redrive_count IS 'Times this execution was redriven';

-- A thread is one position inside an execution: the top level (thread 0),
-- later also a Parallel branch or a Map iteration.
CREATE TABLE sfn.threads (
	execution_id bigint NOT NULL,
	thread_id	integer NOT NULL,
	state_name	text NOT NULL,
	phase		smallint NOT NULL,
	state_input jsonb NOT NULL,
	entered_at	timestamptz,
	entered_event_id integer NOT NULL DEFAULT 0,
	last_event_id integer NOT NULL DEFAULT 0,
	retry_count integer NOT NULL DEFAULT 0,
	due_at		timestamptz,
	PRIMARY KEY (execution_id, thread_id)
) WITH (fillfactor = 70);
COMMENT ON TABLE sfn.threads IS 'Where each running execution stands: its current state and that state''s input';
COMMENT ON COLUMN sfn.threads.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.threads.thread_id IS '0 for the top level';
COMMENT ON COLUMN sfn.threads.state_name IS 'Current state';
COMMENT ON COLUMN sfn.threads.phase IS 'Engine phase within the state (see src/engine/engine.h)';
COMMENT ON COLUMN sfn.threads.state_input IS 'Input of the current state';
COMMENT ON COLUMN sfn.threads.entered_at IS 'When the current state was entered';
COMMENT ON COLUMN sfn.threads.entered_event_id IS 'Id of the current state''s StateEntered event';
COMMENT ON COLUMN sfn.threads.last_event_id IS 'Id of this thread''s last event (previousEventId of its next one)';
COMMENT ON COLUMN sfn.threads.retry_count IS 'Retries of the current state so far';
COMMENT ON COLUMN sfn.threads.due_at IS 'When a waiting thread resumes';

-- The run queue: one row per execution with something to do at due_at.
-- Claimed with FOR UPDATE SKIP LOCKED; narrow and updated in place.
CREATE TABLE sfn.work (
	execution_id bigint PRIMARY KEY,
	due_at		timestamptz NOT NULL
) WITH (fillfactor = 50);
CREATE INDEX work_due ON sfn.work (due_at);
COMMENT ON TABLE sfn.work IS 'Run queue: executions that have work due at due_at';
COMMENT ON COLUMN sfn.work.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.work.due_at IS 'Earliest time the execution has something to do';

CREATE TABLE sfn.history (
	execution_id bigint NOT NULL,
	event_id	integer NOT NULL,
	previous_event_id integer NOT NULL,
	ts			timestamptz NOT NULL,
	type		text NOT NULL,
	details		jsonb,
	PRIMARY KEY (execution_id, event_id)
);
COMMENT ON TABLE sfn.history IS 'Execution history events, shaped like AWS HistoryEvent';
COMMENT ON COLUMN sfn.history.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.history.event_id IS 'Event id, contiguous from 1 per execution';
COMMENT ON COLUMN sfn.history.previous_event_id IS 'AWS previousEventId';
COMMENT ON COLUMN sfn.history.ts IS 'Event time';
COMMENT ON COLUMN sfn.history.type IS 'AWS HistoryEvent type, e.g. PassStateEntered';
COMMENT ON COLUMN sfn.history.details IS 'AWS *EventDetails object of the event';

SELECT pg_catalog.pg_extension_config_dump('sfn.state_machines', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machine_revisions', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.executions', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.threads', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.work', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.history', '');
-- src/sql/10_state_machines.sql: state machine API (CreateStateMachine,
-- UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
-- ListStateMachines) and ARN helpers.

CREATE FUNCTION sfn.state_machine_arn(name text) RETURNS text
	AS 'MODULE_PATHNAME', 'sfn_state_machine_arn_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION sfn.state_machine_arn(text) IS 'ARN of the state machine of that name (region and account from pg_sfn.region and pg_sfn.account_id)';

CREATE FUNCTION sfn.execution_arn(state_machine_name text, execution_name text) RETURNS text
	AS 'MODULE_PATHNAME', 'sfn_execution_arn_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION sfn.execution_arn(text, text) IS 'ARN of an execution';

CREATE FUNCTION sfn.role_arn(role name) RETURNS text
	LANGUAGE sql STABLE STRICT
	AS $$ SELECT format('arn:aws:iam::%s:role/%s', current_setting('pg_sfn.account_id'), role) $$;
COMMENT ON FUNCTION sfn.role_arn(name) IS 'The role of a state machine written as an IAM role ARN';

CREATE FUNCTION sfn.state_machine_id(state_machine text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'sfn_state_machine_id' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.state_machine_id(text) IS 'Id of the ACTIVE state machine named by name or ARN; raises StateMachineDoesNotExist';

CREATE FUNCTION sfn_create_state_machine(
	name text,
	definition jsonb,
	type text DEFAULT 'STANDARD',
	role name DEFAULT current_user,
	description text DEFAULT NULL)
RETURNS text
	AS 'MODULE_PATHNAME', 'sfn_create_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, text, name, text) IS
'CreateStateMachine: validate definition and store it; returns the state machine ARN';

CREATE FUNCTION sfn.update_state_machine(state_machine text, definition jsonb, role name)
RETURNS integer
	AS 'MODULE_PATHNAME', 'sfn_update_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn.update_state_machine(text, jsonb, name) IS 'Implementation of sfn_update_state_machine; returns the new revision';

CREATE FUNCTION sfn_update_state_machine(
	state_machine text,
	definition jsonb DEFAULT NULL,
	role name DEFAULT NULL)
RETURNS jsonb
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	rev integer := sfn.update_state_machine(state_machine, definition, role);
BEGIN
	RETURN (SELECT jsonb_build_object('updateDate', sm.updated_at, 'revisionId', r.revision_id)
			FROM sfn.state_machines sm
			JOIN sfn.state_machine_revisions r ON r.state_machine_id = sm.id AND r.revision = rev
			WHERE sm.id = sfn.state_machine_id(state_machine));
END
$$;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, name) IS
'UpdateStateMachine: new definition (a new revision) and/or role; running executions keep their revision';

CREATE FUNCTION sfn_delete_state_machine(state_machine text) RETURNS void
	AS 'MODULE_PATHNAME', 'sfn_delete_state_machine' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_state_machine(text) IS
'DeleteStateMachine: the name is free at once; running executions finish';

CREATE FUNCTION sfn_describe_state_machine(state_machine text) RETURNS jsonb
	LANGUAGE sql STABLE
	AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object(
		'stateMachineArn', sfn.state_machine_arn(sm.name),
		'name', sm.name,
		'status', sm.status,
		'definition', r.definition::text,
		'roleArn', sfn.role_arn(sm.role),
		'type', sm.type,
		'creationDate', sm.created_at,
		'description', sm.description,
		'revisionId', r.revision_id,
		'loggingConfiguration', jsonb_build_object('level', 'OFF', 'includeExecutionData', false)))
	FROM sfn.state_machines sm
	JOIN sfn.state_machine_revisions r ON r.state_machine_id = sm.id AND r.revision = sm.revision
	WHERE sm.id = sfn.state_machine_id(state_machine)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine(text) IS
'DescribeStateMachine: AWS''s response fields as jsonb';

CREATE FUNCTION sfn_list_state_machines(
	OUT state_machine_arn text, OUT name text, OUT type text, OUT creation_date timestamptz)
RETURNS SETOF record
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.state_machine_arn(sm.name), sm.name, sm.type, sm.created_at
	FROM sfn.state_machines sm
	WHERE sm.status = 'ACTIVE'
	ORDER BY sm.name
$$;
COMMENT ON FUNCTION sfn_list_state_machines() IS
'ListStateMachines: one row per state machine, by name';
-- src/sql/20_eval.sql: debugging entry points to the evaluation layer
-- (JSONPath, ResultPath, intrinsic functions).  They run the same code as
-- the engine; AWS runtime errors are raised as SQL errors.

CREATE FUNCTION sfn.jsonpath_query(path text, input jsonb, context jsonb DEFAULT '{}')
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_query' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_query(text, jsonb, jsonb) IS
'Evaluate an ASL JSONPath ($ = input, $$ = context); NULL when a definite path matches nothing, an array of matches for an indefinite path';

CREATE FUNCTION sfn.jsonpath_set(path text, target jsonb, value jsonb)
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_set' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_set(text, jsonb, jsonb) IS
'Apply ResultPath semantics: target with value placed at the reference path, creating missing objects; raises States.ResultPathMatchFailure (SF014)';

CREATE FUNCTION sfn.intrinsic_eval(expr text, input jsonb DEFAULT '{}', context jsonb DEFAULT '{}')
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'sfn_intrinsic_eval_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sfn.intrinsic_eval(text, jsonb, jsonb) IS
'Evaluate an intrinsic function call such as States.Format(''{}'', $.x); runtime failures raise States.IntrinsicFailure (SF015)';
-- src/sql/30_validate.sql: ValidateStateMachineDefinition.

CREATE FUNCTION sfn_validate_state_machine_definition(
	definition jsonb,
	type text DEFAULT 'STANDARD')
RETURNS TABLE(severity text, code text, message text, location text)
	AS 'MODULE_PATHNAME', 'sfn_validate_state_machine_definition' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_validate_state_machine_definition(jsonb, text) IS
'AWS ValidateStateMachineDefinition: one row per problem found in an ASL definition (severity ERROR or WARNING, AWS diagnostic code, message, JSON-pointer-like location such as /States/Charge/Retry/0); no rows means the definition is valid';
-- src/sql/40_executions.sql: execution API (StartExecution, StopExecution,
-- DescribeExecution, ListExecutions, GetExecutionHistory,
-- DescribeStateMachineForExecution).

CREATE FUNCTION sfn.json_text(value jsonb) RETURNS text
	AS 'MODULE_PATHNAME', 'sfn_json_text' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.json_text(jsonb) IS 'Compact JSON text of a value, as AWS writes inputs and outputs';

CREATE FUNCTION sfn.execution_id(execution text) RETURNS bigint
	AS 'MODULE_PATHNAME', 'sfn_execution_id' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.execution_id(text) IS 'Id of the execution with that ARN; raises ExecutionDoesNotExist';

CREATE FUNCTION sfn_start_execution(
	state_machine text,
	input jsonb DEFAULT '{}',
	name text DEFAULT NULL)
RETURNS text
	AS 'MODULE_PATHNAME', 'sfn_start_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_start_execution(text, jsonb, text) IS
'StartExecution: start (or, with the same name and input while running, find) an execution; returns its ARN. The workers run it after the calling transaction commits.';

CREATE FUNCTION sfn_stop_execution(
	execution text,
	error text DEFAULT NULL,
	cause text DEFAULT NULL)
RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'sfn_stop_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_stop_execution(text, text, text) IS
'StopExecution: abort a running execution (status ABORTED); returns the stop date';

-- The AWS-shaped description of one execution row.
CREATE FUNCTION sfn.describe_execution_row(e sfn.executions, sm_name text) RETURNS jsonb
	LANGUAGE sql STABLE
	AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object(
		'executionArn', sfn.execution_arn(sm_name, e.name),
		'stateMachineArn', sfn.state_machine_arn(sm_name),
		'name', e.name,
		'status', e.status,
		'startDate', e.start_date,
		'stopDate', e.stop_date,
		'input', sfn.json_text(e.input),
		'inputDetails', jsonb_build_object('included', true),
		'output', sfn.json_text(e.output),
		'outputDetails', CASE WHEN e.status = 'SUCCEEDED' THEN jsonb_build_object('included', true) END,
		'error', e.error,
		'cause', e.cause,
		'redriveCount', e.redrive_count,
		'redriveStatus', CASE e.status WHEN 'RUNNING' THEN 'NOT_REDRIVABLE'
			WHEN 'SUCCEEDED' THEN 'NOT_REDRIVABLE' WHEN 'ABORTED' THEN 'REDRIVABLE'
			ELSE 'REDRIVABLE' END,
		'redriveStatusReason', CASE e.status WHEN 'RUNNING' THEN 'Execution is RUNNING and cannot be redriven'
			WHEN 'SUCCEEDED' THEN 'Execution is SUCCEEDED and cannot be redriven' END))
$$;
COMMENT ON FUNCTION sfn.describe_execution_row(sfn.executions, text) IS 'DescribeExecution response for one execution row';

CREATE FUNCTION sfn_describe_execution(execution text) RETURNS jsonb
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.describe_execution_row(e, sm.name)
	FROM sfn.executions e JOIN sfn.state_machines sm ON sm.id = e.state_machine_id
	WHERE e.id = sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_execution(text) IS
'DescribeExecution: AWS''s response fields as jsonb (input and output as JSON text, as AWS returns them)';

CREATE FUNCTION sfn_list_executions(
	state_machine text,
	status_filter text DEFAULT NULL,
	max_results integer DEFAULT 100,
	next_token text DEFAULT NULL,
	OUT execution_arn text, OUT state_machine_arn text, OUT name text, OUT status text,
	OUT start_date timestamptz, OUT stop_date timestamptz, OUT redrive_count integer,
	OUT page_token text)
RETURNS SETOF record
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	sm_id bigint := sfn.state_machine_id(state_machine);
	sm_name text;
	after_start timestamptz;
	after_id bigint;
BEGIN
	IF status_filter IS NOT NULL AND status_filter NOT IN
		('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
		RAISE EXCEPTION 'ValidationException: invalid status filter "%"', status_filter
			USING ERRCODE = 'SF009',
			HINT = 'Use RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.';
	END IF;
	IF max_results IS NULL OR max_results < 0 OR max_results > 1000 THEN
		RAISE EXCEPTION 'ValidationException: max_results must be between 0 and 1000'
			USING ERRCODE = 'SF009';
	END IF;
	IF next_token IS NOT NULL THEN
		BEGIN
			after_start := split_part(next_token, '/', 1)::timestamptz;
			after_id := split_part(next_token, '/', 2)::bigint;
		EXCEPTION WHEN others THEN
			RAISE EXCEPTION 'InvalidToken: invalid next_token "%"', next_token USING ERRCODE = 'SF009';
		END;
	END IF;
	SELECT s.name INTO sm_name FROM sfn.state_machines s WHERE s.id = sm_id;
	RETURN QUERY
		SELECT sfn.execution_arn(sm_name, e.name), sfn.state_machine_arn(sm_name), e.name, e.status,
			e.start_date, e.stop_date, e.redrive_count, e.start_date::text || '/' || e.id
		FROM sfn.executions e
		WHERE e.state_machine_id = sm_id
		  AND (status_filter IS NULL OR e.status = status_filter)
		  AND (after_id IS NULL OR (e.start_date, e.id) < (after_start, after_id))
		ORDER BY e.start_date DESC, e.id DESC
		LIMIT CASE WHEN max_results = 0 THEN 100 ELSE max_results END;
END
$$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text) IS
'ListExecutions: newest first; pass the last row''s page_token as next_token for the next page';

CREATE FUNCTION sfn_get_execution_history(
	execution text,
	reverse_order boolean DEFAULT false,
	include_execution_data boolean DEFAULT true,
	OUT id bigint, OUT previous_event_id bigint, OUT "timestamp" timestamptz,
	OUT type text, OUT details jsonb)
RETURNS SETOF record
	LANGUAGE sql STABLE
	AS $$
	SELECT h.event_id::bigint, h.previous_event_id::bigint, h.ts, h.type,
		CASE WHEN include_execution_data THEN h.details
			ELSE h.details - '{input,output,inputDetails,outputDetails}'::text[] END
	FROM sfn.history h
	WHERE h.execution_id = sfn.execution_id(execution)
	ORDER BY CASE WHEN reverse_order THEN -h.event_id ELSE h.event_id END
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text, boolean, boolean) IS
'GetExecutionHistory: one row per event (AWS HistoryEvent: id, previousEventId, timestamp, type, details)';

CREATE FUNCTION sfn_describe_state_machine_for_execution(execution text) RETURNS jsonb
	LANGUAGE sql STABLE
	AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object(
		'stateMachineArn', sfn.state_machine_arn(sm.name),
		'name', sm.name,
		'definition', r.definition::text,
		'roleArn', sfn.role_arn(sm.role),
		'updateDate', r.created_at,
		'revisionId', r.revision_id,
		'loggingConfiguration', jsonb_build_object('level', 'OFF', 'includeExecutionData', false)))
	FROM sfn.executions e
	JOIN sfn.state_machines sm ON sm.id = e.state_machine_id
	JOIN sfn.state_machine_revisions r ON r.state_machine_id = e.state_machine_id AND r.revision = e.revision
	WHERE e.id = sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine_for_execution(text) IS
'DescribeStateMachineForExecution: the definition revision the execution runs';

CREATE FUNCTION sfn.wait_execution(execution text, timeout_seconds double precision DEFAULT 10)
RETURNS text
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	exec_id bigint := sfn.execution_id(execution);
	deadline timestamptz := clock_timestamp() + make_interval(secs => timeout_seconds);
	st text;
BEGIN
	LOOP
		SELECT e.status INTO st FROM sfn.executions e WHERE e.id = exec_id;
		IF st <> 'RUNNING' OR clock_timestamp() >= deadline THEN
			RETURN st;
		END IF;
		PERFORM pg_sleep(0.01);
	END LOOP;
END
$$;
COMMENT ON FUNCTION sfn.wait_execution(text, double precision) IS
'Wait until the execution is no longer RUNNING or timeout_seconds pass; returns its status. Must run outside the transaction that started it.';
-- src/sql/50_schedules.sql: scheduled executions on top of pg_cron.
--
-- Each firing starts one execution named after the schedule and the firing
-- minute, so a duplicate firing in the same minute starts nothing new.

CREATE TABLE sfn.schedules (
	name		text PRIMARY KEY,
	cron_schedule text NOT NULL,
	state_machine_id bigint NOT NULL REFERENCES sfn.state_machines (id),
	input		jsonb NOT NULL,
	cron_job_id bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE sfn.schedules IS 'Executions started on a cron schedule through pg_cron';
COMMENT ON COLUMN sfn.schedules.name IS 'Schedule name; also the pg_cron job name (prefixed "pg_sfn:")';
COMMENT ON COLUMN sfn.schedules.cron_schedule IS 'Cron expression as pg_cron accepts it';
COMMENT ON COLUMN sfn.schedules.state_machine_id IS 'State machine started at each firing';
COMMENT ON COLUMN sfn.schedules.input IS 'Input of each execution';
COMMENT ON COLUMN sfn.schedules.cron_job_id IS 'The pg_cron job (cron.job.jobid)';
COMMENT ON COLUMN sfn.schedules.created_at IS 'Creation time';
SELECT pg_catalog.pg_extension_config_dump('sfn.schedules', '');

CREATE FUNCTION sfn.require_pg_cron() RETURNS void
	LANGUAGE plpgsql STABLE
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		RAISE EXCEPTION 'ValidationException: pg_cron is not installed in this database'
			USING ERRCODE = 'SF009',
			HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database and run CREATE EXTENSION pg_cron.';
	END IF;
END
$$;
COMMENT ON FUNCTION sfn.require_pg_cron() IS 'Raise a clear error unless pg_cron is installed here';

-- Called by pg_cron at each firing.
CREATE FUNCTION sfn.fire_schedule(schedule_name text, fired_at timestamptz DEFAULT clock_timestamp())
RETURNS text
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	s sfn.schedules;
	sm_name text;
	exec_name text;
BEGIN
	SELECT * INTO s FROM sfn.schedules WHERE name = schedule_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	SELECT sm.name INTO sm_name FROM sfn.state_machines sm WHERE sm.id = s.state_machine_id;
	-- 80 characters at most: keep the end of the schedule name's prefix room.
	exec_name := left(schedule_name, 63) || '-' || to_char(fired_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MI"Z"');
	BEGIN
		RETURN sfn_start_execution(sm_name, s.input, exec_name);
	EXCEPTION WHEN sqlstate 'SF005' THEN
		RETURN NULL;			-- this minute's execution exists already
	END;
END
$$;
COMMENT ON FUNCTION sfn.fire_schedule(text, timestamptz) IS
'Start the execution of one firing of a schedule; a second firing in the same minute starts nothing';

CREATE FUNCTION sfn_schedule_execution(
	schedule_name text,
	cron_schedule text,
	state_machine text,
	input jsonb DEFAULT '{}')
RETURNS bigint
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	sm_id bigint;
	job bigint;
BEGIN
	IF schedule_name IS NULL OR cron_schedule IS NULL OR input IS NULL THEN
		RAISE EXCEPTION 'ValidationException: schedule_name, cron_schedule and input must not be null'
			USING ERRCODE = 'SF009';
	END IF;
	PERFORM sfn.require_pg_cron();
	IF length(schedule_name) = 0 OR length(schedule_name) > 64 OR schedule_name !~ '^[A-Za-z0-9_-]+$' THEN
		RAISE EXCEPTION 'InvalidName: schedule name "%" must be 1 to 64 letters, digits, "-" or "_"', schedule_name
			USING ERRCODE = 'SF002';
	END IF;
	sm_id := sfn.state_machine_id(state_machine);
	IF EXISTS (SELECT 1 FROM sfn.schedules WHERE name = schedule_name) THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" already exists', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)'
		INTO job
		USING 'pg_sfn:' || schedule_name, cron_schedule,
			format('SELECT sfn.fire_schedule(%L)', schedule_name);
	INSERT INTO sfn.schedules (name, cron_schedule, state_machine_id, input, cron_job_id)
		VALUES (schedule_name, cron_schedule, sm_id, input, job);
	RETURN job;
END
$$;
COMMENT ON FUNCTION sfn_schedule_execution(text, text, text, jsonb) IS
'Start an execution of state_machine on a cron schedule (pg_cron); returns the pg_cron job id';

CREATE FUNCTION sfn_unschedule_execution(schedule_name text) RETURNS void
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	job bigint;
BEGIN
	PERFORM sfn.require_pg_cron();
	DELETE FROM sfn.schedules WHERE name = schedule_name RETURNING cron_job_id INTO job;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.unschedule($1)' USING job;
END
$$;
COMMENT ON FUNCTION sfn_unschedule_execution(text) IS 'Remove a schedule and its pg_cron job';
-- src/sql/60_test_state.sql: TestState.

CREATE FUNCTION sfn_test_state(
	definition jsonb,
	input jsonb DEFAULT '{}',
	state_name text DEFAULT NULL)
RETURNS jsonb
	AS 'MODULE_PATHNAME', 'sfn_test_state' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_test_state(jsonb, jsonb, text) IS
'TestState: run one state (a lone state definition, or state_name of a whole definition) on input; returns {status, output, nextState} or {status, error, cause}. Creates no execution.';
