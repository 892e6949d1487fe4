-- test/soak/setup.sql: the soak's state machines and client-side helpers.
-- Run once on a fresh cluster by test/soak/soak.py.  Every definition is
-- built so that check.sql can compute each execution's outcome from its
-- input alone (see soak.expect there).
\set ON_ERROR_STOP 1

-- Pass chain with intrinsics: output {n, sum: 2n+1, r: {ok: true}, tag}.
SELECT sfn_create_state_machine('soak-chain', $j$
{"StartAt":"P1","States":{
 "P1":{"Type":"Pass","Parameters":{"n.$":"$.n","sum.$":"States.MathAdd($.n, 1)"},"Next":"P2"},
 "P2":{"Type":"Pass","Parameters":{"n.$":"$.n","sum.$":"States.MathAdd($.sum, $.n)"},"Next":"P3"},
 "P3":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","Next":"P4"},
 "P4":{"Type":"Pass","Parameters":{"n.$":"$.n","sum.$":"$.sum","r.$":"$.r","tag.$":"States.Format('chain-{}', $.n)"},"Next":"P5"},
 "P5":{"Type":"Pass","End":true}}}
$j$);

-- Choice branches: negative n fails, kind "w" waits w seconds then passes,
-- kind "p..." passes, kind "d" takes the default Pass, anything else
-- matches no rule of the second Choice (States.NoChoiceMatched).
SELECT sfn_create_state_machine('soak-branch', $j$
{"StartAt":"C","States":{
 "C":{"Type":"Choice","Choices":[
   {"Variable":"$.n","NumericLessThan":0,"Next":"Neg"},
   {"And":[{"Variable":"$.kind","StringEquals":"w"},{"Variable":"$.w","IsNumeric":true}],"Next":"W"},
   {"Variable":"$.kind","StringMatches":"p*","Next":"P"}],
  "Default":"D"},
 "Neg":{"Type":"Fail","Error":"Negative","Cause":"n below zero"},
 "W":{"Type":"Wait","SecondsPath":"$.w","Next":"P"},
 "P":{"Type":"Pass","Result":"passed","ResultPath":"$.result","Next":"S"},
 "S":{"Type":"Succeed"},
 "D":{"Type":"Choice","Choices":[{"Variable":"$.kind","StringEquals":"d","Next":"DP"}]},
 "DP":{"Type":"Pass","Parameters":{"default.$":"$.kind"},"End":true}}}
$j$);

-- Wait states of every kind, chosen by $.mode; output = input + {waited: mode}.
-- A negative $.w fails with States.Runtime.
SELECT sfn_create_state_machine('soak-wait', $j$
{"StartAt":"M","States":{
 "M":{"Type":"Choice","Choices":[
   {"Variable":"$.mode","StringEquals":"seconds","Next":"WSeconds"},
   {"Variable":"$.mode","StringEquals":"secondspath","Next":"WSecondsPath"},
   {"Variable":"$.mode","StringEquals":"timestamppath","Next":"WTimestampPath"}],
  "Default":"WTimestamp"},
 "WSeconds":{"Type":"Wait","Seconds":2,"Next":"Done"},
 "WSecondsPath":{"Type":"Wait","SecondsPath":"$.w","Next":"Done"},
 "WTimestampPath":{"Type":"Wait","TimestampPath":"$.until","Next":"Done"},
 "WTimestamp":{"Type":"Wait","Timestamp":"2020-01-01T00:00:00Z","Next":"Done"},
 "Done":{"Type":"Pass","InputPath":"$.mode","ResultPath":"$.waited","Next":"End"},
 "End":{"Type":"Succeed"}}}
$j$);

-- Fail states: a Pass that needs $.v (States.Runtime without it), then a
-- Fail whose cause comes from the input.
SELECT sfn_create_state_machine('soak-fail', $j$
{"StartAt":"P","States":{
 "P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"Next":"F"},
 "F":{"Type":"Fail","Error":"SoakFailure","CausePath":"$.v"}}}
$j$);

-- Execution timeout: TimeoutSeconds 2 with a wait of $.w seconds.
SELECT sfn_create_state_machine('soak-timeout', $j$
{"StartAt":"W","TimeoutSeconds":2,"States":{
 "W":{"Type":"Wait","SecondsPath":"$.w","Next":"P"},
 "P":{"Type":"Pass","End":true}}}
$j$);

-- Ends only through sfn_stop_execution (the driver stops every one).
SELECT sfn_create_state_machine('soak-stop', $j$
{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}
$j$);

CREATE SCHEMA soak;

-- A start retried after a crash, or a deliberate duplicate start: the
-- first may have committed and the execution ended since, which
-- StartExecution reports as ExecutionAlreadyExists.  Accept that only for an ended execution with
-- the same input; the checker verifies the rest.
CREATE FUNCTION soak.start_again(sm text, input jsonb, name text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	RETURN sfn_start_execution(sm, input, name);
EXCEPTION WHEN SQLSTATE 'SF005' THEN
	IF EXISTS (SELECT 1 FROM sfn.executions e JOIN sfn.state_machines m ON m.id = e.state_machine_id
			   WHERE m.name = sm AND e.name = start_again.name AND e.input = start_again.input
			   AND e.status <> 'RUNNING') THEN
		RETURN 'closed';
	END IF;
	RAISE EXCEPTION 'soak: start of % refused, yet it is running with the same input or does not exist', name;
END $$;

-- A start with the name of an existing execution and another input must
-- be refused.
CREATE FUNCTION soak.start_conflicting(sm text, input jsonb, name text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM sfn_start_execution(sm, input, name);
	RAISE EXCEPTION 'soak: start of % with another input was accepted', name;
EXCEPTION WHEN SQLSTATE 'SF005' THEN
	RETURN 'refused';
END $$;

-- StopExecution: 'stopped', or 'not running' if it had already ended.
CREATE FUNCTION soak.stop(sm text, name text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM sfn_stop_execution(replace(sfn_describe_state_machine(sm)->>'stateMachineArn',
											   ':stateMachine:', ':execution:') || ':' || name,
							   'SoakStop', name);
	RETURN 'stopped';
EXCEPTION WHEN SQLSTATE 'SF010' THEN
	RETURN 'not running';
END $$;

-- The driver's record of what it asked for, one JSON document per
-- execution, loaded before check.sql runs.
CREATE TABLE soak.plan_raw (doc jsonb NOT NULL);

-- From each kill until the server was back with all its workers (the
-- driver's clock): a timeout may overtake a due Wait only across one.
CREATE TABLE soak.downtime (from_ts timestamptz NOT NULL, to_ts timestamptz NOT NULL);
