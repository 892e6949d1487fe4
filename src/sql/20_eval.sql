-- src/sql/20_eval.sql: debugging entry points to the evaluation layer
-- (JSONPath, ResultPath, intrinsic functions).  They run the same code as
-- the engine; AWS runtime errors are raised as SQL errors.

CREATE OR REPLACE FUNCTION sfn.jsonpath_query(path text, input jsonb, context jsonb DEFAULT '{}')
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_query' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_query(text, jsonb, jsonb) IS
'Evaluate an ASL JSONPath ($ = input, $$ = context); NULL when a definite path matches nothing, an array of matches for an indefinite path';

CREATE OR REPLACE FUNCTION sfn.jsonpath_set(path text, target jsonb, value jsonb)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonpath_set' LANGUAGE C IMMUTABLE STRICT;
COMMENT ON FUNCTION sfn.jsonpath_set(text, jsonb, jsonb) IS
'Apply ResultPath semantics: target with value placed at the reference path, creating missing objects; raises States.ResultPathMatchFailure (SF014)';

CREATE OR REPLACE FUNCTION sfn.intrinsic_eval(expr text, input jsonb DEFAULT '{}', context jsonb DEFAULT '{}')
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_intrinsic_eval_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sfn.intrinsic_eval(text, jsonb, jsonb) IS
'Evaluate an intrinsic function call such as States.Format(''{}'', $.x); runtime failures raise States.IntrinsicFailure (SF015)';

CREATE OR REPLACE FUNCTION sfn.jsonata_eval(expression text, input jsonb DEFAULT NULL, bindings jsonb DEFAULT NULL)
RETURNS jsonb
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_eval_sql' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.jsonata_eval(text, jsonb, jsonb) IS
'Evaluate a JSONata expression against input, with bindings (a JSON object: variable name without $ to value); NULL when the result is undefined; runtime failures raise States.QueryEvaluationError (SF020)';

CREATE OR REPLACE FUNCTION sfn.jsonata_eval_text(expression text, input text DEFAULT NULL, bindings text DEFAULT NULL, max_depth int DEFAULT NULL)
RETURNS text
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_eval_text_sql' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn.jsonata_eval_text(text, text, text, int) IS
'sfn.jsonata_eval on JSON text, keeping the order of object keys; returns compact JSON text; max_depth lowers the limit of nested evaluation steps (for tests)';

CREATE OR REPLACE FUNCTION sfn.jsonata_bench(expression text, input jsonb, seconds float8 DEFAULT 1)
RETURNS float8
	SET search_path = pg_catalog, pg_temp
	AS 'MODULE_PATHNAME', 'sfn_jsonata_bench_sql' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION sfn.jsonata_bench(text, jsonb, float8) IS
'Benchmark helper: evaluations per second of one compiled JSONata expression over one input converted once, for the given seconds (at most 60)';
