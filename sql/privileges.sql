-- Privileges: two ordinary roles try every action on each other's state
-- machines and executions and fail; sharing with READ and START; sfn_admin
-- sees everything; nobody writes the tables directly; a role without
-- sfn_user cannot use the API at all.
\set SHOW_CONTEXT never
\set VERBOSITY default

CREATE ROLE priv_alice LOGIN IN ROLE sfn_user;
CREATE ROLE priv_bob LOGIN IN ROLE sfn_user;
CREATE ROLE priv_carol LOGIN;				-- not a pg_sfn user
CREATE ROLE priv_dave LOGIN IN ROLE sfn_admin;
CREATE ROLE priv_superuser SUPERUSER NOLOGIN;

-- Alice's state machine and executions.
SET ROLE priv_alice;
SELECT sfn_create_state_machine('alice-sm', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}') AS alice_sm \gset
SELECT sfn_start_execution('alice-sm', '{"secret":"alice"}', 'alice-run') AS alice_run \gset
SELECT (sfn_describe_state_machine('alice-sm'))->>'name' AS alice_sees_her_own;
SELECT name, status FROM sfn_list_executions('alice-sm');
-- The SQL tasks' role: only one she is a member of, never a superuser.
SELECT sfn_create_state_machine('alice-as-bob', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', role => 'priv_bob');
SELECT sfn_create_state_machine('alice-as-root', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', role => 'priv_superuser');
RESET ROLE;
GRANT priv_superuser TO priv_alice;			-- even as a member of a superuser role
SET ROLE priv_alice;
SELECT sfn_create_state_machine('alice-as-root', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', role => 'priv_superuser');
SELECT sfn_update_state_machine('alice-sm', role => 'priv_superuser');
RESET ROLE;
REVOKE priv_superuser FROM priv_alice;

-- Bob tries everything on Alice's objects: each fails, and says no more
-- than that they do not exist.
SET ROLE priv_bob;
SELECT sfn_describe_state_machine('alice-sm');
SELECT sfn_describe_state_machine(:'alice_sm');
SELECT * FROM sfn_list_executions('alice-sm');
SELECT sfn_update_state_machine('alice-sm', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_delete_state_machine('alice-sm');
SELECT sfn_start_execution('alice-sm', '{}', 'bob-run');
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'START');
SELECT sfn_describe_execution(:'alice_run');
SELECT * FROM sfn_get_execution_history(:'alice_run');
SELECT sfn_describe_state_machine_for_execution(:'alice_run');
SELECT sfn_stop_execution(:'alice_run');
SELECT sfn.wait_execution(:'alice_run', 0);
SELECT sfn_schedule_execution('bob-sched', '* * * * *', 'alice-sm');   -- (schedules.sql: with pg_cron)
-- Direct reads see none of Alice's rows; direct writes are refused.
SELECT count(*) AS state_machines FROM sfn.state_machines;
SELECT count(*) AS revisions FROM sfn.state_machine_revisions;
SELECT count(*) AS executions FROM sfn.executions;
SELECT count(*) AS history FROM sfn.history;
SELECT count(*) FROM sfn.threads;
SELECT count(*) FROM sfn.work;
SELECT count(*) AS listed FROM sfn_list_state_machines();
UPDATE sfn.state_machines SET role = 'priv_superuser';
UPDATE sfn.executions SET input = '{}';
INSERT INTO sfn.state_machine_grants VALUES (1, 'priv_bob', 'START', 'priv_bob');
DELETE FROM sfn.history;
INSERT INTO sfn.work VALUES (1, now());
-- Bob's own state machine may not take Alice's name, nor claim her as owner.
SELECT sfn_create_state_machine('alice-sm', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_create_state_machine('bob-sm', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}') IS NOT NULL AS bob_created;
RESET ROLE;

-- Alice tries the same on Bob's, briefly.
SET ROLE priv_alice;
SELECT sfn_describe_state_machine('bob-sm');
SELECT sfn_delete_state_machine('bob-sm');
SELECT sfn_start_execution('bob-sm', '{}', 'alice-in-bob');
SELECT name FROM sfn_list_state_machines();
-- READ for Bob: he may look, not start or stop.
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'READ');
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'READ') AS granted_again;
SELECT sfn_grant_state_machine('alice-sm', 'priv_nobody', 'READ');
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'DELETE');
RESET ROLE;

SET ROLE priv_bob;
SELECT (sfn_describe_state_machine('alice-sm'))->>'name' AS bob_reads;
SELECT (sfn_describe_execution(:'alice_run'))->>'status' AS bob_reads_execution;
SELECT count(*) > 0 AS bob_reads_history FROM sfn_get_execution_history(:'alice_run');
SELECT sfn_start_execution('alice-sm', '{}', 'bob-run');
SELECT sfn_stop_execution(:'alice_run');
SELECT sfn_delete_state_machine('alice-sm');
SELECT sfn_update_state_machine('alice-sm', role => 'priv_bob');
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'START');
SELECT sfn_schedule_execution('bob-sched', '* * * * *', 'alice-sm');   -- (schedules.sql: with pg_cron)
SELECT name FROM sfn_list_state_machines() ORDER BY name;
SELECT grantee, privilege FROM sfn.state_machine_grants;
RESET ROLE;

