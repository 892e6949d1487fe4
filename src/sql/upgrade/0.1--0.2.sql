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

-- Long schedule names no longer share pg_cron jobs (sfn.cron_job_name).
COMMENT ON COLUMN sfn.schedules.name IS 'Schedule name; the pg_cron job is named sfn.cron_job_name(name)';
