-- src/sql/55_map_runs.sql: map runs of Distributed Map states
-- (DescribeMapRun, ListMapRuns, UpdateMapRun).

-- arn:aws:states:REGION:ACCOUNT:mapRun:STATEMACHINE/LABEL:UUID; LABEL is
-- the state's Label, or its name.
CREATE OR REPLACE FUNCTION sfn.map_run_arn(mr sfn.map_runs, sm_name text) RETURNS text
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.replace(sfn.state_machine_arn(sm_name), ':stateMachine:', ':mapRun:')
		OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) COALESCE(mr.label, mr.state_name)
		OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) mr.uuid::pg_catalog.text
$$;
COMMENT ON FUNCTION sfn.map_run_arn(sfn.map_runs, text) IS 'ARN of a map run';

-- The map run of an ARN (visible to the caller), or InvalidArn /
-- ResourceNotFound.
CREATE OR REPLACE FUNCTION sfn.map_run_id(map_run text) RETURNS bigint
	SET search_path = pg_catalog, pg_temp
	LANGUAGE plpgsql STABLE
	AS $$
DECLARE
	run_uuid uuid;
	id bigint;
BEGIN
	IF map_run IS NULL OR pg_catalog.strpos(map_run, ':mapRun:') OPERATOR(pg_catalog.=) 0 THEN
		RAISE EXCEPTION 'InvalidArn: "%" is not a map run ARN', map_run USING ERRCODE = 'SF008';
	END IF;
	BEGIN
		run_uuid := pg_catalog.split_part(map_run, ':', -1)::uuid;
	EXCEPTION WHEN others THEN
		RAISE EXCEPTION 'InvalidArn: "%" is not a map run ARN', map_run USING ERRCODE = 'SF008';
	END;
	SELECT mr.id INTO id FROM sfn.map_runs mr WHERE mr.uuid OPERATOR(pg_catalog.=) run_uuid;
	IF id IS NULL THEN
		RAISE EXCEPTION 'ResourceNotFound: map run "%" does not exist', map_run USING ERRCODE = 'SF051';
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION sfn.map_run_id(text) IS 'Id of the map run with that ARN; raises InvalidArn or ResourceNotFound';

-- Counts by status, AWS's names: pending children are not started yet.
-- Once the run has ended none is pending (none will start: AWS counts as
-- aborted only children that were running), and the total is the
-- children that ran, so the counts still add up to it.  A child a batch
-- held when the run ended runs until the orphan sweep aborts it.
CREATE OR REPLACE FUNCTION sfn.map_run_counts(mr sfn.map_runs) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_build_object(
		'pending', CASE WHEN mr.status OPERATOR(pg_catalog.=) 'RUNNING'
			THEN mr.child_count OPERATOR(pg_catalog.-) mr.started ELSE 0 END,
		'running', mr.started OPERATOR(pg_catalog.-) mr.succeeded OPERATOR(pg_catalog.-) mr.failed
			OPERATOR(pg_catalog.-) mr.timed_out OPERATOR(pg_catalog.-) mr.aborted,
		'succeeded', mr.succeeded,
		'failed', mr.failed,
		'timedOut', mr.timed_out,
		'aborted', mr.aborted,
		'total', CASE WHEN mr.status OPERATOR(pg_catalog.=) 'RUNNING'
			THEN mr.child_count ELSE mr.started END,
		'resultsWritten', mr.results_written,
		'failuresNotRedrivable', 0,
		'pendingRedrive', 0)
$$;
COMMENT ON FUNCTION sfn.map_run_counts(sfn.map_runs) IS 'executionCounts of a map run';

-- Items by status: the children's counts when each child has one item,
-- else counted from the batches' Items.
CREATE OR REPLACE FUNCTION sfn.map_run_item_counts(mr sfn.map_runs) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT CASE WHEN mr.item_count OPERATOR(pg_catalog.=) mr.child_count THEN sfn.map_run_counts(mr)
	ELSE (
		WITH n AS (
			SELECT c.status, pg_catalog.jsonb_array_length(c.input OPERATOR(pg_catalog.->) 'Items') AS items
			FROM sfn.executions c WHERE c.map_run_id OPERATOR(pg_catalog.=) mr.id
			UNION ALL
			SELECT 'PENDING', pg_catalog.jsonb_array_length(i.input OPERATOR(pg_catalog.->) 'Items')
			FROM sfn.map_run_items i WHERE i.map_run_id OPERATOR(pg_catalog.=) mr.id)
		SELECT pg_catalog.jsonb_build_object(
			'pending', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'PENDING'), 0),
			'running', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'RUNNING'), 0),
			'succeeded', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'SUCCEEDED'), 0),
			'failed', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'FAILED'), 0),
			'timedOut', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'TIMED_OUT'), 0),
			'aborted', COALESCE(pg_catalog.sum(items) FILTER (WHERE status OPERATOR(pg_catalog.=) 'ABORTED'), 0),
			'total', CASE WHEN mr.status OPERATOR(pg_catalog.=) 'RUNNING' THEN mr.item_count
				ELSE COALESCE(pg_catalog.sum(items), 0) END,
			'resultsWritten', mr.results_written,
			'failuresNotRedrivable', 0,
			'pendingRedrive', 0)
		FROM n)
	END
