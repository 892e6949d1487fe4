--
-- eval_bounds: integer boundaries and evaluation budgets.
--
-- Every integer a definition or an input can carry (indexes, slice bounds
-- and steps, intrinsic arguments, durations) is tried at its extremes, and
-- inputs built to make an evaluator take quadratic time or memory must end
-- with an AWS error naming the limit, never with a crash or a runaway
-- backend.  Timings are not asserted; results and error texts are.
--
\set VERBOSITY default
\set SHOW_CONTEXT never

\i sql/include/fails.sql

-- Status, error and cause of a one-state test run.
CREATE FUNCTION pg_temp.try_state(state text, input jsonb)
RETURNS TABLE (status text, error text, cause text) LANGUAGE sql AS $$
	SELECT r ->> 'status', r ->> 'error', r ->> 'cause'
	FROM sfn_test_state(state::jsonb, input) AS r
$$;

\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- ===================================================================
-- JSONPath slices [from:to:step] (Jayway semantics, as AWS uses)
-- ===================================================================

-- A step near INT64_MAX takes the first index and stops: adding it again
-- must not wrap around to a negative index (this read outside the array).
SELECT sfn.jsonpath_query('$[2:3:9223372036854775806]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[0:3:9223372036854775807]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[1::9223372036854775807]', '["x0","x1","x2"]');
-- The same many times over: every result equal, no stray memory read.
SELECT count(DISTINCT sfn.jsonpath_query('$[2:3:9223372036854775806]', '["x0","x1","x2"]'))
FROM generate_series(1, 2000);
-- Negative steps walk backwards; INT64_MIN as a step takes one item.
SELECT sfn.jsonpath_query('$[::-1]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[::-9223372036854775808]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[2:0:-9223372036854775807]', '["x0","x1","x2"]');
-- Bounds at the int64 extremes clamp to the array.
SELECT sfn.jsonpath_query('$[-9223372036854775808:9223372036854775807]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[9223372036854775807:]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[:-9223372036854775808]', '["x0","x1","x2"]');
SELECT sfn.jsonpath_query('$[9223372036854775807:-9223372036854775808:-1]', '["x0","x1","x2"]');
-- A slice of an empty array, either direction.
SELECT sfn.jsonpath_query('$[0:9223372036854775807:9223372036854775807]', '[]');
SELECT sfn.jsonpath_query('$[::-9223372036854775808]', '[]');
-- Step 0 and numbers past int64 are rejected when the path is parsed.
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$[0:2:0]', '[1,2,3]')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$[0:9223372036854775808]', '[1,2,3]')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$[0:1:-9223372036854775809]', '[1,2,3]')$$);
-- The slice in a Pass state's Parameters (this crashed a worker).
SELECT r ->> 'status', r -> 'output' FROM sfn_test_state(
	'{"Type":"Pass","Parameters":{"s.$":"$.a[2:3:9223372036854775806]"},"End":true}',
	'{"a":["x0","x1","x2"]}') AS r;

-- ===================================================================
-- JSONPath indexes
-- ===================================================================

-- Indexes at the int64 extremes match nothing (a definite path: no value).
SELECT sfn.jsonpath_query('$[9223372036854775807]', '[1,2,3]') IS NULL AS no_match;
SELECT sfn.jsonpath_query('$[-9223372036854775808]', '[1,2,3]') IS NULL AS no_match;
SELECT sfn.jsonpath_query('$[-3]', '[1,2,3]');
SELECT sfn.jsonpath_query('$[-4]', '[1,2,3]') IS NULL AS no_match;
SELECT sfn.jsonpath_query('$[0,-1,9223372036854775807,-9223372036854775808]', '[1,2,3]');
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$[9223372036854775808]', '[1]')$$);
-- ResultPath with huge indexes: past the end is
-- States.ResultPathMatchFailure, not a write outside the array; a negative
-- index is no reference path at all.
SELECT pg_temp.fails($$SELECT sfn.jsonpath_set('$.a[9223372036854775807]', '{"a":[1]}', '2')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonpath_set('$.a[-9223372036854775808]', '{"a":[1]}', '2')$$);

