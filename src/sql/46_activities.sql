-- src/sql/46_activities.sql: activities (CreateActivity, DeleteActivity,
-- DescribeActivity, ListActivities, GetActivityTask).  Workers answer the
-- tasks they take with sfn_send_task_* (src/sql/45_callbacks.sql).

CREATE OR REPLACE FUNCTION sfn_create_activity(name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_create_activity' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_activity(text) IS
'CreateActivity: create (or, if it exists, find) an activity; returns its ARN';

CREATE OR REPLACE FUNCTION sfn_delete_activity(activity_arn text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_delete_activity' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_activity(text) IS
'DeleteActivity: delete an activity (by ARN or name); tasks already scheduled time out';

CREATE OR REPLACE FUNCTION sfn_get_activity_task(
	activity_arn text,
	worker_name text DEFAULT NULL,
	wait_seconds integer DEFAULT 60,
	OUT task_token text, OUT input jsonb)
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_get_activity_task' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_get_activity_task(text, text, integer) IS
'GetActivityTask: take the oldest waiting task of the activity, waiting up to wait_seconds (at most 60); NULLs when none came. It is taken when the calling transaction commits.';

CREATE OR REPLACE FUNCTION sfn_describe_activity(activity_arn text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	a sfn.activities;
	n text := pg_catalog.regexp_replace(activity_arn, '^arn:[^:]*:states:[^:]*:[^:]*:activity:', '');
BEGIN
	SELECT * INTO a FROM sfn.activities WHERE name OPERATOR(pg_catalog.=) n;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ActivityDoesNotExist: activity "%" does not exist', sfn.message_text(n)
			USING ERRCODE = 'SF019';
	END IF;
	RETURN pg_catalog.jsonb_build_object(
		'activityArn', pg_catalog.format('arn:aws:states:%s:%s:activity:%s',
			pg_catalog.current_setting('pg_sfn.region'), pg_catalog.current_setting('pg_sfn.account_id'), a.name),
		'name', a.name,
		'creationDate', a.created_at);
END
$$;
COMMENT ON FUNCTION sfn_describe_activity(text) IS 'DescribeActivity';

CREATE OR REPLACE FUNCTION sfn_list_activities(
	OUT name text, OUT activity_arn text, OUT creation_date timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT a.name, pg_catalog.format('arn:aws:states:%s:%s:activity:%s',
			pg_catalog.current_setting('pg_sfn.region'), pg_catalog.current_setting('pg_sfn.account_id'), a.name),
		a.created_at
	FROM sfn.activities a ORDER BY a.name
$$;
COMMENT ON FUNCTION sfn_list_activities() IS 'ListActivities: the activities the caller may see';
