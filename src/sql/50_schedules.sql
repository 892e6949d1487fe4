-- src/sql/50_schedules.sql: scheduled executions on top of pg_cron.
--
-- Each firing starts one execution named after the schedule and the firing
-- minute, so a duplicate firing in the same minute starts nothing new.

CREATE OR REPLACE FUNCTION sfn.require_pg_cron() RETURNS void
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'pg_cron') THEN
		RAISE EXCEPTION 'ValidationException: pg_cron is not installed in this database'
			USING ERRCODE = 'SF009',
			HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database and run CREATE EXTENSION pg_cron.';
	END IF;
END
$$;
COMMENT ON FUNCTION sfn.require_pg_cron() IS 'Raise a clear error unless pg_cron is installed here';

-- A user-given name for an error message: control characters (U+0001-001F,
-- U+007F-009F) written as \u00XX, as the C functions do.
CREATE OR REPLACE FUNCTION sfn.message_text(s text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql IMMUTABLE STRICT
	AS $$
	SELECT coalesce(pg_catalog.string_agg(CASE WHEN t.c OPERATOR(pg_catalog.~) E'[\\x01-\\x1f\\x7f-\\x9f]'
			THEN E'\\u' OPERATOR(pg_catalog.||) pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.ascii(t.c)), 4, '0') ELSE t.c END,
			'' ORDER BY t.i), '')
	FROM pg_catalog.regexp_split_to_table(s, '') WITH ORDINALITY AS t(c, i)
$$;
COMMENT ON FUNCTION sfn.message_text(text) IS 'A user-given name with its control characters escaped, for error messages';

-- pg_cron job names are of type name (63 bytes): a schedule name (up to 64
-- characters) that does not fit whole is cut to 23 characters and followed
-- by "~" (never part of a schedule name, so the two forms cannot meet) and
-- 128 bits of its SHA-256.
CREATE OR REPLACE FUNCTION sfn.cron_job_name(schedule_name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql IMMUTABLE STRICT
	AS $$
	SELECT CASE WHEN pg_catalog.octet_length(schedule_name) OPERATOR(pg_catalog.<=) 56
		THEN 'pg_sfn:' OPERATOR(pg_catalog.||) schedule_name
		ELSE 'pg_sfn:' OPERATOR(pg_catalog.||) pg_catalog.left(schedule_name, 23) OPERATOR(pg_catalog.||) '~'
			OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(pg_catalog.sha256(
				pg_catalog.convert_to(schedule_name, 'UTF8')), 'hex'), 32) END
$$;
COMMENT ON FUNCTION sfn.cron_job_name(text) IS 'The pg_cron job name of a schedule: unique, at most 63 bytes';

-- Called by pg_cron at each firing.
CREATE OR REPLACE FUNCTION sfn.fire_schedule(schedule_name text, fired_at timestamptz DEFAULT pg_catalog.clock_timestamp())
RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	s sfn.schedules;
	sm_name text;
	exec_name text;
BEGIN
	SELECT * INTO s FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	SELECT sm.name INTO sm_name FROM sfn.state_machines sm WHERE sm.id OPERATOR(pg_catalog.=) s.state_machine_id;
	-- The whole schedule name (at most 64 characters) and the minute: at most
	-- 79 characters, within AWS's 80, and never the same for two schedules.
	exec_name := schedule_name OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||)
		pg_catalog.to_char(pg_catalog.timezone('UTC', fired_at), 'YYYYMMDD"T"HH24MI"Z"');
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
	taken boolean;
BEGIN
	IF schedule_name IS NULL OR cron_schedule IS NULL OR input IS NULL THEN
		RAISE EXCEPTION 'ValidationException: schedule_name, cron_schedule and input must not be null'
			USING ERRCODE = 'SF009';
	END IF;
	PERFORM sfn.require_pg_cron();
	IF pg_catalog.length(schedule_name) OPERATOR(pg_catalog.=) 0
		OR pg_catalog.length(schedule_name) OPERATOR(pg_catalog.>) 64
		OR schedule_name OPERATOR(pg_catalog.!~) '^[A-Za-z0-9_-]+$' THEN
		RAISE EXCEPTION 'InvalidName: schedule name "%" must be 1 to 64 letters, digits, "-" or "_"', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF002';
	END IF;
	sm_id := sfn.state_machine_id(state_machine, 'START');
	IF EXISTS (SELECT 1 FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name) THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" already exists', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	-- cron.schedule replaces a job of the same name: never another's.
	EXECUTE 'SELECT EXISTS (SELECT 1 FROM cron.job WHERE jobname OPERATOR(pg_catalog.=) $1)'
		INTO taken
		USING sfn.cron_job_name(schedule_name);
	IF taken THEN
		RAISE EXCEPTION 'ValidationException: pg_cron job "%" exists already', sfn.cron_job_name(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)'
		INTO job
		USING sfn.cron_job_name(schedule_name), cron_schedule,
			pg_catalog.format('SELECT sfn.fire_schedule(%L)', schedule_name);
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
	DELETE FROM sfn.schedules WHERE name OPERATOR(pg_catalog.=) schedule_name RETURNING cron_job_id INTO job;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ValidationException: schedule "%" does not exist', sfn.message_text(schedule_name)
			USING ERRCODE = 'SF009';
	END IF;
	EXECUTE 'SELECT cron.unschedule($1)' USING job;
END
$$;
COMMENT ON FUNCTION sfn_unschedule_execution(text) IS 'Remove a schedule and its pg_cron job';
