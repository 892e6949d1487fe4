--
-- eval_intrinsics: ASL intrinsic functions (sfn.intrinsic_eval).
--
\set VERBOSITY default
\set SHOW_CONTEXT never

\i sql/include/fails.sql

--
-- The examples of AWS's "Intrinsic functions" page, with their documented
-- results.
--
SELECT sfn.intrinsic_eval('States.Format(''Hello, my name is {}.'', $.name)',
	'{"name": "Arnav", "template": "Hello, my name is {}."}');
SELECT sfn.intrinsic_eval('States.Format($.template, $.name)',
	'{"name": "Arnav", "template": "Hello, my name is {}."}');
SELECT sfn.intrinsic_eval('States.Format(''Welcome to {} {}\''s playlist.'', $.firstName, $.lastName)',
	'{"firstName": "John", "lastName": "Doe"}');
SELECT sfn.intrinsic_eval('States.StringToJson($.escapedJsonString)',
	'{"escapedJsonString": "{\"foo\": \"bar\"}"}');
SELECT sfn.intrinsic_eval('States.JsonToString($.unescapedJson)',
	'{"unescapedJson": {"foo": "bar"}}');
SELECT sfn.intrinsic_eval('States.Array($.Id)', '{"Id": 123456}');
SELECT sfn.intrinsic_eval('States.ArrayPartition($.inputArray,4)',
	'{"inputArray": [1,2,3,4,5,6,7,8,9]}');
SELECT sfn.intrinsic_eval('States.ArrayContains($.inputArray, $.lookingFor)',
	'{"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5}');
SELECT sfn.intrinsic_eval('States.ArrayRange(1, 9, 2)');
SELECT sfn.intrinsic_eval('States.ArrayGetItem($.inputArray, $.index)',
	'{"inputArray": [1,2,3,4,5,6,7,8,9], "index": 5}');
SELECT sfn.intrinsic_eval('States.ArrayLength($.inputArray)',
	'{"inputArray": [1,2,3,4,5,6,7,8,9]}');
SELECT sfn.intrinsic_eval('States.ArrayUnique($.inputArray)',
	'{"inputArray": [1,2,3,3,3,3,3,3,4]}');
SELECT sfn.intrinsic_eval('States.Base64Encode($.input)', '{"input": "Data to encode"}');
SELECT sfn.intrinsic_eval('States.Base64Decode($.base64)', '{"base64": "RGF0YSB0byBlbmNvZGU="}');
SELECT sfn.intrinsic_eval('States.Hash($.Data, $.Algorithm)',
	'{"Data": "input data", "Algorithm": "SHA-1"}');
SELECT sfn.intrinsic_eval('States.JsonMerge($.json1, $.json2, false)',
	'{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}');
SELECT sfn.intrinsic_eval('States.MathAdd($.value1, $.step)', '{"value1": 111, "step": -1}');
SELECT sfn.intrinsic_eval('States.StringSplit($.inputString, $.splitter)',
	'{"inputString": "1,2,3,4,5", "splitter": ","}');
SELECT sfn.intrinsic_eval('States.StringSplit($.inputString, $.splitter)',
	'{"inputString": "This.is+a,test=string", "splitter": ".+,="}');
-- nine nested calls, as in AWS's nesting example (whose template has one
-- "{}" too many for its two values; AWS's own rule says the counts match)
SELECT sfn.intrinsic_eval('States.Format(''{}.{}'', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, ''/''), 2), ''.''), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, ''/''), 2), ''.''), 1))',
	'{"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.2"}}');

