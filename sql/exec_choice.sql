--
-- exec_choice: running Choice states: every comparison operator, And/Or/Not,
-- Default, States.NoChoiceMatched, a missing Variable (States.Runtime), and
-- the ChoiceStateEntered/Exited events.
--
\set SHOW_CONTEXT never
-- Helpers (session-local).
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
\i sql/include/exec_helpers.sql

--
-- One rule per case: a state machine "choice-op-<n>" whose Choice sends the
-- input to "Yes" when the rule matches, else (Default) to "No".  The result
-- column shows "yes", "no", or the error of a failed execution.  All cases
-- are started in one transaction and run side by side.
--
CREATE TEMP TABLE op_cases (n serial PRIMARY KEY, rule jsonb NOT NULL, input jsonb NOT NULL);
INSERT INTO op_cases (rule, input) VALUES
	-- String comparisons (Java String.compareTo: UTF-16 code units)
	('{"Variable": "$.v", "StringEquals": "MyString"}', '{"v": "MyString"}'),
	('{"Variable": "$.v", "StringEquals": "MyString"}', '{"v": "mystring"}'),
	('{"Variable": "$.v", "StringEquals": ""}', '{"v": ""}'),
	('{"Variable": "$.v", "StringEquals": "1"}', '{"v": 1}'),
	('{"Variable": "$.v", "StringEquals": "null"}', '{"v": null}'),
	('{"Variable": "$.v", "StringEquals": "Ünïcödé ✓"}', '{"v": "Ünïcödé ✓"}'),
	('{"Variable": "$.v", "StringGreaterThan": "MyStringABC"}', '{"v": "MyStringABD"}'),
	('{"Variable": "$.v", "StringGreaterThan": "MyStringABC"}', '{"v": "MyStringABC"}'),
	('{"Variable": "$.v", "StringGreaterThan": "MyStringABC"}', '{"v": "MyStringAB"}'),
	('{"Variable": "$.v", "StringGreaterThan": "Z"}', '{"v": "a"}'),
	('{"Variable": "$.v", "StringGreaterThanEquals": "abc"}', '{"v": "abc"}'),
	('{"Variable": "$.v", "StringGreaterThanEquals": "abc"}', '{"v": "abb"}'),
	('{"Variable": "$.v", "StringLessThan": "abc"}', '{"v": "ab"}'),
	('{"Variable": "$.v", "StringLessThan": "abc"}', '{"v": "abc"}'),
	('{"Variable": "$.v", "StringLessThan": "\uffff"}', '{"v": "😀"}'),
	('{"Variable": "$.v", "StringLessThanEquals": "abc"}', '{"v": "abc"}'),
	('{"Variable": "$.v", "StringLessThanEquals": "abc"}', '{"v": "abd"}'),
	('{"Variable": "$.v", "StringLessThan": "b"}', '{"v": 1}'),
	('{"Variable": "$.v", "StringEqualsPath": "$.w"}', '{"v": "x", "w": "x"}'),
	('{"Variable": "$.v", "StringEqualsPath": "$.w"}', '{"v": "x", "w": "y"}'),
	('{"Variable": "$.v", "StringEqualsPath": "$.w"}', '{"v": "1", "w": 1}'),
	('{"Variable": "$.v", "StringGreaterThanPath": "$.w"}', '{"v": "b", "w": "a"}'),
	('{"Variable": "$.v", "StringGreaterThanEqualsPath": "$.w"}', '{"v": "a", "w": "a"}'),
	('{"Variable": "$.v", "StringLessThanPath": "$.w"}', '{"v": "b", "w": "a"}'),
	('{"Variable": "$.v", "StringLessThanEqualsPath": "$.w"}', '{"v": "a", "w": "a"}'),
	-- StringMatches: only "*" is special; "\\*" is a literal star, "\\\\" a backslash
	('{"Variable": "$.v", "StringMatches": "log-*.txt"}', '{"v": "log-2021.txt"}'),
	('{"Variable": "$.v", "StringMatches": "log-*.txt"}', '{"v": "log-.txt"}'),
	('{"Variable": "$.v", "StringMatches": "log-*.txt"}', '{"v": "log-a.txt.bak"}'),
	('{"Variable": "$.v", "StringMatches": "log-*.txt"}', '{"v": "LOG-a.txt"}'),
	('{"Variable": "$.v", "StringMatches": "*"}', '{"v": ""}'),
	('{"Variable": "$.v", "StringMatches": "*@example.com"}', '{"v": "jane@example.com"}'),
	('{"Variable": "$.v", "StringMatches": "a*b*c"}', '{"v": "aXXbYYc"}'),
	('{"Variable": "$.v", "StringMatches": "a*b*c"}', '{"v": "aXXcYYb"}'),
	('{"Variable": "$.v", "StringMatches": "a?c.d"}', '{"v": "a?c.d"}'),
	('{"Variable": "$.v", "StringMatches": "a?c.d"}', '{"v": "abcxd"}'),
	('{"Variable": "$.v", "StringMatches": "a\\*b"}', '{"v": "a*b"}'),
	('{"Variable": "$.v", "StringMatches": "a\\*b"}', '{"v": "axb"}'),
	('{"Variable": "$.v", "StringMatches": "a\\\\*"}', '{"v": "a\\xyz"}'),
	('{"Variable": "$.v", "StringMatches": "*"}', '{"v": 5}'),
	-- Numeric comparisons
	('{"Variable": "$.v", "NumericEquals": 1}', '{"v": 1}'),
	('{"Variable": "$.v", "NumericEquals": 1}', '{"v": 1.0}'),
	('{"Variable": "$.v", "NumericEquals": 1}', '{"v": 1.5}'),
	('{"Variable": "$.v", "NumericEquals": 1}', '{"v": "1"}'),
	('{"Variable": "$.v", "NumericEquals": 0}', '{"v": -0}'),
	('{"Variable": "$.v", "NumericEquals": 100}', '{"v": 1e2}'),
	('{"Variable": "$.v", "NumericGreaterThan": 0}', '{"v": 0.001}'),
	('{"Variable": "$.v", "NumericGreaterThan": 0}', '{"v": 0}'),
	('{"Variable": "$.v", "NumericGreaterThanEquals": 20}', '{"v": 20}'),
	('{"Variable": "$.v", "NumericGreaterThanEquals": 20}', '{"v": 19.999}'),
	('{"Variable": "$.v", "NumericLessThan": 30}', '{"v": -30}'),
	('{"Variable": "$.v", "NumericLessThan": 30}', '{"v": 30}'),
	('{"Variable": "$.v", "NumericLessThanEquals": 30}', '{"v": 30}'),
	('{"Variable": "$.v", "NumericLessThanEquals": 30}', '{"v": 30.5}'),
	('{"Variable": "$.v", "NumericLessThan": 30}', '{"v": null}'),
	('{"Variable": "$.v", "NumericEqualsPath": "$.w"}', '{"v": 3, "w": 3.0}'),
	('{"Variable": "$.v", "NumericEqualsPath": "$.w"}', '{"v": 3, "w": "3"}'),
	('{"Variable": "$.v", "NumericGreaterThanPath": "$.w"}', '{"v": 4, "w": 3}'),
	('{"Variable": "$.v", "NumericGreaterThanEqualsPath": "$.w"}', '{"v": 3, "w": 3}'),
	('{"Variable": "$.v", "NumericLessThanPath": "$.w"}', '{"v": 4, "w": 3}'),
	('{"Variable": "$.v", "NumericLessThanEqualsPath": "$.w"}', '{"v": 3, "w": 3}'),
	-- Boolean comparisons
	('{"Variable": "$.v", "BooleanEquals": true}', '{"v": true}'),
	('{"Variable": "$.v", "BooleanEquals": true}', '{"v": false}'),
	('{"Variable": "$.v", "BooleanEquals": false}', '{"v": false}'),
	('{"Variable": "$.v", "BooleanEquals": true}', '{"v": "true"}'),
	('{"Variable": "$.v", "BooleanEquals": false}', '{"v": 0}'),
	('{"Variable": "$.v", "BooleanEqualsPath": "$.w"}', '{"v": false, "w": false}'),
	('{"Variable": "$.v", "BooleanEqualsPath": "$.w"}', '{"v": true, "w": false}'),
	-- Timestamp comparisons
	('{"Variable": "$.v", "TimestampEquals": "2001-01-01T12:00:00Z"}', '{"v": "2001-01-01T12:00:00Z"}'),
	('{"Variable": "$.v", "TimestampEquals": "2001-01-01T12:00:00Z"}', '{"v": "2001-01-01T12:00:01Z"}'),
	('{"Variable": "$.v", "TimestampEquals": "2001-01-01T12:00:00Z"}', '{"v": "not a timestamp"}'),
	('{"Variable": "$.v", "TimestampEquals": "2001-01-01T12:00:00Z"}', '{"v": 978350400}'),
	('{"Variable": "$.v", "TimestampGreaterThan": "2016-08-18T17:33:00Z"}', '{"v": "2016-08-18T17:33:00.5Z"}'),
	('{"Variable": "$.v", "TimestampGreaterThan": "2016-08-18T17:33:00Z"}', '{"v": "2016-08-18T17:33:00Z"}'),
	('{"Variable": "$.v", "TimestampGreaterThanEquals": "2016-08-18T17:33:00Z"}', '{"v": "2016-08-18T17:33:00Z"}'),
	('{"Variable": "$.v", "TimestampLessThan": "2016-08-18T17:33:00Z"}', '{"v": "2015-12-31T23:59:59Z"}'),
	('{"Variable": "$.v", "TimestampLessThan": "2016-08-18T17:33:00Z"}', '{"v": "2017-01-01T00:00:00Z"}'),
	('{"Variable": "$.v", "TimestampLessThanEquals": "2016-08-18T17:33:00Z"}', '{"v": "2016-08-18T17:33:00Z"}'),
	('{"Variable": "$.v", "TimestampEqualsPath": "$.w"}', '{"v": "2020-02-29T00:00:00Z", "w": "2020-02-29T00:00:00Z"}'),
	('{"Variable": "$.v", "TimestampGreaterThanPath": "$.w"}', '{"v": "2020-03-01T00:00:00Z", "w": "2020-02-29T00:00:00Z"}'),
	('{"Variable": "$.v", "TimestampGreaterThanEqualsPath": "$.w"}', '{"v": "2020-02-29T00:00:00Z", "w": "2020-02-29T00:00:00Z"}'),
	('{"Variable": "$.v", "TimestampLessThanPath": "$.w"}', '{"v": "2020-03-01T00:00:00Z", "w": "2020-02-29T00:00:00Z"}'),
	('{"Variable": "$.v", "TimestampLessThanEqualsPath": "$.w"}', '{"v": "2020-02-29T00:00:00Z", "w": "2020-02-29T00:00:00Z"}'),
	-- A timestamp is also a string
	('{"Variable": "$.v", "StringEquals": "2001-01-01T12:00:00Z"}', '{"v": "2001-01-01T12:00:00Z"}'),
	-- Type tests
	('{"Variable": "$.v", "IsNull": true}', '{"v": null}'),
	('{"Variable": "$.v", "IsNull": true}', '{"v": "null"}'),
	('{"Variable": "$.v", "IsNull": false}', '{"v": 0}'),
	('{"Variable": "$.v", "IsPresent": true}', '{"v": null}'),
	('{"Variable": "$.v", "IsPresent": true}', '{"w": 1}'),
	('{"Variable": "$.v", "IsPresent": false}', '{"w": 1}'),
	('{"Variable": "$.v.deep[3]", "IsPresent": false}', '{"v": {"deep": [1]}}'),
	('{"Variable": "$.v", "IsNumeric": true}', '{"v": -1.5e3}'),
	('{"Variable": "$.v", "IsNumeric": true}', '{"v": "1"}'),
	('{"Variable": "$.v", "IsNumeric": false}', '{"v": "1"}'),
	('{"Variable": "$.v", "IsString": true}', '{"v": ""}'),
	('{"Variable": "$.v", "IsString": true}', '{"v": null}'),
	('{"Variable": "$.v", "IsBoolean": true}', '{"v": false}'),
	('{"Variable": "$.v", "IsBoolean": true}', '{"v": "false"}'),
	('{"Variable": "$.v", "IsTimestamp": true}', '{"v": "2016-08-18T17:33:00Z"}'),
	('{"Variable": "$.v", "IsTimestamp": true}', '{"v": "2016-08-18"}'),
	('{"Variable": "$.v", "IsTimestamp": true}', '{"v": 1471541580}'),
	('{"Variable": "$.v", "IsTimestamp": false}', '{"v": "yesterday"}'),
	-- Paths into arrays, nested objects and the Context object
	('{"Variable": "$.a[1].b", "NumericEquals": 2}', '{"a": [{"b": 1}, {"b": 2}]}'),
	('{"Variable": "$[''key with space'']", "StringEquals": "ok"}', '{"key with space": "ok"}'),
	('{"Variable": "$$.Execution.Input.v", "StringEquals": "ctx"}', '{"v": "ctx"}'),
	('{"Variable": "$$.State.Name", "StringEquals": "C"}', '{}'),
	('{"Variable": "$.v", "StringEqualsPath": "$$.Execution.Name"}', '{"v": "e"}'),
	-- And / Or / Not, nested
	('{"And": [{"Variable": "$.v", "NumericGreaterThanEquals": 20}, {"Variable": "$.v", "NumericLessThan": 30}]}', '{"v": 22}'),
	('{"And": [{"Variable": "$.v", "NumericGreaterThanEquals": 20}, {"Variable": "$.v", "NumericLessThan": 30}]}', '{"v": 30}'),
	('{"Or": [{"Variable": "$.v", "StringEquals": "a"}, {"Variable": "$.v", "StringEquals": "b"}]}', '{"v": "b"}'),
	('{"Or": [{"Variable": "$.v", "StringEquals": "a"}, {"Variable": "$.v", "StringEquals": "b"}]}', '{"v": "c"}'),
	('{"Not": {"Variable": "$.type", "StringEquals": "Private"}}', '{"type": "Public"}'),
	('{"Not": {"Variable": "$.type", "StringEquals": "Private"}}', '{"type": "Private"}'),
	('{"Not": {"Not": {"Variable": "$.v", "BooleanEquals": true}}}', '{"v": true}'),
	('{"And": [{"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.a", "NumericLessThan": 0}]}, {"Not": {"And": [{"Variable": "$.b", "IsPresent": true}, {"Variable": "$.b", "StringMatches": "x*"}]}}]}', '{"a": -1, "b": "yes"}'),
	('{"And": [{"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.a", "NumericLessThan": 0}]}, {"Not": {"And": [{"Variable": "$.b", "IsPresent": true}, {"Variable": "$.b", "StringMatches": "x*"}]}}]}', '{"a": null, "b": "xyz"}'),
	('{"And": [{"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.a", "NumericLessThan": 0}]}, {"Not": {"And": [{"Variable": "$.b", "IsPresent": true}, {"Variable": "$.b", "StringMatches": "x*"}]}}]}', '{"a": 5}'),
	-- The documented guard: IsPresent before StringEquals (And stops early)
	('{"And": [{"Variable": "$.keyThatMightNotExist", "IsPresent": true}, {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"}]}', '{}'),
	('{"And": [{"Variable": "$.keyThatMightNotExist", "IsPresent": true}, {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"}]}', '{"keyThatMightNotExist": "foo"}'),
	('{"Or": [{"Variable": "$.v", "IsPresent": false}, {"Variable": "$.v", "NumericEquals": 1}]}', '{}'),
	-- A Variable that does not resolve fails the execution (States.Runtime),
	-- also when a later rule or the Default would have matched
	('{"Variable": "$.missing", "StringEquals": "x"}', '{"v": 1}'),
	('{"Variable": "$.missing", "IsNull": false}', '{"v": 1}'),
	('{"Not": {"Variable": "$.missing", "NumericEquals": 1}}', '{"v": 1}');

