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

-- Privileges (src/sql/70_privileges.sql): every state machine gets an
-- owner.  0.1 let only superusers use pg_sfn and defaulted a state
-- machine's role to its creator, so the role is the best owner there is.
ALTER TABLE sfn.state_machines ADD COLUMN owner name;
UPDATE sfn.state_machines SET owner = role;
ALTER TABLE sfn.state_machines ALTER COLUMN owner SET NOT NULL;
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
SELECT pg_catalog.pg_extension_config_dump('sfn.state_machine_grants', '');

-- Schedules run as the role that made them; 0.1's pg_cron jobs belong to
-- whoever called sfn_schedule_execution, a superuser.
ALTER TABLE sfn.schedules ADD COLUMN owner name NOT NULL DEFAULT CURRENT_USER;
UPDATE sfn.schedules s SET owner = sm.role FROM sfn.state_machines sm
	WHERE sm.id OPERATOR(pg_catalog.=) s.state_machine_id;
COMMENT ON COLUMN sfn.schedules.owner IS 'Role that created the schedule; its pg_cron job runs as this role';

-- sfn.state_machine_id checks a privilege now (a new argument).
DROP FUNCTION sfn.state_machine_id(text);
-- Long schedule names no longer share pg_cron jobs (sfn.cron_job_name).
COMMENT ON COLUMN sfn.schedules.name IS 'Schedule name; the pg_cron job is named sfn.cron_job_name(name)';
