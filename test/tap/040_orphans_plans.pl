# Work rows no batch can run do not stall the workers, and are ended; the
# plan cache follows DROP EXTENSION + CREATE EXTENSION (ids repeat, revision
# uuids do not) and stays within pg_sfn.plan_cache_size.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use SfnNode;

my $node = SfnNode->new('orphans');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

# --- Plan cache across DROP/CREATE EXTENSION -------------------------------
# State machine 1, revision 1, in both lives of the extension; both workers
# run it (20 executions) so that both have its plan cached.
$node->psql(q{SELECT sfn_create_state_machine('same-name', '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"life":1},"End":true}}}')});
$node->psql(q{SELECT sfn_start_execution('same-name', '{}', 'a-' || g) FROM generate_series(1, 20) g});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE status = 'SUCCEEDED' AND output = '{"life": 1}'}, '20', 20),
	'first life: the first definition ran');
$node->psql('DROP EXTENSION pg_sfn; CREATE EXTENSION pg_sfn');
$node->psql(q{SELECT sfn_create_state_machine('same-name', '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"life":2},"End":true}}}')});
is($node->psql(q{SELECT id || '/' || revision FROM sfn.state_machines WHERE name = 'same-name'}), '1/1',
	'second life: again state machine 1 revision 1');
$node->psql(q{SELECT sfn_start_execution('same-name', '{}', 'b-' || g) FROM generate_series(1, 20) g});
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE status <> 'RUNNING'}, '20', 20), 'second life: 20 executions ended');
is($node->psql(q{SELECT output::text || ' ' || count(*) FROM sfn.executions GROUP BY output::text}), '{"life": 2} 20',
	'every worker ran the new definition');

# --- Orphaned work cannot stall the workers --------------------------------
# 150 work rows of executions that do not exist, and 70 running executions
# whose state machine rows are gone (as a start racing a delete left them
# before starts and deletes were serialized), all due: more than a batch.
$node->psql(q{SELECT sfn_create_state_machine('gone', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}')});
$node->psql(q{SELECT sfn_create_state_machine('trivial', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}')});
$node->psql(q{
	BEGIN;
	SELECT count(sfn_start_execution('gone', '{}', 'orphan-' || g)) FROM generate_series(1, 70) g;
	DELETE FROM sfn.state_machine_revisions r USING sfn.state_machines sm WHERE sm.id = r.state_machine_id AND sm.name = 'gone';
	DELETE FROM sfn.state_machines WHERE name = 'gone';
	INSERT INTO sfn.work (execution_id, due_at) SELECT 1000000 + g, now() - interval '1 hour' FROM generate_series(1, 150) g;
	COMMIT;
});
my $t0 = time();
$node->psql(q{SELECT sfn_start_execution('trivial', '{}', 'behind-orphans')});
# Generous: it takes milliseconds; with orphans filling the claims it never runs.
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'behind-orphans'}, 'SUCCEEDED', 10),
	'an execution started behind 220 orphaned work rows runs');
diag(sprintf('it finished after %.2f s', time() - $t0));
ok($node->poll(q{SELECT count(*) FROM sfn.work WHERE execution_id > 1000000}, '0', 30),
	'work rows of missing executions are removed');
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'orphan-%' AND status = 'RUNNING'}, '0', 30),
	'executions whose state machine is gone are ended');
is($node->psql(q{SELECT status || ' ' || error || ' ' || count(*) FROM sfn.executions WHERE name LIKE 'orphan-%' GROUP BY status, error}),
	'FAILED States.Runtime 70', 'with States.Runtime');
like($node->psql(q{SELECT cause FROM sfn.executions WHERE name = 'orphan-1'}),
	qr/state machine or its definition revision no longer exists/, 'and a cause that says why');
is($node->psql(q{SELECT string_agg(type, ',' ORDER BY event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'orphan-1'}),
	'ExecutionStarted,ExecutionFailed', 'their history ends with ExecutionFailed');
is($node->psql(q{SELECT count(*) FROM sfn.work}), '0', 'no work row left');

# --- Plan cache bound ------------------------------------------------------
# 64kB holds a few small plans; 30 state machines run one after another.
# pg_log_backend_memory_contexts shows each worker's plan contexts.
$node->psql(q{ALTER SYSTEM SET pg_sfn.plan_cache_size = '64kB'});
$node->psql(q{SELECT pg_reload_conf()});
sleep 1;
for my $i (1 .. 30)
{
	$node->psql(qq{SELECT sfn_create_state_machine('many-$i', '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"i":$i},"Next":"Q"},"Q":{"Type":"Pass","End":true}}}')});
	$node->psql(qq{SELECT sfn_start_execution('many-$i', '{}', 'm')});
}
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name = 'm' AND status = 'SUCCEEDED'}, '30', 30),
	'30 state machines ran');
is($node->psql(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines sm ON sm.id = e.state_machine_id WHERE e.name = 'm' AND e.output->>'i' = substr(sm.name, 6)}),
	'30', 'each with its own definition');
my $log_before = length($node->log_content);
my @pids = split /\n/, $node->psql(q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'pg_sfn worker'});
is(scalar(@pids), 2, 'two workers');
$node->psql("SELECT pg_log_backend_memory_contexts($_)") for @pids;
sleep 2;
my $log = substr($node->log_content, $log_before);
my $plans_total = 0;
for my $pid (@pids)
{
	my @lines = ($log =~ /\[$pid\][^\n]*level: \d+; pg_sfn plan: (\d+) total/g);
	my $bytes = 0;
	$bytes += $_ for @lines;
	$plans_total += scalar(@lines);
	ok(scalar(@lines) <= 10, "worker $pid keeps " . scalar(@lines) . " plans, $bytes bytes");
	ok($bytes <= 64 * 1024 + 16 * 1024, "within the cap (plus the plan in use)");
}
ok($plans_total >= 1, "the memory context dump shows the plans ($plans_total)");

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal 11/, 'no crash in the server log');
$node->stop;
done_testing();
