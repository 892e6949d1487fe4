-- src/sql/40_executions.sql: execution API (StartExecution, StopExecution,
-- DescribeExecution, ListExecutions, GetExecutionHistory,
-- DescribeStateMachineForExecution).

CREATE OR REPLACE FUNCTION sfn.json_text(value jsonb) RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_json_text' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.json_text(jsonb) IS 'Compact JSON text of a value, as AWS writes inputs and outputs';

CREATE OR REPLACE FUNCTION sfn.execution_id(execution text) RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_execution_id' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.execution_id(text) IS 'Id of the execution with that ARN; raises ExecutionDoesNotExist';

CREATE OR REPLACE FUNCTION sfn_start_execution(
	state_machine text,
	input jsonb DEFAULT '{}',
	name text DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_start_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_start_execution(text, jsonb, text) IS
'StartExecution: start (or, with the same name and input while running, find) an execution; returns its ARN. The workers run it after the calling transaction commits.';

CREATE OR REPLACE FUNCTION sfn_stop_execution(
	execution text,
	error text DEFAULT NULL,
	cause text DEFAULT NULL)
RETURNS timestamptz
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_stop_execution' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_stop_execution(text, text, text) IS
'StopExecution: abort a running execution (status ABORTED); returns the stop date';

-- The AWS-shaped description of one execution row.
CREATE OR REPLACE FUNCTION sfn.describe_execution_row(e sfn.executions, sm_name text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'executionArn', sfn.execution_arn(sm_name, e.name),
		'stateMachineArn', sfn.state_machine_arn(sm_name),
		'name', e.name,
		'status', e.status,
		'startDate', e.start_date,
		'stopDate', e.stop_date,
		'input', sfn.json_text(e.input),
		'inputDetails', pg_catalog.jsonb_build_object('included', true),
		'output', sfn.json_text(e.output),
		'outputDetails', CASE WHEN e.status OPERATOR(pg_catalog.=) 'SUCCEEDED'
			THEN pg_catalog.jsonb_build_object('included', true) END,
		'error', e.error,
		'cause', e.cause,
		'redriveCount', e.redrive_count,
		'redriveStatus', CASE WHEN e.status OPERATOR(pg_catalog.=) ANY (ARRAY['RUNNING', 'SUCCEEDED'])
			THEN 'NOT_REDRIVABLE' ELSE 'REDRIVABLE' END,
		'redriveStatusReason', CASE WHEN e.status OPERATOR(pg_catalog.=) 'RUNNING'
			THEN 'Execution is RUNNING and cannot be redriven'
			WHEN e.status OPERATOR(pg_catalog.=) 'SUCCEEDED'
			THEN 'Execution is SUCCEEDED and cannot be redriven' END))
$$;
COMMENT ON FUNCTION sfn.describe_execution_row(sfn.executions, text) IS 'DescribeExecution response for one execution row';

CREATE OR REPLACE FUNCTION sfn_describe_execution(execution text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.describe_execution_row(e, sm.name)
	FROM sfn.executions e JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	WHERE e.id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_execution(text) IS
'DescribeExecution: AWS''s response fields as jsonb (input and output as JSON text, as AWS returns them)';

CREATE OR REPLACE FUNCTION sfn_list_executions(
	state_machine text,
	status_filter text DEFAULT NULL,
	max_results integer DEFAULT 100,
	next_token text DEFAULT NULL,
	OUT execution_arn text, OUT state_machine_arn text, OUT name text, OUT status text,
	OUT start_date timestamptz, OUT stop_date timestamptz, OUT redrive_count integer,
	OUT page_token text)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	sm_id bigint := sfn.state_machine_id(state_machine);
	sm_name text;
	after_start timestamptz;
	after_id bigint;
BEGIN
	IF status_filter IS NOT NULL AND NOT status_filter OPERATOR(pg_catalog.=) ANY
		(ARRAY['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']) THEN
		RAISE EXCEPTION 'ValidationException: invalid status filter "%"', status_filter
			USING ERRCODE = 'SF009',
			HINT = 'Use RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.';
	END IF;
	IF max_results IS NULL OR max_results OPERATOR(pg_catalog.<) 0
		OR max_results OPERATOR(pg_catalog.>) 1000 THEN
		RAISE EXCEPTION 'ValidationException: max_results must be between 0 and 1000'
			USING ERRCODE = 'SF009';
	END IF;
	IF next_token IS NOT NULL THEN
		BEGIN
			after_start := pg_catalog.split_part(next_token, '/', 1)::timestamptz;
			after_id := pg_catalog.split_part(next_token, '/', 2)::bigint;
		EXCEPTION WHEN others THEN
			RAISE EXCEPTION 'InvalidToken: invalid next_token "%"', next_token USING ERRCODE = 'SF009';
		END;
	END IF;
	SELECT s.name INTO sm_name FROM sfn.state_machines s WHERE s.id OPERATOR(pg_catalog.=) sm_id;
	RETURN QUERY
		SELECT sfn.execution_arn(sm_name, e.name), sfn.state_machine_arn(sm_name), e.name, e.status,
			e.start_date, e.stop_date, e.redrive_count,
			e.start_date::text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) e.id::text
		FROM sfn.executions e
		WHERE e.state_machine_id OPERATOR(pg_catalog.=) sm_id
		  -- children of map runs: sfn_list_map_run_executions, as AWS's mapRunArn
		  AND e.map_run_id IS NULL
		  AND (status_filter IS NULL OR e.status OPERATOR(pg_catalog.=) status_filter)
		  AND (after_id IS NULL OR (e.start_date, e.id) OPERATOR(pg_catalog.<) (after_start, after_id))
		ORDER BY e.start_date DESC, e.id DESC
		LIMIT CASE WHEN max_results OPERATOR(pg_catalog.=) 0 THEN 100 ELSE max_results END;