-- ===================================================================
-- States.ArrayRange: AWS returns at most 1000 items
-- ===================================================================

-- end - start and i * step do not fit int64 here; the range has three items.
SELECT sfn.intrinsic_eval('States.ArrayRange(-9e18, 9e18, 9e18)', '{}');
SELECT sfn.intrinsic_eval('States.ArrayRange(-9223372036854775808, 9223372036854775807, 9223372036854775807)', '{}');
SELECT sfn.intrinsic_eval('States.ArrayRange(0, -9223372036854775808, -9223372036854775808)', '{}');
SELECT sfn.intrinsic_eval('States.ArrayRange(9223372036854775807, 9223372036854775807, -1)', '{}');
-- Exactly 1000 items is allowed, 1001 is not, nor a range of 2^64.
SELECT jsonb_array_length(sfn.intrinsic_eval('States.ArrayRange(1, 1000, 1)', '{}'));
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(1, 1001, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(9223372036854775807, -9223372036854775808, -1)', '{}')$$);
-- A step that goes away from the end gives an empty array (AWS: []).
SELECT sfn.intrinsic_eval('States.ArrayRange(5, 1, 1)', '{}');
-- Step 0 and non-integers are errors, as AWS validates them.
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(1, 2, 0)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(1, 9223372036854775808, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(1, 1e30, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayRange(1, 2.5, 1)', '{}')$$);

-- ===================================================================
-- Other intrinsic integers
-- ===================================================================

-- ArrayGetItem: an index outside the array (either end) fails.
SELECT sfn.intrinsic_eval('States.ArrayGetItem($, 2)', '[1,2,3]');
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayGetItem($, 9223372036854775807)', '[1,2,3]')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayGetItem($, -1)', '[1,2,3]')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayGetItem($, -9223372036854775808)', '[1,2,3]')$$);
-- ArrayPartition: a chunk size beyond the array gives one chunk; 0 and
-- negative sizes fail.
SELECT sfn.intrinsic_eval('States.ArrayPartition($, 9223372036854775807)', '[1,2,3]');
SELECT sfn.intrinsic_eval('States.ArrayPartition($, 2)', '[1,2,3]');
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayPartition($, 0)', '[1,2,3]')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.ArrayPartition($, -9223372036854775808)', '[1,2,3]')$$);
-- MathAdd: a sum beyond int64 fails instead of wrapping.
SELECT sfn.intrinsic_eval('States.MathAdd(9223372036854775806, 1)', '{}');
SELECT sfn.intrinsic_eval('States.MathAdd(-9223372036854775808, 9223372036854775807)', '{}');
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathAdd(9223372036854775807, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathAdd(-9223372036854775808, -1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathAdd(1e30, 1)', '{}')$$);
-- NaN and Infinity are no JSON numbers; 1e-20 is rounded half up as AWS
-- does (Math.round: 0), see eval_aws_recorded.
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathAdd(NaN, 1)', '{}')$$);
SELECT sfn.intrinsic_eval('States.MathAdd($.x, 1)', '{"x": 1e-20}') AS rounded_tiny;
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathAdd(-Infinity, 1)', '{}')$$);
-- MathRandom: start and end are Java ints; the seeded draw's bound too.
SELECT (sfn.intrinsic_eval('States.MathRandom(-2147483648, 2147483647)', '{}'))::numeric
       BETWEEN -2147483648 AND 2147483646 AS in_range;
SELECT sfn.intrinsic_eval('States.MathRandom(2147483646, 2147483647, 9223372036854775807)', '{}');
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathRandom(-2147483648, 2147483647, 1)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathRandom(0, 2147483648)', '{}')$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.MathRandom(5, 5)', '{}')$$);
-- StringSplit with an empty delimiter, and a string of delimiters only.
SELECT sfn.intrinsic_eval('States.StringSplit($, '''')', '"a,b"');
SELECT sfn.intrinsic_eval('States.StringSplit($, '','')', '",,,,"');
-- A long string and a long list of one-byte delimiters: a table lookup
-- per character.  Multibyte delimiters are searched for each multibyte
-- character: that is O(n * m), and stops at the step limit.
SELECT jsonb_array_length(sfn.intrinsic_eval('States.StringSplit($.s, $.d)',
	jsonb_build_object('s', repeat('ab', 100000), 'd', repeat('xyzb', 50000))));
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.StringSplit($.s, $.d)',
	jsonb_build_object('s', repeat('é', 100000), 'd', repeat('ü', 100000)))$$);
SELECT sfn.intrinsic_eval('States.StringSplit($.s, $.d)',
	jsonb_build_object('s', 'aéb€cüd', 'd', 'x€é'));
SELECT jsonb_array_length(sfn.intrinsic_eval('States.StringSplit($.s, $.d)',
	jsonb_build_object('s', repeat('a,', 100000), 'd', ',;')));
-- Base64: AWS limits the input to 10000 characters.
SELECT length(sfn.intrinsic_eval('States.Base64Encode($)', to_jsonb(repeat('x', 10000))) #>> '{}');
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.Base64Encode($)', to_jsonb(repeat('x', 10001)))$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.Base64Decode($)', to_jsonb(repeat('QUFB', 2501)))$$);

-- ===================================================================
-- Durations and retries checked at compile time
-- ===================================================================

-- Wait Seconds, TimeoutSeconds, HeartbeatSeconds: AWS accepts at most
-- 99999999; a number beyond int64 or with a fraction is not an integer.
:v('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":99999999,"End":true}}}');
:v('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000000,"End":true}}}');
:v('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1e300,"End":true}}}');
:v('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":-9223372036854775808,"End":true}}}');
:v('{"StartAt":"W","TimeoutSeconds":9223372036854775808,"States":{"W":{"Type":"Pass","End":true}}}');
:v('{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":99999999,"HeartbeatSeconds":1e19,"End":true}}}');
-- Retry: MaxAttempts, IntervalSeconds, MaxDelaySeconds are integers in
-- AWS's ranges; BackoffRate a number >= 1.0 that fits a double.
:v('{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":99999999,"IntervalSeconds":99999999,"BackoffRate":1e308}]}}}');
:v('{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":9223372036854775807,"IntervalSeconds":0,"BackoffRate":1e309,"MaxDelaySeconds":31622401}]}}}');
:v('{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":-1,"IntervalSeconds":1.5,"BackoffRate":0.5}]}}}');

-- ===================================================================
-- Durations at run time
-- ===================================================================

-- SecondsPath: a huge, fractional or negative number fails as AWS does;
-- the due time is never computed from it.
SELECT * FROM pg_temp.try_state('{"Type":"Wait","SecondsPath":"$.s","End":true}', '{"s":9223372036854775807}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","SecondsPath":"$.s","End":true}', '{"s":1e30}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","SecondsPath":"$.s","End":true}', '{"s":1.5}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","SecondsPath":"$.s","End":true}', '{"s":-9223372036854775808}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","SecondsPath":"$.s","End":true}', '{"s":2147483648000}');
-- TimestampPath: far future is too long a wait; far past is already due.
SELECT * FROM pg_temp.try_state('{"Type":"Wait","TimestampPath":"$.t","End":true}', '{"t":"9999-12-31T23:59:59Z"}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","TimestampPath":"$.t","End":true}', '{"t":"0001-01-01T00:00:00+23:59"}');
-- Fraction digits beyond microseconds are dropped, however many.
SELECT * FROM pg_temp.try_state('{"Type":"Wait","TimestampPath":"$.t","End":true}', '{"t":"2016-03-14T01:59:00.99999999999999999999Z"}');

-- A literal Timestamp at either end of the four-digit years: the due time
-- is stored as it is (TestState does not wait); a fifth digit is invalid.
SELECT * FROM pg_temp.try_state('{"Type":"Wait","Timestamp":"9999-12-31T23:59:59.999999-23:59","End":true}', '{}');
SELECT * FROM pg_temp.try_state('{"Type":"Wait","Timestamp":"0000-01-01T00:00:00+23:59","End":true}', '{}');
:v('{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"10000-01-01T00:00:00Z","End":true}}}');

-- ===================================================================
-- Evaluation budget: deep scans over deeply nested input
-- ===================================================================

-- {"a":{"a":...{"a":{"leaf":1}}...}} nested 12,000 levels (about 84 kB).
CREATE TEMP TABLE deep AS
SELECT (repeat('{"a":', 12000) || '{"leaf":1}' || repeat('}', 12000))::jsonb AS doc;
-- The scan itself is linear: a match at the bottom is found.
SELECT sfn.jsonpath_query('$..leaf', doc) FROM deep;
SELECT sfn.jsonpath_query('$..a.leaf', doc) FROM deep;
-- $..a matches every level; each match holds all the ones below, so the
-- result is quadratic in the input (about 4 GB once copied).  It is
-- refused before anything is copied.
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$..a', doc) FROM deep$$);
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$..*', doc) FROM deep$$);
-- A filter running a deep scan on every node is quadratic in time: it
-- stops at the step limit.
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$..[?(@..leaf)]', doc) FROM deep$$);
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$..[?(@..a.leaf == 1)]', doc) FROM deep$$);
-- 200 levels: the same quadratic result is small enough to return.
SELECT jsonb_array_length(sfn.jsonpath_query('$..a',
	(repeat('{"a":', 200) || '1' || repeat('}', 200))::jsonb));
-- At 400 levels the result fits the evaluation's memory but its text
-- (about 480 kB) is over pg_sfn.max_payload_size: States.DataLimitExceeded,
-- found without printing the whole value.
SELECT * FROM pg_temp.try_state('{"Type":"Pass","OutputPath":"$..a","End":true}',
	(repeat('{"a":', 400) || '1' || repeat('}', 400))::jsonb);
-- In a state the limit is a States.Runtime failure of that state.
SELECT status, error, cause FROM deep,
	pg_temp.try_state('{"Type":"Pass","InputPath":"$..a","End":true}', doc);
SELECT status, error, cause FROM deep,
	pg_temp.try_state('{"Type":"Pass","Parameters":{"x.$":"$..a"},"End":true}', doc);
SELECT status, error, cause FROM deep,
	pg_temp.try_state('{"Type":"Pass","Parameters":{"x.$":"$..[?(@..leaf)]"},"End":true}', doc);
SELECT r ->> 'status', r -> 'output' FROM deep,
	sfn_test_state('{"Type":"Pass","Parameters":{"x.$":"$..leaf"},"End":true}', doc) AS r;

-- ===================================================================
-- Evaluation budget: the settings
-- ===================================================================

SELECT name, setting, unit, context FROM pg_settings
WHERE name IN ('pg_sfn.eval_step_limit', 'pg_sfn.eval_memory_limit') ORDER BY name;
-- A lower step limit stops a plain wildcard over a large array.
SET pg_sfn.eval_step_limit = 1000;
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$[*]', (SELECT jsonb_agg(g) FROM generate_series(1, 2000) g))$$);
SELECT jsonb_array_length(sfn.jsonpath_query('$[*]', (SELECT jsonb_agg(g) FROM generate_series(1, 100) g)));
RESET pg_sfn.eval_step_limit;
-- A lower memory limit stops templates, States.Array and States.Format
-- that repeat one large value (each copy is counted).
SET pg_sfn.eval_memory_limit = '1MB';
CREATE TEMP TABLE big AS SELECT jsonb_build_object('s', repeat('x', 100000)) AS doc;
SELECT status, error, cause FROM big,
	pg_temp.try_state('{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s","c.$":"$.s","d.$":"$.s","e.$":"$.s","f.$":"$.s","g.$":"$.s","h.$":"$.s","i.$":"$.s","j.$":"$.s","k.$":"$.s"},"End":true}', doc);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.Array(' || rtrim(repeat('$, ', 20), ', ') || ')', doc) FROM big$$);
SELECT pg_temp.fails($$SELECT sfn.intrinsic_eval('States.Format(''' || repeat('{}', 20) || ''', ' || rtrim(repeat('$.s, ', 20), ', ') || ')', doc) FROM big$$);
-- Under the limit the same things work.
SELECT length(sfn.intrinsic_eval('States.Format(''{}{}'', $.s, $.s)', doc) #>> '{}') FROM big;
RESET pg_sfn.eval_memory_limit;
SELECT pg_temp.fails('SET pg_sfn.eval_step_limit = 999');
SELECT pg_temp.fails('SET pg_sfn.eval_memory_limit = ''512kB''');

