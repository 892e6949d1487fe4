-- pg_sfn 0.3 -> 0.4: what ALTER EXTENSION pg_sfn UPDATE changes in tables
-- and other objects that cannot simply be created again.  The build appends
-- every function piece of src/sql/ (CREATE OR REPLACE) to make the upgrade
-- script pg_sfn--0.3--0.4.sql.  It keeps every row; test/tap/030_upgrade.pl
-- checks that the result equals a fresh install.

\echo Use "ALTER EXTENSION pg_sfn UPDATE TO '0.4'" to load this file. \quit

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

-- Workflow variables (issue 9): they live with the thread.
ALTER TABLE sfn.threads
	ADD COLUMN variables jsonb;
COMMENT ON COLUMN sfn.threads.variables IS 'Workflow variables the thread sees (a JSON object of name to value), NULL if none';
