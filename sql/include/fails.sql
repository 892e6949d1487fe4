-- pg_temp.fails(query): run a query that must fail and show its SQLSTATE
-- and message ('no error' if it did not).  Shared by the eval_* tests;
-- included with \i, not a test of its own.
CREATE FUNCTION pg_temp.fails(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