-- ===================================================================
-- StringMatches: backtracking is O(n * m), bounded by the step limit
-- ===================================================================

CREATE TEMP TABLE hostile AS SELECT jsonb_build_object('s', repeat('a', 200000)) AS doc;
-- "*aaa...ab" against "aaa...a": every start position matches 2,000
-- characters before failing at the "b".
SELECT status, error, cause FROM hostile,
	pg_temp.try_state('{"Type":"Choice","Choices":[{"Variable":"$.s","StringMatches":"*' || repeat('a', 2000) || 'b","Next":"X"}],"Default":"Y"}', doc);
-- Patterns that do not backtrack much answer normally.
SELECT r ->> 'nextState' FROM hostile,
	sfn_test_state('{"Type":"Choice","Choices":[{"Variable":"$.s","StringMatches":"*a*a*a","Next":"X"}],"Default":"Y"}', doc) AS r;
SELECT r ->> 'nextState' FROM hostile,
	sfn_test_state('{"Type":"Choice","Choices":[{"Variable":"$.s","StringMatches":"a*b","Next":"X"}],"Default":"Y"}', doc) AS r;

-- ===================================================================
-- ArrayUnique: O(n log n), first occurrences in input order
-- ===================================================================

-- Equal values are equal whatever their form: 1 and 1.0, objects with
-- their members in another order.  Arrays keep their order.
SELECT sfn.intrinsic_eval('States.ArrayUnique($)',
	'[3, 1, 3, 2, 1, 1.0, {"a":1,"b":2}, {"b":2,"a":1}, [1,2], [2,1], [1,2], "1", null, null, true, false, true, {}, []]');