CREATE PROCEDURE pg_temp.run_op_cases()
LANGUAGE plpgsql AS $$
DECLARE
	c record;
	deadline timestamptz := clock_timestamp() + interval '20 s';
BEGIN
	FOR c IN SELECT * FROM op_cases ORDER BY n LOOP
		PERFORM sfn_create_state_machine(format('choice-op-%s', c.n), jsonb_build_object(
			'StartAt', 'C',
			'States', jsonb_build_object(
				'C', jsonb_build_object('Type', 'Choice',
					'Choices', jsonb_build_array(c.rule || '{"Next": "Yes"}'),
					'Default', 'No'),
				'Yes', '{"Type": "Pass", "Result": "yes", "End": true}'::jsonb,
				'No', '{"Type": "Pass", "Result": "no", "End": true}'::jsonb)));
		PERFORM sfn_start_execution(format('choice-op-%s', c.n), c.input, 'e');
	END LOOP;
	COMMIT;
	WHILE EXISTS (SELECT 1 FROM op_cases
			WHERE sfn_describe_execution(pg_temp.arn(format('choice-op-%s', n), 'e'))->>'status' = 'RUNNING')
		AND clock_timestamp() < deadline LOOP
		PERFORM pg_sleep(0.02);
	END LOOP;
END $$;
CALL pg_temp.run_op_cases();
SELECT n, rule::text, input::text,
	coalesce(o.output #>> '{}', o.error) AS result
FROM op_cases, pg_temp.outcome(format('choice-op-%s', n), 'e') o
ORDER BY n;
-- The causes of the failed ones
SELECT n, o.cause
FROM op_cases, pg_temp.outcome(format('choice-op-%s', n), 'e') o
WHERE o.status <> 'SUCCEEDED' ORDER BY n;

--
-- "Choice workflow state": the documented example, with Pass states in place
-- of the Task states.  The input {"type": "Private", "value": 22} goes to
-- ValueInTwenties; no match goes to the Default, a Fail with Cause "No Matches!".
--
SELECT sfn_create_state_machine('choice-doc', $j$
{"StartAt": "ChoiceStateX", "States": {
  "ChoiceStateX": {"Type": "Choice",
    "Choices": [
      {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
      {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
      {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20},
               {"Variable": "$.value", "NumericLessThan": 30}],
       "Next": "ValueInTwenties"}],
    "Default": "DefaultState"},
  "Public": {"Type": "Pass", "Result": "Public", "ResultPath": "$.went", "Next": "NextState"},
  "ValueIsZero": {"Type": "Pass", "Result": "ValueIsZero", "ResultPath": "$.went", "Next": "NextState"},
  "ValueInTwenties": {"Type": "Pass", "Result": "ValueInTwenties", "ResultPath": "$.went", "Next": "NextState"},
  "NextState": {"Type": "Succeed"},
  "DefaultState": {"Type": "Fail", "Cause": "No Matches!"}}}
$j$);
CALL pg_temp.run('choice-doc', '{"type": "Private", "value": 22}', 'twenties');
SELECT * FROM pg_temp.outcome('choice-doc', 'twenties');
SELECT * FROM pg_temp.events('choice-doc', 'twenties');
-- The Choice's Exited event carries its input as output.
SELECT type, details->>'name' AS name, details->>'input' AS input, details->>'output' AS output
FROM sfn_get_execution_history(pg_temp.arn('choice-doc', 'twenties'))
WHERE type LIKE 'Choice%' ORDER BY id;
CALL pg_temp.run('choice-doc', '{"type": "Public", "value": 22}', 'public');
SELECT * FROM pg_temp.outcome('choice-doc', 'public');
CALL pg_temp.run('choice-doc', '{"type": "Private", "value": 0}', 'zero');
SELECT * FROM pg_temp.outcome('choice-doc', 'zero');
-- Default: the Fail has a Cause and no Error.
CALL pg_temp.run('choice-doc', '{"type": "Private", "value": 5}', 'default');
SELECT * FROM pg_temp.outcome('choice-doc', 'default');
SELECT * FROM pg_temp.events('choice-doc', 'default');
SELECT sfn_describe_execution(pg_temp.arn('choice-doc', 'default')) ? 'error' AS has_error;
-- "If the state input doesn't contain the $.type field, the execution fails":
-- States.Runtime, no ChoiceStateExited, and the Default is not taken.
CALL pg_temp.run('choice-doc', '{"value": 22}', 'no-type');
SELECT * FROM pg_temp.outcome('choice-doc', 'no-type');
SELECT * FROM pg_temp.events('choice-doc', 'no-type');

--
-- No rule matches and there is no Default: States.NoChoiceMatched, no
-- ChoiceStateExited, ExecutionFailed pointing at the ChoiceStateEntered.
--
SELECT sfn_create_state_machine('choice-nomatch', $j$
{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Decide"},
  "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericEquals": 1, "Next": "Done"}]},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('choice-nomatch', '{"v": 1}', 'match');
