-- pg_sfn 0.3 -> 0.4: what ALTER EXTENSION pg_sfn UPDATE changes in tables
-- and other objects that cannot simply be created again.  The build appends
-- every function piece of src/sql/ (CREATE OR REPLACE) to make the upgrade
-- script pg_sfn--0.3--0.4.sql.  It keeps every row; test/tap/030_upgrade.pl
-- checks that the result equals a fresh install.

\echo Use "ALTER EXTENSION pg_sfn UPDATE TO '0.4'" to load this file. \quit

-- Threads of Parallel branches and Map iterations (since 0.4) ---------------

ALTER TABLE sfn.threads
	ADD COLUMN parent_thread_id integer,
	ADD COLUMN thread_index integer NOT NULL DEFAULT 0,
	ADD COLUMN result jsonb;
COMMENT ON COLUMN sfn.threads.parent_thread_id IS 'The thread whose Parallel or Map state started this one, NULL for thread 0';
COMMENT ON COLUMN sfn.threads.thread_index IS 'Branch index (Parallel) or item index (Map) under the parent';
COMMENT ON COLUMN sfn.threads.result IS 'Once the thread ended (phase 5 or 6): its output, or {Error, Cause}, until the parent collects it';