SELECT sfn.intrinsic_eval('States.ArrayUnique($)', '[]');
-- 100,000 items with 1,000 distinct values, in first-occurrence order.
SELECT jsonb_array_length(u), u -> 0, u -> 999
FROM (SELECT sfn.intrinsic_eval('States.ArrayUnique($)',
	(SELECT jsonb_agg((1000 - g % 1000) ORDER BY g) FROM generate_series(1, 100000) g)) AS u) s;
-- 100,000 distinct strings stay as they are.
SELECT sfn.intrinsic_eval('States.ArrayUnique($)', j) = j AS unchanged
FROM (SELECT jsonb_agg('s' || g ORDER BY g) AS j FROM generate_series(1, 100000) g) s;

-- ===================================================================
-- Large objects: members are matched by sorting, not one lookup each
-- ===================================================================

CREATE TEMP TABLE wide AS
SELECT (SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, 50000) g) AS a,
       (SELECT jsonb_object_agg('k' || g, -g) FROM generate_series(25001, 75000) g) AS b;
-- JsonMerge: keys of the second object win; 75,000 keys in all.
SELECT (SELECT count(*) FROM jsonb_object_keys(m)), m -> 'k1', m -> 'k25001', m -> 'k75000'
FROM (SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, false)', jsonb_build_object('a', a, 'b', b)) AS m FROM wide) s;
-- Equality of large objects: ArrayUnique and a filter comparing them.
SELECT sfn.intrinsic_eval('States.ArrayUnique($)', jsonb_build_array(a, b, a, b)) = jsonb_build_array(a, b)
	AS two_left FROM wide;
