# Nested executions under load and faults: many parents waiting for their
# children (.sync:2) on four workers all finish with their children's
# outputs; a crash while parents wait loses no answer; many parents that
# time out together stop their chains of waited-for children (stops from
# concurrent batches may deadlock: PostgreSQL aborts one batch and its
# executions are retried one by one), leaving nothing running.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;

my $node = SfnNode->new('nested', conf => "pg_sfn.workers = 4\n");
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

my $arn = 'arn:aws:states:us-east-1:123456789012:stateMachine';
$node->psql(qq{SELECT sfn_create_state_machine('leaf', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Parameters":{"n.\$":"\$.n","done":true},"End":true}}}')});
$node->psql(qq{SELECT sfn_create_state_machine('parent', '{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"$arn:leaf","Name.\$":"\$\$.Execution.Name","Input":{"n.\$":"\$.n"}},"OutputPath":"\$.Output","End":true}}}')});

# 1. 300 parents, each waiting for its child.
my $n = 300;
my $t0 = time();
$node->psql(qq{SELECT count(sfn_start_execution('parent', jsonb_build_object('n', i), 'p' || i)) FROM generate_series(1, $n) i});
ok($node->poll(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name = 'parent' AND e.status = 'SUCCEEDED'}, "$n", 120),
	"$n parents succeeded");
diag(sprintf('%d parents with a .sync:2 child each took %.2f s', $n, time() - $t0));
is($node->psql(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name = 'parent' AND e.output = jsonb_build_object('n', (e.input->>'n')::int, 'done', true)}),
	"$n", 'each parent has its own child\'s output');
is($node->psql(q{SELECT count(*) FROM sfn.executions c JOIN sfn.executions p ON p.id = c.parent_execution_id WHERE c.name = p.name AND c.status = 'SUCCEEDED'}),
	"$n", 'each child is linked to its parent');

# 2. A crash while parents wait: children end after the restart and answer.
$node->psql(qq{SELECT sfn_create_state_machine('slow_leaf', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"End":true}}}')});
$node->psql(qq{SELECT sfn_create_state_machine('slow_parent', '{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"$arn:slow_leaf"},"End":true}}}')});
$node->psql(q{SELECT count(sfn_start_execution('slow_parent', '{}', 's' || i)) FROM generate_series(1, 50) i});
ok($node->poll(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name = 'slow_leaf' AND e.status = 'RUNNING'}, '50', 30),
	'50 children wait');
$node->kill9;
$node->start;
ok($node->poll(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name = 'slow_parent' AND e.status = 'SUCCEEDED'}, '50', 60),
	'after the crash, all 50 parents got their answer');

# 3. Chains top -> mid -> leaf (each .sync); the tops time out together.
$node->psql(qq{SELECT sfn_create_state_machine('hold', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}')});
$node->psql(qq{SELECT sfn_create_state_machine('mid', '{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"$arn:hold"},"End":true}}}')});
$node->psql(qq{SELECT sfn_create_state_machine('top', '{"TimeoutSeconds":3,"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Parameters":{"StateMachineArn":"$arn:mid"},"End":true}}}')});
$node->psql(q{SELECT count(sfn_start_execution('top', '{}', 't' || i)) FROM generate_series(1, 100) i});
ok($node->poll(q{SELECT count(*) FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name = 'top' AND e.status = 'TIMED_OUT'}, '100', 60),
	'100 parents timed out');
ok($node->poll(q{SELECT string_agg(s.name || ':' || e.status || ':' || n, ',' ORDER BY s.name) FROM (SELECT e.state_machine_id, e.status, count(*) n FROM sfn.executions e GROUP BY 1, 2) e JOIN sfn.state_machines s ON s.id = e.state_machine_id WHERE s.name IN ('mid', 'hold')},
	'hold:ABORTED:100,mid:ABORTED:100', 60),
	'their chains were stopped');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE status = 'RUNNING'}), '0', 'nothing runs');
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE status = 'FAILED'}), '0',
	'no execution failed (an aborted batch is retried, not failed)');
is($node->psql(q{SELECT count(*) FROM sfn.work}), '0', 'no work rows are left');
is($node->psql(q{SELECT count(*) FROM (SELECT execution_id FROM sfn.history GROUP BY execution_id HAVING max(event_id) <> count(*)) h}),
	'0', 'histories are contiguous');
my $deadlocks = () = $node->log_content =~ /deadlock detected/g;
diag("deadlocks detected in the log: $deadlocks");

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal 11/, 'no crash in the server log');
$node->stop;
done_testing();
