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