SELECT sfn.jsonpath_query('$[?(@.x == @.y)].n',
	jsonb_build_array(jsonb_build_object('n', 1, 'x', a, 'y', a), jsonb_build_object('n', 2, 'x', a, 'y', b)))
FROM wide;
-- A filter comparing two deep-scan results on every node of the deep
-- input: the comparisons count against the step limit as well.
SELECT pg_temp.fails($$SELECT sfn.jsonpath_query('$..[?(@..a == @..a)]', doc) FROM deep$$);

-- ===================================================================
-- The compiler on deep templates and long index lists
-- ===================================================================

-- Parameters nested 12,000 levels: locations for diagnostics are one
-- buffer, not a string per level (quadratic memory), and the template
-- evaluates.
SELECT count(*) FROM sfn_validate_state_machine_definition(
	('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":'
	 || repeat('{"a":', 12000) || '{"x.$":"$.y"}' || repeat('}', 12000) || '}}}')::jsonb);
SELECT r ->> 'status', length(r ->> 'output') FROM sfn_test_state(
	('{"Type":"Pass","End":true,"Parameters":'
	 || repeat('{"a":', 12000) || '{"x.$":"$.y"}' || repeat('}', 12000) || '}')::jsonb,
	'{"y":1}') AS r;
-- A diagnostic deep in a template still names its full location.
:v('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"Parameters":{"a":[{"b":[1,{"c.$":"bad"}]}]}}}}');
-- A union of 200,001 indexes parses in linear time.
SELECT sfn.jsonpath_query('$[' || (SELECT string_agg(g::text, ',') FROM generate_series(0, 200000) g) || ']', '[1,2,3]');

