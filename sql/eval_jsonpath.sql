--
-- eval_jsonpath: ASL JSONPath evaluation (sfn.jsonpath_query) and
-- ResultPath semantics (sfn.jsonpath_set).
--
\set VERBOSITY default
\set SHOW_CONTEXT never

\i sql/include/fails.sql

-- AWS "Reference paths" example
\set doc '{"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}}'
SELECT sfn.jsonpath_query('$.foo', :'doc');
SELECT sfn.jsonpath_query('$.bar', :'doc');
SELECT sfn.jsonpath_query('$.car.cdr', :'doc');

-- AWS "InputPath" example: a slice yields a selection
SELECT sfn.jsonpath_query('$.a[0:2]', '{"a": [1, 2, 3, 4]}');

-- roots
SELECT sfn.jsonpath_query('$', :'doc');
SELECT sfn.jsonpath_query('$', '"just a string"');
SELECT sfn.jsonpath_query('$$', '{}', '{"Execution": {"Id": "x"}}');
SELECT sfn.jsonpath_query('$$.Execution.Id', '{}', '{"Execution": {"Id": "arn:x"}}');
SELECT sfn.jsonpath_query('$$.Map.Item.Value', '{"Map": 1}', '{"Map": {"Item": {"Index": 0, "Value": {"v": 2}}}}');

-- definite paths: names, brackets, indexes
\set store '{"store": {"book": [{"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95}, {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99}, {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99}, {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}], "bicycle": {"color": "red", "price": 19.95}}, "expensive": 10}'
SELECT sfn.jsonpath_query('$.store.bicycle.color', :'store');
SELECT sfn.jsonpath_query('$[''store''][''bicycle''][''price'']', :'store');
SELECT sfn.jsonpath_query('$["store"]["bicycle"]', :'store');
SELECT sfn.jsonpath_query('$.store.book[0].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[3].author', :'store');
SELECT sfn.jsonpath_query('$.store.book[-1].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[-4].title', :'store');
SELECT sfn.jsonpath_query('$[''key with spaces''].x', '{"key with spaces": {"x": 1}}');
SELECT sfn.jsonpath_query('$[''it\''s'']', '{"it''s": "quoted"}');
SELECT sfn.jsonpath_query('$.a-b.c_d', '{"a-b": {"c_d": "dash"}}');
SELECT sfn.jsonpath_query('$.a[1][0]', '{"a": [[1, 2], [3, 4]]}');
SELECT sfn.jsonpath_query('$.nested.null', '{"nested": {"null": null}}');
SELECT sfn.jsonpath_query('$.ünïcödé', '{"ünïcödé": "ok"}');

-- definite paths matching nothing give NULL
SELECT sfn.jsonpath_query('$.missing', :'doc') IS NULL AS missing;
SELECT sfn.jsonpath_query('$.foo.deeper', :'doc') IS NULL AS through_number;
SELECT sfn.jsonpath_query('$.bar[3]', :'doc') IS NULL AS past_end;
SELECT sfn.jsonpath_query('$.bar[-4]', :'doc') IS NULL AS before_start;
SELECT sfn.jsonpath_query('$.car[0]', :'doc') IS NULL AS index_on_object;
SELECT sfn.jsonpath_query('$.bar.x', :'doc') IS NULL AS name_on_array;
SELECT sfn.jsonpath_query('$$.Execution', '{}') IS NULL AS empty_context;

-- wildcards
SELECT sfn.jsonpath_query('$.store.book[*].author', :'store');
SELECT sfn.jsonpath_query('$.store.*', '{"store": {"a": 1, "b": [2]}}');
SELECT sfn.jsonpath_query('$.bar[*]', :'doc');
SELECT sfn.jsonpath_query('$.car.*', :'doc');
SELECT sfn.jsonpath_query('$.foo[*]', :'doc');
SELECT sfn.jsonpath_query('$[*].a', '[{"a": 1}, {"b": 2}, {"a": 3}]');