END
$$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text) IS
'ListExecutions: newest first; pass the last row''s page_token as next_token for the next page';

CREATE OR REPLACE FUNCTION sfn_get_execution_history(
	execution text,
	reverse_order boolean DEFAULT false,
	include_execution_data boolean DEFAULT true,
	OUT id bigint, OUT previous_event_id bigint, OUT "timestamp" timestamptz,
	OUT type text, OUT details jsonb)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT h.event_id::bigint, h.previous_event_id::bigint, h.ts, h.type,
		CASE WHEN include_execution_data THEN h.details
			ELSE h.details OPERATOR(pg_catalog.-) '{input,output,inputDetails,outputDetails}'::text[] END
	FROM sfn.history h
	WHERE h.execution_id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
	ORDER BY CASE WHEN reverse_order THEN OPERATOR(pg_catalog.-) h.event_id ELSE h.event_id END
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text, boolean, boolean) IS
'GetExecutionHistory: one row per event (AWS HistoryEvent: id, previousEventId, timestamp, type, details)';

CREATE OR REPLACE FUNCTION sfn_describe_state_machine_for_execution(execution text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'stateMachineArn', sfn.state_machine_arn(sm.name),
		'name', sm.name,
		'definition', r.definition::text,
		'roleArn', sfn.role_arn(sm.role),
		'updateDate', r.created_at,
		'revisionId', r.revision_id,
		'loggingConfiguration', pg_catalog.jsonb_build_object('level', 'OFF', 'includeExecutionData', false)))
	FROM sfn.executions e
	JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	JOIN sfn.state_machine_revisions r ON r.state_machine_id OPERATOR(pg_catalog.=) e.state_machine_id
		AND r.revision OPERATOR(pg_catalog.=) e.revision
	WHERE e.id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine_for_execution(text) IS
'DescribeStateMachineForExecution: the definition revision the execution runs';

CREATE OR REPLACE FUNCTION sfn.wait_execution(execution text, timeout_seconds double precision DEFAULT 10)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql VOLATILE
	AS $$
DECLARE
	exec_id bigint := sfn.execution_id(execution);
	deadline timestamptz := pg_catalog.clock_timestamp()
		OPERATOR(pg_catalog.+) pg_catalog.make_interval(secs => timeout_seconds);
	st text;
BEGIN
	-- A NULL deadline would never come.
	IF timeout_seconds IS NULL THEN
		RAISE EXCEPTION 'ValidationException: timeout_seconds must not be null' USING ERRCODE = 'SF009';
	END IF;
	LOOP
		SELECT e.status INTO st FROM sfn.executions e WHERE e.id OPERATOR(pg_catalog.=) exec_id;
		IF st OPERATOR(pg_catalog.<>) 'RUNNING'
			OR pg_catalog.clock_timestamp() OPERATOR(pg_catalog.>=) deadline THEN
			RETURN st;
		END IF;
		PERFORM pg_catalog.pg_sleep(0.01);
	END LOOP;
END
$$;
COMMENT ON FUNCTION sfn.wait_execution(text, double precision) IS
'Wait until the execution is no longer RUNNING or timeout_seconds (not NULL) pass; returns its status. Must run outside the transaction that started it.';