-- START for Bob: now he may start and stop, still not update or delete.
SET ROLE priv_alice;
SELECT sfn_grant_state_machine('alice-sm', 'priv_bob', 'START');
RESET ROLE;
SET ROLE priv_bob;
SELECT sfn_start_execution('alice-sm', '{"by":"bob"}', 'bob-run') IS NOT NULL AS bob_started;
SELECT sfn_stop_execution(:'alice_run') IS NOT NULL AS bob_stopped;
SELECT sfn_delete_state_machine('alice-sm');
RESET ROLE;

-- Revoked, Bob is back to nothing.
SET ROLE priv_alice;
SELECT sfn_revoke_state_machine('alice-sm', 'priv_bob', 'START');
SELECT sfn_revoke_state_machine('alice-sm', 'priv_bob', 'READ');
SELECT sfn_revoke_state_machine('alice-sm', 'priv_bob', 'READ') AS revoked_again;
RESET ROLE;
SET ROLE priv_bob;
SELECT sfn_describe_state_machine('alice-sm');
SELECT count(*) AS executions_bob_sees FROM sfn.executions;
RESET ROLE;

-- A role with Alice's privileges (a member of her role) acts as Alice.
CREATE ROLE priv_alice_team IN ROLE priv_alice;
SET ROLE priv_alice_team;
SELECT (sfn_describe_state_machine('alice-sm'))->>'name' AS team_reads;
RESET ROLE;

-- sfn_admin sees and may do everything.
SET ROLE priv_dave;
SELECT name FROM sfn_list_state_machines() WHERE name IN ('alice-sm', 'bob-sm') ORDER BY name;
SELECT count(*) > 0 AS admin_sees_history FROM sfn_get_execution_history(:'alice_run');
SELECT sfn_delete_state_machine('bob-sm');
UPDATE sfn.state_machines SET role = 'priv_dave';	-- not even an admin writes tables
RESET ROLE;

-- Outside sfn_user nothing but validation and TestState.
SET ROLE priv_carol;
SELECT sfn_create_state_machine('carol-sm', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_describe_state_machine('alice-sm');
SELECT sfn.jsonpath_query('$.a', '{"a":1}');
SELECT count(*) AS problems FROM sfn_validate_state_machine_definition('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_test_state('{"Type":"Pass","Result":1,"End":true}', '{}')->>'output' AS test_state_output;
SELECT * FROM sfn.state_machines;
RESET ROLE;

-- Clean up: the executions must end before their roles go.
SELECT sfn_stop_execution(arn) IS NOT NULL AS stopped
FROM (SELECT sfn.execution_arn(sm.name, e.name) AS arn FROM sfn.executions e
	  JOIN sfn.state_machines sm ON sm.id = e.state_machine_id
	  WHERE e.status = 'RUNNING' AND sm.owner IN ('priv_alice', 'priv_bob')) x;
