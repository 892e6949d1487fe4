# A hostile database owner plants objects in the search_path that a
# superuser would run: an operator the workers' arithmetic would pick, a
# clock_timestamp() in a schema put first in the database's search_path,
# a format() that hijacks a SQL function of the API, and exact-match
# overloads of operators and functions with public before pg_catalog.
# Every trap records who called it; none may ever be called by a
# superuser, and the owner must not become one.
use strict;
use warnings;
use Test::More;
use SfnNode;

my $node = SfnNode->new('search_path');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');
$node->psql(q{
CREATE ROLE mallory LOGIN;
ALTER DATABASE postgres OWNER TO mallory;
GRANT CREATE ON DATABASE postgres TO mallory;
});

# The traps, created by mallory.  Each logs its caller and, when that is a
# superuser, makes mallory one.
my $traps = q{
SET ROLE mallory;
CREATE TABLE public.trap_log (trap text, caller name, superuser boolean);
GRANT INSERT, SELECT ON public.trap_log TO PUBLIC;
CREATE FUNCTION public.trap(which text) RETURNS void LANGUAGE plpgsql AS $t$
BEGIN
	INSERT INTO public.trap_log VALUES (which, current_user,
		(SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user));
	BEGIN
		ALTER ROLE mallory SUPERUSER;
	EXCEPTION WHEN insufficient_privilege THEN NULL;
	END;
END $t$;

-- 1. numeric * integer: extract(...) * 1000 in the workers' sleep time.
CREATE FUNCTION public.trap_mul(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('numeric * integer'); RETURN $1 OPERATOR(pg_catalog.*) $2::numeric; END $t$;
CREATE OPERATOR public.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = public.trap_mul);

-- 2. A schema first in the database's search_path, with clock_timestamp().
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('evil.clock_timestamp()'); RETURN pg_catalog.clock_timestamp(); END $t$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('evil.now()'); RETURN pg_catalog.now(); END $t$;

-- 3. format(text, text, name): a better match than format(text, VARIADIC "any").
CREATE FUNCTION public.format(text, text, name) RETURNS text LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('format(text, text, name)'); RETURN pg_catalog.format($1, $2, $3); END $t$;

-- 4. Exact matches that win when public comes before pg_catalog.
CREATE FUNCTION public.trap_eq_text(text, text) RETURNS boolean LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('text = text'); RETURN $1 OPERATOR(pg_catalog.=) $2; END $t$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.trap_eq_text);
CREATE FUNCTION public.trap_eq_int8(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('bigint = bigint'); RETURN $1 OPERATOR(pg_catalog.=) $2; END $t$;
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.trap_eq_int8);
CREATE FUNCTION public.jsonb_build_object(text, text) RETURNS jsonb LANGUAGE plpgsql AS $t$
BEGIN PERFORM public.trap('jsonb_build_object(text, text)'); RETURN pg_catalog.jsonb_build_object($1, $2); END $t$;
DO $d$ BEGIN EXECUTE pg_catalog.format('ALTER DATABASE %I SET search_path = evil, public, pg_catalog', pg_catalog.current_database()); END $d$;
RESET ROLE;
};
$node->psql($traps);

# The traps are armed: mallory's own session (that search_path) calls them.
is($node->psql(q{SET ROLE mallory; SELECT now() IS NOT NULL AND 'a' = 'a' AND 1::bigint = 1::bigint; SELECT count(DISTINCT trap) FROM public.trap_log WHERE caller = 'mallory'}),
	"t\n3", 'the traps fire for a session that uses the database\'s search_path');
is($node->psql(q{SET ROLE mallory; SELECT extract(epoch FROM now()) * 1000 > 0; SELECT format('%s-%s', 'a', 'b'::name); SELECT count(DISTINCT trap) FROM public.trap_log WHERE caller = 'mallory'}),
	"t\na-b\n5", 'all five kinds of trap');

# The test's own checks must not fall into the traps: they run with a safe
# search_path.  The calls of pg_sfn's API keep the database's.
my $safe = 'SET search_path = pg_catalog, public; ';

