-- pg_sfn 0.2 -> 0.3: what ALTER EXTENSION pg_sfn UPDATE changes in tables
-- and other objects that cannot simply be created again.  The build appends
-- every function piece of src/sql/ (CREATE OR REPLACE) to make the upgrade
-- script pg_sfn--0.2--0.3.sql.  It keeps every row; test/tap/030_upgrade.pl
-- checks that the result equals a fresh install.

\echo Use "ALTER EXTENSION pg_sfn UPDATE TO '0.3'" to load this file. \quit

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

-- TestState takes AWS's arguments (since 0.3) -----------------------------
--
-- sfn_test_state gains inspection_level, mock, context,
-- state_configuration, reveal_secrets and variables, all with defaults, so
-- calls written for 0.2 keep working; the old signature goes.
DROP FUNCTION sfn_test_state(jsonb, jsonb, text);

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
