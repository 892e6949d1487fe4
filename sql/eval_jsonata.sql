--
-- eval_jsonata: the JSONata evaluator through sfn.jsonata_eval.
--
-- The language itself is covered by the JSONata project's own suite
-- (test/tap/070_jsonata_suite.pl); this file covers what that suite does
-- not: AWS Step Functions' additions and omissions, bindings, errors with
-- their codes and positions, and hostile expressions that must end with an
-- error (never a crash or a runaway backend).  Expected values of standard
-- JSONata were checked against jsonata-js 2.0.6.
--
\set VERBOSITY default
\set SHOW_CONTEXT never

\i sql/include/fails.sql

-- ===================================================================
-- Values in and out
-- ===================================================================

-- Numbers are IEEE doubles; integers print without a decimal point.
SELECT sfn.jsonata_eval('1 + 2'), sfn.jsonata_eval('7 / 2'), sfn.jsonata_eval('0.1 + 0.2'),
       sfn.jsonata_eval('2 * 1e21'), sfn.jsonata_eval('$string(1e21)'), sfn.jsonata_eval('$string(22/7)');
-- Undefined is SQL NULL; JSON null is JSON null.
SELECT sfn.jsonata_eval('nothing', '{"a":1}') IS NULL AS undefined,
       sfn.jsonata_eval('a', '{"a":null}') AS json_null;
-- No input at all: paths are undefined, literals still evaluate.
SELECT sfn.jsonata_eval('a') IS NULL AS undefined, sfn.jsonata_eval('"x" & 1');
-- A path over an input array, predicates, order-by and grouping.
SELECT sfn.jsonata_eval('items[price > 10].name', '{"items":[{"name":"a","price":5},{"name":"b","price":15},{"name":"c","price":25}]}');
SELECT sfn.jsonata_eval('items^(>price).name', '{"items":[{"name":"a","price":5},{"name":"b","price":15}]}');
SELECT sfn.jsonata_eval('items{kind: $sum(price)}', '{"items":[{"kind":"x","price":5},{"kind":"y","price":15},{"kind":"x","price":1}]}');
SELECT sfn.jsonata_eval('$', '[1,2,3]'), sfn.jsonata_eval('$[1]', '[1,2,3]');
-- The text variant keeps the order of keys (jsonb sorts them).
SELECT sfn.jsonata_eval_text('$keys($)', '{"b":1,"a":2}'), sfn.jsonata_eval('$keys($)', '{"b":1,"a":2}');

-- ===================================================================
-- Bindings: $states and user variables
-- ===================================================================

SELECT sfn.jsonata_eval('$states.input.n * $factor', NULL, '{"states":{"input":{"n":21}},"factor":2}');
SELECT sfn.jsonata_eval('$x', NULL, '{"x":null}') AS json_null, sfn.jsonata_eval('$y', NULL, '{"x":1}') IS NULL AS unbound;
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('1', NULL, '[1]')$$);

-- ===================================================================
-- AWS additions
-- ===================================================================