# A superuser uses pg_sfn while the workers (superusers too) run, restart
# with the planted search_path, and run Waits (their sleep arithmetic).
$node->stop;
$node->start;
$node->psql(q{SELECT sfn_create_state_machine('sp', '{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"W"}],"Default":"P"},"W":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","Parameters":{"n.$":"$.n","s.$":"States.Format(''{}-{}'', $.n, $.n)"},"End":true}}}')});
$node->psql(q{SELECT sfn_update_state_machine('sp', role => 'postgres')});
$node->psql(q{SELECT count(sfn_start_execution('sp', jsonb_build_object('n', g), 'sp-' || g)) FROM generate_series(1, 5) g});
ok($node->poll($safe . q{SELECT count(*) FROM sfn.executions WHERE status = 'SUCCEEDED'}, '5', 30), 'executions ran with the traps in place');
$node->psql(q{
SELECT sfn_describe_state_machine('sp');
SELECT * FROM sfn_list_state_machines();
SELECT sfn_describe_execution(sfn.execution_arn('sp', 'sp-1'));
SELECT * FROM sfn_list_executions('sp');
SELECT * FROM sfn_get_execution_history(sfn.execution_arn('sp', 'sp-2'));
SELECT sfn_describe_state_machine_for_execution(sfn.execution_arn('sp', 'sp-3'));
SELECT sfn_start_execution('sp', '{"n":5}', 'late');
SELECT sfn.wait_execution(sfn.execution_arn('sp', 'late'), 10);
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"x.$":"States.Format(''{}'', $.a)"},"End":true}', '{"a":1}');
SELECT * FROM sfn_validate_state_machine_definition('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_grant_state_machine('sp', 'mallory', 'READ');
SELECT sfn_create_state_machine('sp2', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_delete_state_machine('sp2');
});
$node->psql(q{SELECT sfn_start_execution('sp', '{"n":7}', 'to-stop')});
$node->psql(q{SELECT sfn_stop_execution(sfn.execution_arn('sp', 'to-stop'), 'E', 'c')}, 1);
sleep(2);

is($node->psql($safe . q{SELECT count(*) FROM public.trap_log WHERE superuser}), '0',
	'no trap ran as a superuser (workers, API functions, SQL functions)');
diag($node->psql($safe . q{SELECT string_agg(DISTINCT trap || ' by ' || caller, ', ') FROM public.trap_log WHERE superuser}))
  if $node->psql($safe . q{SELECT count(*) FROM public.trap_log WHERE superuser}) ne '0';
is($node->psql($safe . q{SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory'}), 'f', 'the database owner is not a superuser');
is($node->psql($safe . q{SELECT string_agg(output->>'s', ',' ORDER BY name) FROM sfn.executions WHERE name LIKE 'sp-%'}),
	'1-1,2-2,3-3,4-4,5-5', 'and the executions computed the right outputs');

# The install and upgrade scripts run as a superuser too, in a database
# whose owner may have planted the same traps beforehand.
$node->psql(q{CREATE DATABASE planted OWNER mallory});
$node->psql(q{CREATE DATABASE planted_update OWNER mallory});
$node->psql_in('planted_update', q{CREATE EXTENSION pg_sfn VERSION '0.1'});
for my $db ('planted', 'planted_update')
{
	$node->psql_in($db, q{GRANT CREATE ON DATABASE } . $db . q{ TO mallory});
	$node->psql_in($db, $traps);
}
$node->psql_in('planted', 'CREATE EXTENSION pg_sfn');
$node->psql_in('planted_update', 'ALTER EXTENSION pg_sfn UPDATE');
for my $db ('planted', 'planted_update')
{
	is($node->psql_in($db, $safe . q{SELECT count(*) FROM public.trap_log WHERE superuser}), '0',
		$db eq 'planted' ? 'CREATE EXTENSION runs no trap' : 'ALTER EXTENSION UPDATE runs no trap');
	my $fired = $node->psql_in($db, $safe . q{SELECT string_agg(DISTINCT trap, ', ') FROM public.trap_log WHERE superuser});
	diag("traps run as a superuser in $db: $fired") if $fired ne '';
}
is($node->psql($safe . q{SELECT rolsuper FROM pg_roles WHERE rolname = 'mallory'}), 'f', 'the database owner is still not a superuser');
$node->stop;

done_testing();
