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
