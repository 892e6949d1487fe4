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
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
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
ALTER TABLE sfn.state_machines ADD COLUMN owner name NOT NULL;
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

CREATE TABLE sfn.state_machine_revisions (
	state_machine_id bigint NOT NULL REFERENCES sfn.state_machines (id) ON DELETE CASCADE,
	revision	integer NOT NULL,
	definition	jsonb NOT NULL,
	revision_id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
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
	start_date	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
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
-- The identity sequences too, or a restored database hands out ids again
-- from 1 (since 0.2).
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machines_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.executions_id_seq', '');

-- Schedules (src/sql/50_schedules.sql) ------------------------------------

CREATE TABLE sfn.schedules (
	name		text PRIMARY KEY,
	cron_schedule text NOT NULL,
	state_machine_id bigint NOT NULL REFERENCES sfn.state_machines (id),
	input		jsonb NOT NULL,
	cron_job_id bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE sfn.schedules IS 'Executions started on a cron schedule through pg_cron';
COMMENT ON COLUMN sfn.schedules.name IS 'Schedule name; the pg_cron job is named sfn.cron_job_name(name)';
COMMENT ON COLUMN sfn.schedules.cron_schedule IS 'Cron expression as pg_cron accepts it';
COMMENT ON COLUMN sfn.schedules.state_machine_id IS 'State machine started at each firing';
COMMENT ON COLUMN sfn.schedules.input IS 'Input of each execution';
COMMENT ON COLUMN sfn.schedules.cron_job_id IS 'The pg_cron job (cron.job.jobid)';
COMMENT ON COLUMN sfn.schedules.created_at IS 'Creation time';
ALTER TABLE sfn.schedules ADD COLUMN owner name NOT NULL DEFAULT CURRENT_USER;
COMMENT ON COLUMN sfn.schedules.owner IS 'Role that created the schedule; its pg_cron job runs as this role';
SELECT pg_catalog.pg_extension_config_dump('sfn.schedules', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machine_grants', '');

-- Task results from outside (since 0.3) ----------------------------------
--
-- Whatever answers a task from outside a worker's batch (the HTTP
-- dispatcher, sfn_send_task_*, activity workers) inserts a row here and
-- calls sfn_wake_workers_at_commit(); it never locks the execution's work
-- row, so it never waits behind a batch.  The claim takes executions with
-- rows here as due; the batch consumes (deletes) them and wakes the thread
-- with the result.  A row whose scheduled_event_id is not the thread's
-- current task attempt is stale (the attempt timed out, the execution was
-- stopped) and is dropped.
CREATE TABLE sfn.inbox (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	execution_id bigint NOT NULL,
	thread_id	integer NOT NULL,
	scheduled_event_id integer NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('SUCCEEDED', 'FAILED', 'HEARTBEAT', 'STARTED')),
	output		jsonb,
	error		text,
	cause		text,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX inbox_execution ON sfn.inbox (execution_id);
COMMENT ON TABLE sfn.inbox IS 'Task results, callbacks and heartbeats waiting for a worker to apply them';
COMMENT ON COLUMN sfn.inbox.id IS 'Arrival order';
COMMENT ON COLUMN sfn.inbox.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.inbox.thread_id IS 'The thread whose task this answers';
COMMENT ON COLUMN sfn.inbox.scheduled_event_id IS 'Id of the TaskScheduled event of the attempt this answers';
COMMENT ON COLUMN sfn.inbox.kind IS 'SUCCEEDED (output), FAILED (error, cause), HEARTBEAT or STARTED';
COMMENT ON COLUMN sfn.inbox.output IS 'Task result when SUCCEEDED';
COMMENT ON COLUMN sfn.inbox.error IS 'Error name when FAILED';
COMMENT ON COLUMN sfn.inbox.cause IS 'Error cause when FAILED';
COMMENT ON COLUMN sfn.inbox.created_at IS 'When it arrived';
SELECT pg_catalog.pg_extension_config_dump('sfn.inbox', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.inbox_id_seq', '');

-- Task states (since 0.3) ---------------------------------------------------

-- A thread in a Task state: the attempt that is out and its deadlines, and
-- how often each retrier has retried during this visit.
ALTER TABLE sfn.threads
	ADD COLUMN retry_counts integer[],
	ADD COLUMN task_event_id integer NOT NULL DEFAULT 0,
	ADD COLUMN task_deadline timestamptz,
	ADD COLUMN heartbeat_deadline timestamptz,
	ADD COLUMN heartbeat_seconds integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN sfn.threads.retry_counts IS 'Retries so far per retrier of the current state, in Retry order';
COMMENT ON COLUMN sfn.threads.task_event_id IS 'Id of the TaskScheduled event of the task attempt that is out, 0 if none';
COMMENT ON COLUMN sfn.threads.task_deadline IS 'When the attempt times out (TimeoutSeconds), NULL if never';
COMMENT ON COLUMN sfn.threads.heartbeat_deadline IS 'When the attempt times out without a heartbeat (HeartbeatSeconds), NULL if never';
COMMENT ON COLUMN sfn.threads.heartbeat_seconds IS 'HeartbeatSeconds of the attempt, 0 if none';

-- Task tokens of .waitForTaskToken attempts.  Only a hash is kept: the
-- token itself goes to the task's target and is never stored or logged.
CREATE TABLE sfn.task_tokens (
	token_hash	bytea PRIMARY KEY,
	execution_id bigint NOT NULL,
	thread_id	integer NOT NULL,
	scheduled_event_id integer NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX task_tokens_execution ON sfn.task_tokens (execution_id);
COMMENT ON TABLE sfn.task_tokens IS 'Open task tokens (.waitForTaskToken), by SHA-256 of the token';
COMMENT ON COLUMN sfn.task_tokens.token_hash IS 'SHA-256 of the token';
COMMENT ON COLUMN sfn.task_tokens.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.task_tokens.thread_id IS 'The waiting thread';
COMMENT ON COLUMN sfn.task_tokens.scheduled_event_id IS 'Id of the TaskScheduled event of the attempt that waits';
COMMENT ON COLUMN sfn.task_tokens.created_at IS 'When the attempt was scheduled';
SELECT pg_catalog.pg_extension_config_dump('sfn.task_tokens', '');

-- Activities (since 0.3) ----------------------------------------------------

CREATE TABLE sfn.activities (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	owner		name NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE sfn.activities IS 'Activities: tasks that workers outside the database poll for (sfn_get_activity_task)';
COMMENT ON COLUMN sfn.activities.id IS 'Internal id';
COMMENT ON COLUMN sfn.activities.name IS 'Activity name, unique';
COMMENT ON COLUMN sfn.activities.owner IS 'Role that created it; it and its members may poll and delete it';
COMMENT ON COLUMN sfn.activities.created_at IS 'Creation time';

-- Scheduled activity tasks not yet taken by a worker.  The token is here
-- in clear until a worker takes the task (it must be handed out then);
-- sfn.task_tokens keeps its hash for the answer.
CREATE TABLE sfn.activity_tasks (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	activity_id bigint NOT NULL,
	execution_id bigint NOT NULL,
	thread_id	integer NOT NULL,
	scheduled_event_id integer NOT NULL,
	input		jsonb NOT NULL,
	task_token	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX activity_tasks_queue ON sfn.activity_tasks (activity_id, id);
CREATE INDEX activity_tasks_execution ON sfn.activity_tasks (execution_id);
COMMENT ON TABLE sfn.activity_tasks IS 'Activity tasks waiting for a worker (taken with FOR UPDATE SKIP LOCKED)';
COMMENT ON COLUMN sfn.activity_tasks.id IS 'Queue order';
COMMENT ON COLUMN sfn.activity_tasks.activity_id IS 'The activity';
COMMENT ON COLUMN sfn.activity_tasks.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.activity_tasks.thread_id IS 'The waiting thread';
COMMENT ON COLUMN sfn.activity_tasks.scheduled_event_id IS 'Id of the ActivityScheduled event';
COMMENT ON COLUMN sfn.activity_tasks.input IS 'The task''s input (its effective parameters)';
COMMENT ON COLUMN sfn.activity_tasks.task_token IS 'The token handed to the worker that takes the task';
COMMENT ON COLUMN sfn.activity_tasks.created_at IS 'When it was scheduled';
SELECT pg_catalog.pg_extension_config_dump('sfn.activities', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.activities_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.activity_tasks', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.activity_tasks_id_seq', '');
-- HTTP tasks: the outbox and connections (since 0.3) ----------------------
--
-- A Task with arn:aws:states:::http:invoke becomes one row here, inserted in
-- the transaction of the transition that schedules it (src/tasks/http_queue.c)
-- and never sent before that commits.  The HTTP dispatcher (a background
-- worker of its own, src/worker/http_worker.c) claims pending rows, sends
-- them, and for each answer inserts a sfn.inbox row and deletes the request
-- in one transaction: a request is answered exactly once, and one without
-- an answer is sent again after a crash (with the same Idempotency-Key).
CREATE TABLE sfn.http_requests (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	execution_id bigint NOT NULL,
	thread_id	integer NOT NULL,
	scheduled_event_id integer NOT NULL,
	parameters	jsonb NOT NULL,
	timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
	idempotency_key text NOT NULL,
	role		name,
	sends		integer NOT NULL DEFAULT 0,
	lease_until timestamptz,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX http_requests_pending ON sfn.http_requests (id) WHERE lease_until IS NULL;
CREATE INDEX http_requests_execution ON sfn.http_requests (execution_id);
COMMENT ON TABLE sfn.http_requests IS 'HTTP task requests waiting to be sent or answered (the HTTP dispatcher''s outbox)';
COMMENT ON COLUMN sfn.http_requests.id IS 'Arrival order';
COMMENT ON COLUMN sfn.http_requests.execution_id IS 'The execution';
COMMENT ON COLUMN sfn.http_requests.thread_id IS 'The thread whose task this is';
COMMENT ON COLUMN sfn.http_requests.scheduled_event_id IS 'Id of the TaskScheduled event of this attempt (copied into the answer''s inbox row)';
COMMENT ON COLUMN sfn.http_requests.parameters IS 'The state''s effective Parameters for arn:aws:states:::http:invoke (ApiEndpoint, Method, Headers, ...)';
COMMENT ON COLUMN sfn.http_requests.timeout_seconds IS 'Bound of the whole transfer, redirects included';
COMMENT ON COLUMN sfn.http_requests.idempotency_key IS 'Sent as the Idempotency-Key header with every send of this request';
COMMENT ON COLUMN sfn.http_requests.role IS 'Role of the execution''s state machine when scheduled: the connections it may use are those of roles whose privileges it has';
COMMENT ON COLUMN sfn.http_requests.sends IS 'How many times the dispatcher started sending it';
COMMENT ON COLUMN sfn.http_requests.lease_until IS 'NULL while pending; while being sent, when the send is presumed lost and the request pending again';
COMMENT ON COLUMN sfn.http_requests.created_at IS 'When it was scheduled';
SELECT pg_catalog.pg_extension_config_dump('sfn.http_requests', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.http_requests_id_seq', '');

-- Connections (AWS EventBridge connections): how an HTTP task authenticates.
-- The secret values live in their own column, which no role but the
-- extension's owner (and superusers) may read; describe and list show the
-- rest.
CREATE TABLE sfn.connections (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	uuid		uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
	authorization_type text NOT NULL
				CHECK (authorization_type IN ('API_KEY', 'BASIC', 'OAUTH_CLIENT_CREDENTIALS')),
	auth_parameters jsonb NOT NULL,
	secret		jsonb NOT NULL,
	owner		name NOT NULL,
	description text,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	updated_at	timestamptz
);
COMMENT ON TABLE sfn.connections IS 'Connections: authorization for HTTP tasks (sfn_create_connection)';
COMMENT ON COLUMN sfn.connections.id IS 'Internal id';
COMMENT ON COLUMN sfn.connections.name IS 'Connection name, as in the ARN arn:aws:events:REGION:ACCOUNT:connection/NAME/UUID';
COMMENT ON COLUMN sfn.connections.uuid IS 'The last part of the connection''s ARN';
COMMENT ON COLUMN sfn.connections.authorization_type IS 'API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS';
COMMENT ON COLUMN sfn.connections.auth_parameters IS 'AWS AuthParameters without the secret values (what DescribeConnection shows)';
COMMENT ON COLUMN sfn.connections.secret IS 'The secret values (ApiKeyValue, Password or ClientSecret); readable by the extension''s owner only';
COMMENT ON COLUMN sfn.connections.owner IS 'Role that created it; state machines whose role has its privileges may use it';
COMMENT ON COLUMN sfn.connections.description IS 'Free text';
COMMENT ON COLUMN sfn.connections.created_at IS 'Creation time';
COMMENT ON COLUMN sfn.connections.updated_at IS 'Time of the last update, NULL if never updated';
SELECT pg_catalog.pg_extension_config_dump('sfn.connections', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.connections_id_seq', '');

-- Lambda functions mapped to SQL functions (since 0.3) ----------------------

-- So that definitions written for AWS run unchanged: a Lambda function
-- named in arn:aws:states:::lambda:invoke (FunctionName) or as a bare
-- function ARN runs the SQL function, or calls the HTTP endpoint, it is
-- mapped to.
CREATE TABLE sfn.lambda_functions (
	pattern		text PRIMARY KEY,
	sql_function text,
	http_endpoint text,
	created_by	name NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	CHECK ((sql_function IS NULL) OPERATOR(pg_catalog.<>) (http_endpoint IS NULL))
);
COMMENT ON TABLE sfn.lambda_functions IS 'Lambda functions (names or ARNs) mapped to SQL functions or HTTP endpoints (sfn_map_lambda)';
COMMENT ON COLUMN sfn.lambda_functions.pattern IS 'A Lambda function name or ARN; a trailing * matches any rest';
COMMENT ON COLUMN sfn.lambda_functions.sql_function IS 'schema.name of the function(jsonb) RETURNS jsonb that runs instead, or NULL';
COMMENT ON COLUMN sfn.lambda_functions.http_endpoint IS 'URL the payload is POSTed to instead, or NULL';
COMMENT ON COLUMN sfn.lambda_functions.created_by IS 'Role that made the mapping';
COMMENT ON COLUMN sfn.lambda_functions.created_at IS 'When the mapping was made';
SELECT pg_catalog.pg_extension_config_dump('sfn.lambda_functions', '');
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

CREATE OR REPLACE FUNCTION sfn.jsonata_eval(expression text, input jsonb DEFAULT NULL, bindings jsonb DEFAULT NULL)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_eval_sql' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.jsonata_eval(text, jsonb, jsonb) IS
'Evaluate a JSONata expression against input, with bindings (a JSON object: variable name without $ to value); NULL when the result is undefined; runtime failures raise States.QueryEvaluationError (SF020)';

CREATE OR REPLACE FUNCTION sfn.jsonata_eval_text(expression text, input text DEFAULT NULL, bindings text DEFAULT NULL, max_depth int DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_eval_text_sql' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.jsonata_eval_text(text, text, text, int) IS
'sfn.jsonata_eval on JSON text, keeping the order of object keys; returns compact JSON text; max_depth lowers the limit of nested evaluation steps (for tests)';

CREATE OR REPLACE FUNCTION sfn.jsonata_bench(expression text, input jsonb, seconds float8 DEFAULT 1)
RETURNS float8
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_bench_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sfn.jsonata_bench(text, jsonb, float8) IS
'Benchmark helper: evaluations per second of one compiled JSONata expression over one input converted once, for the given seconds (at most 60)';
-- src/sql/30_validate.sql: ValidateStateMachineDefinition.

CREATE OR REPLACE FUNCTION sfn_validate_state_machine_definition(
	definition jsonb,
	type text DEFAULT 'STANDARD')
RETURNS TABLE(severity text, code text, message text, location text)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_validate_state_machine_definition' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_validate_state_machine_definition(jsonb, text) IS
'AWS ValidateStateMachineDefinition: one row per problem found in an ASL definition (severity ERROR or WARNING, AWS diagnostic code, message, JSON-pointer-like location such as /States/Charge/Retry/0); no rows means the definition is valid';
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
-- src/sql/45_callbacks.sql: answering a task through its token
-- (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat).  The token is
-- the capability: whoever holds it may answer, as on AWS.

CREATE OR REPLACE FUNCTION sfn_send_task_success(task_token text, output jsonb)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_success' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_success(text, jsonb) IS
'SendTaskSuccess: the task of this token succeeded with output; takes effect when the calling transaction commits';

CREATE OR REPLACE FUNCTION sfn_send_task_failure(task_token text, error text DEFAULT NULL, cause text DEFAULT NULL)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_failure' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_failure(text, text, text) IS
'SendTaskFailure: the task of this token failed with error and cause; takes effect when the calling transaction commits';

CREATE OR REPLACE FUNCTION sfn_send_task_heartbeat(task_token text)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_send_task_heartbeat' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_heartbeat(text) IS
'SendTaskHeartbeat: the task of this token is alive (restarts its HeartbeatSeconds)';
-- src/sql/46_activities.sql: activities (CreateActivity, DeleteActivity,
-- DescribeActivity, ListActivities, GetActivityTask).  Workers answer the
-- tasks they take with sfn_send_task_* (src/sql/45_callbacks.sql).

CREATE OR REPLACE FUNCTION sfn_create_activity(name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_create_activity' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_activity(text) IS
'CreateActivity: create (or, if it exists, find) an activity; returns its ARN';

CREATE OR REPLACE FUNCTION sfn_delete_activity(activity_arn text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_delete_activity' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_activity(text) IS
'DeleteActivity: delete an activity (by ARN or name); tasks already scheduled time out';

CREATE OR REPLACE FUNCTION sfn_get_activity_task(
	activity_arn text,
	worker_name text DEFAULT NULL,
	wait_seconds integer DEFAULT 60,
	OUT task_token text, OUT input jsonb)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_get_activity_task' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_get_activity_task(text, text, integer) IS
'GetActivityTask: take the oldest waiting task of the activity, waiting up to wait_seconds (at most 60); NULLs when none came. It is taken when the calling transaction commits.';

CREATE OR REPLACE FUNCTION sfn_describe_activity(activity_arn text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	a sfn.activities;
	n text := pg_catalog.regexp_replace(activity_arn, '^arn:[^:]*:states:[^:]*:[^:]*:activity:', '');
BEGIN
	SELECT * INTO a FROM sfn.activities WHERE name OPERATOR(pg_catalog.=) n;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ActivityDoesNotExist: activity "%" does not exist', sfn.message_text(n)
			USING ERRCODE = 'SF019';
	END IF;
	RETURN pg_catalog.jsonb_build_object(
		'activityArn', pg_catalog.format('arn:aws:states:%s:%s:activity:%s',
			pg_catalog.current_setting('pg_sfn.region'), pg_catalog.current_setting('pg_sfn.account_id'), a.name),
		'name', a.name,
		'creationDate', a.created_at);
END
$$;
COMMENT ON FUNCTION sfn_describe_activity(text) IS 'DescribeActivity';

CREATE OR REPLACE FUNCTION sfn_list_activities(
	OUT name text, OUT activity_arn text, OUT creation_date timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT a.name, pg_catalog.format('arn:aws:states:%s:%s:activity:%s',
			pg_catalog.current_setting('pg_sfn.region'), pg_catalog.current_setting('pg_sfn.account_id'), a.name),
		a.created_at
	FROM sfn.activities a ORDER BY a.name
$$;
COMMENT ON FUNCTION sfn_list_activities() IS 'ListActivities: the activities the caller may see';
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
		'sfn_create_state_machine(text, text, text, name, text)',
		'sfn_update_state_machine(text, jsonb, name)',
		'sfn_update_state_machine(text, text, name)',
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
		'sfn_unschedule_execution(text)',
		'sfn_send_task_success(text, jsonb)',
		'sfn_send_task_failure(text, text, text)',
		'sfn_send_task_heartbeat(text)',
		'sfn_create_activity(text)',
		'sfn_delete_activity(text)',
		'sfn_get_activity_task(text, text, integer)',
		'sfn_describe_activity(text)',
		'sfn_list_activities()',
		'sfn_map_lambda(text, text, text)',
		'sfn_unmap_lambda(text)'
	]::pg_catalog.regprocedure[] LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO sfn_user', f);
	END LOOP;
END
$$;

-- Tables: read through the policies below; threads and work stay private.
REVOKE ALL ON ALL TABLES IN SCHEMA sfn FROM PUBLIC;
GRANT SELECT ON sfn.state_machines, sfn.state_machine_revisions, sfn.state_machine_grants,
	sfn.executions, sfn.history, sfn.schedules, sfn.activities, sfn.lambda_functions TO sfn_user;
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
ALTER TABLE sfn.inbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.task_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.activity_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.lambda_functions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.http_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.connections ENABLE ROW LEVEL SECURITY;

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

-- Mappings are not secrets: every user may see where a name goes.
DROP POLICY IF EXISTS visible ON sfn.lambda_functions;
CREATE POLICY visible ON sfn.lambda_functions FOR SELECT USING (true);

DROP POLICY IF EXISTS visible ON sfn.activities;
CREATE POLICY visible ON sfn.activities FOR SELECT
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));

-- Not through sfn.state_machines: its policy reads this table.
DROP POLICY IF EXISTS visible ON sfn.state_machine_grants;
CREATE POLICY visible ON sfn.state_machine_grants FOR SELECT
	USING (sfn.acts_as(grantee) OR sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));

DROP POLICY IF EXISTS own ON sfn.schedules;
CREATE POLICY own ON sfn.schedules FOR ALL
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'))
	WITH CHECK (owner OPERATOR(pg_catalog.=) CURRENT_USER);
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
