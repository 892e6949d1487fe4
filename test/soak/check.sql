-- test/soak/check.sql: the soak's checker.  Run after the workload has
-- drained and soak.plan_raw holds the driver's plan (one JSON document per
-- execution: name, sm, input, stop, stop_result, stop_ambiguous).
--
-- Prints one line per invariant: violations <TAB> invariant <TAB> first
-- offending execution (or empty).  The driver fails the run if any count
-- is not 0.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'

CREATE OR REPLACE VIEW soak.plan AS
SELECT doc->>'name' AS name, doc->>'sm' AS sm, doc->'input' AS input,
	   doc->>'stop_result' AS stop_result,
	   coalesce((doc->>'stop_ambiguous')::boolean, false) AS stop_ambiguous
FROM soak.plan_raw;

-- What the definition in setup.sql computes for an input, had nobody
-- stopped it.  cause is a LIKE pattern; may_time_out: a TIMED_OUT end is
-- also right if a crash held the execution from its Wait's end until its
-- timeout (soak.downtime, checked below).
CREATE OR REPLACE FUNCTION soak.expect(sm text, input jsonb,
	OUT status text, OUT output jsonb, OUT error text, OUT cause text, OUT may_time_out boolean)
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	status := 'SUCCEEDED';
	may_time_out := false;
	CASE sm
	WHEN 'soak-chain' THEN
		output := jsonb_build_object('n', input->'n', 'sum', (input->>'n')::int * 2 + 1,
									 'r', '{"ok": true}'::jsonb, 'tag', 'chain-' || (input->>'n'));
	WHEN 'soak-branch' THEN
		IF (input->>'n')::int < 0 THEN
			status := 'FAILED'; error := 'Negative'; cause := 'n below zero';
		ELSIF input->>'kind' = 'w' OR input->>'kind' LIKE 'p%' THEN
			output := input || '{"result": "passed"}';
		ELSIF input->>'kind' = 'd' THEN
			output := '{"default": "d"}';
		ELSE
			status := 'FAILED'; error := 'States.NoChoiceMatched'; cause := '%';
		END IF;
	WHEN 'soak-wait' THEN
		IF input->>'mode' = 'secondspath' AND (input->>'w')::int < 0 THEN
			status := 'FAILED'; error := 'States.Runtime';
			cause := 'An error occurred while executing the state ''WSecondsPath'' (entered at the event id #4). '
				'The SecondsPath parameter references a negative value: $.w == ' || (input->>'w');
		ELSE
			output := input || jsonb_build_object('waited', input->'mode');
		END IF;
	WHEN 'soak-fail' THEN
		status := 'FAILED';
		IF input ? 'v' THEN
			error := 'SoakFailure'; cause := input->>'v';
		ELSE
			error := 'States.Runtime';
			cause := 'An error occurred while executing the state ''P'' (entered at the event id #2). %$.v%';
		END IF;
	WHEN 'soak-timeout' THEN
		may_time_out := true;
		IF (input->>'w')::int > 2 THEN
			status := 'TIMED_OUT';
		ELSE
			output := input;
		END IF;
	ELSE
		-- soak-stop ends only when stopped.
		status := 'RUNNING';
	END CASE;
END $$;

