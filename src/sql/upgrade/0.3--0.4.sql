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

-- Workflow variables (issue 9): they live with the thread.
ALTER TABLE sfn.threads
	ADD COLUMN variables jsonb;
COMMENT ON COLUMN sfn.threads.variables IS 'Workflow variables the thread sees (a JSON object of name to value), NULL if none';
