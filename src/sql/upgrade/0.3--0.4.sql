-- pg_sfn 0.3 -> 0.4: what ALTER EXTENSION pg_sfn UPDATE changes in tables
-- and other objects that cannot simply be created again.  The build appends
-- every function piece of src/sql/ (CREATE OR REPLACE) to make the upgrade
-- script pg_sfn--0.3--0.4.sql.  It keeps every row; test/tap/030_upgrade.pl
-- checks that the result equals a fresh install.

\echo Use "ALTER EXTENSION pg_sfn UPDATE TO '0.4'" to load this file. \quit

-- Workflow variables (issue 9): they live with the thread.
ALTER TABLE sfn.threads
	ADD COLUMN variables jsonb;
COMMENT ON COLUMN sfn.threads.variables IS 'Workflow variables the thread sees (a JSON object of name to value), NULL if none';
