-- src/sql/70_privileges.sql: who may use pg_sfn, and what each role sees.
--
-- docs/ARCHITECTURE.md ("Privileges") argues the design; README
-- ("Privileges") is the user's guide.  In short:
--   * sfn_user: members may call the API.  sfn_admin (a member of
--     sfn_user): sees and acts on everything.
--   * The API functions are the only door for writes: the C functions
--     check the caller's privileges, then write as the extension's owner.
--     Ordinary roles have no INSERT, UPDATE or DELETE on any sfn table
--     except their own schedules.
--   * Reads go through row-level security: a role sees the rows of the
--     state machines it owns (or has the privileges of), was granted, or
--     all of them as sfn_admin.  The SQL API functions read as the caller,
--     so these policies are what they return.
-- Everything here runs again at each upgrade: keep it idempotent.  Names
-- are schema-qualified (operators too): it runs with the installing
-- role's privileges and a search_path that includes public.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'sfn_user') THEN
		CREATE ROLE sfn_user NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'sfn_admin') THEN
		CREATE ROLE sfn_admin NOLOGIN;
	END IF;
	IF NOT pg_catalog.pg_has_role('sfn_admin'::pg_catalog.name, 'sfn_user'::pg_catalog.name, 'MEMBER') THEN
		GRANT sfn_user TO sfn_admin;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA sfn TO sfn_user;

-- Functions: the API to sfn_user; validation and TestState touch no table
-- and stay open to everyone.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sfn FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA sfn TO sfn_user;
-- The API functions in the extension's schema, by exact signature (only
-- pg_catalog comes before that schema here, and it has none of them).
DO $$
DECLARE
	f pg_catalog.regprocedure;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'sfn_create_state_machine(text, jsonb, text, name, text)',
		'sfn_create_state_machine(text, text, text, name, text)',
		'sfn_update_state_machine(text, jsonb, name)',
		'sfn_update_state_machine(text, text, name)',
		'sfn_delete_state_machine(text)',
		'sfn_describe_state_machine(text)',
		'sfn_list_state_machines()',
		'sfn_grant_state_machine(text, name, text)',
		'sfn_revoke_state_machine(text, name, text)',
		'sfn_start_execution(text, jsonb, text)',
		'sfn_stop_execution(text, text, text)',
		'sfn_describe_execution(text)',
		'sfn_list_executions(text, text, integer, text)',
		'sfn_get_execution_history(text, boolean, boolean)',
		'sfn_describe_state_machine_for_execution(text)',
		'sfn_schedule_execution(text, text, text, jsonb)',
		'sfn_unschedule_execution(text)',
		'sfn_send_task_success(text, jsonb)',
		'sfn_send_task_failure(text, text, text)',
		'sfn_send_task_heartbeat(text)',
		'sfn_create_activity(text)',
		'sfn_delete_activity(text)',
		'sfn_get_activity_task(text, text, integer)',
		'sfn_describe_activity(text)',
		'sfn_list_activities()',
		'sfn_map_lambda(text, text, text)',
		'sfn_unmap_lambda(text)'
	]::pg_catalog.regprocedure[] LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO sfn_user', f);
	END LOOP;
END
$$;

-- Tables: read through the policies below; threads and work stay private.
REVOKE ALL ON ALL TABLES IN SCHEMA sfn FROM PUBLIC;
GRANT SELECT ON sfn.state_machines, sfn.state_machine_revisions, sfn.state_machine_grants,
	sfn.executions, sfn.history, sfn.schedules, sfn.activities, sfn.lambda_functions TO sfn_user;
-- sfn_schedule_execution runs as its caller (so does the pg_cron job it
-- makes); the policy keeps each role to its own rows.
GRANT INSERT, DELETE ON sfn.schedules TO sfn_user;

ALTER TABLE sfn.state_machines ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.state_machine_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.state_machine_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.threads ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.work ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.inbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.task_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.activity_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.lambda_functions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.http_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.connections ENABLE ROW LEVEL SECURITY;
-- Distributed Map (policies at the end).
ALTER TABLE sfn.map_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfn.map_run_items ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS visible ON sfn.state_machines;
CREATE POLICY visible ON sfn.state_machines FOR SELECT
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin')
		OR EXISTS (SELECT FROM sfn.state_machine_grants g
				   WHERE g.state_machine_id OPERATOR(pg_catalog.=) id AND sfn.acts_as(g.grantee)));

-- The rest follow the state machine (its policy applies in the subquery).
DROP POLICY IF EXISTS visible ON sfn.state_machine_revisions;
CREATE POLICY visible ON sfn.state_machine_revisions FOR SELECT
	USING (EXISTS (SELECT FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) state_machine_id));
DROP POLICY IF EXISTS visible ON sfn.executions;
CREATE POLICY visible ON sfn.executions FOR SELECT
	USING (EXISTS (SELECT FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) state_machine_id));
DROP POLICY IF EXISTS visible ON sfn.history;
CREATE POLICY visible ON sfn.history FOR SELECT
	USING (EXISTS (SELECT FROM sfn.executions e WHERE e.id OPERATOR(pg_catalog.=) execution_id));

-- Mappings are not secrets: every user may see where a name goes.
DROP POLICY IF EXISTS visible ON sfn.lambda_functions;
CREATE POLICY visible ON sfn.lambda_functions FOR SELECT USING (true);

DROP POLICY IF EXISTS visible ON sfn.activities;
CREATE POLICY visible ON sfn.activities FOR SELECT
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));

-- Not through sfn.state_machines: its policy reads this table.
DROP POLICY IF EXISTS visible ON sfn.state_machine_grants;
CREATE POLICY visible ON sfn.state_machine_grants FOR SELECT
	USING (sfn.acts_as(grantee) OR sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'));

DROP POLICY IF EXISTS own ON sfn.schedules;
CREATE POLICY own ON sfn.schedules FOR ALL
	USING (sfn.acts_as(owner) OR sfn.acts_as('sfn_admin'))
	WITH CHECK (owner OPERATOR(pg_catalog.=) CURRENT_USER);

-- Distributed Map: a map run and its pending items are visible with the
-- execution that started it.  The outer columns are qualified: an
-- unqualified parent_execution_id would be sfn.executions' own column.
GRANT SELECT ON sfn.map_runs, sfn.map_run_items TO sfn_user;
DROP POLICY IF EXISTS visible ON sfn.map_runs;
CREATE POLICY visible ON sfn.map_runs FOR SELECT
	USING (EXISTS (SELECT FROM sfn.executions e
				   WHERE e.id OPERATOR(pg_catalog.=) map_runs.parent_execution_id));
DROP POLICY IF EXISTS visible ON sfn.map_run_items;
CREATE POLICY visible ON sfn.map_run_items FOR SELECT
	USING (EXISTS (SELECT FROM sfn.map_runs mr
				   WHERE mr.id OPERATOR(pg_catalog.=) map_run_items.map_run_id));
DO $$
DECLARE
	f pg_catalog.regprocedure;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'sfn_describe_map_run(text)',
		'sfn_list_map_runs(text)',
		'sfn_list_map_run_executions(text, text)',
		'sfn_update_map_run(text, integer, bigint, double precision)'
	]::pg_catalog.regprocedure[] LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO sfn_user', f);
	END LOOP;
END
$$;