--
-- States.Format
--
SELECT sfn.intrinsic_eval('States.Format(''no placeholders'')');
SELECT sfn.intrinsic_eval('States.Format(''{}'', ''only'')');
SELECT sfn.intrinsic_eval('States.Format(''{}{}'', 1, 2)');
-- scalars are rendered as compact JSON, objects and arrays as Java renders
-- them (AWS's recorded behaviour, see eval_aws_recorded)
SELECT sfn.intrinsic_eval('States.Format(''n={} f={} b={} z={} o={} a={}'', 42, 1.50, true, null, $.o, $.a)',
	'{"o": {"k": "v", "n": [1, {"x": null}]}, "a": ["s", 2]}');
SELECT sfn.intrinsic_eval('States.Format(''{}'', $.s)', '{"s": "quote\" backslash\\ newline\n"}');
-- escapes: \{ \} are literal braces, \' a quote, \\ a backslash
SELECT sfn.intrinsic_eval('States.Format(''\{\} is literal, {} is not'', ''this'')');
SELECT sfn.intrinsic_eval('States.Format(''it\''s {} \\ done'', ''here'')');
SELECT sfn.intrinsic_eval('States.Format(''{ } and {x} are text: {}'', 1)');
-- a template taken from the input has no escapes
SELECT sfn.intrinsic_eval('States.Format($.t, 1)', '{"t": "a\\{}"}');
-- context paths
SELECT sfn.intrinsic_eval('States.Format(''{}/{}'', $$.Execution.Name, $.x)', '{"x": 1}',
	'{"Execution": {"Name": "run-1"}}');
-- whitespace between tokens
SELECT sfn.intrinsic_eval('States.Format (  ''{}-{}''  ,$.a ,  $.b  )  ', '{"a": 1, "b": 2}');
-- paths with brackets, unions and filters as arguments
SELECT sfn.intrinsic_eval('States.Format(''{}'', $[''a,b''])', '{"a,b": "comma key"}');
SELECT sfn.intrinsic_eval('States.Array($.l[0,2], $.l[?(@ > 1)])', '{"l": [1, 2, 3]}');
SELECT sfn.intrinsic_eval('States.ArrayLength($.l[*].x)', '{"l": [{"x": 1}, {"y": 2}, {"x": 3}]}');

--
-- States.StringToJson / States.JsonToString
--
SELECT sfn.intrinsic_eval('States.StringToJson(''[1, 2.50, "x", null, true]'')');
SELECT sfn.intrinsic_eval('States.StringToJson(''  "padded"  '')');
SELECT sfn.intrinsic_eval('States.StringToJson(''{"dup": 1, "dup": 2}'')');
SELECT sfn.intrinsic_eval('States.StringToJson(''123'')');
SELECT sfn.intrinsic_eval('States.JsonToString($)', '{"b": [true, null, 1.0], "a": "x\"y"}');
SELECT sfn.intrinsic_eval('States.JsonToString($.s)', '{"s": "text"}');
SELECT sfn.intrinsic_eval('States.JsonToString($.n)', '{"n": -0.5}');
SELECT sfn.intrinsic_eval('States.JsonToString($.c)', '{"c": "tab\there \u0001"}');
SELECT sfn.intrinsic_eval('States.StringToJson(States.JsonToString($))', '{"round": ["trip", {"x": 1}]}');

--
-- Arrays
--
SELECT sfn.intrinsic_eval('States.Array()');
SELECT sfn.intrinsic_eval('States.Array(''Foo'', 2020, $.someJson, null)',
	'{"someJson": {"random": "abcdefghijklmnopqrstuvwxyz"}}');
SELECT sfn.intrinsic_eval('States.Array(true, false, -1.5e2, States.Array(1))');
SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, 2)', '{"a": [1, 2, 3, 4]}');
SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, 10)', '{"a": [1, 2, 3]}');
SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, 1)', '{"a": []}');
SELECT sfn.intrinsic_eval('States.ArrayContains($.a, $.v)', '{"a": [1, {"x": [2]}, "s"], "v": {"x": [2]}}');
SELECT sfn.intrinsic_eval('States.ArrayContains($.a, 1.0)', '{"a": [1, 2]}');
SELECT sfn.intrinsic_eval('States.ArrayContains($.a, ''1'')', '{"a": [1, 2]}');
SELECT sfn.intrinsic_eval('States.ArrayContains($.a, null)', '{"a": []}');
SELECT sfn.intrinsic_eval('States.ArrayRange(0, 0, 1)');
SELECT sfn.intrinsic_eval('States.ArrayRange(5, 1, -2)');
SELECT sfn.intrinsic_eval('States.ArrayRange(1, 10, 3)');
SELECT sfn.intrinsic_eval('States.ArrayRange(1, 5, -1)');
SELECT sfn.intrinsic_eval('States.ArrayLength(States.ArrayRange(1, 1000, 1))');
SELECT sfn.intrinsic_eval('States.ArrayLength(States.ArrayRange(-999, 999, 2))');
SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, 0)', '{"a": [{"k": 1}, 2]}');
SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, 1.0)', '{"a": ["x", "y"]}');
SELECT sfn.intrinsic_eval('States.ArrayLength($.a)', '{"a": []}');
SELECT sfn.intrinsic_eval('States.ArrayUnique($.a)', '{"a": [{"a": 1, "b": 2}, {"b": 2, "a": 1}, [1], [1], "1", 1, 1.0, null, null]}');
SELECT sfn.intrinsic_eval('States.ArrayUnique($.a)', '{"a": []}');