-- The history soak.expect's outcome comes with: "EventType StateName" per
-- event (no name for Execution* events).  A stopped or timed-out execution
-- has a prefix of it, then its terminal event.
CREATE OR REPLACE FUNCTION soak.expect_path(sm text, input jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	p text[] := '{ExecutionStarted}';
	ok text[] := '{ExecutionSucceeded}';
BEGIN
	CASE sm
	WHEN 'soak-chain' THEN
		RETURN p || '{PassStateEntered P1,PassStateExited P1,PassStateEntered P2,PassStateExited P2,'
			'PassStateEntered P3,PassStateExited P3,PassStateEntered P4,PassStateExited P4,'
			'PassStateEntered P5,PassStateExited P5}' || ok;
	WHEN 'soak-branch' THEN
		p := p || '{ChoiceStateEntered C,ChoiceStateExited C}';
		IF (input->>'n')::int < 0 THEN
			RETURN p || '{FailStateEntered Neg,ExecutionFailed}';
		ELSIF input->>'kind' = 'w' THEN
			p := p || '{WaitStateEntered W,WaitStateExited W}';
		ELSIF input->>'kind' NOT LIKE 'p%' THEN
			p := p || '{ChoiceStateEntered D}'::text[];
			IF input->>'kind' = 'd' THEN
				RETURN p || '{ChoiceStateExited D,PassStateEntered DP,PassStateExited DP}' || ok;
			END IF;
			RETURN p || '{ExecutionFailed}'::text[];
		END IF;
		RETURN p || '{PassStateEntered P,PassStateExited P,SucceedStateEntered S,SucceedStateExited S}' || ok;
	WHEN 'soak-wait' THEN
		p := p || '{ChoiceStateEntered M,ChoiceStateExited M}'
			|| ('WaitStateEntered W' || replace(initcap(replace(input->>'mode', 'path', ' path')), ' ', ''));
		IF input->>'mode' = 'secondspath' AND (input->>'w')::int < 0 THEN
			RETURN p || '{ExecutionFailed}'::text[];
		END IF;
		RETURN p || ('WaitStateExited' || substr(p[4], 17))
			|| '{PassStateEntered Done,PassStateExited Done,SucceedStateEntered End,SucceedStateExited End}' || ok;
	WHEN 'soak-fail' THEN
		p := p || '{PassStateEntered P}'::text[];
		IF input ? 'v' THEN
			p := p || '{PassStateExited P,FailStateEntered F}'::text[];
		END IF;
		RETURN p || '{ExecutionFailed}'::text[];
	WHEN 'soak-timeout' THEN
		RETURN p || '{WaitStateEntered W,WaitStateExited W,PassStateEntered P,PassStateExited P}' || ok;
	ELSE
		RETURN p || '{WaitStateEntered W,WaitStateExited W}' || ok;
	END CASE;
END $$;

-- The facts each invariant reads, once.
CREATE TEMP TABLE ex AS
SELECT e.id, e.name, m.name AS sm, e.status, e.input, e.output, e.error, e.cause,
	   e.start_date, e.stop_date, e.last_event_id
FROM sfn.executions e JOIN sfn.state_machines m ON m.id = e.state_machine_id;
CREATE TEMP TABLE ev AS
SELECT h.*, h.type IN ('ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut') AS terminal
FROM sfn.history h;
CREATE INDEX ON ev (execution_id, event_id);
ANALYZE ex;
ANALYZE ev;
CREATE TEMP TABLE hs AS
SELECT execution_id, count(*) AS n, count(DISTINCT event_id) AS n_distinct,
	   min(event_id) AS min_id, max(event_id) AS max_id,
	   count(*) FILTER (WHERE terminal) AS n_terminal,
	   max(event_id) FILTER (WHERE terminal) AS terminal_id,
	   min(type) FILTER (WHERE terminal) AS terminal_type,
	   count(*) FILTER (WHERE type = 'ExecutionStarted') AS n_started,
	   min(event_id) FILTER (WHERE type = 'ExecutionStarted') AS started_id
FROM ev GROUP BY execution_id;

CREATE TEMP TABLE results (ord serial, invariant text, violations bigint, example text);
CREATE FUNCTION pg_temp.inv(invariant text, names text[]) RETURNS void LANGUAGE sql AS $$
	INSERT INTO results (invariant, violations, example)
	VALUES (invariant, coalesce(cardinality(names), 0), names[1]) $$;

SELECT pg_temp.inv('every planned execution exists, once',
	(SELECT array_agg(p.sm || ':' || p.name) FROM soak.plan p
	 WHERE (SELECT count(*) FROM ex WHERE ex.sm = p.sm AND ex.name = p.name) <> 1));
SELECT pg_temp.inv('no execution that was not planned',
	(SELECT array_agg(ex.sm || ':' || ex.name) FROM ex
	 WHERE NOT EXISTS (SELECT 1 FROM soak.plan p WHERE p.sm = ex.sm AND p.name = ex.name)));
SELECT pg_temp.inv('each execution has the input it was started with',
	(SELECT array_agg(p.name) FROM soak.plan p JOIN ex USING (sm, name) WHERE ex.input <> p.input));
SELECT pg_temp.inv('no execution is RUNNING',
	(SELECT array_agg(name) FROM ex WHERE status = 'RUNNING'));
SELECT pg_temp.inv('stop_date set, not before start_date',
	(SELECT array_agg(name) FROM ex WHERE stop_date IS NULL OR stop_date < start_date));
SELECT pg_temp.inv('exactly one terminal event',
	(SELECT array_agg(ex.name) FROM ex LEFT JOIN hs ON hs.execution_id = ex.id
	 WHERE coalesce(hs.n_terminal, 0) <> 1));
SELECT pg_temp.inv('terminal event type matches the status',
	(SELECT array_agg(ex.name) FROM ex JOIN hs ON hs.execution_id = ex.id
	 WHERE hs.terminal_type IS DISTINCT FROM CASE ex.status WHEN 'SUCCEEDED' THEN 'ExecutionSucceeded'
		WHEN 'FAILED' THEN 'ExecutionFailed' WHEN 'ABORTED' THEN 'ExecutionAborted'
		WHEN 'TIMED_OUT' THEN 'ExecutionTimedOut' END));
SELECT pg_temp.inv('nothing after the terminal event',
	(SELECT array_agg(ex.name) FROM ex JOIN hs ON hs.execution_id = ex.id
	 WHERE hs.terminal_id IS DISTINCT FROM hs.max_id));
SELECT pg_temp.inv('terminal event details match the execution row',
	(SELECT array_agg(ex.name) FROM ex JOIN ev ON ev.execution_id = ex.id AND ev.terminal
	 WHERE (ev.type = 'ExecutionSucceeded' AND (ev.details->>'output')::jsonb IS DISTINCT FROM ex.output)
		OR (ev.type IN ('ExecutionFailed', 'ExecutionAborted')
			AND (ev.details->>'error' IS DISTINCT FROM ex.error OR ev.details->>'cause' IS DISTINCT FROM ex.cause))
		OR (ev.type = 'ExecutionTimedOut' AND ev.details->>'error' IS DISTINCT FROM 'States.Timeout')));
SELECT pg_temp.inv('one ExecutionStarted, event 1',
	(SELECT array_agg(ex.name) FROM ex LEFT JOIN hs ON hs.execution_id = ex.id
	 WHERE hs.n_started IS DISTINCT FROM 1 OR hs.started_id IS DISTINCT FROM 1));
SELECT pg_temp.inv('event ids contiguous from 1, no duplicates',
	(SELECT array_agg(ex.name) FROM ex JOIN hs ON hs.execution_id = ex.id
	 WHERE hs.min_id <> 1 OR hs.max_id <> hs.n OR hs.n_distinct <> hs.n));
SELECT pg_temp.inv('previous_event_id is 0 or an earlier event',
	(SELECT array_agg(DISTINCT ex.name) FROM ex JOIN ev ON ev.execution_id = ex.id
	 WHERE ev.previous_event_id < 0 OR ev.previous_event_id >= ev.event_id
		OR (ev.previous_event_id > 0 AND NOT EXISTS (SELECT 1 FROM ev p
			WHERE p.execution_id = ev.execution_id AND p.event_id = ev.previous_event_id))));
-- AWS gives previousEventId 0 to ExecutionStarted, the first state's
-- Entered event, ExecutionAborted and ExecutionTimedOut; only to those.
SELECT pg_temp.inv('previous_event_id 0 exactly where AWS has it',
	(SELECT array_agg(DISTINCT ex.name) FROM ex JOIN ev ON ev.execution_id = ex.id
	 WHERE (ev.previous_event_id = 0) <> (ev.event_id <= 2 OR ev.type IN ('ExecutionAborted', 'ExecutionTimedOut'))));
-- One thread: every other event follows the one before it.
SELECT pg_temp.inv('previous_event_id otherwise the event just before',
	(SELECT array_agg(DISTINCT ex.name) FROM ex JOIN ev ON ev.execution_id = ex.id
	 WHERE ev.previous_event_id <> 0 AND ev.previous_event_id <> ev.event_id - 1));
SELECT pg_temp.inv('executions.last_event_id = max event id',
	(SELECT array_agg(ex.name) FROM ex LEFT JOIN hs ON hs.execution_id = ex.id
	 WHERE ex.last_event_id IS DISTINCT FROM hs.max_id));
SELECT pg_temp.inv('no history without an execution',
	(SELECT array_agg(DISTINCT execution_id::text) FROM ev WHERE NOT EXISTS (SELECT 1 FROM ex WHERE ex.id = ev.execution_id)));
SELECT pg_temp.inv('no sfn.work row for an ended execution',
	(SELECT array_agg(ex.name) FROM ex JOIN sfn.work w ON w.execution_id = ex.id WHERE ex.status <> 'RUNNING'));
SELECT pg_temp.inv('no sfn.threads row for an ended execution',
	(SELECT array_agg(DISTINCT ex.name) FROM ex JOIN sfn.threads t ON t.execution_id = ex.id WHERE ex.status <> 'RUNNING'));
SELECT pg_temp.inv('sfn.work is empty',
	(SELECT array_agg(execution_id::text) FROM sfn.work));
SELECT pg_temp.inv('sfn.threads is empty',
	(SELECT array_agg(execution_id::text) FROM sfn.threads));

-- Outcomes.  A successful stop must have aborted the execution; a stop
-- that found it ended must not have; a stop whose answer a crash lost may
-- have done either.
CREATE TEMP TABLE outcome AS
SELECT ex.id, p.name, p.sm, p.input, p.stop_result, p.stop_ambiguous, ex.status, ex.output, ex.error, ex.cause,
	   ex.start_date, ex.stop_date, x.status AS x_status, x.output AS x_output,
	   x.error AS x_error, x.cause AS x_cause, x.may_time_out,
	   ex.status = 'ABORTED' AND ex.output IS NULL AND ex.error = 'SoakStop' AND ex.cause = p.name AS is_our_abort,
	   ex.status = x.status AND ex.output IS NOT DISTINCT FROM x.output
		   AND ex.error IS NOT DISTINCT FROM x.error
		   AND coalesce(ex.cause, '') LIKE coalesce(x.cause, '') AS is_expected,
	   ex.status = 'TIMED_OUT' AND x.may_time_out AND ex.output IS NULL
		   AND ex.error IS NULL AND ex.cause IS NULL
		   -- The server was down (1 s slack either side) at some moment
		   -- between the Wait's end (start + w) and the timeout (start + 2).
		   AND EXISTS (SELECT 1 FROM soak.downtime d
			   WHERE d.from_ts - interval '1 s' <= ex.start_date + interval '2 s'
			   AND d.to_ts + interval '1 s' >= ex.start_date + make_interval(secs => (p.input->>'w')::int)) AS is_timeout
FROM soak.plan p JOIN ex USING (sm, name), soak.expect(p.sm, p.input) x;
SELECT pg_temp.inv('outcome is what the definition computes for the input (and stops)',
	(SELECT array_agg(name || ' ' || status) FROM outcome
	 WHERE NOT CASE
		WHEN stop_result = 'stopped' THEN is_our_abort
		WHEN stop_ambiguous THEN is_our_abort OR is_expected OR is_timeout
		ELSE is_expected OR is_timeout END));
SELECT pg_temp.inv('history is the path the definition takes (a prefix when stopped or timed out)',
	(SELECT array_agg(o.name) FROM outcome o
	 JOIN LATERAL (SELECT array_agg(ev.type || coalesce(' ' || (ev.details->>'name'), '') ORDER BY ev.event_id) AS got
		FROM ev WHERE ev.execution_id = o.id) h ON true,
	 soak.expect_path(o.sm, o.input) want
	 WHERE NOT CASE WHEN o.status IN ('ABORTED', 'TIMED_OUT')
		-- Everything before the terminal event is where it had got to.
		THEN h.got[1:cardinality(h.got) - 1] = want[1:cardinality(h.got) - 1]
			AND cardinality(h.got) < cardinality(want)
		ELSE h.got = want END));
-- TimeoutSeconds is 2: a timeout never ends an execution sooner.
SELECT pg_temp.inv('TIMED_OUT not before TimeoutSeconds',
	(SELECT array_agg(name) FROM outcome
	 WHERE status = 'TIMED_OUT' AND stop_date - start_date < interval '2 s'));
-- Waits never end early: Exited no sooner than Entered + the seconds, or
-- than the timestamp.
SELECT pg_temp.inv('no Wait ended early',
	(SELECT array_agg(ex.name) FROM ex
	 JOIN ev i ON i.execution_id = ex.id AND i.type = 'WaitStateEntered'
	 JOIN ev o ON o.execution_id = ex.id AND o.type = 'WaitStateExited'
	 WHERE o.ts < i.ts + make_interval(secs => CASE
			WHEN ex.sm = 'soak-wait' AND ex.input->>'mode' = 'seconds' THEN 2
			WHEN ex.sm = 'soak-wait' AND ex.input->>'mode' IN ('timestamppath', 'timestamp') THEN 0
			ELSE (ex.input->>'w')::int END)
		OR (ex.input->>'mode' = 'timestamppath' AND o.ts < (ex.input->>'until')::timestamptz)));

SELECT violations, invariant, coalesce(example, '') FROM results ORDER BY ord;