-- deep scan
SELECT sfn.jsonpath_query('$..author', :'store');
SELECT sfn.jsonpath_query('$.store..price', :'store');
SELECT sfn.jsonpath_query('$..book[2].title', :'store');
SELECT sfn.jsonpath_query('$..book[-1:].title', :'store');
SELECT sfn.jsonpath_query('$..isbn', :'store');
SELECT sfn.jsonpath_query('$..*', '{"a": {"b": 1}, "c": [2, 3]}');
SELECT sfn.jsonpath_query('$..[0]', '{"a": [1, [2, 3]], "b": {"c": [4]}}');
SELECT sfn.jsonpath_query('$..nothing', :'store');

-- slices
\set nums '{"n": [0, 1, 2, 3, 4, 5]}'
SELECT sfn.jsonpath_query('$.n[1:3]', :'nums');
SELECT sfn.jsonpath_query('$.n[:2]', :'nums');
SELECT sfn.jsonpath_query('$.n[4:]', :'nums');
SELECT sfn.jsonpath_query('$.n[-2:]', :'nums');
SELECT sfn.jsonpath_query('$.n[:-4]', :'nums');
SELECT sfn.jsonpath_query('$.n[0:6:2]', :'nums');
SELECT sfn.jsonpath_query('$.n[::3]', :'nums');
SELECT sfn.jsonpath_query('$.n[::-1]', :'nums');
SELECT sfn.jsonpath_query('$.n[4:1:-2]', :'nums');
SELECT sfn.jsonpath_query('$.n[2:100]', :'nums');
SELECT sfn.jsonpath_query('$.n[5:2]', :'nums');
SELECT sfn.jsonpath_query('$.n[-100:1]', :'nums');
SELECT sfn.jsonpath_query('$.n[0:2]', '{"n": "not an array"}');

-- unions
SELECT sfn.jsonpath_query('$.n[0,2,5]', :'nums');
SELECT sfn.jsonpath_query('$.n[5,0,-1]', :'nums');
SELECT sfn.jsonpath_query('$.n[1,99]', :'nums');
SELECT sfn.jsonpath_query('$.store.book[0,1].price', :'store');
-- a multi-name subscript last in the path merges into one object (Jayway)
SELECT sfn.jsonpath_query('$[''foo'',''car'']', :'doc');
SELECT sfn.jsonpath_query('$[''foo'',''nope'']', :'doc');
-- elsewhere it iterates
SELECT sfn.jsonpath_query('$[''a'',''b''].v', '{"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}');

-- filters
SELECT sfn.jsonpath_query('$.store.book[?(@.price < 10)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.price <= 8.99)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.price > 20)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.price >= 12.99)].price', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.isbn)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(!@.isbn)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.category == ''reference'')].author', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.category == "fiction")].author', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.category != ''fiction'')].author', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.category == ''fiction'' && @.price < 10)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.price < 9 || @.price > 20)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title', :'store');
SELECT sfn.jsonpath_query('$.store.book[?(@.price < $.expensive)].title', :'store');
SELECT sfn.jsonpath_query('$..book[?(@.author > ''I'')].author', :'store');
SELECT sfn.jsonpath_query('$.items[?(@.ok == true)].id', '{"items": [{"id": 1, "ok": true}, {"id": 2, "ok": false}, {"id": 3}]}');
SELECT sfn.jsonpath_query('$.items[?(@.v == null)].id', '{"items": [{"id": 1, "v": null}, {"id": 2, "v": 0}, {"id": 3}]}');
SELECT sfn.jsonpath_query('$.items[?(@.v != 0)].id', '{"items": [{"id": 1, "v": null}, {"id": 2, "v": 0}, {"id": 3}]}');
SELECT sfn.jsonpath_query('$.items[?(@.n == 1.0)].id', '{"items": [{"id": 1, "n": 1}, {"id": 2, "n": "1"}, {"id": 3, "n": 1.5}]}');
SELECT sfn.jsonpath_query('$.items[?(@.t.x == ''a'')].id', '{"items": [{"id": 1, "t": {"x": "a"}}, {"id": 2, "t": {"x": "b"}}]}');
SELECT sfn.jsonpath_query('$.items[?(@[0] > 1)]', '{"items": [[1, 9], [2, 8], [3]]}');
SELECT sfn.jsonpath_query('$.items[?(@ > 1)]', '{"items": [1, 2, 3, "4"]}');
SELECT sfn.jsonpath_query('$.items[?(@.n<-1)].n', '{"items": [{"n": -5}, {"n": 0}, {"n": -1.5}]}');
-- a filter on an object tests the object itself
SELECT sfn.jsonpath_query('$.obj[?(@.a == 1)]', '{"obj": {"a": 1}}');
SELECT sfn.jsonpath_query('$.obj[?(@.a == 2)]', '{"obj": {"a": 1}}');
SELECT sfn.jsonpath_query('$..[?(@.price > 19)].price', :'store');