--
-- Encoding and hashing
--
SELECT sfn.intrinsic_eval('States.Base64Encode('''')');
SELECT sfn.intrinsic_eval('States.Base64Encode(''a'')');
SELECT sfn.intrinsic_eval('States.Base64Encode(''ab'')');
SELECT sfn.intrinsic_eval('States.Base64Encode(''héllo wörld'')');
SELECT sfn.intrinsic_eval('States.Base64Decode(''aMOpbGxvIHfDtnJsZA=='')');
SELECT sfn.intrinsic_eval('States.Base64Decode('''')');
SELECT sfn.intrinsic_eval('States.Base64Decode(States.Base64Encode($.s))', '{"s": "round {trip}"}');
SELECT sfn.intrinsic_eval('States.Hash(''input data'', ''MD5'')');
SELECT sfn.intrinsic_eval('States.Hash(''input data'', ''SHA-256'')');
SELECT sfn.intrinsic_eval('States.Hash(''input data'', ''SHA-384'')');
SELECT sfn.intrinsic_eval('States.Hash(''input data'', ''SHA-512'')');
SELECT sfn.intrinsic_eval('States.Hash('''', ''MD5'')');
-- cross-check against PostgreSQL's own digests
SELECT sfn.intrinsic_eval('States.Hash($.d, ''MD5'')', '{"d": "héllo"}') #>> '{}' = md5('héllo') AS md5_matches;
SELECT sfn.intrinsic_eval('States.Hash($.d, ''SHA-256'')', '{"d": "héllo"}') #>> '{}'
	= encode(sha256(convert_to('héllo', 'UTF8')), 'hex') AS sha256_matches;
SELECT sfn.intrinsic_eval('States.Hash($.d, ''SHA-512'')', '{"d": "x"}') #>> '{}'
	= encode(sha512('x'), 'hex') AS sha512_matches;
SELECT length(sfn.intrinsic_eval('States.Base64Encode($.s)', jsonb_build_object('s', repeat('é', 10000))) #>> '{}') AS encoded_10000_chars;
SELECT length(sfn.intrinsic_eval('States.Hash($.s, ''SHA-1'')', jsonb_build_object('s', repeat('x', 10000))) #>> '{}') AS hashed_10000_chars;

--
-- JSON merge
--
SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, false)', '{"a": {}, "b": {"x": 1}}');
SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, false)', '{"a": {"x": 1, "y": {"z": 1}}, "b": {"y": null}}');
SELECT sfn.intrinsic_eval('States.JsonToString(States.JsonMerge($.a, $.b, false))',
	'{"a": {"k1": 1, "k2": 2}, "b": {"k3": 3, "k1": 4}}');

--
-- Math
--
SELECT sfn.intrinsic_eval('States.MathAdd(1, 2)');
SELECT sfn.intrinsic_eval('States.MathAdd(-5, 5)');
SELECT sfn.intrinsic_eval('States.MathAdd(2.0, 3)');
SELECT sfn.intrinsic_eval('States.MathAdd(States.MathAdd(1, 1), $.n)', '{"n": 40}');
SELECT sfn.intrinsic_eval('States.MathAdd(9223372036854775806, 1)');
-- random values: check the range, and that a seed fixes the value
SELECT bool_and(v BETWEEN 1 AND 998) AS in_range, count(DISTINCT v) > 1 AS varies
FROM (SELECT (sfn.intrinsic_eval('States.MathRandom($.start, $.end)', '{"start": 1, "end": 999}'))::int AS v
	  FROM generate_series(1, 200)) s;
SELECT bool_and(v IN (0, 1)) AND count(DISTINCT v) = 2 AS end_excluded
FROM (SELECT (sfn.intrinsic_eval('States.MathRandom(0, 2)'))::int AS v FROM generate_series(1, 200)) s;
SELECT count(DISTINCT sfn.intrinsic_eval('States.MathRandom(1, 1000000, 42)')) AS seeded_distinct
FROM generate_series(1, 20);
SELECT sfn.intrinsic_eval('States.MathRandom(1, 1000000, 42)') BETWEEN '1' AND '999999' AS seeded_in_range;
SELECT sfn.intrinsic_eval('States.MathRandom(-3, -2)');
SELECT sfn.intrinsic_eval('States.MathRandom(7, 8, 123)');
-- seeded draws follow java.util.Random(seed).nextInt(end - start) + start
SELECT sfn.intrinsic_eval('States.MathRandom(0, 10, 42)');
SELECT sfn.intrinsic_eval('States.MathRandom(100, 1100, 42)');

--
-- Strings and UUIDs
--
SELECT sfn.intrinsic_eval('States.StringSplit(''a,,b,'', '','')');
SELECT sfn.intrinsic_eval('States.StringSplit(''abc'', '''')');
SELECT sfn.intrinsic_eval('States.StringSplit('''', '','')');
SELECT sfn.intrinsic_eval('States.StringSplit('',,,'', '','')');
SELECT sfn.intrinsic_eval('States.StringSplit($.s, $.d)', '{"s": "a b\tc\nd", "d": " \t"}');
SELECT sfn.intrinsic_eval('States.StringSplit(''x→y→z'', ''→'')');
SELECT sfn.intrinsic_eval('States.StringSplit(''ab'', ''→b'')');
SELECT sfn.intrinsic_eval('States.UUID()') #>> '{}' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS uuid_v4;
SELECT count(DISTINCT sfn.intrinsic_eval('States.UUID()')) AS distinct_uuids FROM generate_series(1, 100);

--
-- Runtime failures: States.IntrinsicFailure (SQLSTATE SF015), and
-- States.Runtime for a path that matches nothing
--
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(''{} {}'', 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(''{}'', 1, 2)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(''\{}'', 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(42)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format($.missing)', '{"x": 1}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format($$.missing)', '{}', '{"c": 1}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.StringToJson(''{not json'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.StringToJson($.o)', '{"o": {}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, 0)', '{"a": [1]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, -1)', '{"a": [1]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayPartition($.a, 1.5)', '{"a": [1]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayPartition(''abc'', 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayContains($.o, 1)', '{"o": {"a": 1}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayRange(1, 1001, 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayRange(1, 10, 0)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayRange(1.5, 10, 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayRange(''1'', 10, 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayRange(-9223372036854775807, 9223372036854775807, 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, 2)', '{"a": [1, 2]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, -1)', '{"a": [1, 2]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, 0.5)', '{"a": [1, 2]}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a, 0)', '{"a": "xy"}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayLength($.a)', '{"a": {"k": 1}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayUnique(null)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Encode(1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Encode($.s)', jsonb_build_object('s', repeat('x', 10001))) $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Decode(''not base64!'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Decode(''/w=='')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Decode(''AA=='')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Base64Decode($.s)', jsonb_build_object('s', repeat('QUJD', 2501))) $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Hash(''x'', ''SHA-224'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Hash(''x'', ''sha-1'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Hash(1, ''MD5'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Hash($.s, ''MD5'')', jsonb_build_object('s', repeat('x', 10001))) $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, true)', '{"a": {}, "b": {}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, ''false'')', '{"a": {}, "b": {}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b, false)', '{"a": [], "b": {}}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathRandom(5, 5)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathRandom(1, 5, ''seed'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathAdd(''1'', 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathAdd(9223372036854775807, 1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.StringSplit(1, '','')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.StringSplit(''a'', null)') $q$);

--
-- Parse errors (SQLSTATE 22023)
--
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Nope(1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.format(''x'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('Format(''x'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('$.x') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format()') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.UUID(1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.ArrayGetItem($.a)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathRandom(1)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.MathRandom(1, 2, 3, 4)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.JsonMerge($.a, $.b)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(1,)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(1 2)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(1) extra') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(''unterminated)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format(''bad \n escape'')') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Format("double quotes")') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(True)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(1.)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array($.a[)') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array($.)') $q$);
-- at most 10 nested calls
SELECT sfn.intrinsic_eval('States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array())))))))))');
SELECT pg_temp.fails($q$ SELECT sfn.intrinsic_eval('States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array()))))))))))') $q$);
