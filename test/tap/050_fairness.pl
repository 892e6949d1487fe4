# Fairness: a worker's batch has a time budget (pg_sfn.batch_time_budget).
# Two executions whose every transition is slow (a Pass/Choice loop over a
# large payload) keep both workers busy; a trivial execution started next
# to them still finishes promptly, and stopping a slow one does not wait
# for a long batch.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use SfnNode;

my $budget = $ENV{SFN_FAIRNESS_BUDGET};	# to compare by hand, e.g. '1h'
my $node = SfnNode->new('fairness', conf => "pg_sfn.max_history_events = 2000\npg_sfn.max_payload_size = '1MB'\n"
	  . ($budget ? "pg_sfn.batch_time_budget = '$budget'\n" : ''));
$node->start;
$node->psql('CREATE EXTENSION pg_sfn');

$node->psql(q{SELECT sfn_create_state_machine('slow', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"A"},"Done":{"Type":"Succeed"}}}')});
$node->psql(q{SELECT sfn_create_state_machine('trivial', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}')});

# Each transition writes two history events with a 500 kB payload.
for my $i (1, 2)
{
	$node->psql(qq{SELECT sfn_start_execution('slow', jsonb_build_object('pad', repeat('x', 500000)), 'slow-$i')});
}
ok($node->poll(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'slow-%' AND last_event_id > 1}, '2', 30),
	'both slow executions are being advanced');

my $t0 = time();
$node->psql(q{SELECT sfn_start_execution('trivial', '{}', 'quick')});
ok($node->poll(q{SELECT status FROM sfn.executions WHERE name = 'quick'}, 'SUCCEEDED', 60),
	'the trivial execution finished');
my $quick = time() - $t0;
diag(sprintf('the trivial execution took %.2f s next to the slow ones', $quick));
# Not a timing test: a bound only a batch without a time budget breaks.
ok($quick < 5, 'it did not wait for long batches of the slow executions');

$t0 = time();
$node->psql(q{SELECT sfn_stop_execution(sfn.execution_arn('slow', 'slow-1'))});
my $stop = time() - $t0;
diag(sprintf('stopping a slow execution took %.2f s', $stop));
ok($stop < 5, 'stopping a slow execution did not wait for a long batch');
$node->psql(q{SELECT sfn_stop_execution(sfn.execution_arn('slow', 'slow-2'))}, 1);
is($node->psql(q{SELECT count(*) FROM sfn.executions WHERE name LIKE 'slow-%' AND status = 'RUNNING'}), '0',
	'the slow executions ended');

# Yielding keeps each history contiguous.
is($node->psql(q{SELECT count(*) FROM (SELECT execution_id FROM sfn.history GROUP BY execution_id HAVING max(event_id) <> count(*)) h}),
	'0', 'histories are contiguous');

unlike($node->log_content, qr/PANIC|TRAP|segfault|terminated by signal 11/, 'no crash in the server log');
$node->stop;
done_testing();