SELECT * FROM pg_temp.outcome('choice-nomatch', 'match');
SELECT * FROM pg_temp.events('choice-nomatch', 'match');
CALL pg_temp.run('choice-nomatch', '{"v": 2}', 'nomatch');
SELECT status, output, error FROM pg_temp.outcome('choice-nomatch', 'nomatch');
SELECT * FROM pg_temp.events('choice-nomatch', 'nomatch');

--
-- The first matching rule wins, in order; the Choice loops back (a counter
-- kept with a Pass and States.MathAdd).
--
SELECT sfn_create_state_machine('choice-loop', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
  "Check": {"Type": "Choice",
    "Choices": [
      {"Variable": "$.i", "NumericGreaterThanEquals": 3, "Next": "Done"},
      {"Variable": "$.i", "NumericGreaterThanEquals": 0, "Next": "Inc"},
      {"Variable": "$.i", "NumericGreaterThanEquals": 3, "Next": "Never"}]},
  "Inc": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.i, 1)"}, "ResultPath": "$.tmp", "OutputPath": "$.tmp.v", "Next": "Store"},
  "Store": {"Type": "Pass", "Parameters": {"i.$": "$"}, "Next": "Check"},
  "Never": {"Type": "Fail", "Error": "Never"},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('choice-loop', '{}', 'e1');