-- length()
SELECT sfn.jsonpath_query('$.store.book.length()', :'store');
SELECT sfn.jsonpath_query('$.car.length()', :'doc');
SELECT sfn.jsonpath_query('$.foo.length()', :'doc') IS NULL AS length_of_number;

-- syntax errors (SQLSTATE 22023)
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('foo', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$.', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$.a.', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[0', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[''a]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[abc]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$.a b', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[::0]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[?(@.a ==)]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[?(@.a == 1]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[?(1)]', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$.a.size()', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$.a.length().b', '{}') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_query('$[99999999999999999999]', '{}') $q$);

--
-- ResultPath (reference paths only)
--
-- AWS "ResultPath" example
SELECT sfn.jsonpath_set('$.sum', '{"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}}', '7');
SELECT sfn.jsonpath_set('$', '{"comment": "This is a test"}', '"Hello, Step Functions!"');
SELECT sfn.jsonpath_set('$.taskresult', '{"comment": "This is a test", "details": "Default example", "who": "Step Functions"}', '"Hello, Step Functions!"');
-- replaces an existing value
SELECT sfn.jsonpath_set('$.comment', '{"comment": "old", "x": 1}', '{"new": true}');
-- creates missing intermediate objects
SELECT sfn.jsonpath_set('$.a.b.c', '{"x": 1}', '[1, 2]');
SELECT sfn.jsonpath_set('$.a.b', '{"a": {"keep": 1}}', 'null');
SELECT sfn.jsonpath_set('$[''with space''].v', '{}', '1');
-- array elements
SELECT sfn.jsonpath_set('$.list[1]', '{"list": [1, 2, 3]}', '"two"');
SELECT sfn.jsonpath_set('$.list[0].name', '{"list": [{"id": 1}]}', '"first"');
-- the input is not modified in place; the result is a new document
SELECT sfn.jsonpath_set('$.a', i, '2'), i FROM (VALUES ('{"a": 1}'::jsonb)) AS t(i);
-- failures: States.ResultPathMatchFailure (SQLSTATE SF014)
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a.b', '{"a": 1}', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a.b', '{"a": null}', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a.b', '{"a": [1]}', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.x', '"a string"', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.x', '[1, 2]', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.list[3]', '{"list": [1, 2, 3]}', '2') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.obj[0]', '{"obj": {"0": 1}}', '2') $q$);
-- reference paths reject indefinite syntax (SQLSTATE 22023)
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a[*]', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$..a', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a[0:1]', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a[0,1]', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a[?(@.b)]', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a.*', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a[-1]', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$.a.length()', '{}', '1') $q$);
SELECT pg_temp.fails($q$ SELECT sfn.jsonpath_set('$$.Execution', '{}', '1') $q$);
