-- Intrinsics as executions recorded on AWS answer them, where that differs
-- from AWS's documentation or other emulators (AWS's Java implementation is
-- the reference).
\set SHOW_CONTEXT never
\i sql/include/fails.sql

-- States.MathAdd: a number that is not an integer is rounded half up, as
-- Java's Math.round does (1.5 -> 2, -1.5 -> -1, 1.49 -> 1), then added.
SELECT sfn.intrinsic_eval('States.MathAdd(1.5, 1)') AS "1.5+1 = 3";
SELECT sfn.intrinsic_eval('States.MathAdd(-1.5, 0)') AS "-1.5+0 = -1";
SELECT sfn.intrinsic_eval('States.MathAdd(1.49, 0)') AS "1.49+0 = 1";
SELECT sfn.intrinsic_eval('States.MathAdd(2.5, -2.5)') AS "3 + -2 = 1";
SELECT sfn.intrinsic_eval('States.MathAdd($.a, $.b)', '{"a": 0.5, "b": -0.5}') AS "1 + 0 = 1";
SELECT sfn.intrinsic_eval('States.MathAdd(-0.51, 0)') AS "-0.51+0 = -1";
-- Still not: strings, and numbers that stay out of range once rounded.
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathAdd(''1.5'', 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathAdd(1e300, 1)') $q$);
-- The same in a running state (TestState runs it through the engine).
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.x, 1)"},"End":true}',
	'{"x": 41.5}') ->> 'output' AS pass_output;

-- States.MathRandom: start, end and seed are rounded the same way.
SELECT sfn.intrinsic_eval('States.MathRandom(0.4, 1.4)') AS "[0, 1) = 0";
SELECT sfn.intrinsic_eval('States.MathRandom(1.5, 2.5)') AS "[2, 3) = 2";
SELECT sfn.intrinsic_eval('States.MathRandom(1, 1000000, 42.4)')
	= sfn.intrinsic_eval('States.MathRandom(1, 1000000, 42)') AS seed_rounded_like_42;
SELECT sfn.intrinsic_eval('States.MathRandom(1, 1000000, 42.5)')
	= sfn.intrinsic_eval('States.MathRandom(1, 1000000, 43)') AS seed_rounded_like_43;
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathRandom(2.5, 2.6)') $q$) AS "3 to 3: empty";

-- States.StringToJson of an empty string, or one of only whitespace, is
-- null.
SELECT sfn.intrinsic_eval('States.StringToJson('''')') AS empty;
SELECT sfn.intrinsic_eval('States.StringToJson(''   '')') AS spaces;
SELECT sfn.intrinsic_eval('States.StringToJson($.s)', '{"s": "\n\t \r"}') AS whitespace;
SELECT sfn.intrinsic_eval('States.StringToJson(''  1 '')') AS padded_number;
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.StringToJson('' x '')') $q$);

-- States.Format renders an object or array argument as Java's
-- Map.toString() / List.toString(): keys and strings unquoted, "=" and
-- ", " separators, nested the same way; integers as integers, other
-- numbers as Java doubles.  (Keys come in jsonb's order.)
SELECT sfn.intrinsic_eval('States.Format(''{}'', $.o)', '{"o": {"Arg1": 1, "Arg2": []}}') AS recorded_example;
SELECT sfn.intrinsic_eval('States.Format(''a={} o={}'', $.a, $.o)',
	'{"a": ["s", 2, true, null, [], {}], "o": {"k": "v", "n": [1, {"x": null}], "e": {}}}') AS nested;
SELECT sfn.intrinsic_eval('States.Format(''{}'', $.n)',
	'{"n": [1.5, 3.0, 100.50, 0.001, 0.0001, 1e20, 12345678.9, -2.25, 9223372036854775807, 0.0]}') AS java_numbers;
SELECT sfn.intrinsic_eval('States.Format(''{}'', $.s)', '{"s": ["with, comma", "a=b", "quote\"d"]}') AS strings_as_they_are;
-- A number past a double's range is rendered as Java's Double.toString
-- renders the double it becomes: Infinity.  (No AWS recording covers this
-- input; it crashed the server once, found by fuzzing.)
SELECT sfn.intrinsic_eval('States.Format(''{}'', $.n)', '{"n": [1e400, -1e400, {"x": 1e400}]}') AS beyond_double;
-- $$ objects are rendered the same way.
SELECT sfn.intrinsic_eval('States.Format(''{}'', $$.Execution)', '{}',
	'{"Execution": {"Name": "run-1", "Input": {"x": 1}}}') AS context_object;
-- Strings, numbers, booleans and null at the top level are as before.
SELECT sfn.intrinsic_eval('States.Format(''{} {} {} {}'', ''s'', 42, true, null)') AS scalars;

-- A context path ($$...) in Parameters that does not resolve: AWS's
-- recorded cause names the state's input, not the context object.
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"value.$":"$$.Execution.Input.x"},"End":true}',
	'{"a": 1}') - 'output' AS context_path_not_found;

-- JSONPath bracket notation: a quoted key is unescaped as AWS's JSONPath
-- (Jayway, Java escapes) does: \" \' \\ \/ stand for the character, \t
-- \n \r \f \b for the control character, \uXXXX for the code point.
SELECT sfn.jsonpath_query($p$$['a\"b']$p$, '{"a\"b": 1}') AS escaped_double_quote;
SELECT sfn.jsonpath_query($p$$['it\'s']$p$, $j${"it's": 2}$j$) AS escaped_single_quote;
SELECT sfn.jsonpath_query($p$$['a\\b']$p$, '{"a\\b": 3}') AS escaped_backslash;
SELECT sfn.jsonpath_query($p$$["d\"q"]$p$, '{"d\"q": 4}') AS double_quoted;
SELECT sfn.jsonpath_query($p$$['sl\/']$p$, '{"sl/": 5}') AS escaped_slash;
SELECT sfn.jsonpath_query($p$$['tab\tx']$p$, '{"tab\tx": 6}') AS escaped_tab;
SELECT sfn.jsonpath_query($p$$['nl\n']$p$, '{"nl\n": 7}') AS escaped_newline;
SELECT sfn.jsonpath_query($p$$['\u0041\u00e9']$p$, '{"Aé": 8}') AS unicode_escapes;
SELECT sfn.jsonpath_query($p$$['\ud83d\ude00']$p$, '{"😀": 9}') AS surrogate_pair;
SELECT sfn.jsonpath_query($p$$['a','b\'c']$p$, $j${"a": 1, "b'c": 2}$j$) AS union_with_escape;
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query($p$$['\u12']$p$, '{}') $q$) AS short_unicode_escape;
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query($p$$['\ud800']$p$, '{}') $q$) AS lone_surrogate;