SELECT * FROM pg_temp.outcome('choice-loop', 'e1');
SELECT count(*) FILTER (WHERE type = 'ChoiceStateEntered') AS choices_entered,
       count(*) FILTER (WHERE type = 'ChoiceStateExited') AS choices_exited,
       count(*) AS events
FROM sfn_get_execution_history(pg_temp.arn('choice-loop', 'e1'));

--
-- InputPath and OutputPath on a Choice: the rules see the InputPath
-- selection, and the OutputPath filters what the next state gets.
--
SELECT sfn_create_state_machine('choice-paths', $j$
{"StartAt": "C", "States": {
  "C": {"Type": "Choice", "InputPath": "$.order", "OutputPath": "$.items",
    "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big"}],
    "Default": "Small"},
  "Big": {"Type": "Pass", "Parameters": {"size": "big", "items.$": "$"}, "End": true},
  "Small": {"Type": "Pass", "Parameters": {"size": "small", "items.$": "$"}, "End": true}}}
$j$);
CALL pg_temp.run('choice-paths', '{"order": {"total": 150, "items": ["a", "b"]}, "other": 1}', 'big');
SELECT * FROM pg_temp.outcome('choice-paths', 'big');
SELECT type, details->>'input' AS input, details->>'output' AS output
FROM sfn_get_execution_history(pg_temp.arn('choice-paths', 'big'))
WHERE type LIKE 'Choice%' ORDER BY id;
CALL pg_temp.run('choice-paths', '{"order": {"total": 5, "items": []}}', 'small');
SELECT * FROM pg_temp.outcome('choice-paths', 'small');
-- The InputPath does not resolve.
CALL pg_temp.run('choice-paths', '{"total": 5}', 'no-order');
SELECT * FROM pg_temp.outcome('choice-paths', 'no-order');

--
-- The same numeric rule, run by many executions of one state machine side by
-- side: every one must take the same branch.
--
SELECT sfn_create_state_machine('choice-repeat', $j$
{"StartAt": "C", "States": {
  "C": {"Type": "Choice",
    "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big"}],
    "Default": "Small"},
  "Big": {"Type": "Pass", "Result": "big", "End": true},
  "Small": {"Type": "Pass", "Result": "small", "End": true}}}
$j$);
SELECT count(sfn_start_execution('choice-repeat', jsonb_build_object('total', 5), 'e' || g)) AS started
FROM generate_series(1, 30) g;
SELECT count(*) AS finished FROM generate_series(1, 30) g
WHERE sfn.wait_execution(pg_temp.arn('choice-repeat', 'e' || g)) = 'SUCCEEDED';
SELECT o.output, count(*) FROM generate_series(1, 30) g, pg_temp.outcome('choice-repeat', 'e' || g) o
GROUP BY 1 ORDER BY 1;