-- ===================================================================
-- The same inputs in executions run by the workers
-- ===================================================================

\i sql/include/exec_helpers.sql
-- The slice that crashed a worker; the worker answers, and goes on.
SELECT sfn_create_state_machine('bounds-slice',
	'{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"s.$":"$.a[2:3:9223372036854775806]","r.$":"States.ArrayRange(-9e18, 9e18, 9e18)"},"End":true}}}') IS NOT NULL AS created;
CALL pg_temp.run('bounds-slice', '{"a":["x0","x1","x2"]}', 'e1');
SELECT * FROM pg_temp.outcome('bounds-slice', 'e1');
-- $..a over the 12,000-level input: the state fails with States.Runtime.
SELECT sfn_create_state_machine('bounds-deep',
	'{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$..a","End":true}}}') IS NOT NULL AS created;
SELECT doc AS deep_doc FROM deep \gset
CALL pg_temp.run('bounds-deep', :'deep_doc', 'e1');
SELECT status, error, cause FROM pg_temp.outcome('bounds-deep', 'e1');
SELECT * FROM pg_temp.events('bounds-deep', 'e1');
-- The workers are still there for the next execution.
CALL pg_temp.run('bounds-slice', '{"a":["x0","x1","x2"]}', 'e2');
SELECT status, output FROM pg_temp.outcome('bounds-slice', 'e2');
-- A union of 100,000 names (each looked up once, merged in O(n log n)).
SELECT sfn.jsonpath_query('$[' || (SELECT string_agg('''k' || g || '''', ',') FROM generate_series(1, 100000) g) || ',''k1'']',
	'{"k1": 1, "k99999": 2, "z": 3}');
-- A call with 100,000 string literals: each literal's buffer is its size.
SELECT jsonb_array_length(sfn.intrinsic_eval(
	'States.Array(' || (SELECT string_agg('''a\''b''', ',') FROM generate_series(1, 100000)) || ')', '{}'));