-- $partition: chunks of the given size, the last one shorter.
SELECT sfn.jsonata_eval('$partition([1,2,3,4,5,6,7,8,9], 3)'), sfn.jsonata_eval('$partition([1,2,3,4,5], 2)');
-- $range: start to end inclusive by step; a negative step counts down.
SELECT sfn.jsonata_eval('$range(0, 10, 2)'), sfn.jsonata_eval('$range(5, 1, -2)'), sfn.jsonata_eval('$range(1, 3)');
-- $hash: hex digests (RFC test vectors of "abc").
SELECT sfn.jsonata_eval('$hash("abc", "MD5")') AS md5, sfn.jsonata_eval('$hash("abc", "SHA-1")') AS sha1;
SELECT sfn.jsonata_eval('$hash("abc", "SHA-256")') AS sha256;
SELECT length(sfn.jsonata_eval('$hash("abc", "SHA-384")') #>> '{}') AS sha384_hex,
       length(sfn.jsonata_eval('$hash("abc", "SHA-512")') #>> '{}') AS sha512_hex;
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$hash("abc", "SHA-3")')$$);
-- $random: in [0, 1); with a seed, the same number every time.
SELECT (sfn.jsonata_eval('$random()')::float8 BETWEEN 0 AND 1) AS in_range,
       sfn.jsonata_eval('$random(42)') = sfn.jsonata_eval('$random(42)') AS seeded_repeats,
       sfn.jsonata_eval('$random(42)') <> sfn.jsonata_eval('$random(43)') AS seeds_differ;
-- $uuid: version 4.
SELECT sfn.jsonata_eval('$uuid()') #>> '{}' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS uuid_v4;
-- $parse: JSON text to a value (AWS's replacement for $eval).
SELECT sfn.jsonata_eval('$parse(s).a[1]', '{"s":"{\"a\":[1,{\"b\":2}]}"}'), sfn.jsonata_eval('$parse("[1, 2.5, null]")');
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$parse("{oops")')$$);
-- $eval is not available in Step Functions.
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$eval("1+1")')$$);
-- $now and $millis: the transaction's start, as ISO 8601 and milliseconds.
SELECT sfn.jsonata_eval('$now()') #>> '{}' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS iso,
       sfn.jsonata_eval('$toMillis($now()) = $millis()') AS consistent;
SELECT sfn.jsonata_eval('$fromMillis(1510067557121)'), sfn.jsonata_eval('$toMillis("2017-11-07T15:12:37.121Z")');
SELECT sfn.jsonata_eval('$fromMillis(1521801216617, "[FNn], [D1o] [MNn] [Y] [h]:[m01] [P]", "-0500")');

-- ===================================================================
-- Regular expressions (JavaScript syntax on PostgreSQL's engine)
-- ===================================================================

SELECT sfn.jsonata_eval('$match("ababbabbcc", /a(b+)/)');
SELECT sfn.jsonata_eval('$replace("John Smith", /(\w+)\s(\w+)/, "$2, $1")'),
       sfn.jsonata_eval('$split("a1b22c333d", /[0-9]+/)'),
       sfn.jsonata_eval('$contains("Hello", /^h/i)');
-- \b is a word boundary; "." does not match a line break.
SELECT sfn.jsonata_eval('$replace("cat concat cat", /\bcat\b/, "dog")'),
       sfn.jsonata_eval('$contains("a\nb", /a.b/)'), sfn.jsonata_eval('$contains("a\nb", /a\sb/)');
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$match("aaa", /a*?/)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('/(unclosed/')$$);

-- ===================================================================
-- Errors: JSONata's codes, positions and messages
-- ===================================================================

-- Syntax errors (found when compiling), with the character position.
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('1 +')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('a.b]')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('"unterminated')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('($x := 1; 2 := 3)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('a ! b')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('%.a')$$);
-- Runtime errors: States.QueryEvaluationError (SQLSTATE SF020).
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('"a" + 1')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('1 < "a"')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$sum("a")')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$substring("abc", "x")')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('sum(1)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('sum(1)', '{"sum":1}')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('{"a": 1, "a": 2}')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('{1: 2}')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$error("custom message")')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$assert(1 = 2, "not equal")')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('1/0')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$number("12a")')$$);

-- Undefined arguments where a function needs a value (found by mutating
-- the suite's expressions; these crashed an early build).
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$replace("abc", /b/, nothing)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$split("abc", nothing)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$range(1, nothing)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$formatNumber(1, nothing)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$assert(nothing)')$$);
SELECT sfn.jsonata_eval('$substring("abc", nothing)'), sfn.jsonata_eval('$lookup({"a":1}, nothing)') IS NULL AS undefined;
-- A grouping over an empty tuple stream.
SELECT sfn.jsonata_eval('x@$e{ "a": 1 }', '{}'), sfn.jsonata_eval('x#$i{ "a": $i }', '{}');

-- ===================================================================
-- Hostile expressions end with an error
-- ===================================================================

-- Unbounded recursion: the depth limit or the stack check, whichever
-- comes first (U1001; where it stops depends on the build's stack frames).
SELECT regexp_replace(pg_temp.fails($$SELECT sfn.jsonata_eval('($f := function($n){ $n + $f($n + 1) }; $f(1))')$$),
                      'at position \d+', 'at position N');
-- With a lower depth limit, where it stops is exact.
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval_text('($f := function($n){ $n + $f($n + 1) }; $f(1))', NULL, NULL, 100)$$);
-- An endless tail-recursive loop does not grow the stack: the step budget.
SET pg_sfn.eval_step_limit = 100000;
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('($f := function(){ $f() }; $f())')$$);
RESET pg_sfn.eval_step_limit;
-- Ranges: over 10,000,000 items is JSONata's own error; below that the
-- evaluation budget decides (a step per item).
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('[1..100000000]')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$count([1..9999999])')$$);
SELECT sfn.jsonata_eval('$count([1..100000])');
-- Strings that would outgrow the memory budget.
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('$pad("x", 1000000000)')$$);
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $length($s("ab", 40)))')$$);
-- Deeply nested expressions are refused by the parser, not by a crash.
SELECT pg_temp.fails(format($$SELECT sfn.jsonata_eval(%L)$$, repeat('(', 5000) || '1' || repeat(')', 5000)));
SELECT pg_temp.fails(format($$SELECT sfn.jsonata_eval(%L)$$, repeat('-', 5000) || '1'));
-- Quadratic work: a self-join of 3,000 items runs into the step budget.
SET pg_sfn.eval_step_limit = 1000000;
SELECT pg_temp.fails($$SELECT sfn.jsonata_eval('[1..3000].(($x := $); [1..3000][$ = $x])')$$);
RESET pg_sfn.eval_step_limit;
