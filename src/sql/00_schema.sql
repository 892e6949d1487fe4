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

-- Nested executions (since 0.4) ---------------------------------------------

-- An execution started by a Task state (arn:aws:states:::states:startExecution)
-- knows its parent; when the parent's Task waits for it (.sync, .sync:2) it
-- also knows the attempt to answer when it ends (store/child_executions.c).
ALTER TABLE sfn.executions
	ADD COLUMN parent_execution_id bigint,
	ADD COLUMN parent_thread_id integer,
	ADD COLUMN parent_task_event_id integer;
CREATE INDEX executions_parent ON sfn.executions (parent_execution_id)
	WHERE parent_execution_id IS NOT NULL;
COMMENT ON COLUMN sfn.executions.parent_execution_id IS 'The execution whose Task state started this one, NULL if none';
COMMENT ON COLUMN sfn.executions.parent_thread_id IS 'The thread of that Task state, NULL if none';
COMMENT ON COLUMN sfn.executions.parent_task_event_id IS 'Id of the TaskScheduled event of the parent''s attempt that waits for this execution to end (.sync), NULL if none waits';

-- Distributed Map (since 0.4) -----------------------------------------------
--
-- A Map state with ProcessorConfig.Mode DISTRIBUTED starts a map run: each
-- item (or batch of items) becomes a child execution of the state's
-- ItemProcessor, an ordinary row of sfn.executions with its own history.
-- Items not yet started wait in sfn.map_run_items; as children end, the
-- batch that ended them counts them here (one update per map run per
-- batch) and starts as many pending items as ended
-- (src/store/map_run_hook.c).  The last one answers the parent's Map state
-- through sfn.inbox.
ALTER TABLE sfn.executions ADD COLUMN map_run_id bigint;
COMMENT ON COLUMN sfn.executions.map_run_id IS 'The map run this execution is a child of (Distributed Map), NULL otherwise';
CREATE INDEX executions_map_run ON sfn.executions (map_run_id) WHERE map_run_id IS NOT NULL;

CREATE TABLE sfn.map_runs (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	uuid		uuid NOT NULL UNIQUE,
	parent_execution_id bigint NOT NULL,
	parent_thread_id integer NOT NULL,
	parent_event_id integer NOT NULL,
	state_name	text NOT NULL,
	label		text,
	status		text NOT NULL DEFAULT 'RUNNING'
				CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED')),
	max_concurrency integer NOT NULL DEFAULT 0,
	tolerated_failure_count bigint,
	tolerated_failure_percentage double precision,
	item_count	bigint NOT NULL,
	child_count bigint NOT NULL,
	started		bigint NOT NULL DEFAULT 0,
	succeeded	bigint NOT NULL DEFAULT 0,
	failed		bigint NOT NULL DEFAULT 0,
	timed_out	bigint NOT NULL DEFAULT 0,
	aborted		bigint NOT NULL DEFAULT 0,
	result_writer jsonb,
	results_written bigint NOT NULL DEFAULT 0,
	start_date	timestamptz NOT NULL,
	stop_date	timestamptz
);
CREATE INDEX map_runs_parent ON sfn.map_runs (parent_execution_id);
COMMENT ON TABLE sfn.map_runs IS 'Map runs of Distributed Map states: the child executions of one state visit';
COMMENT ON COLUMN sfn.map_runs.id IS 'Internal id (sfn.executions.map_run_id of the children)';
COMMENT ON COLUMN sfn.map_runs.uuid IS 'The last part of the map run ARN';
COMMENT ON COLUMN sfn.map_runs.parent_execution_id IS 'The execution whose Map state started the run';
COMMENT ON COLUMN sfn.map_runs.parent_thread_id IS 'The parent''s thread waiting in the Map state';
COMMENT ON COLUMN sfn.map_runs.parent_event_id IS 'Id of the parent''s MapRunStarted event (the answer names it)';
COMMENT ON COLUMN sfn.map_runs.state_name IS 'The Map state; its ItemProcessor is what the children run';
COMMENT ON COLUMN sfn.map_runs.label IS 'The Map state''s Label, NULL if none';
COMMENT ON COLUMN sfn.map_runs.status IS 'RUNNING, SUCCEEDED, FAILED or ABORTED';
COMMENT ON COLUMN sfn.map_runs.max_concurrency IS 'Children running at once at most, 0 = no limit but pg_sfn''s own';
COMMENT ON COLUMN sfn.map_runs.tolerated_failure_count IS 'Failed children tolerated before the run fails; NULL when not given';
COMMENT ON COLUMN sfn.map_runs.tolerated_failure_percentage IS 'Percentage of failed children tolerated before the run fails; NULL when not given (with neither given, none is)';
COMMENT ON COLUMN sfn.map_runs.item_count IS 'Items read';
COMMENT ON COLUMN sfn.map_runs.child_count IS 'Child executions in all (items, or batches of items)';
COMMENT ON COLUMN sfn.map_runs.started IS 'Children started so far';
COMMENT ON COLUMN sfn.map_runs.succeeded IS 'Children that succeeded';
COMMENT ON COLUMN sfn.map_runs.failed IS 'Children that failed';
COMMENT ON COLUMN sfn.map_runs.timed_out IS 'Children that timed out';
COMMENT ON COLUMN sfn.map_runs.aborted IS 'Children that were aborted';
COMMENT ON COLUMN sfn.map_runs.result_writer IS 'ResultWriter of the state: {"Table": ...}, NULL if none';
COMMENT ON COLUMN sfn.map_runs.results_written IS 'Rows the ResultWriter wrote';
COMMENT ON COLUMN sfn.map_runs.start_date IS 'Start time';
COMMENT ON COLUMN sfn.map_runs.stop_date IS 'End time, NULL while RUNNING';

CREATE TABLE sfn.map_run_items (
	map_run_id	bigint NOT NULL,
	child_index integer NOT NULL,
	input		jsonb NOT NULL,
	PRIMARY KEY (map_run_id, child_index)
);
COMMENT ON TABLE sfn.map_run_items IS 'Inputs of the children of a map run not yet started';
COMMENT ON COLUMN sfn.map_run_items.map_run_id IS 'The map run';
COMMENT ON COLUMN sfn.map_run_items.child_index IS 'Position of the child (item or batch) from 0, the order of the Map output';
COMMENT ON COLUMN sfn.map_run_items.input IS 'The child execution''s input';
SELECT pg_catalog.pg_extension_config_dump('sfn.map_runs', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.map_runs_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sfn.map_run_items', '');

-- Threads of Parallel branches and Map iterations (since 0.4) ---------------

ALTER TABLE sfn.threads
	ADD COLUMN parent_thread_id integer,
	ADD COLUMN thread_index integer NOT NULL DEFAULT 0,
	ADD COLUMN result jsonb;
COMMENT ON COLUMN sfn.threads.parent_thread_id IS 'The thread whose Parallel or Map state started this one, NULL for thread 0';
COMMENT ON COLUMN sfn.threads.thread_index IS 'Branch index (Parallel) or item index (Map) under the parent';
COMMENT ON COLUMN sfn.threads.result IS 'Once the thread ended (phase 5 or 6): its output, or {Error, Cause}, until the parent collects it';

-- Workflow variables (since 0.4) ---------------------------------------------

-- The variables a thread sees (Assign, issue 9): they live with the thread
-- so that they survive restarts.
ALTER TABLE sfn.threads
	ADD COLUMN variables jsonb;
COMMENT ON COLUMN sfn.threads.variables IS 'Workflow variables the thread sees (a JSON object of name to value), NULL if none';