$$;
COMMENT ON FUNCTION sfn.map_run_item_counts(sfn.map_runs) IS 'itemCounts of a map run';

CREATE OR REPLACE FUNCTION sfn_describe_map_run(map_run text) RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
		'mapRunArn', sfn.map_run_arn(mr, sm.name),
		'executionArn', sfn.execution_arn(sm.name, e.name),
		'status', mr.status,
		'startDate', mr.start_date,
		'stopDate', mr.stop_date,
		'maxConcurrency', mr.max_concurrency,
		'toleratedFailurePercentage', COALESCE(mr.tolerated_failure_percentage, 0),
		'toleratedFailureCount', COALESCE(mr.tolerated_failure_count, 0),
		'itemCounts', sfn.map_run_item_counts(mr),
		'executionCounts', sfn.map_run_counts(mr),
		'redriveCount', 0))
	FROM sfn.map_runs mr
	JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) mr.parent_execution_id
	JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	WHERE mr.id OPERATOR(pg_catalog.=) sfn.map_run_id(map_run)
$$;
COMMENT ON FUNCTION sfn_describe_map_run(text) IS
'DescribeMapRun: a map run''s status, settings and item and execution counts, AWS''s fields as jsonb';

CREATE OR REPLACE FUNCTION sfn_list_map_runs(
	execution text,
	OUT map_run_arn text, OUT execution_arn text, OUT state_machine_arn text,
	OUT start_date timestamptz, OUT stop_date timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.map_run_arn(mr, sm.name), sfn.execution_arn(sm.name, e.name),
		sfn.state_machine_arn(sm.name) OPERATOR(pg_catalog.||) '/'
			OPERATOR(pg_catalog.||) COALESCE(mr.label, mr.state_name),
		mr.start_date, mr.stop_date
	FROM sfn.map_runs mr
	JOIN sfn.executions e ON e.id OPERATOR(pg_catalog.=) mr.parent_execution_id
	JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) e.state_machine_id
	WHERE mr.parent_execution_id OPERATOR(pg_catalog.=) sfn.execution_id(execution)
	ORDER BY mr.start_date DESC, mr.id DESC
$$;
COMMENT ON FUNCTION sfn_list_map_runs(text) IS
'ListMapRuns: the map runs an execution''s Distributed Map states started, newest first';

-- The children of a map run, as ListExecutions with mapRunArn lists them.
CREATE OR REPLACE FUNCTION sfn_list_map_run_executions(
	map_run text,
	status_filter text DEFAULT NULL,
	OUT execution_arn text, OUT name text, OUT status text,
	OUT start_date timestamptz, OUT stop_date timestamptz)
RETURNS SETOF record
	SET search_path = pg_catalog, pg_temp
	LANGUAGE sql STABLE
	AS $$
	SELECT sfn.execution_arn(sm.name, c.name), c.name, c.status, c.start_date, c.stop_date
	FROM sfn.executions c
	JOIN sfn.state_machines sm ON sm.id OPERATOR(pg_catalog.=) c.state_machine_id
	WHERE c.map_run_id OPERATOR(pg_catalog.=) sfn.map_run_id(map_run)
	  AND (status_filter IS NULL OR c.status OPERATOR(pg_catalog.=) status_filter)
	ORDER BY pg_catalog.split_part(c.name, ':', 2)::pg_catalog.int4
$$;
COMMENT ON FUNCTION sfn_list_map_run_executions(text, text) IS
'ListExecutions with mapRunArn: the child executions of a map run, in item order';

CREATE OR REPLACE FUNCTION sfn_update_map_run(
	map_run text,
	max_concurrency integer DEFAULT NULL,
	tolerated_failure_count bigint DEFAULT NULL,
	tolerated_failure_percentage double precision DEFAULT NULL)
RETURNS void
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_update_map_run' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_map_run(text, integer, bigint, double precision) IS
'UpdateMapRun: change a running map run''s MaxConcurrency and tolerated failures (NULL keeps a setting)';
