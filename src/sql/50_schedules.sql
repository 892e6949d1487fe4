-- src/sql/50_schedules.sql: scheduled executions on top of pg_cron.
--
-- Each firing starts one execution named after the schedule and the firing
-- minute, so a duplicate firing in the same minute starts nothing new.

CREATE OR REPLACE FUNCTION sfn.require_pg_cron() RETURNS void
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		RAISE EXCEPTION 'ValidationException: pg_cron is not installed in this database'
			USING ERRCODE = 'SF009',
			HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database and run CREATE EXTENSION pg_cron.';
	END IF;
END
$$;
COMMENT ON FUNCTION sfn.require_pg_cron() IS 'Raise a clear error unless pg_cron is installed here';

-- Called by pg_cron at each firing.
CREATE OR REPLACE FUNCTION sfn.fire_schedule(schedule_name text, fired_at timestamptz DEFAULT clock_timestamp())
RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	s sfn.schedules;
	sm_name text;
	exec_name text;
BEGIN
	SELECT * INTO s FROM sfn.schedules WHERE name = schedule_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	SELECT sm.name INTO sm_name FROM sfn.state_machines sm WHERE sm.id = s.state_machine_id;
	-- 80 characters at most: keep the end of the schedule name's prefix room.
	exec_name := left(schedule_name, 63) || '-' || to_char(fired_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MI"Z"');
	BEGIN
		RETURN @extschema@.sfn_start_execution(sm_name, s.input, exec_name);
	EXCEPTION WHEN sqlstate 'SF005' THEN
		RETURN NULL;			-- this minute's execution exists already
	END;
END
$$;
COMMENT ON FUNCTION sfn.fire_schedule(text, timestamptz) IS
'Start the execution of one firing of a schedule; a second firing in the same minute starts nothing';

CREATE OR REPLACE FUNCTION sfn_schedule_execution(
	schedule_name text,
	cron_schedule text,
	state_machine text,
	input jsonb DEFAULT '{}')
RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	sm_id bigint;
	job bigint;
BEGIN
	IF schedule_name IS NULL OR cron_schedule IS NULL OR input IS NULL THEN
		RAISE EXCEPTION 'ValidationException: schedule_name, cron_schedule and input must not be null'
			USING ERRCODE = 'SF009';
	END IF;
	PERFORM sfn.require_pg_cron();
	IF length(schedule_name) = 0 OR length(schedule_name) > 64 OR schedule_name !~ '^[A-Za-z0-9_-]+$' THEN
		RAISE EXCEPTION 'InvalidName: schedule name "%" must be 1 to 64 letters, digits, "-" or "_"', schedule_name
			USING ERRCODE = 'SF002';
	END IF;
	sm_id := sfn.state_machine_id(state_machine, 'START');
	IF EXISTS (SELECT 1 FROM sfn.schedules WHERE name = schedule_name) THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" already exists', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)'
		INTO job
		USING 'pg_sfn:' || schedule_name, cron_schedule,
			format('SELECT sfn.fire_schedule(%L)', schedule_name);
	INSERT INTO sfn.schedules (name, cron_schedule, state_machine_id, input, cron_job_id)
		VALUES (schedule_name, cron_schedule, sm_id, input, job);
	RETURN job;
END
$$;
COMMENT ON FUNCTION sfn_schedule_execution(text, text, text, jsonb) IS
'Start an execution of state_machine on a cron schedule (pg_cron); returns the pg_cron job id';

CREATE OR REPLACE FUNCTION sfn_unschedule_execution(schedule_name text) RETURNS void
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	job bigint;
BEGIN
	PERFORM sfn.require_pg_cron();
	DELETE FROM sfn.schedules WHERE name = schedule_name RETURNING cron_job_id INTO job;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', schedule_name
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.unschedule($1)' USING job;
END
$$;
COMMENT ON FUNCTION sfn_unschedule_execution(text) IS 'Remove a schedule and its pg_cron job';
