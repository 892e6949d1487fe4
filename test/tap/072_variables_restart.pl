# Workflow variables live with the thread (sfn.threads.variables): they
# survive a clean restart and a crash while the execution waits, in both
# query languages, and each thread's row holds what it assigned.
use strict;
use warnings;
use Test::More;
use SfnNode;

my $node = SfnNode->new('variables');
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

# JSONata: assign, wait, read after the wait.
$node->psql(q{SELECT sfn_create_state_machine('vars-ata', '{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"kept":"{% $states.input %}","n":"{% $states.input.i * 2 %}"},"Output":{},"Next":"W"},"W":{"Type":"Wait","Seconds":3,"Next":"B"},"B":{"Type":"Pass","Output":{"kept":"{% $kept %}","n":"{% $n %}"},"End":true}}}')});
# JSONPath: the same with "name.$" and $name paths.
$node->psql(q{SELECT sfn_create_state_machine('vars-path', '{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"kept.$":"$","i.$":"$.i"},"Next":"W"},"W":{"Type":"Wait","Seconds":3,"Next":"B"},"B":{"Type":"Pass","Parameters":{"kept.$":"$kept","i.$":"$i"},"End":true}}}')});

$node->psql(q{SELECT sfn_start_execution('vars-ata', jsonb_build_object('i', g), 'ata-' || g) FROM generate_series(1, 10) g});
$node->psql(q{SELECT sfn_start_execution('vars-path', jsonb_build_object('i', g), 'path-' || g) FROM generate_series(1, 10) g});
ok($node->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '20', 20), '20 executions are waiting');
is($node->psql(q{SELECT t.variables FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name = 'ata-3'}),
	'{"n": 6, "kept": {"i": 3}}', 'the waiting thread holds its variables');

$node->stop('fast');
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE status = 'SUCCEEDED'}, '20', 30),
	'all 20 finish after a restart');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'ata-%' AND output <> jsonb_build_object('kept', jsonb_build_object('i', substr(name, 5)::int), 'n', 2 * substr(name, 5)::int)}),
	'0', 'JSONata: the variables read after the restart are the assigned ones');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'path-%' AND output <> jsonb_build_object('kept', jsonb_build_object('i', substr(name, 6)::int), 'i', substr(name, 6)::int)}),
	'0', 'JSONPath: the same');

# A crash while waiting.
$node->psql(q{SELECT sfn_start_execution('vars-ata', jsonb_build_object('i', g), 'crash-' || g) FROM generate_series(1, 10) g});
ok($node->poll(q{SELECT count(*) FROM sfn.threads WHERE phase = 1}, '10', 20), '10 executions are waiting before the crash');
$node->kill9;
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'crash-%' AND status = 'SUCCEEDED'}, '10', 30),
	'all 10 finish after kill -9 and restart');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'crash-%' AND output <> jsonb_build_object('kept', jsonb_build_object('i', substr(name, 7)::int), 'n', 2 * substr(name, 7)::int)}),
	'0', 'with their variables');
# The assignment is in the history once, on the state that made it.
is($node->psql(q{SELECT string_agg(h.type || ':' || coalesce(h.details->'assignedVariables'->>'n', '-'), ',' ORDER BY h.event_id) FROM sfn.history h JOIN sfn.executions e ON e.id = h.execution_id WHERE e.name = 'crash-4' AND h.type LIKE '%Exited'}),
	'PassStateExited:8,WaitStateExited:-,PassStateExited:-', 'assignedVariables on the assigning state only');

$node->stop;
done_testing();
